import * as assert from "assert";
import { GKE_NODE_TAG } from "../../harness/connectivity/endpoints-gcp";
import { firewallRules, gcpEgress, gcpIngress } from "../../harness/connectivity/gcp-firewall";
import { advertised, advertisements, exportsCustomRoutes } from "../../harness/connectivity/gcp-routing";
import { indexPlan } from "../../harness/connectivity/plan-index";
import type { RecordedResource } from "../../harness/recorder";
import { resource } from "../policy/fixtures";
import { endpoint, probe } from "./probe";

const FW = "gcp:compute/firewall:Firewall";
const NET = "projects/p/global/networks/net";

const fw = (name: string, inputs: Record<string, any>) => resource(FW, name, { network: NET, ...inputs });

const base: RecordedResource[] = [
    resource(
        "gcp:compute/subnetwork:Subnetwork",
        "nodes",
        {
            network: NET,
            ipCidrRange: "10.2.0.0/20",
            secondaryIpRanges: [{ rangeName: "pods", ipCidrRange: "10.4.0.0/14" }],
        },
        { outputs: { id: "projects/p/regions/r/subnetworks/nodes" } },
    ),
    fw("deny-all", { denies: [{ protocol: "all" }], priority: 65534, sourceRanges: ["0.0.0.0/0"] }),
    fw("from-aws", { allows: [{ protocol: "tcp", ports: ["443", "15000-15500"] }], sourceRanges: ["10.100.0.0/16"] }),
];

const node = endpoint({
    cloud: "gcp",
    cidrs: ["10.2.0.0/20"],
    gcp: { network: "net", tags: [GKE_NODE_TAG, "mesh"], serviceAccount: "nodes@p.iam" },
});
const aws = endpoint({ cloud: "aws", cidrs: ["10.100.0.0/19"] });

describe("connectivity: GCP firewall", () => {
    it("lets the first rule by priority decide, port ranges included", () => {
        const idx = indexPlan(base);
        assert.deepStrictEqual(gcpIngress(idx, probe(aws, node, 15443)), {
            hop: "destination ingress",
            allowed: true,
            reason: "firewall rule from-aws (priority 1000, allow) decides tcp/15443",
        });
        assert.deepStrictEqual(gcpIngress(idx, probe(aws, node, 8080)), {
            hop: "destination ingress",
            allowed: false,
            reason: "firewall rule deny-all (priority 65534, deny) decides tcp/8080",
        });
    });

    it("lets a deny win over an allow of the same priority", () => {
        const idx = indexPlan([
            ...base,
            fw("deny-aws-443", { denies: [{ protocol: "tcp", ports: ["443"] }], sourceRanges: ["10.100.0.0/16"] }),
        ]);
        assert.strictEqual(
            gcpIngress(idx, probe(aws, node, 443)).reason,
            "firewall rule deny-aws-443 (priority 1000, deny) decides tcp/443",
        );
    });

    it("applies a rule only to the instances its target tags or service accounts name", () => {
        const tagged = (inputs: Record<string, any>) =>
            indexPlan([fw("x", { allows: [{ protocol: "tcp" }], sourceRanges: ["10.100.0.0/16"], ...inputs })]);
        assert.strictEqual(gcpIngress(tagged({ targetTags: ["mesh"] }), probe(aws, node, 1)).allowed, true);
        assert.strictEqual(gcpIngress(tagged({ targetTags: ["db"] }), probe(aws, node, 1)).allowed, false);
        assert.strictEqual(
            gcpIngress(tagged({ targetServiceAccounts: ["nodes@p.iam"] }), probe(aws, node, 1)).allowed,
            true,
        );
        assert.strictEqual(
            gcpIngress(tagged({ targetServiceAccounts: ["other@p.iam"] }), probe(aws, node, 1)).allowed,
            false,
        );
    });

    it("denies ingress and allows egress when no rule matches (the implied rules)", () => {
        const idx = indexPlan([]);
        assert.deepStrictEqual(gcpIngress(idx, probe(aws, node, 443)), {
            hop: "destination ingress",
            allowed: false,
            reason: "no firewall rule of net admits tcp/443 from 10.100.0.0/19 (implied deny)",
        });
        assert.strictEqual(gcpEgress(idx, probe(node, aws, 443)).allowed, true);
        const denied = indexPlan([
            fw("no-egress", {
                direction: "EGRESS",
                denies: [{ protocol: "all" }],
                destinationRanges: ["10.100.0.0/16"],
            }),
        ]);
        assert.strictEqual(
            gcpEgress(denied, probe(node, aws, 443)).reason,
            "firewall rule no-egress (priority 1000, deny) decides tcp/443",
        );
    });

    it("models the rules GKE creates for a private cluster: 443 and 10250 from the control plane, no more", () => {
        const gke = resource("gcp:container/cluster:Cluster", "gke", {
            network: NET,
            subnetwork: "projects/p/regions/r/subnetworks/nodes",
            ipAllocationPolicy: { clusterSecondaryRangeName: "pods" },
            privateClusterConfig: { masterIpv4CidrBlock: "10.9.16.0/28" },
        });
        const idx = indexPlan([...base, gke]);
        assert.deepStrictEqual(
            firewallRules(idx)
                .filter((r) => r.label.endsWith("(created by GKE)"))
                .map((r) => [r.label, r.sourceRanges.join()]),
            [
                ["gke-gke-master (created by GKE)", "10.9.16.0/28"],
                ["gke-gke-vms (created by GKE)", "10.2.0.0/20"],
                ["gke-gke-all (created by GKE)", "10.4.0.0/14"],
            ],
        );
        const master = endpoint({
            cloud: "gcp",
            cidrs: ["10.9.16.0/28"],
            gcp: { network: "net", peering: "gke-peer" },
        });
        assert.strictEqual(gcpIngress(idx, probe(master, node, 443)).allowed, true);
        assert.strictEqual(gcpIngress(idx, probe(master, node, 15017)).allowed, false);
    });
});

