/**
 * The paths the private cluster APIs, istiod's webhook, DMS and the service pods need, as the dev and prod
 * plans declare them: each rule's exact sources and ports, so that widening or dropping one fails here.
 */
import * as assert from "assert";
import { ofType, one } from "../../harness/lookup";
import type { RecordedResource } from "../../harness/recorder";
import { evaluated } from "../../harness/stacks";

/** The address plan of each stack file, and what the program derives from it. */
const STACKS = {
    dev: {
        deployers: ["10.10.0.0/19"],
        app: ["10.10.0.0/19", "10.10.32.0/19", "10.10.64.0/19"],
        data: ["10.10.128.0/21", "10.10.136.0/21", "10.10.144.0/21"],
        gkePods: "10.16.0.0/14",
        master: "10.21.16.0/28",
        privateEndpoint: "10.21.16.2",
        privateServices: "10.21.0.0/20",
        project: "acme-platform-dev",
    },
    prod: {
        deployers: ["10.100.0.0/19"],
        app: ["10.100.0.0/19", "10.100.32.0/19", "10.100.64.0/19"],
        data: ["10.100.128.0/21", "10.100.136.0/21", "10.100.144.0/21"],
        gkePods: "10.104.0.0/14",
        master: "10.109.16.0/28",
        privateEndpoint: "10.109.16.2",
        privateServices: "10.109.0.0/20",
        project: "acme-platform-prod",
    },
} as const;

