/**
 * The private paths issue 12 opened, each with the one thing it depends on: the EKS cluster group's 443
 * rules, GKE's authorized networks, the master range advertised and exported, the 15017 firewall rule,
 * the namespaces' egress to their data stores and the nodes wearing the app group. Take it away on the
 * real prod plan and the flow is blocked at the hop that names it; for the deny flows, open it and the
 * plan fails.
 */
import * as assert from "assert";
import { checkConnectivity } from "../../harness/connectivity/report";
import { stackServiceFlows } from "../../harness/connectivity/stack-flows";
import type { RecordedResource } from "../../harness/recorder";
import { evaluated } from "../../harness/stacks";
import { edit, without } from "./edit";

/** Prod's `network.deployerCidrs` and its service flows, as `npm run plan` passes them. */
const DEPLOYERS = { deployerCidrs: ["10.100.0.0/19"], extraFlows: stackServiceFlows("prod") };

async function prod(): Promise<readonly RecordedResource[]> {
    return (await evaluated("prod")).run.resources;
}

function verdict(resources: readonly RecordedResource[], id: string): { status: string; verdict: string } {
    const r = checkConnectivity(resources, DEPLOYERS).results.find((x) => x.flow.id === id);
    assert.ok(r, `no flow ${id}`);
    return { status: r.status, verdict: r.verdict };
}

const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

/** The plan with one service's NetworkPolicy on one cluster losing its one egress rule on `port` (to `cidr`). */
async function withoutEgressRule(cloud: "aws" | "gcp", service: string, port: number, cidr?: string) {
    const hit = (r: any) =>
        r.ports.some((p: any) => p.port === port) && (!cidr || r.to.some((t: any) => t.ipBlock?.cidr === cidr));
    return edit(await prod(), NETPOL, `services-${cloud}-${service}-netpol`, (i) => {
        assert.strictEqual(i.spec.egress.filter(hit).length, 1, `one egress rule on ${port}`);
        i.spec.egress = i.spec.egress.filter((r: any) => !hit(r));
    });
}

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

    for (const [service, id, port] of [
        ["user", "svc-user-to-aurora", 5432],
        ["user", "svc-user-to-elasticache", 6379],
        ["order", "svc-order-to-msk", 9098],
    ] as const) {
        it(`${id}: ${service}'s own egress rule to the data subnets`, async () => {
            assert.strictEqual(verdict(await prod(), id).status, "pass");
            const changed = await withoutEgressRule("aws", service, port);
            const r = verdict(changed, id);
            assert.strictEqual(r.status, "fail");
            assert.match(
                r.verdict,
                new RegExp(
                    `^blocked at source egress: NetworkPolicies of services-prod on eks \\(.*, ${service}\\) isolate egress and none allows tcp/${port} to 10\\.100\\.128\\.0/21$`,
                ),
            );
        });
    }

    it("svc-payment-to-sqs: payment's own egress rule to public addresses on 443", async () => {
        // Prod has two rules on 443: the interface endpoints' subnets (STS, Secrets Manager) and public addresses.
        const changed = await withoutEgressRule("aws", "payment", 443, "1.0.0.0/8");
        assert.strictEqual(verdict(await prod(), "svc-payment-to-sqs").status, "pass");
        assert.strictEqual(verdict(changed, "svc-payment-to-sts").status, "pass");
        assert.match(
            verdict(changed, "svc-payment-to-sqs").verdict,
            /^blocked at source egress: NetworkPolicies of services-prod on eks \(.*, payment\) isolate egress and none allows tcp\/443 to 0\.0\.0\.0\/0$/,
        );
    });

    it("svc-user-to-aurora: the nodes wearing the app group the data tier admits", async () => {
        let changed = await prod();
        for (const lt of ["eks-system", "eks-workload-on-demand", "eks-workload-spot"]) {
            changed = edit(changed, "aws:ec2/launchTemplate:LaunchTemplate", lt, (i) => {
                i.vpcSecurityGroupIds = i.vpcSecurityGroupIds.filter(
                    (g: string) => !g.startsWith("network-primary-app"),
                );
            });
        }
        assert.match(
            verdict(changed, "svc-user-to-aurora").verdict,
            /^blocked at destination ingress: security group aurora-primary admits no tcp\/5432 from /,
        );
    });

    for (const [id, port] of [
        ["svc-user-dr-to-cloudsql", 5432],
        ["svc-user-dr-to-memorystore", 6378],
    ] as const) {
        it(`${id}: user's own egress rule to the private services range`, async () => {
            const changed = await withoutEgressRule("gcp", "user", port);
            assert.match(
                verdict(changed, id).verdict,
                new RegExp(
                    `^blocked at source egress: NetworkPolicies of services-prod on gke \\(.*, user\\) isolate egress and none allows tcp/${port} to 10\\.109\\.0\\.0/20$`,
                ),
            );
        });
    }

    it("eks-unlisted-pods-to-aurora: a namespace-wide allow to the data subnets opens it and fails the plan", async () => {
        const resources = await prod();
        const template = resources.find((x) => x.name === "namespaces-aws-services-prod-allow-dns")!;
        const wide = {
            ...template,
            urn: `${template.urn}-data`,
            name: "namespaces-aws-services-prod-allow-data-stores",
            inputs: {
                metadata: { name: "allow-data-stores", namespace: "services-prod" },
                spec: {
                    podSelector: {},
                    policyTypes: ["Egress"],
                    egress: [
                        { to: [{ ipBlock: { cidr: "10.100.128.0/17" } }], ports: [{ protocol: "TCP", port: 5432 }] },
                    ],
                },
            },
        };
        const report = checkConnectivity([...resources, wide], DEPLOYERS);
        const r = report.results.find((x) => x.flow.id === "eks-unlisted-pods-to-aurora")!;
        // The flow matches every services-* namespace; services-prod is now open.
        assert.deepStrictEqual([r.status, r.verdict], ["fail", "allowed"]);
        assert.strictEqual(report.failed, true);
        // payment does not use Aurora: the namespace-wide allow opens it for payment too.
        assert.strictEqual(report.results.find((x) => x.flow.id === "svc-payment-no-aurora")!.status, "fail");
    });

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
