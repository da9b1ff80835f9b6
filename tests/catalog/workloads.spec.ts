/** The pure mapping from a catalog entry to the ServiceWorkload of each side (catalog/workloads.ts). */
import * as assert from "assert";
import { loadServiceCatalog } from "../../catalog/load";
import { INGRESS_GATEWAY, serviceWorkloadArgs } from "../../catalog/workloads";
import type { CatalogDocuments } from "../../catalog/validate";
import { serviceWorkloadProblems } from "../../components/catalog";
import { repositoryDocs, withShipping } from "./fixture";

const prod = loadServiceCatalog("prod");
const entry = (name: string, catalog = prod) => catalog.services.find((s) => s.name === name)!;

describe("catalog -> ServiceWorkloadArgs", () => {
    it("maps order on the primary side: image, port, probes, resources, scaling, callees, canary", () => {
        assert.deepStrictEqual(serviceWorkloadArgs(entry("order"), prod, "services-prod", "primary"), {
            name: "order",
            namespace: "services-prod",
            team: "commerce",
            image: entry("order").image,
            version: "v1",
            port: 8080,
            health: { livenessPath: "/healthz", readinessPath: "/readyz", startupPath: "/startupz" },
            resources: { cpuRequest: "500m", memoryRequest: "512Mi", cpuLimit: "2", memoryLimit: "1Gi" },
            scaling: { minReplicas: 2, maxReplicas: 6, targetCpuPercent: 65 },
            routes: ["/orders"],
            ingress: { gateway: INGRESS_GATEWAY },
            callers: [],
            callees: ["user", "product", "payment"].map((name) => ({ name, namespace: "services-prod", port: 8080 })),
            // prod's override: 10% to the canary, which runs the release under test under its own version label.
            canary: { image: entry("order").canaryImage, version: "canary", stableWeight: 90, canaryWeight: 10 },
        });
    });

    it("admits as callers exactly the entries whose calls list the service", () => {
        const user = serviceWorkloadArgs(entry("user"), prod, "services-prod", "primary");
        assert.deepStrictEqual(user.callers, [{ name: "order", namespace: "services-prod" }]);
        assert.deepStrictEqual(user.callees, []);
        assert.strictEqual(user.canary, undefined);
        assert.strictEqual(user.replicas, undefined);
    });

    it("the DR side takes the replica floor from the posture (cold 0, warm N) and runs no canary", () => {
        const dr = (name: string) => serviceWorkloadArgs(entry(name), prod, "services-prod", "dr");
        assert.deepStrictEqual(
            ["user", "product", "order", "payment"].map((n) => [n, dr(n).replicas]),
            [
                ["user", 1],
                ["product", 0],
                ["order", 2],
                ["payment", 2],
            ],
        );
        assert.strictEqual(dr("order").canary, undefined);
    });

    it("dev's overrides reach the workload: 1 to 2 replicas, and no canary", () => {
        const dev = loadServiceCatalog("dev");
        const order = serviceWorkloadArgs(entry("order", dev), dev, "services-dev", "primary");
        assert.deepStrictEqual(order.scaling, { minReplicas: 1, maxReplicas: 2, targetCpuPercent: 65 });
        assert.strictEqual(order.canary, undefined);
        assert.strictEqual(order.namespace, "services-dev");
    });

    it("every entry of dev, prod and a catalog with a fifth service yields args the component accepts", () => {
        const withFifth = loadServiceCatalog("prod", withShipping("prod") as CatalogDocuments);
        const withoutRoutes = repositoryDocs("prod");
        withoutRoutes.services.services[0].routes = [];
        const catalogs = [
            prod,
            loadServiceCatalog("dev"),
            withFifth,
            loadServiceCatalog("prod", withoutRoutes as CatalogDocuments),
        ];
        for (const catalog of catalogs) {
            for (const e of catalog.services) {
                for (const side of ["primary", "dr"] as const) {
                    const args = serviceWorkloadArgs(e, catalog, "services-prod", side);
                    assert.deepStrictEqual(serviceWorkloadProblems(args), [], `${e.name} ${side}`);
                }
            }
        }
        const user = loadServiceCatalog("prod", withoutRoutes as CatalogDocuments).services[0];
        assert.strictEqual(serviceWorkloadArgs(user, prod, "services-prod", "primary").ingress, undefined);
    });
});
