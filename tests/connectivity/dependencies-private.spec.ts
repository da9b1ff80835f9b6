/**
 * The private paths issue 12 opened, each with the one thing it depends on: the EKS cluster group's 443
 * rules, GKE's authorized networks, the master range advertised and exported, the 15017 firewall rule,
 * the namespaces' egress to their data stores and the nodes wearing the app group. Take it away on the
 * real prod plan and the flow is blocked at the hop that names it; for the deny flows, open it and the
 * plan fails.
 */
import * as assert from "assert";
import { checkConnectivity } from "../../harness/connectivity/report";
import type { RecordedResource } from "../../harness/recorder";
import { evaluated } from "../../harness/stacks";
import { edit, without } from "./edit";

/** Prod's `network.deployerCidrs`, as `npm run plan` passes them. */
const DEPLOYERS = { deployerCidrs: ["10.100.0.0/19"] };

async function prod(): Promise<readonly RecordedResource[]> {
    return (await evaluated("prod")).run.resources;
}

function verdict(resources: readonly RecordedResource[], id: string): { status: string; verdict: string } {
    const r = checkConnectivity(resources, DEPLOYERS).results.find((x) => x.flow.id === id);
    assert.ok(r, `no flow ${id}`);
    return { status: r.status, verdict: r.verdict };
}

const NAMESPACE_DATA_POLICY = (cloud: string) => (r: RecordedResource) =>
    r.name.startsWith(`namespaces-${cloud}-`) && r.name.endsWith("-allow-data-stores");

