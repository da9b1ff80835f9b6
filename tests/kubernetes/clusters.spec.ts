import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import {
    EBS_CSI_DRIVER_POLICY_ARN,
    EKS_CLUSTER_ADMIN_POLICY_ARN,
    EksCluster,
    eksNodeGroupPlan,
    validateEksClusterArgs,
    withEksClusterDefaults,
    type EksClusterArgs,
} from "../../components/kubernetes/eks-cluster";
import {
    GkeAutopilot,
    validateGkeAutopilotArgs,
    withGkeAutopilotDefaults,
    type GkeAutopilotArgs,
} from "../../components/kubernetes/gke-autopilot";
import { VERSIONS } from "../../components/versions";
import { allPolicies } from "../../policy/policies";
import { childrenOf, one, ofType, providerOf } from "../../harness/lookup";
import { runPolicies } from "../../harness/policy-runner";
import type { RecordedResource } from "../../harness/recorder";
import { runStack, type StackRun } from "../../harness/run";
import { TAGS } from "../policy/fixtures";

const SECRETS_KEY = "arn:aws:kms:us-east-1:123456789012:key/0000aaaa-secrets";
const VOLUME_KEY = "arn:aws:kms:us-east-1:123456789012:key/1111bbbb-volumes";
const GKE_KEY = "projects/acme-dr/locations/us-east4/keyRings/platform-prod/cryptoKeys/kubernetes";
const ADMIN_ROLE = "arn:aws:iam::123456789012:role/platform-admin";
const SUBNETS = ["subnet-app-0", "subnet-app-1", "subnet-app-2"];

/** What the dev stack would pass: spot workers, small system group, no deletion protection. */
const DEV_EKS: EksClusterArgs = {
    vpcId: "vpc-0a1b2c3d",
    privateSubnetIds: SUBNETS,
    secretsKmsKeyArn: SECRETS_KEY,
    nodeVolumeKmsKeyArn: VOLUME_KEY,
    systemNodeInstanceTypes: ["t3.medium"],
    systemNodeMinSize: 1,
    systemNodeMaxSize: 2,
    workloadNodeInstanceTypes: ["t3.large"],
    workloadCapacityType: "SPOT",
    deletionProtection: false,
};
/** What the prod stack would pass: on-demand baseline plus spot, admins, deletion protection. */
const PROD_EKS: EksClusterArgs = {
    ...DEV_EKS,
    systemNodeInstanceTypes: undefined,
    systemNodeMinSize: undefined,
    systemNodeMaxSize: undefined,
    workloadNodeInstanceTypes: ["m6i.xlarge", "m6a.xlarge"],
    workloadNodeMinSize: 2,
    workloadNodeMaxSize: 10,
    workloadCapacityType: "MIXED",
    adminRoleArns: [ADMIN_ROLE],
    deletionProtection: true,
};
const PROD_GKE: GkeAutopilotArgs = {
    project: "acme-dr",
    region: "us-east4",
    network: "projects/acme-dr/global/networks/dr",
    subnetwork: "projects/acme-dr/regions/us-east4/subnetworks/gke",
    masterIpv4CidrBlock: "172.16.0.0/28",
    masterAuthorizedCidrs: ["10.100.0.0/16", "10.101.0.0/16", "198.51.100.0/24"],
    secretsKmsKeyId: GKE_KEY,
    deletionProtection: true,
};
const DEV_GKE: GkeAutopilotArgs = { ...PROD_GKE, deletionProtection: false };

interface ClusterRun {
    readonly run: StackRun;
    readonly eks?: EksCluster;
}

/** A small program with explicit, tagged providers and the two components, under the recording mocks. */
async function runClusters(eksArgs: EksClusterArgs, gkeArgs?: GkeAutopilotArgs): Promise<ClusterRun> {
    let eks: EksCluster | undefined;
    const run = await runStack({
        stack: "dev",
        program: async () => {
            const awsProvider = new aws.Provider("aws-test", { region: "us-east-1", defaultTags: { tags: TAGS } });
            const gcpProvider = new gcp.Provider("gcp-test", {
                project: "acme-dr",
                region: "us-east4",
                defaultLabels: TAGS,
                addPulumiAttributionLabel: false,
            });
            eks = new EksCluster("eks", eksArgs, { provider: awsProvider });
            if (gkeArgs) new GkeAutopilot("gke", gkeArgs, { provider: gcpProvider });
        },
    });
    return { run, eks };
}

