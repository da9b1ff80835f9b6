/**
 * The fixes the pending flows wait for, applied to the real plan the way issue 12 describes them: each
 * turns its flow, so the engine recognises the fix when it lands (and the plan asks for the pending
 * mark to go).
 */
import * as assert from "assert";
import type { RecordedResource } from "../../harness/recorder";
import { evaluated } from "../../harness/stacks";
import { edit, flow, without } from "./edit";

async function prod(): Promise<readonly RecordedResource[]> {
    return (await evaluated("prod")).run.resources;
}

describe("connectivity: pending flows turn when their fix lands", () => {
    it("internal ingress gateways without port 80 close both internet flows", async () => {
        let changed = edit(await prod(), "kubernetes:helm.sh/v3:Release", "istio-aws-ingress-gateway", (i) => {
            i.values.service.annotations = { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" };
            i.values.service.ports = [{ name: "https", port: 443 }];
        });
        changed = edit(changed, "kubernetes:helm.sh/v3:Release", "istio-gcp-ingress-gateway", (i) => {
            i.values.service.annotations = { "networking.gke.io/load-balancer-type": "Internal" };
            i.values.service.ports = [{ name: "https", port: 443 }];
        });
        for (const cloud of ["aws", "gcp"]) {
            const r = flow(changed, `internet-to-ingress-gateway-${cloud}`);
            assert.strictEqual(r.status, "pending-passes");
            assert.match(
                r.verdict,
                /^blocked at (destination ingress: istio-\w+-ingress-gateway listens on 443|exposure)/,
            );
        }
    });

    it("Aurora admitting the DMS range only closes gke-pods-to-aurora and keeps dms-to-aurora", async () => {
        const changed = without(await prod(), (r) =>
            [
                "aurora-primary-cidr-0",
                "aurora-primary-cidr-1",
                "aurora-primary-cidr-2",
                "aurora-primary-cidr-3",
            ].includes(r.name),
        );
        const gke = flow(changed, "gke-pods-to-aurora");
        assert.strictEqual(gke.status, "pending-passes");
        assert.match(
            gke.verdict,
            /^blocked at destination ingress: security group aurora-primary admits no tcp\/5432 from 10\.104\.0\.0\/14;/,
        );
        assert.strictEqual(flow(changed, "dms-to-aurora").status, "pass");
    });

    it("a 15017 rule from the master range to the nodes' tag opens the GKE webhook", async () => {
        const resources = await prod();
        let changed = edit(resources, "gcp:container/cluster:Cluster", "gke-cluster", (i) => {
            i.nodePoolAutoConfig = { networkTags: { tags: ["gke-nodes"] } };
        });
        const firewall = resources.find((r) => r.name === "network-gcp-allow-from-peer")!;
        changed = [
            ...changed,
            {
                ...firewall,
                urn: `${firewall.urn}-webhook`,
                name: "network-gcp-allow-master-webhook",
                inputs: {
                    network: firewall.inputs.network,
                    direction: "INGRESS",
                    priority: 1000,
                    allows: [{ protocol: "tcp", ports: ["15017"] }],
                    sourceRanges: ["10.109.16.0/28"],
                    targetTags: ["gke-nodes"],
                },
            },
        ];
        assert.strictEqual(flow(changed, "gke-master-to-istiod-webhook").status, "pending-passes");
        // Aimed at a tag the nodes do not carry, the same rule does nothing.
        const elsewhere = edit(changed, "gcp:container/cluster:Cluster", "gke-cluster", (i) => {
            i.nodePoolAutoConfig = { networkTags: { tags: ["other"] } };
        });
        assert.strictEqual(flow(elsewhere, "gke-master-to-istiod-webhook").status, "pending");
    });

    it("the GKE private endpoint needs the master range routed, advertised and exported", async () => {
        const resources = await prod();
        const gke = resources.find((r) => r.type === "gcp:container/cluster:Cluster")!;
        let changed = edit(resources, "gcp:container/cluster:Cluster", "gke-cluster", (i) => {
            i.privateClusterConfig.enablePrivateEndpoint = true;
        });
        assert.strictEqual(
            flow(changed, "deployer-to-gke-api").verdict,
            "blocked at routing: route table rtb-network-primary-vpc-private-0 sends it to nat (network-primary-vpc private subnet default route (awsx)) for 10.109.16.0/28: no route to the Transit Gateway",
        );
        changed = edit(changed, "aws:ec2/managedPrefixList:ManagedPrefixList", "vpn-gcp-ranges", (i) => {
            i.entries.push({ cidr: "10.109.16.0/28" });
        });
        assert.match(
            flow(changed, "deployer-to-gke-api").verdict,
            /^blocked at routing: no Cloud Router advertises 10\.109\.16\.0\/28 to AWS;/,
        );
        changed = edit(changed, "gcp:compute/router:Router", "vpn-router", (i) => {
            i.bgp.advertisedIpRanges.push({ range: "10.109.16.0/28" });
        });
        assert.strictEqual(
            flow(changed, "deployer-to-gke-api").verdict,
            "blocked at routing: no NetworkPeeringRoutesConfig exports custom routes on the GKE control-plane peering (gke-cluster:privateClusterConfig.peeringName), so GKE API of gke-cluster has no route to 10.100.0.0/19",
        );
        const routes = resources.find(
            (r) => r.name === "network-gcp-private-services" && r.type.endsWith("RoutesConfig"),
        )!;
        changed = [
            ...changed,
            {
                ...routes,
                urn: `${routes.urn}-gke`,
                name: "gke-control-plane-routes",
                inputs: { ...routes.inputs, peering: "gke-n1-peer" },
                // The peering name is the cluster's output: the dependency says whose peering it is.
                propertyDependencies: { peering: [gke.urn] },
            },
        ];
        const r = flow(changed, "deployer-to-gke-api");
        assert.strictEqual(r.status, "pending-passes");
        assert.strictEqual(
            r.hops[2].reason,
            "gke-cluster masterAuthorizedNetworksConfig lists 10.100.0.0/16; behind the GKE control-plane peering: the platform's firewall does not apply",
        );
    });
});