describe("connectivity: the private paths and what each depends on", () => {
    it("deployer-to-eks-api: the cluster group's 443 rule from the deployer ranges", async () => {
        const r = verdict(
            without(await prod(), (x) => x.name === "eks-api-from-10-100-0-0-19"),
            "deployer-to-eks-api",
        );
        assert.strictEqual(r.status, "fail");
        assert.match(
            r.verdict,
            /^blocked at destination ingress: the EKS cluster security group of eks-cluster admits no tcp\/443 from 10\.100\.0\.0\/19;/,
        );
    });

    it("gke-istiod-to-eks-api: the cluster group's 443 rule from the GKE pod range", async () => {
        const r = verdict(
            without(await prod(), (x) => x.name === "eks-api-from-10-104-0-0-14"),
            "gke-istiod-to-eks-api",
        );
        assert.match(
            r.verdict,
            /^blocked at destination ingress: the EKS cluster security group of eks-cluster admits no tcp\/443 from 10\.104\.0\.0\/14;/,
        );
    });

    it("deployer-to-gke-api: the deployer range in master authorized networks", async () => {
        const changed = edit(await prod(), "gcp:container/cluster:Cluster", "gke-cluster", (i) => {
            const blocks = i.masterAuthorizedNetworksConfig.cidrBlocks;
            i.masterAuthorizedNetworksConfig.cidrBlocks = blocks.filter((b: any) => b.cidrBlock !== "10.100.0.0/19");
        });
        assert.strictEqual(
            verdict(changed, "deployer-to-gke-api").verdict,
            "blocked at destination ingress: gke-cluster masterAuthorizedNetworksConfig admits only 10.100.32.0/19, 10.100.64.0/19, not 10.100.0.0/19",
        );
    });

    it("deployer-to-gke-api: the Cloud Router advertising the master range to AWS", async () => {
        const changed = edit(await prod(), "gcp:compute/router:Router", "vpn-router", (i) => {
            i.bgp.advertisedIpRanges = i.bgp.advertisedIpRanges.filter((a: any) => a.range !== "10.109.16.0/28");
        });
        assert.match(
            verdict(changed, "deployer-to-gke-api").verdict,
            /^blocked at routing: no Cloud Router advertises 10\.109\.16\.0\/28 to AWS; vpn-router \(CUSTOM\): /,
        );
    });

    it("eks-istiod-to-gke-api: the control-plane peering exporting the VPN routes", async () => {
        const changed = without(await prod(), (x) => x.name === "gke-control-plane-routes");
        assert.match(
            verdict(changed, "eks-istiod-to-gke-api").verdict,
            /^blocked at routing: no NetworkPeeringRoutesConfig exports custom routes on the GKE control-plane peering \(.+\), so GKE API of gke-cluster has no route to 10\.100\.0\.0\/19$/,
        );
    });

    it("eks-istiod-to-gke-api: the EKS subnets in master authorized networks", async () => {
        const changed = edit(await prod(), "gcp:container/cluster:Cluster", "gke-cluster", (i) => {
            const blocks = i.masterAuthorizedNetworksConfig.cidrBlocks;
            i.masterAuthorizedNetworksConfig.cidrBlocks = blocks.filter((b: any) => b.cidrBlock === "10.100.0.0/19");
        });
        assert.match(
            verdict(changed, "eks-istiod-to-gke-api").verdict,
            /^blocked at destination ingress: gke-cluster masterAuthorizedNetworksConfig admits only 10\.100\.0\.0\/19, not 10\.100\.32\.0\/19$/,
        );
    });

    it("gke-master-to-istiod-webhook: the 15017 rule from the master range", async () => {
        const changed = without(await prod(), (x) => x.name === "network-gcp-allow-from-control-plane");
        assert.strictEqual(
            verdict(changed, "gke-master-to-istiod-webhook").verdict,
            "blocked at destination ingress: firewall rule network-gcp-deny-all-ingress (priority 65534, deny) decides tcp/15017",
        );
    });

    for (const [id, port] of [
        ["eks-services-to-aurora", 5432],
        ["eks-services-to-elasticache", 6379],
        ["eks-services-to-msk", 9098],
    ] as const) {
        it(`${id}: the namespaces' egress to the data subnets`, async () => {
            const changed = without(await prod(), NAMESPACE_DATA_POLICY("aws"));
            assert.match(
                verdict(changed, id).verdict,
                new RegExp(
                    `^blocked at source egress: NetworkPolicies of services-dev on eks \\(.*\\) isolate egress and none allows tcp/${port} to 10\\.100\\.128\\.0/21$`,
                ),
            );
        });
    }

    it("eks-services-to-aurora: the nodes wearing the app group the data tier admits", async () => {
        let changed = await prod();
        for (const lt of ["eks-system", "eks-workload-on-demand", "eks-workload-spot"]) {
            changed = edit(changed, "aws:ec2/launchTemplate:LaunchTemplate", lt, (i) => {
                i.vpcSecurityGroupIds = i.vpcSecurityGroupIds.filter(
                    (g: string) => !g.startsWith("network-primary-app"),
                );
            });
        }
        assert.match(
            verdict(changed, "eks-services-to-aurora").verdict,
            /^blocked at destination ingress: security group aurora-primary admits no tcp\/5432 from /,
        );
    });

    for (const [id, port] of [
        ["gke-services-to-cloudsql", 5432],
        ["gke-services-to-memorystore", 6378],
    ] as const) {
        it(`${id}: the namespaces' egress to the private services range`, async () => {
            const changed = without(await prod(), NAMESPACE_DATA_POLICY("gcp"));
            assert.match(
                verdict(changed, id).verdict,
                new RegExp(
                    `^blocked at source egress: NetworkPolicies of services-dev on gke \\(.*\\) isolate egress and none allows tcp/${port} to 10\\.109\\.0\\.0/20$`,
                ),
            );
        });
    }

    for (const cloud of ["aws", "gcp"]) {
        it(`internet-to-ingress-gateway-${cloud}: an ingress gateway without its internal annotation is open`, async () => {
            const changed = edit(
                await prod(),
                "kubernetes:helm.sh/v3:Release",
                `istio-${cloud}-ingress-gateway`,
                (i) => {
                    i.values.service.annotations = {};
                },
            );
            const report = checkConnectivity(changed, DEPLOYERS);
            const r = report.results.find((x) => x.flow.id === `internet-to-ingress-gateway-${cloud}`)!;
            assert.deepStrictEqual([r.status, r.verdict], ["fail", "allowed"]);
            assert.strictEqual(report.failed, true);
        });
    }

    it("gke-pods-to-aurora: a rule admitting the GKE pod range on Aurora opens it and fails the plan", async () => {
        const resources = await prod();
        const template = resources.find((x) => x.name === "aurora-primary-cidr-0")!;
        const rule = {
            ...template,
            urn: `${template.urn}-gke-pods`,
            name: "aurora-from-gke-pods",
            inputs: { ...template.inputs, cidrIpv4: "10.104.0.0/14" },
        };
        const report = checkConnectivity([...resources, rule], DEPLOYERS);
        const r = report.results.find((x) => x.flow.id === "gke-pods-to-aurora")!;
        assert.deepStrictEqual([r.status, r.verdict], ["fail", "allowed"]);
        assert.strictEqual(report.failed, true);
    });

    it("internet-to-memorystore: Memorystore has no public endpoint to open, even on a network open to all", async () => {
        const resources = await prod();
        const deny = resources.find((x) => x.name === "network-gcp-deny-all-ingress")!;
        const allowAll = {
            ...deny,
            urn: `${deny.urn}-open`,
            name: "allow-all",
            inputs: { ...deny.inputs, priority: 0 },
        };
        delete (allowAll.inputs as Record<string, unknown>).denies;
        (allowAll.inputs as Record<string, unknown>).allows = [{ protocol: "all" }];
        assert.strictEqual(
            verdict([...resources, allowAll], "internet-to-memorystore").verdict,
            "blocked at exposure: dr-sessions-redis has no public endpoint (Memorystore is private)",
        );
    });
});
