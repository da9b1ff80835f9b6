/**
 * Each flow that passes today depends on something in the plan: take that one thing away (or, for a
 * `deny` flow, open it) on the real plan and the verdict changes, naming the hop and the resource.
 */
import * as assert from "assert";
import { checkConnectivity } from "../../harness/connectivity/report";
import type { RecordedResource } from "../../harness/recorder";
import { evaluated } from "../../harness/stacks";
import { edit, flow, SG_INGRESS, without } from "./edit";

const NP = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

async function prod(): Promise<readonly RecordedResource[]> {
    return (await evaluated("prod")).run.resources;
}

/** The mock id of a security group of the prod plan, by name. */
async function groupId(name: string): Promise<string> {
    return (await prod()).find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup" && r.name === name)!.outputs.id;
}

/** The prod stack's deployer ranges, as `npm run plan` reads them. */
const PROD_DEPLOYERS = { deployerCidrs: ["10.100.0.0/19"] };

/** An ingress rule from anywhere on a security group, as someone opening a data store would add it. */
function openToInternet(resources: readonly RecordedResource[], group: string, port: number): RecordedResource[] {
    const template = resources.find((r) => r.type === SG_INGRESS)!;
    const sg = resources.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup" && r.name === group)!;
    const rule = {
        ...template,
        urn: `${template.urn}-open`,
        name: `${group}-from-anywhere`,
        inputs: {
            securityGroupId: sg.outputs.id,
            cidrIpv4: "0.0.0.0/0",
            ipProtocol: "tcp",
            fromPort: port,
            toPort: port,
        },
    };
    return [...resources, rule];
}