const memo = <T>(f: () => Promise<T>) => {
    let p: Promise<T> | undefined;
    return () => (p ??= f());
};
const dev = memo(() => runClusters(DEV_EKS, DEV_GKE));
const prod = memo(() => runClusters(PROD_EKS, PROD_GKE));

const resourcesOf = async (which: () => Promise<ClusterRun>) => {
    const { run } = await which();
    assert.strictEqual(run.error, undefined, run.error?.stack);
    return run.resources;
};
const eksComponentOf = (rs: readonly RecordedResource[]) => one(rs, "eks:index:Cluster", "eks-cluster");
/** Node groups by name: registration order follows output resolution, not the program. */
const nodeGroupsOf = (rs: readonly RecordedResource[]) =>
    ofType(rs, "aws:eks/nodeGroup:NodeGroup").sort((a, b) => a.name.localeCompare(b.name));

describe("EksCluster", () => {
    it("hands eks.Cluster the secrets key, a private endpoint, every log type, access entries and no default node group", async () => {
        const rs = await resourcesOf(prod);
        const { inputs } = eksComponentOf(rs);
        assert.deepStrictEqual(inputs, {
            vpcId: "vpc-0a1b2c3d",
            privateSubnetIds: SUBNETS,
            version: VERSIONS.kubernetes,
            encryptionConfigKeyArn: SECRETS_KEY,
            endpointPrivateAccess: true,
            endpointPublicAccess: false,
            enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
            createOidcProvider: true,
            authenticationMode: "API",
            accessEntries: {
                "admin-platform-admin": {
                    principalArn: ADMIN_ROLE,
                    type: "STANDARD",
                    accessPolicies: {
                        "cluster-admin": { policyArn: EKS_CLUSTER_ADMIN_POLICY_ARN, accessScope: { type: "cluster" } },
                    },
                },
            },
            skipDefaultNodeGroup: true,
            skipDefaultSecurityGroups: true,
            nodeAssociatePublicIpAddress: false,
            deletionProtection: true,
            useDefaultVpcCni: false,
            vpcCniOptions: {
                enableNetworkPolicy: true,
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "OVERWRITE",
            },
            kubeProxyAddonOptions: {
                enabled: true,
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "OVERWRITE",
            },
            corednsAddonOptions: {
                enabled: false,
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "OVERWRITE",
            },
        });
    });

    it("hands eks.Cluster the aws provider explicitly, since a multi-language component inherits none", async () => {
        const rs = await resourcesOf(dev);
        const eks = eksComponentOf(rs);
        assert.strictEqual(eks.remote, true);
        const awsProvider = one(rs, "pulumi:providers:aws", "aws-test");
        assert.deepStrictEqual(eks.providers, { aws: awsProvider.urn });
        assert.strictEqual(eks.parent, one(rs, "multicloud:kubernetes:EksCluster", "eks").urn);
    });

    it("keeps the endpoint private in dev too, and makes it public only for the ranges given", async () => {
        const devEks = eksComponentOf(await resourcesOf(dev));
        assert.strictEqual(devEks.inputs.endpointPublicAccess, false);
        assert.strictEqual("publicAccessCidrs" in devEks.inputs, false);
        assert.strictEqual(devEks.inputs.deletionProtection, false);
        assert.deepStrictEqual(devEks.inputs.accessEntries, {});

        const { run } = await runClusters({ ...DEV_EKS, publicEndpointCidrs: ["203.0.113.0/24"] });
        assert.strictEqual(run.error, undefined);
        const publicEks = eksComponentOf(run.resources).inputs;
        assert.deepStrictEqual(
            [publicEks.endpointPrivateAccess, publicEks.endpointPublicAccess, publicEks.publicAccessCidrs],
            [true, true, ["203.0.113.0/24"]],
        );
    });

    it("buys workload nodes as configured: spot in dev, on-demand plus spot in MIXED, on-demand by default", async () => {
        const groups = (rs: readonly RecordedResource[]) =>
            nodeGroupsOf(rs).map((g) => [g.name, g.inputs.capacityType, g.inputs.instanceTypes]);
        assert.deepStrictEqual(groups(await resourcesOf(dev)), [
            ["eks-system", "ON_DEMAND", ["t3.medium"]],
            ["eks-workload-spot", "SPOT", ["t3.large"]],
        ]);
        assert.deepStrictEqual(groups(await resourcesOf(prod)), [
            ["eks-system", "ON_DEMAND", ["m6i.large"]],
            ["eks-workload-on-demand", "ON_DEMAND", ["m6i.xlarge", "m6a.xlarge"]],
            ["eks-workload-spot", "SPOT", ["m6i.xlarge", "m6a.xlarge"]],
        ]);
        const byDefault = eksNodeGroupPlan(withEksClusterDefaults({ ...DEV_EKS, workloadCapacityType: undefined }));
        assert.deepStrictEqual(
            byDefault.map((g) => [g.suffix, g.capacityType]),
            [
                ["system", "ON_DEMAND"],
                ["workload-on-demand", "ON_DEMAND"],
            ],
        );
    });

    it("runs every node group in the app subnets, on the cluster's name and version, with the system group tainted", async () => {
        const rs = await resourcesOf(prod);
        const eks = eksComponentOf(rs);
        const role = one(rs, "aws:iam/role:Role", "eks-node");
        for (const g of nodeGroupsOf(rs)) {
            const template = one(rs, "aws:ec2/launchTemplate:LaunchTemplate", g.name);
            assert.strictEqual(g.inputs.clusterName, eks.outputs.eksCluster.name, g.name);
            assert.deepStrictEqual(g.inputs.subnetIds, SUBNETS);
            assert.strictEqual(g.inputs.version, VERSIONS.kubernetes);
            assert.strictEqual(g.inputs.amiType, "AL2023_x86_64_STANDARD");
            assert.strictEqual(g.inputs.nodeRoleArn, role.outputs.arn);
            assert.deepStrictEqual(g.inputs.launchTemplate, { id: template.outputs.id, version: "1" });
            assert.deepStrictEqual(g.inputs.nodeRepairConfig, { enabled: true });
        }
        const [system, onDemand, spot] = nodeGroupsOf(rs);
        assert.deepStrictEqual(system.inputs.taints, [
            { key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" },
        ]);
        assert.deepStrictEqual(system.inputs.scalingConfig, { minSize: 2, maxSize: 3, desiredSize: 2 });
        for (const g of [onDemand, spot]) {
            assert.deepStrictEqual(g.inputs.taints, []);
            assert.deepStrictEqual(g.inputs.scalingConfig, { minSize: 2, maxSize: 10, desiredSize: 2 });
        }
    });

    it("launch templates require IMDSv2 with a hop limit of 1 and encrypt the gp3 root volume with the node volume key", async () => {
        const templates = ofType(await resourcesOf(prod), "aws:ec2/launchTemplate:LaunchTemplate");
        assert.strictEqual(templates.length, 3);
        for (const t of templates) {
            assert.deepStrictEqual(t.inputs.metadataOptions, {
                httpEndpoint: "enabled",
                httpTokens: "required",
                httpPutResponseHopLimit: 1,
                instanceMetadataTags: "disabled",
            });
            assert.deepStrictEqual(t.inputs.blockDeviceMappings, [
                {
                    deviceName: "/dev/xvda",
                    ebs: {
                        volumeSize: 50,
                        volumeType: "gp3",
                        encrypted: "true",
                        kmsKeyId: VOLUME_KEY,
                        deleteOnTermination: "true",
                    },
                },
            ]);
            // Security groups in the template would stop EKS from attaching its cluster security group.
            assert.strictEqual(t.inputs.vpcSecurityGroupIds, undefined);
        }
    });

    it("gives nodes a role with the three worker policies and an EC2_LINUX access entry, both ready before any node group", async () => {
        const rs = await resourcesOf(dev);
        const role = one(rs, "aws:iam/role:Role", "eks-node");
        assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement, [
            { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]);
        const attachments = ofType(rs, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter(
            (a) => a.inputs.role === role.outputs.id,
        );
        assert.deepStrictEqual(attachments.map((a) => a.inputs.policyArn).sort(), [
            "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
            "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
            "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
        ]);
        const entry = one(rs, "aws:eks/accessEntry:AccessEntry", "eks-node");
        assert.deepStrictEqual(entry.inputs, {
            clusterName: eksComponentOf(rs).outputs.eksCluster.name,
            principalArn: role.outputs.arn,
            type: "EC2_LINUX",
        });
        for (const g of nodeGroupsOf(rs)) {
            for (const before of [entry, ...attachments]) assert.ok(g.dependencies.includes(before.urn), before.name);
        }
    });

    it("runs the EBS CSI driver as an add-on whose IRSA role only its controller's service account can assume", async () => {
        const rs = await resourcesOf(dev);
        const eks = eksComponentOf(rs);
        const issuer = eks.outputs.oidcIssuer;
        const role = one(rs, "aws:iam/role:Role", "eks-ebs-csi");
        assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy), {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { Federated: eks.outputs.oidcProviderArn },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: {
                        StringEquals: {
                            [`${issuer}:sub`]: "system:serviceaccount:kube-system:ebs-csi-controller-sa",
                            [`${issuer}:aud`]: "sts.amazonaws.com",
                        },
                    },
                },
            ],
        });
        assert.doesNotMatch(issuer, /^https:/);
        const managed = one(rs, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "eks-ebs-csi");
        assert.deepStrictEqual(
            [managed.inputs.role, managed.inputs.policyArn],
            [role.outputs.id, EBS_CSI_DRIVER_POLICY_ARN],
        );
        const kms = JSON.parse(one(rs, "aws:iam/rolePolicy:RolePolicy", "eks-ebs-csi-kms").inputs.policy);
        assert.deepStrictEqual(
            kms.Statement.map((s: any) => s.Resource),
            [VOLUME_KEY, VOLUME_KEY],
        );
        assert.deepStrictEqual(kms.Statement[0].Condition, { Bool: { "kms:GrantIsForAWSResource": "true" } });
        const addon = one(rs, "aws:eks/addon:Addon", "eks-ebs-csi");
        assert.deepStrictEqual(
            [addon.inputs.addonName, addon.inputs.serviceAccountRoleArn, addon.inputs.clusterName],
            ["aws-ebs-csi-driver", role.outputs.arn, eks.outputs.eksCluster.name],
        );
        for (const g of nodeGroupsOf(rs)) assert.ok(addon.dependencies.includes(g.urn), g.name);
    });

    it("creates CoreDNS after the node groups (not inside eks.Cluster, where it would wait for nodes), on the system nodes", async () => {
        const rs = await resourcesOf(prod);
        assert.strictEqual(eksComponentOf(rs).inputs.corednsAddonOptions.enabled, false);
        const coredns = one(rs, "aws:eks/addon:Addon", "eks-coredns");
        assert.strictEqual(coredns.inputs.addonName, "coredns");
        // On the on-demand system nodes, whose label it selects: a spot reclaim never takes DNS down.
        assert.deepStrictEqual(JSON.parse(coredns.inputs.configurationValues), { nodeSelector: { role: "system" } });
        assert.deepStrictEqual(one(rs, "aws:eks/nodeGroup:NodeGroup", "eks-system").inputs.labels, { role: "system" });
        const groups = nodeGroupsOf(rs);
        assert.strictEqual(groups.length, 3);
        for (const g of groups) assert.ok(coredns.dependencies.includes(g.urn), g.name);
    });

    it("admits istiod's webhook (15017) and xDS (15012) from the control plane on the security group the nodes wear", async () => {
        const rs = await resourcesOf(dev);
        const sg = eksComponentOf(rs).outputs.clusterSecurityGroupId;
        const rules = ofType(rs, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").sort((a, b) =>
            a.name.localeCompare(b.name),
        );
        assert.deepStrictEqual(
            rules.map((r) => [
                r.name,
                r.inputs.securityGroupId,
                r.inputs.referencedSecurityGroupId,
                r.inputs.ipProtocol,
                r.inputs.fromPort,
                r.inputs.toPort,
            ]),
            [
                ["eks-istio-webhook", sg, sg, "tcp", 15017, 15017],
                ["eks-istio-xds", sg, sg, "tcp", 15012, 15012],
            ],
        );
        for (const r of rules) assert.strictEqual(r.inputs.cidrIpv4, undefined);
    });

    it("exposes the kubeconfig as a secret, and a server-side-apply Kubernetes provider built from it", async () => {
        const { run, eks } = await dev();
        assert.ok(eks);
        assert.strictEqual(await pulumi.isSecret(eks.kubeconfig), true);
        const provider = one(run.resources, "pulumi:providers:kubernetes", "eks-k8s");
        assert.strictEqual(provider.parent, one(run.resources, "multicloud:kubernetes:EksCluster", "eks").urn);
        assert.strictEqual(provider.inputs.kubeconfig, eksComponentOf(run.resources).outputs.kubeconfigJson);
        assert.ok(provider.secretInputs.includes("kubeconfig"));
        assert.strictEqual(provider.inputs.enableServerSideApply, "true");
    });

    it("leaves Pulumi protect off the eks component, which would lock every child, and relies on EKS deletion protection", async () => {
        for (const [which, expected] of [
            [dev, false],
            [prod, true],
        ] as const) {
            const eks = eksComponentOf(await resourcesOf(which));
            assert.strictEqual(eks.inputs.deletionProtection, expected);
            assert.strictEqual(eks.protect, false);
        }
    });
});