const ingressRules = (rs: readonly RecordedResource[]) =>
    ofType(rs, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");

for (const stack of ["dev", "prod"] as const) {
    const want = STACKS[stack];
    const resources = async () => (await evaluated(stack)).run.resources;

    describe(`private paths (${stack})`, () => {
        it("EKS API: 443 on the cluster security group from exactly the deployers and the GKE pods", async () => {
            const rs = await resources();
            const clusterSg = one(rs, "eks:index:Cluster", "eks-cluster").outputs.clusterSecurityGroupId;
            const api = ingressRules(rs).filter((r) => r.inputs.securityGroupId === clusterSg && r.inputs.cidrIpv4);
            assert.deepStrictEqual(
                api.map((r) => [r.inputs.cidrIpv4, r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort]),
                [...want.deployers, want.gkePods].map((cidr) => [cidr, "tcp", 443, 443]),
            );
        });

        it("EKS nodes wear the cluster security group and the app tier's, which the data stores admit", async () => {
            const rs = await resources();
            const clusterSg = one(rs, "eks:index:Cluster", "eks-cluster").outputs.clusterSecurityGroupId;
            const appSg = one(rs, "aws:ec2/securityGroup:SecurityGroup", "network-primary-app").outputs.id;
            const templates = ofType(rs, "aws:ec2/launchTemplate:LaunchTemplate");
            assert.ok(templates.length >= 2);
            for (const t of templates) assert.deepStrictEqual(t.inputs.vpcSecurityGroupIds, [clusterSg, appSg], t.name);
        });

        it("GKE API: private endpoint only, authorized for exactly the deployers and the EKS pods, enforced there too", async () => {
            const gke = one(await resources(), "gcp:container/cluster:Cluster", "gke-cluster");
            assert.strictEqual(gke.inputs.privateClusterConfig.enablePrivateEndpoint, true);
            assert.deepStrictEqual(gke.inputs.masterAuthorizedNetworksConfig, {
                // The deployer range is the first app subnet, listed once.
                cidrBlocks: want.app.map((c) => ({ cidrBlock: c, displayName: c })),
                gcpPublicCidrsAccessEnabled: false,
                privateEndpointEnforcementEnabled: true,
            });
        });

        it("the GKE kubeconfig and the AWS-side remote secret use the private endpoint", async () => {
            const rs = await resources();
            const gke = one(rs, "gcp:container/cluster:Cluster", "gke-cluster");
            assert.strictEqual(gke.outputs.privateClusterConfig.privateEndpoint, want.privateEndpoint);
            const kubeconfig = JSON.parse(one(rs, "pulumi:providers:kubernetes", "gke-k8s").inputs.kubeconfig);
            assert.strictEqual(kubeconfig.clusters[0].cluster.server, `https://${want.privateEndpoint}`);
            const secret = one(rs, "kubernetes:core/v1:Secret", "mesh-gcp-dr-in-aws-primary-secret");
            const remote = JSON.parse(Object.values(secret.inputs.stringData as Record<string, string>)[0]);
            assert.deepStrictEqual(
                remote.clusters.map((c: any) => c.cluster.server),
                [`https://${want.privateEndpoint}`],
            );
        });

        it("the GKE control-plane peering exports the VPC's routes (the VPN's) and the Cloud Router advertises the master range", async () => {
            const rs = await resources();
            const gke = one(rs, "gcp:container/cluster:Cluster", "gke-cluster");
            const routes = one(
                rs,
                "gcp:compute/networkPeeringRoutesConfig:NetworkPeeringRoutesConfig",
                "gke-control-plane-routes",
            );
            assert.deepStrictEqual(routes.inputs, {
                project: want.project,
                network: one(rs, "gcp:compute/network:Network", "network-gcp-vpc").outputs.name,
                peering: gke.outputs.privateClusterConfig.peeringName,
                exportCustomRoutes: true,
                importCustomRoutes: false,
            });
            const router = one(rs, "gcp:compute/router:Router", "vpn-router");
            assert.deepStrictEqual(router.inputs.bgp.advertisedIpRanges.at(-1), { range: want.master });
        });

        it("GCP firewall: 15017 from the master range only; health checks on the probed ports only", async () => {
            const rs = await resources();
            const fw = (n: string) => one(rs, "gcp:compute/firewall:Firewall", `network-gcp-${n}`).inputs;
            const controlPlane = fw("allow-from-control-plane");
            assert.deepStrictEqual(
                [controlPlane.direction, controlPlane.sourceRanges, controlPlane.allows],
                ["INGRESS", [want.master], [{ protocol: "tcp", ports: ["15017"] }]],
            );
            assert.deepStrictEqual(fw("allow-health-checks").allows, [{ protocol: "tcp", ports: ["10256", "15021"] }]);
        });

        it("PostgreSQL on Aurora and the data tier is open to GCP only from the private services range (DMS)", async () => {
            const rs = await resources();
            const auroraSg = one(rs, "aws:ec2/securityGroup:SecurityGroup", "aurora-primary").outputs.id;
            const dataSg = one(rs, "aws:ec2/securityGroup:SecurityGroup", "network-primary-data").outputs.id;
            for (const sg of [auroraSg, dataSg]) {
                const cidrs = ingressRules(rs).filter((r) => r.inputs.securityGroupId === sg && r.inputs.cidrIpv4);
                assert.deepStrictEqual(
                    cidrs.map((r) => [r.inputs.cidrIpv4, r.inputs.fromPort]),
                    [[want.privateServices, 5432]],
                );
            }
        });

        it("GKE nodes run as a dedicated service account holding only the default node role", async () => {
            const rs = await resources();
            const email = `gke-nodes@${want.project}.iam.gserviceaccount.com`;
            const account = one(rs, "gcp:serviceaccount/account:Account", "gke-nodes");
            assert.deepStrictEqual([account.inputs.project, account.inputs.accountId], [want.project, "gke-nodes"]);
            const bindings = ofType(rs, "gcp:projects/iAMMember:IAMMember").filter(
                (b) => b.inputs.member === `serviceAccount:${email}`,
            );
            assert.deepStrictEqual(
                bindings.map((b) => [b.inputs.project, b.inputs.role]),
                [[want.project, "roles/container.defaultNodeServiceAccount"]],
            );
            const gke = one(rs, "gcp:container/cluster:Cluster", "gke-cluster");
            assert.deepStrictEqual(gke.inputs.clusterAutoscaling.autoProvisioningDefaults, {
                serviceAccount: email,
                oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
            });
            for (const b of [account, ...bindings]) assert.ok(gke.dependencies.includes(b.urn), b.name);
        });

        it("service pods may reach exactly their own data stores: no namespace-wide allow, each service's own", async () => {
            const rs = await resources();
            const policies = ofType(rs, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
            assert.deepStrictEqual(
                policies.filter((p) => p.name.endsWith("-allow-data-stores")).map((p) => p.name),
                [],
            );
            const to = (cidrs: readonly string[], port: number) => ({
                to: cidrs.map((cidr) => ({ ipBlock: { cidr } })),
                ports: [{ protocol: "TCP", port }],
            });
            const stores = { aws: want.data as readonly string[], gcp: [want.privateServices] as readonly string[] };
            const expected: Record<"aws" | "gcp", Record<string, unknown[]>> = {
                aws: {
                    user: [to(want.data, 5432), to(want.data, 6379)],
                    // product's own RDS instance (MySQL) lives on the data subnets too.
                    product: [to(want.data, 3306), to(want.data, 6379)],
                    order: [to(want.data, 5432), to(want.data, 6379), to(want.data, 9098)],
                    payment: [to(want.data, 9098)],
                },
                gcp: {
                    user: [to([want.privateServices], 5432), to([want.privateServices], 6378)],
                    product: [to([want.privateServices], 6378)],
                    order: [to([want.privateServices], 5432), to([want.privateServices], 6378)],
                    payment: [],
                },
            };
            for (const cloud of ["aws", "gcp"] as const) {
                for (const [service, rules] of Object.entries(expected[cloud])) {
                    const policy = one(
                        rs,
                        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
                        `services-${cloud}-${service}-netpol`,
                    );
                    const toStores = policy.inputs.spec.egress.filter((r: any) =>
                        r.to.some((t: any) => stores[cloud].includes(t.ipBlock?.cidr)),
                    );
                    assert.deepStrictEqual([policy.inputs.metadata.namespace, toStores], [`services-${stack}`, rules]);
                }
            }
        });
    });
}