describe("connectivity: each passing flow names what it depends on", () => {
    it("eks-control-plane-to-istiod: nodes that stop wearing the cluster security group", async () => {
        let changed = await prod();
        const app = await groupId("network-primary-app");
        for (const lt of ["eks-system", "eks-workload-on-demand", "eks-workload-spot"]) {
            changed = edit(changed, "aws:ec2/launchTemplate:LaunchTemplate", lt, (i) => {
                i.vpcSecurityGroupIds = [app];
            });
        }
        const r = flow(changed, "eks-control-plane-to-istiod");
        assert.match(
            r.verdict,
            /^blocked at destination ingress: security group network-primary-app admits no tcp\/15017 from 10\.100\.0\.0\/19;/,
        );
    });

    it("eks-pods-to-gcp-eastwest: the Cloud Router no longer advertising the GKE node range", async () => {
        const changed = edit(await prod(), "gcp:compute/router:Router", "vpn-router", (i) => {
            i.bgp.advertisedIpRanges = i.bgp.advertisedIpRanges.filter((a: any) => a.range !== "10.102.0.0/20");
        });
        const r = flow(changed, "eks-pods-to-gcp-eastwest");
        assert.match(
            r.verdict,
            /^blocked at routing: no Cloud Router advertises 10\.102\.0\.0\/20 to AWS; vpn-router \(CUSTOM\): /,
        );
    });

    it("eks-pods-to-gcp-eastwest: the private route tables losing their route to the Transit Gateway", async () => {
        const changed = without(await prod(), (r) => ["vpn-to-gcp-3", "vpn-to-gcp-4", "vpn-to-gcp-5"].includes(r.name));
        assert.strictEqual(
            flow(changed, "eks-pods-to-gcp-eastwest").verdict,
            "blocked at routing: route table rtb-network-primary-vpc-private-0 sends it to nat (network-primary-vpc private subnet default route (awsx)) for 10.102.0.0/20: no route to the Transit Gateway",
        );
    });

    it("gke-pods-to-aws-eastwest: the namespaces' mesh-peer egress policy", async () => {
        const changed = without(
            await prod(),
            (r) => r.type === NP && r.name.startsWith("namespaces-gcp-") && r.name.endsWith("-allow-mesh-peers"),
        );
        assert.match(
            flow(changed, "gke-pods-to-aws-eastwest").verdict,
            /^blocked at source egress: NetworkPolicies of services-dev on gke \(.*\) isolate egress and none allows tcp\/15443 to 10\.100\.0\.0\/19$/,
        );
    });

    it("gke-pods-to-aws-eastwest: the gateway Service's source ranges and the app group's peer rule", async () => {
        // Two paths admit it: the NLB's rule on the cluster group (0.0.0.0/0 by default) and the app group
        // the nodes wear; both must go.
        const narrowed = edit(await prod(), "kubernetes:helm.sh/v3:Release", "istio-aws-eastwest-gateway", (i) => {
            i.values.service.loadBalancerSourceRanges = ["10.100.0.0/16"];
        });
        assert.strictEqual(flow(narrowed, "gke-pods-to-aws-eastwest").verdict, "allowed");
        const changed = without(narrowed, (r) => r.name === "network-primary-app-15443-from-peer-2");
        assert.match(
            flow(changed, "gke-pods-to-aws-eastwest").verdict,
            /^blocked at destination ingress: .*admits no tcp\/15443 from 10\.104\.0\.0\/14/,
        );
    });

    it("dms-to-aurora: the Aurora rule for the private services range", async () => {
        const changed = without(await prod(), (r) => r.name === "aurora-primary-cidr-0");
        assert.match(
            flow(changed, "dms-to-aurora").verdict,
            /^blocked at destination ingress: security group aurora-primary admits no tcp\/5432 from 10\.109\.0\.0\/20;/,
        );
    });

    it("dms-to-aurora: the private services peering exporting the VPN routes", async () => {
        const changed = edit(
            await prod(),
            "gcp:compute/networkPeeringRoutesConfig:NetworkPeeringRoutesConfig",
            "network-gcp-private-services",
            (i) => {
                i.exportCustomRoutes = false;
            },
        );
        assert.strictEqual(
            flow(changed, "dms-to-aurora").verdict,
            "blocked at routing: network-gcp-private-services has exportCustomRoutes: false on the private services peering, so DMS job dr-postgres-job has no route to 10.100.128.0/21",
        );
    });

    it("msk-connect-to-msk: the brokers' rule for the workers' security group", async () => {
        const changed = without(await prod(), (r) => r.name === "kafka-9098-from-sg-0");
        assert.match(
            flow(changed, "msk-connect-to-msk").verdict,
            /^blocked at destination ingress: security group kafka-brokers admits no tcp\/9098 from 10\.100\.0\.0\/19$/,
        );
    });

    it("msk-connect-to-google-apis: the NAT gateways of the VPC", async () => {
        const changed = edit(await prod(), "awsx:ec2:Vpc", "network-primary-vpc", (i) => {
            i.natGateways = { strategy: "None" };
        });
        assert.strictEqual(
            flow(changed, "msk-connect-to-google-apis").verdict,
            "blocked at routing: route table rtb-network-primary-vpc-private-0 has no route to the internet (NAT or internet gateway)",
        );
    });

    it("msk-connect-to-google-apis: the workers' egress rule", async () => {
        const changed = without(await prod(), (r) => r.name === "network-primary-app-egress");
        assert.strictEqual(
            flow(changed, "msk-connect-to-google-apis").verdict,
            "blocked at source egress: security group network-primary-app allow no tcp/443 to 0.0.0.0/0",
        );
    });
});