describe("GkeAutopilot", () => {
    it("is a regional Autopilot cluster with private nodes, authorized networks only, and secrets encrypted with the key", async () => {
        const gke = one(await resourcesOf(prod), "gcp:container/cluster:Cluster", "gke-cluster");
        assert.deepStrictEqual(gke.inputs, {
            project: "acme-dr",
            location: "us-east4",
            enableAutopilot: true,
            network: "projects/acme-dr/global/networks/dr",
            subnetwork: "projects/acme-dr/regions/us-east4/subnetworks/gke",
            networkingMode: "VPC_NATIVE",
            ipAllocationPolicy: { clusterSecondaryRangeName: "pods", servicesSecondaryRangeName: "services" },
            privateClusterConfig: {
                enablePrivateNodes: true,
                enablePrivateEndpoint: false,
                masterIpv4CidrBlock: "172.16.0.0/28",
            },
            masterAuthorizedNetworksConfig: {
                cidrBlocks: ["10.100.0.0/16", "10.101.0.0/16", "198.51.100.0/24"].map((c) => ({
                    cidrBlock: c,
                    displayName: c,
                })),
                gcpPublicCidrsAccessEnabled: false,
            },
            releaseChannel: { channel: VERSIONS.gkeReleaseChannel },
            databaseEncryption: { state: "ENCRYPTED", keyName: GKE_KEY },
            workloadIdentityConfig: { workloadPool: "acme-dr.svc.id.goog" },
            maintenancePolicy: {
                recurringWindow: {
                    startTime: "2025-01-04T01:00:00Z",
                    endTime: "2025-01-04T07:00:00Z",
                    recurrence: "FREQ=WEEKLY;BYDAY=SA,SU",
                },
            },
            deletionProtection: true,
        });
    });

    it("is protected (provider deletionProtection and Pulumi protect) with prod-style args only", async () => {
        for (const [which, expected] of [
            [dev, false],
            [prod, true],
        ] as const) {
            const gke = one(await resourcesOf(which), "gcp:container/cluster:Cluster", "gke-cluster");
            assert.deepStrictEqual([gke.inputs.deletionProtection, gke.protect], [expected, expected]);
        }
    });

    it("admits no outside network when no authorized ranges are given, and can serve on the private endpoint only", async () => {
        const { run } = await runClusters(DEV_EKS, {
            ...DEV_GKE,
            masterAuthorizedCidrs: undefined,
            enablePrivateEndpoint: true,
        });
        assert.strictEqual(run.error, undefined);
        const gke = one(run.resources, "gcp:container/cluster:Cluster", "gke-cluster");
        assert.deepStrictEqual(gke.inputs.masterAuthorizedNetworksConfig, {
            cidrBlocks: [],
            gcpPublicCidrsAccessEnabled: false,
        });
        assert.strictEqual(gke.inputs.privateClusterConfig.enablePrivateEndpoint, true);
    });

    it("builds a secret kubeconfig that gets its credentials from gke-gcloud-auth-plugin", async () => {
        const rs = await resourcesOf(prod);
        const gke = one(rs, "gcp:container/cluster:Cluster", "gke-cluster");
        const provider = one(rs, "pulumi:providers:kubernetes", "gke-k8s");
        assert.ok(provider.secretInputs.includes("kubeconfig"));
        assert.strictEqual(provider.inputs.enableServerSideApply, "true");
        const config = JSON.parse(provider.inputs.kubeconfig);
        const context = `gke_acme-dr_us-east4_${gke.outputs.name}`;
        assert.strictEqual(config["current-context"], context);
        assert.deepStrictEqual(config.clusters, [
            {
                name: context,
                cluster: {
                    server: `https://${gke.outputs.endpoint}`,
                    "certificate-authority-data": gke.outputs.masterAuth.clusterCaCertificate,
                },
            },
        ]);
        const exec = config.users[0].user.exec;
        assert.deepStrictEqual(
            [exec.apiVersion, exec.command, exec.provideClusterInfo],
            ["client.authentication.k8s.io/v1beta1", "gke-gcloud-auth-plugin", true],
        );
        assert.match(exec.installHint, /gke-gcloud-auth-plugin/);
        assert.strictEqual(config.users[0].user.token, undefined);
    });
});

