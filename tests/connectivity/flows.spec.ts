import * as assert from "assert";
import { connectivityFlows, PLATFORM_FLOWS } from "../../catalog/connectivity";
import { checkConnectivity, deployerCidrsFrom } from "../../harness/connectivity/report";
import { stackServiceFlows } from "../../harness/connectivity/stack-flows";
import { loadStackConfig } from "../../harness/stack-config";
import { evaluated } from "../../harness/stacks";
import { edit, flow } from "./edit";

/** Flows waiting for a fix (each names it); none since issue 12 landed its fixes. */
const PENDING: string[] = [];

describe("connectivity flows", () => {
    // Issue 13 moved the stores' allows to each service's own flows (catalog/service-flows.ts): a pod of no
    // catalog service in a service namespace now reaches none.
    it("cover every flow of issue 12, item 2, with unique ids", () => {
        const pairs = PLATFORM_FLOWS.map((f) => `${f.source} -> ${f.destination} ${f.ports.join(",")} ${f.expect}`);
        for (const needed of [
            "deployer -> eks-api 443 allow",
            "deployer -> gke-api 443 allow",
            "gke-pods:istio-system -> eks-api 443 allow",
            "eks-pods:istio-system -> gke-api 443 allow",
            "eks-control-plane -> eks-nodes 15017,15012 allow",
            "gke-master -> gke-nodes 15017 allow",
            "eks-pods:services-* -> eastwest-gateway@gcp 15443 allow",
            "gke-pods:services-* -> eastwest-gateway@aws 15443 allow",
            "eks-pods:services-* -> aurora-writer 5432 deny",
            "eks-pods:services-* -> elasticache 6379 deny",
            "eks-pods:services-* -> msk 9098 deny",
            "dms -> aurora-writer 5432 allow",
            "msk-connect -> msk 9098 allow",
            "msk-connect -> google-apis 443 allow",
            "gke-pods:services-* -> cloudsql 5432 deny",
            "gke-pods:services-* -> memorystore 6378 deny",
            "internet -> aurora-writer 5432 deny",
            "internet -> elasticache 6379 deny",
            "internet -> msk 9094,9098,9194,9198 deny",
            "internet -> cloudsql 5432 deny",
            "internet -> memorystore 6378,6379 deny",
            "internet -> eks-api 443 deny",
            "internet -> gke-api 443 deny",
            "internet -> ingress-gateway@aws 80,443 deny",
            "internet -> ingress-gateway@gcp 80,443 deny",
            "gke-pods -> aurora-writer 5432 deny",
        ]) {
            assert.ok(pairs.includes(needed), `missing flow ${needed}`);
        }
        assert.deepStrictEqual(
            PLATFORM_FLOWS.filter((f) => f.pending).map((f) => f.id),
            PENDING,
        );
    });

    it("a caller can append flows, never reuse an id", () => {
        const extra = { ...PLATFORM_FLOWS[0], id: "svc-orders-to-aurora" };
        assert.strictEqual(connectivityFlows([extra]).at(-1), extra);
        assert.throws(
            () => connectivityFlows([PLATFORM_FLOWS[0]]),
            /^Error: connectivity flow id deployer-to-eks-api is used twice$/,
        );
    });

    for (const stack of ["dev", "prod"] as const) {
        // As `npm run plan` checks it: with the stack's deployer ranges, when it names them, and its service flows.
        const stackReport = async () =>
            checkConnectivity((await evaluated(stack)).run.resources, {
                deployerCidrs: deployerCidrsFrom(loadStackConfig(stack).config),
                extraFlows: stackServiceFlows(stack),
            });
        describe(stack, () => {
            it("every flow that is not pending meets its expectation", async () => {
                const report = await stackReport();
                const wrong = report.results
                    .filter((r) => !r.flow.pending && r.status !== "pass")
                    .map((r) => `${r.flow.id}: ${r.verdict}`);
                assert.deepStrictEqual(wrong, []);
                assert.strictEqual(report.failed, false);
            });

            it("every pending flow still fails its expectation (remove the mark once fixed)", async () => {
                const report = await stackReport();
                const passing = report.results
                    .filter((r) => r.flow.pending && r.status !== "pending")
                    .map((r) => `${r.flow.id}: ${r.verdict}`);
                assert.deepStrictEqual(passing, []);
            });

            it("a blocked allow flow names its first blocking hop", async () => {
                const resources = (await evaluated(stack)).run.resources;
                const r = flow(
                    resources.filter((x) => x.name !== "network-gcp-allow-from-control-plane"),
                    "gke-master-to-istiod-webhook",
                );
                assert.match(
                    r.verdict,
                    /^blocked at destination ingress: firewall rule network-gcp-deny-all-ingress \(priority 65534, deny\) decides tcp\/15017$/,
                );
                assert.deepStrictEqual(
                    r.hops.map((h) => [h.hop, h.allowed]),
                    [
                        ["source egress", true],
                        ["routing", true],
                        ["destination ingress", false],
                    ],
                );
            });
        });
    }

    it("reports a pending flow that now passes, without failing the plan", async () => {
        const { run } = await evaluated("prod");
        const template = PLATFORM_FLOWS.find((f) => f.id === "deployer-to-eks-api")!;
        const waiting = { ...template, id: "waiting-for-a-fix", pending: "issue 12: a fix that has landed" };
        const report = checkConnectivity(run.resources, { deployerCidrs: ["10.100.0.0/19"], extraFlows: [waiting] });
        assert.strictEqual(report.results.find((r) => r.flow.id === "waiting-for-a-fix")!.status, "pending-passes");
        assert.ok(
            report.lines.includes("          pending flow now allowed: remove its pending mark"),
            report.lines.join("\n"),
        );
        assert.strictEqual(report.failed, false);
    });

    it("a flow whose endpoint is not in the plan fails the plan, naming what is missing", async () => {
        const { run } = await evaluated("dev");
        const report = checkConnectivity(
            run.resources.filter((r) => r.type !== "gcp:databasemigrationservice/migrationJob:MigrationJob"),
        );
        const r = report.results.find((x) => x.flow.id === "dms-to-aurora")!;
        assert.strictEqual(r.status, "error");
        assert.strictEqual(r.verdict, "unresolved: no DMS migration job with VPC peering connectivity");
        assert.strictEqual(report.failed, true);
    });

    it("a deployer range from config replaces the default, inside the VPC or outside both clouds", async () => {
        const { run } = await evaluated("prod");
        assert.deepStrictEqual(
            deployerCidrsFrom({ "multicloud-platform:network": JSON.stringify({ deployerCidrs: ["10.100.0.0/24"] }) }),
            ["10.100.0.0/24"],
        );
        assert.strictEqual(deployerCidrsFrom({ "multicloud-platform:network": "{}" }), undefined);
        // Inside the VPC but outside the stack's deployer ranges: the cluster security group does not admit it.
        const inside = checkConnectivity(run.resources, { deployerCidrs: ["10.100.128.0/24"] });
        assert.match(inside.lines[0], /deployer: 10\.100\.128\.0\/24$/);
        assert.match(
            inside.results.find((r) => r.flow.id === "deployer-to-eks-api")!.verdict,
            /admits no tcp\/443 from 10\.100\.128\.0\/24;/,
        );
        // From an office range (outside both clouds) the deployer meets the API as the internet does.
        const office = checkConnectivity(run.resources, { deployerCidrs: ["203.0.113.0/24"] });
        assert.match(
            office.results.find((r) => r.flow.id === "deployer-to-eks-api")!.verdict,
            /^blocked at destination ingress: the EKS cluster security group of eks-cluster admits no tcp\/443 from 203\.0\.113\.0\/24;/,
        );
        const opened = edit(run.resources, "eks:index:Cluster", "eks-cluster", (i) => {
            i.endpointPublicAccess = true;
            i.publicAccessCidrs = ["203.0.113.0/24"];
        });
        const viaPublic = checkConnectivity(opened, { deployerCidrs: ["203.0.113.0/24"] });
        assert.strictEqual(viaPublic.results.find((r) => r.flow.id === "deployer-to-eks-api")!.verdict, "allowed");
        const elsewhere = checkConnectivity(opened, { deployerCidrs: ["198.51.100.0/24"] });
        assert.strictEqual(
            elsewhere.results.find((r) => r.flow.id === "deployer-to-eks-api")!.verdict,
            "blocked at destination ingress: eks-cluster publicAccessCidrs admits only 203.0.113.0/24, not 198.51.100.0/24",
        );
    });
});
