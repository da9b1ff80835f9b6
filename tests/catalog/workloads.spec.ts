/** The pure mapping from a catalog entry to the ServiceWorkload of each side (catalog/workloads.ts). */
import * as assert from "assert";
import { loadServiceCatalog } from "../../catalog/load";
import { publicIpv4Blocks } from "../../catalog/service-egress";
import { INGRESS_GATEWAY, serviceWorkloadArgs, type ServiceEgressRanges } from "../../catalog/workloads";
import type { CatalogDocuments } from "../../catalog/validate";
import { serviceWorkloadProblems } from "../../components/catalog";
import { repositoryDocs, shippingEntry, withShipping } from "./fixture";

const prod = loadServiceCatalog("prod");
const entry = (name: string, catalog = prod) => catalog.services.find((s) => s.name === name)!;

/** Prod's ranges (program/layers/services.ts builds them from the context). */
const DATA = ["10.100.128.0/21", "10.100.136.0/21", "10.100.144.0/21"];
const APP = ["10.100.0.0/19", "10.100.32.0/19", "10.100.64.0/19"];
const RANGES: ServiceEgressRanges = {
    awsDataStores: DATA,
    gcpPrivateServices: ["10.109.0.0/20"],
    interfaceEndpoints: ["sts", "ecr.api", "ecr.dkr", "secretsmanager", "kms", "logs"],
    interfaceEndpointCidrs: APP,
};
const PUBLIC = publicIpv4Blocks();

describe("catalog -> ServiceWorkloadArgs", () => {
    it("maps order on the primary side: image, port, probes, resources, scaling, callees, canary", () => {
        assert.deepStrictEqual(serviceWorkloadArgs(entry("order"), prod, "services-prod", "primary", RANGES), {
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
            dataStores: [
                { store: "aurora", cidrs: DATA, ports: [5432] },
                { store: "elasticache", cidrs: DATA, ports: [6379] },
                { store: "msk", cidrs: DATA, ports: [9098] },
                { store: "aws-apis (secretsmanager, sts)", cidrs: APP, ports: [443] },
                { store: "aws-apis (sqs, sns, events)", cidrs: PUBLIC, ports: [443] },
            ],
            // prod's override: 10% to the canary, which runs the release under test under its own version label.
            canary: { image: entry("order").canaryImage, version: "canary", stableWeight: 90, canaryWeight: 10 },
        });
    });

    it("admits as callers exactly the entries whose calls list the service", () => {
        const user = serviceWorkloadArgs(entry("user"), prod, "services-prod", "primary", RANGES);
        assert.deepStrictEqual(user.callers, [{ name: "order", namespace: "services-prod" }]);
        assert.deepStrictEqual(user.callees, []);
        assert.strictEqual(user.canary, undefined);
        assert.strictEqual(user.replicas, undefined);
    });

    it("the DR side takes the replica floor from the posture (cold 0, warm N) and runs no canary", () => {
        const dr = (name: string) => serviceWorkloadArgs(entry(name), prod, "services-prod", "dr", RANGES);
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
        const order = serviceWorkloadArgs(entry("order", dev), dev, "services-dev", "primary", RANGES);
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
                    const args = serviceWorkloadArgs(e, catalog, "services-prod", side, RANGES);
                    assert.deepStrictEqual(serviceWorkloadProblems(args), [], `${e.name} ${side}`);
                }
            }
        }
        const user = loadServiceCatalog("prod", withoutRoutes as CatalogDocuments).services[0];
        assert.strictEqual(serviceWorkloadArgs(user, prod, "services-prod", "primary", RANGES).ingress, undefined);
    });

    describe("egress: exactly the entry's stores and APIs", () => {
        const primary = (name: string, ranges = RANGES) =>
            serviceWorkloadArgs(entry(name), prod, "services-prod", "primary", ranges).dataStores ?? [];
        const dr = (name: string) =>
            serviceWorkloadArgs(entry(name), prod, "services-prod", "dr", RANGES).dataStores ?? [];

        it("product: its own RDS instance on the MySQL port, the cache, and SQS at public addresses", () => {
            assert.deepStrictEqual(primary("product"), [
                { store: "rds-product", cidrs: DATA, ports: [3306] },
                { store: "elasticache", cidrs: DATA, ports: [6379] },
                { store: "aws-apis (secretsmanager, sts)", cidrs: APP, ports: [443] },
                { store: "aws-apis (sqs)", cidrs: PUBLIC, ports: [443] },
            ]);
        });

        it("payment: no Aurora and no cache; DynamoDB, SQS, SNS and EventBridge at public addresses", () => {
            assert.deepStrictEqual(primary("payment"), [
                { store: "msk", cidrs: DATA, ports: [9098] },
                { store: "aws-apis (sts)", cidrs: APP, ports: [443] },
                { store: "aws-apis (dynamodb, sqs, sns, events)", cidrs: PUBLIC, ports: [443] },
            ]);
        });

        it("without interface endpoints (dev) every AWS API is reached at public addresses", () => {
            const dev = { ...RANGES, interfaceEndpoints: [], interfaceEndpointCidrs: [] };
            assert.deepStrictEqual(primary("user", dev).at(-1), {
                store: "aws-apis (sqs, sns, events, secretsmanager, sts)",
                cidrs: PUBLIC,
                ports: [443],
            });
            assert.strictEqual(primary("user", dev).filter((s) => s.store.startsWith("aws-apis")).length, 1);
        });

        it("an entry whose every API has an interface endpoint opens no public address", () => {
            const docs = repositoryDocs("prod");
            docs.services.services.push({
                ...shippingEntry(),
                store: { kind: "aurora-database" },
                cache: { keyPrefix: "shipping:" },
                publishes: {},
                subscribes: {},
            });
            const quiet = loadServiceCatalog("prod", docs as CatalogDocuments).services.at(-1)!;
            const args = serviceWorkloadArgs(quiet, prod, "services-prod", "primary", RANGES);
            assert.deepStrictEqual(args.dataStores, [
                { store: "aurora", cidrs: DATA, ports: [5432] },
                { store: "elasticache", cidrs: DATA, ports: [6379] },
                { store: "aws-apis (secretsmanager, sts)", cidrs: APP, ports: [443] },
            ]);
        });

        it("the DR side: Cloud SQL and Memorystore (TLS) in the private services range, Google APIs, the metadata server", () => {
            const metadata = [
                { store: "gke-metadata-server", cidrs: ["169.254.169.254/32"], ports: [80] },
                { store: "gke-metadata-server (redirected)", cidrs: ["169.254.169.252/32"], ports: [988] },
            ];
            assert.deepStrictEqual(dr("user"), [
                { store: "cloudsql", cidrs: ["10.109.0.0/20"], ports: [5432] },
                { store: "memorystore", cidrs: ["10.109.0.0/20"], ports: [6378] },
                { store: "google-apis", cidrs: PUBLIC, ports: [443] },
                ...metadata,
            ]);
            assert.deepStrictEqual(dr("payment"), [{ store: "google-apis", cidrs: PUBLIC, ports: [443] }, ...metadata]);
            // On EKS the same address is the EC2 instance metadata service: never opened there.
            const primaryCidrs = ["user", "product", "order", "payment"].flatMap((n) =>
                primary(n).flatMap((s) => s.cidrs),
            );
            assert.ok(!primaryCidrs.some((c) => c.startsWith("169.254.")), primaryCidrs.join(" "));
        });
    });
});