describe("cluster components together", () => {
    // 16 AWS resources with one workload group, one more template and group in MIXED, and the GKE cluster.
    for (const [stack, which, count] of [
        ["dev", dev, 17],
        ["prod", prod, 19],
    ] as const) {
        it(`${stack}-style args: every custom resource names an explicit provider of its own package`, async () => {
            const rs = await resourcesOf(which);
            const custom = rs.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
            assert.strictEqual(custom.length, count);
            for (const r of custom) {
                const p = providerOf(rs, r);
                assert.ok(p, `${r.urn} has no explicit provider`);
                assert.strictEqual(p.type, `pulumi:providers:${r.type.split(":")[0]}`, r.urn);
            }
        });

        it(`${stack}-style args: no policy of the pack finds anything`, async () => {
            assert.deepStrictEqual(await runPolicies(await resourcesOf(which), allPolicies), []);
        });
    }
});

describe("EksCluster arguments", () => {
    const valid = withEksClusterDefaults(DEV_EKS);
    const problem = (changes: Partial<EksClusterArgs>, hasAwsProvider = true) => {
        try {
            validateEksClusterArgs("eks", { ...valid, ...changes } as typeof valid, { hasAwsProvider });
        } catch (e) {
            return (e as Error).message;
        }
        return "no error";
    };
    const cases: [string, Partial<EksClusterArgs>, string][] = [
        [
            "a world-open public endpoint",
            { publicEndpointCidrs: ["203.0.113.0/24", "0.0.0.0/0"] },
            'publicEndpointCidrs[1] must not be a /0 range, which would open the Kubernetes API to the whole internet; received "0.0.0.0/0". List only the networks that need the public endpoint, or leave publicEndpointCidrs unset to keep it private',
        ],
        [
            "a public range with host bits",
            { publicEndpointCidrs: ["203.0.113.7/24"] },
            'publicEndpointCidrs[0] must be a canonical IPv4 CIDR such as "203.0.113.0/24"; received "203.0.113.7/24"',
        ],
        [
            "a version that is not a minor version",
            { kubernetesVersion: "v1.33" },
            `kubernetesVersion must be a minor version such as "${VERSIONS.kubernetes}"; received "v1.33"`,
        ],
        [
            "an unknown capacity type",
            { workloadCapacityType: "spot" as never },
            'workloadCapacityType must be one of SPOT, ON_DEMAND, MIXED; received "spot"',
        ],
        [
            "no workload instance types",
            { workloadNodeInstanceTypes: [] },
            "workloadNodeInstanceTypes must name at least one instance type; received []",
        ],
        [
            "an empty system group",
            { systemNodeMinSize: 0, systemNodeMaxSize: 2 },
            "systemNodeMinSize must be a whole number of at least 1; received 0",
        ],
        [
            "a maximum below the minimum",
            { workloadNodeMinSize: 3, workloadNodeMaxSize: 2 },
            "workloadNodeMaxSize must be a whole number of at least 1 and no smaller than workloadNodeMinSize (3); received 2",
        ],
        [
            "an admin that is not a role",
            { adminRoleArns: ["arn:aws:iam::123456789012:user/alice"] },
            'adminRoleArns[0] must be an IAM role ARN (arn:aws:iam::<account>:role/<name>); received "arn:aws:iam::123456789012:user/alice"',
        ],
        [
            "two admin roles with one name",
            { adminRoleArns: [ADMIN_ROLE, "arn:aws:iam::210987654321:role/teams/platform-admin"] },
            'adminRoleArns[1] repeats the role name "platform-admin"; list each role once',
        ],
    ];
    for (const [what, changes, message] of cases) {
        it(`rejects ${what}`, () => assert.strictEqual(problem(changes), `EksCluster eks: ${message}`));
    }

    it("rejects a component without an aws provider", () => {
        assert.strictEqual(
            problem({}, false),
            "EksCluster eks: an explicit aws provider is required ({ provider: awsProvider } in the options): " +
                "eks.Cluster does not inherit one, and default providers are disabled",
        );
    });

    it("reports every problem at once, and accepts the dev and prod arguments", () => {
        assert.strictEqual(
            problem({ publicEndpointCidrs: ["::/0"], workloadNodeInstanceTypes: [] }),
            "EksCluster eks: " +
                'publicEndpointCidrs[0] must not be a /0 range, which would open the Kubernetes API to the whole internet; received "::/0". List only the networks that need the public endpoint, or leave publicEndpointCidrs unset to keep it private; ' +
                "workloadNodeInstanceTypes must name at least one instance type; received []",
        );
        assert.strictEqual(problem({}), "no error");
        assert.strictEqual(problem(withEksClusterDefaults(PROD_EKS)), "no error");
    });

    it("throws before any child exists", async () => {
        const { run } = await runClusters({ ...DEV_EKS, publicEndpointCidrs: ["0.0.0.0/0"] });
        assert.match(run.error?.message ?? "", /^EksCluster eks: publicEndpointCidrs\[0\] must not be a \/0 range/);
        const component = run.resources.find((r) => r.type === "multicloud:kubernetes:EksCluster");
        assert.deepStrictEqual(component ? childrenOf(run.resources, component) : [], []);
        assert.deepStrictEqual(ofType(run.resources, "eks:index:Cluster"), []);
    });
});