describe("connectivity: deny flows open when their guard goes", () => {
    it("Aurora open to 0.0.0.0/0 fails the plan once it is also publicly accessible", async () => {
        const rule = openToInternet(await prod(), "aurora-primary", 5432);
        // The rule alone is not enough: the instances have no public address.
        assert.strictEqual(
            flow(rule, "internet-to-aurora-writer").verdict,
            "blocked at exposure: aurora-primary has no public endpoint (publiclyAccessible: false on every instance of aurora-primary)",
        );
        // It still fails the plan: 0.0.0.0/0 includes the GKE pod range, whose path to Aurora is denied.
        const ruleOnly = checkConnectivity(rule, PROD_DEPLOYERS);
        assert.deepStrictEqual(
            ruleOnly.results.filter((x) => x.status === "fail").map((x) => x.flow.id),
            ["gke-pods-to-aurora"],
        );
        assert.strictEqual(ruleOnly.failed, true);
        const open = edit(rule, "aws:rds/clusterInstance:ClusterInstance", "aurora-primary-writer", (i) => {
            i.publiclyAccessible = true;
        });
        const report = checkConnectivity(open, PROD_DEPLOYERS);
        const r = report.results.find((x) => x.flow.id === "internet-to-aurora-writer")!;
        assert.strictEqual(r.status, "fail");
        assert.strictEqual(r.verdict, "allowed");
        assert.strictEqual(
            r.hops[2].reason,
            "security group aurora-primary: tcp/5432-5432 from 0.0.0.0/0 (aurora-primary-from-anywhere)",
        );
        assert.strictEqual(report.failed, true);
        assert.ok(report.lines.some((l) => l.startsWith("  FAIL    deny  internet-to-aurora-writer ")));
    });

    it("ElastiCache open to 0.0.0.0/0 stays unreachable: it has no public endpoint", async () => {
        const r = flow(openToInternet(await prod(), "network-primary-data", 6379), "internet-to-elasticache");
        assert.strictEqual(
            r.verdict,
            "blocked at exposure: sessions-cache has no public endpoint (ElastiCache has no public endpoint)",
        );
    });

    it("MSK with public access and a rule from anywhere on its public IAM port is open", async () => {
        const publicAccess = (i: Record<string, any>) => {
            i.brokerNodeGroupInfo.connectivityInfo = { publicAccess: { type: "SERVICE_PROVIDED_EIPS" } };
        };
        const internalPort = edit(
            openToInternet(await prod(), "kafka-brokers", 9098),
            "aws:msk/cluster:Cluster",
            "kafka-cluster",
            publicAccess,
        );
        // The public listeners are 100 ports up: a rule on 9098 does not open 9198.
        assert.strictEqual(flow(internalPort, "internet-to-msk").status, "pass");
        const open = edit(
            openToInternet(await prod(), "kafka-brokers", 9198),
            "aws:msk/cluster:Cluster",
            "kafka-cluster",
            (i) => {
                i.brokerNodeGroupInfo.connectivityInfo = { publicAccess: { type: "SERVICE_PROVIDED_EIPS" } };
            },
        );
        assert.strictEqual(flow(open, "internet-to-msk").status, "fail");
    });

    it("Cloud SQL with a public IP and an authorized 0.0.0.0/0 is open", async () => {
        const open = edit(await prod(), "gcp:sql/databaseInstance:DatabaseInstance", "dr-postgres-instance", (i) => {
            i.settings.ipConfiguration.ipv4Enabled = true;
            i.settings.ipConfiguration.authorizedNetworks = [{ value: "0.0.0.0/0" }];
        });
        assert.strictEqual(flow(open, "internet-to-cloudsql").status, "fail");
    });

    it("the EKS API with its public endpoint on is open to the internet", async () => {
        const open = edit(await prod(), "eks:index:Cluster", "eks-cluster", (i) => {
            i.endpointPublicAccess = true;
        });
        const r = flow(open, "internet-to-eks-api");
        assert.strictEqual(r.status, "fail");
        assert.match(r.hops[2].reason, /^eks-cluster publicAccessCidrs lists 0\.0\.0\.0\/0;/);
    });

    it("the GKE API is open to the internet only with its public endpoint on and no authorized networks", async () => {
        const noNetworks = edit(await prod(), "gcp:container/cluster:Cluster", "gke-cluster", (i) => {
            delete i.masterAuthorizedNetworksConfig;
        });
        // The private endpoint alone still keeps the internet out.
        assert.match(flow(noNetworks, "internet-to-gke-api").verdict, /^blocked at /);
        const open = edit(noNetworks, "gcp:container/cluster:Cluster", "gke-cluster", (i) => {
            i.privateClusterConfig.enablePrivateEndpoint = false;
        });
        assert.strictEqual(flow(open, "internet-to-gke-api").status, "fail");
    });
});