describe("connectivity: GCP routing", () => {
    const router = (name: string, bgp: Record<string, any>) =>
        resource("gcp:compute/router:Router", name, { network: NET, bgp }, { outputs: { id: `${name}-id` } });
    const peer = (routerId: string) =>
        resource("gcp:compute/routerPeer:RouterPeer", `${routerId}-peer`, { router: routerId });

    it("reads what each Cloud Router with BGP peers advertises, by mode", () => {
        const idx = indexPlan([
            ...base,
            router("custom", { advertiseMode: "CUSTOM", advertisedIpRanges: [{ range: "10.9.0.0/20" }] }),
            router("subnets-too", {
                advertiseMode: "CUSTOM",
                advertisedGroups: ["ALL_SUBNETS"],
                advertisedIpRanges: [],
            }),
            router("default", {}),
            router("no-peers", { advertiseMode: "CUSTOM", advertisedIpRanges: [{ range: "0.0.0.0/0" }] }),
            peer("custom-id"),
            peer("subnets-too-id"),
            peer("default-id"),
        ]);
        const ads = advertisements(idx, "net");
        assert.deepStrictEqual(
            ads.map((a) => [a.router, a.mode, a.ranges.join()]),
            [
                ["custom", "CUSTOM", "10.9.0.0/20"],
                ["subnets-too", "CUSTOM", "10.2.0.0/20,10.4.0.0/14"],
                ["default", "DEFAULT", "10.2.0.0/20,10.4.0.0/14"],
            ],
        );
        assert.strictEqual(
            advertised(ads.slice(0, 1), "10.9.16.0/28"),
            undefined,
            "the master /28 is outside 10.9.0.0/20",
        );
        assert.strictEqual(advertised(ads, "10.9.0.0/24")?.router, "custom");
    });

    it("finds the routes config of a peering by name, or by the resource that makes the peering", () => {
        const place = { network: "net", peering: "gke-out", peeringLabel: "the GKE peering", peeringOwner: "urn:gke" };
        const config = (inputs: Record<string, any>, deps: string[] = []) =>
            resource(
                "gcp:compute/networkPeeringRoutesConfig:NetworkPeeringRoutesConfig",
                "routes",
                { network: "net", ...inputs },
                { propertyDependencies: { peering: deps } },
            );
        assert.deepStrictEqual(exportsCustomRoutes(indexPlan([]), place), {
            ok: false,
            reason: "no NetworkPeeringRoutesConfig exports custom routes on the GKE peering (gke-out)",
        });
        assert.strictEqual(
            exportsCustomRoutes(indexPlan([config({ peering: "gke-out", exportCustomRoutes: true })]), place).ok,
            true,
        );
        assert.strictEqual(
            exportsCustomRoutes(
                indexPlan([config({ peering: "unknown-yet", exportCustomRoutes: true }, ["urn:gke"])]),
                place,
            ).ok,
            true,
        );
        assert.deepStrictEqual(
            exportsCustomRoutes(indexPlan([config({ peering: "gke-out", exportCustomRoutes: false })]), place),
            {
                ok: false,
                reason: "routes has exportCustomRoutes: false on the GKE peering",
            },
        );
    });
});