describe("GkeAutopilot arguments", () => {
    const valid = withGkeAutopilotDefaults(PROD_GKE);
    const problem = (changes: Partial<GkeAutopilotArgs>) => {
        try {
            validateGkeAutopilotArgs("gke", { ...valid, ...changes } as typeof valid);
        } catch (e) {
            return (e as Error).message;
        }
        return "no error";
    };
    const MASTER = (received: string) =>
        `masterIpv4CidrBlock must be a private (RFC 1918) /28, the size GKE requires for the control plane; received "${received}"`;
    const cases: [string, Partial<GkeAutopilotArgs>, string][] = [
        ["a control-plane range that is not a /28", { masterIpv4CidrBlock: "172.16.0.0/24" }, MASTER("172.16.0.0/24")],
        ["a public control-plane range", { masterIpv4CidrBlock: "100.64.0.0/28" }, MASTER("100.64.0.0/28")],
        [
            "a world-open authorized network",
            { masterAuthorizedCidrs: ["10.100.0.0/16", "0.0.0.0/0"] },
            'masterAuthorizedCidrs[1] must not be a /0 range, which would open the control plane to the whole internet; received "0.0.0.0/0". List the AWS VPC ranges and the CI runners\' ranges instead',
        ],
        [
            "an authorized network that is not a CIDR",
            { masterAuthorizedCidrs: ["10.100.0.0"] },
            'masterAuthorizedCidrs[0] must be a canonical IPv4 CIDR such as "10.100.0.0/16"; received "10.100.0.0"',
        ],
        [
            "more authorized networks than GKE takes",
            { masterAuthorizedCidrs: Array.from({ length: 51 }, (_, i) => `10.200.${i}.0/24`) },
            "masterAuthorizedCidrs may hold at most 50 ranges; received 51. Summarize adjacent ranges",
        ],
    ];
    for (const [what, changes, message] of cases) {
        it(`rejects ${what}`, () => assert.strictEqual(problem(changes), `GkeAutopilot gke: ${message}`));
    }

    it("accepts the prod arguments and the defaults", () => {
        assert.strictEqual(problem({}), "no error");
        assert.deepStrictEqual(
            [valid.podsRangeName, valid.servicesRangeName, valid.enablePrivateEndpoint],
            ["pods", "services", false],
        );
    });

    it("throws before any child exists", async () => {
        const { run } = await runClusters(DEV_EKS, { ...DEV_GKE, masterIpv4CidrBlock: "172.16.0.0/24" });
        assert.strictEqual(run.error?.message, `GkeAutopilot gke: ${MASTER("172.16.0.0/24")}`);
        assert.deepStrictEqual(ofType(run.resources, "gcp:container/cluster:Cluster"), []);
        const component = run.resources.find((r) => r.type === "multicloud:kubernetes:GkeAutopilot");
        assert.deepStrictEqual(component ? childrenOf(run.resources, component) : [], []);
    });
});
