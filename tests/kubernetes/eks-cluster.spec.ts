import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
    EBS_CSI_DRIVER_POLICY_ARN,
    EKS_CLUSTER_ADMIN_POLICY_ARN,
    eksNodeGroupPlan,
    withEksClusterDefaults,
} from "../../components/kubernetes";
import { VERSIONS } from "../../components/versions";
import { one, ofType } from "../../harness/lookup";
import type { RecordedResource } from "../../harness/recorder";
import {
    ADMIN_ROLE,
    dev,
    DEV_EKS,
    eksComponentOf,
    nodeGroupsOf,
    prod,
    resourcesOf,
    runClusters,
    SECRETS_KEY,
    SUBNETS,
    VOLUME_KEY,
} from "./fixture";

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
            upgradePolicy: { supportType: "STANDARD" },
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
        const rs = await resourcesOf(prod);
        const templates = ofType(rs, "aws:ec2/launchTemplate:LaunchTemplate");
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
            // Groups in the template replace the one EKS attaches: the cluster security group comes first.
            assert.deepStrictEqual(t.inputs.vpcSecurityGroupIds, [
                eksComponentOf(rs).outputs.clusterSecurityGroupId,
                "sg-app",
            ]);
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

    it("opts out of extended support unless a stack budgets for it explicitly", async () => {
        assert.deepStrictEqual(eksComponentOf(await resourcesOf(dev)).inputs.upgradePolicy, {
            supportType: "STANDARD",
        });
        const { run } = await runClusters({ ...DEV_EKS, allowExtendedSupport: true });
        assert.ifError(run.error);
        assert.deepStrictEqual(eksComponentOf(run.resources).inputs.upgradePolicy, { supportType: "EXTENDED" });
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
