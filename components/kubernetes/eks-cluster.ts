import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    EKS_CLUSTER_DEFAULTS,
    roleName,
    validateEksClusterArgs,
    withEksClusterDefaults,
    type EksClusterArgs,
    type ResolvedEksClusterArgs,
} from "./eks-cluster-args";
import {
    eksNodeGroupPlan,
    NODE_AMI_TYPE,
    NODE_METADATA_OPTIONS,
    NODE_ROOT_DEVICE,
    SYSTEM_NODE_LABELS,
} from "./eks-node-groups";
import { irsaTrustPolicy } from "./irsa";

/** Every control-plane log type; EKS delivers them to CloudWatch Logs itself. */
export const EKS_CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** The port of the Kubernetes API on the EKS endpoint. */
export const EKS_API_PORT = 443;

export const EKS_CLUSTER_ADMIN_POLICY_ARN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

// Every region config/schema.ts admits is in the commercial partition, so the AWS-managed ARNs are literal:
// known at preview, and readable by the policy pack without waiting for an invoke.
export const EKS_NODE_MANAGED_POLICY_ARNS = [
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
    "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
] as const;
export const EBS_CSI_DRIVER_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy";
/** The service account the EBS CSI add-on runs its controller as. */
export const EBS_CSI_SERVICE_ACCOUNT = "system:serviceaccount:kube-system:ebs-csi-controller-sa";

/**
 * The primary Kubernetes cluster: EKS with a private API endpoint, secrets encrypted with a customer key,
 * every control-plane log, access entries instead of the aws-auth ConfigMap, IRSA, and managed node groups
 * (`system` for cluster add-ons, workload groups on spot, on-demand or both) whose launch templates enforce
 * IMDSv2 and encrypted volumes, on a version in standard support that EKS upgrades rather than bills extended
 * support for. The control plane is `eks.Cluster`; the node groups, add-ons that need nodes,
 * and IAM are plain resources so that the offline plan and the policy pack see them.
 * Needs an `aws` provider in its options.
 */
export class EksCluster extends pulumi.ComponentResource {
    public readonly clusterName: pulumi.Output<string>;
    /** API server URL (private unless `publicEndpointCidrs` was given). */
    public readonly endpoint: pulumi.Output<string>;
    /** Base64 PEM of the cluster CA. */
    public readonly certificateAuthority: pulumi.Output<string>;
    /** Kubeconfig (JSON) that authenticates with `aws eks get-token`; secret. */
    public readonly kubeconfig: pulumi.Output<string>;
    /** IAM OIDC provider of the cluster: the `Federated` principal of IRSA roles. */
    public readonly oidcProviderArn: pulumi.Output<string>;
    /** Issuer URL of the cluster's service-account tokens. */
    public readonly oidcProviderUrl: pulumi.Output<string>;
    /** The issuer without `https://`: the prefix of IRSA condition keys (`<issuer>:sub`). */
    public readonly oidcIssuer: pulumi.Output<string>;
    /** The security group EKS creates and puts on the control plane and on every managed node. */
    public readonly clusterSecurityGroupId: pulumi.Output<string>;
    /** IAM role of the nodes. */
    public readonly nodeRoleArn: pulumi.Output<string>;
    /** Kubernetes provider for this cluster, with server-side apply. */
    public readonly kubernetesProvider: k8s.Provider;

    constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:kubernetes:EksCluster", name, {}, opts);
        const settings = withEksClusterDefaults(args);
        const awsProvider = this.getProvider("aws:eks/cluster:Cluster");
        validateEksClusterArgs(name, settings, { hasAwsProvider: awsProvider !== undefined });

        const cluster = this.controlPlane(name, settings, awsProvider!);
        this.clusterName = cluster.eksCluster.name;
        this.endpoint = cluster.eksCluster.endpoint;
        this.certificateAuthority = cluster.eksCluster.certificateAuthority.data;
        this.kubeconfig = pulumi.secret(cluster.kubeconfigJson);
        this.oidcProviderArn = cluster.oidcProviderArn;
        this.oidcProviderUrl = cluster.oidcProviderUrl;
        this.oidcIssuer = cluster.oidcIssuer;
        // With skipDefaultSecurityGroups, eks reports the security group EKS itself created (vpcConfig's
        // clusterSecurityGroupId) here: the one on the control-plane ENIs and on every managed node.
        this.clusterSecurityGroupId = cluster.clusterSecurityGroupId;
        this.apiAccess(name, settings);

        const node = this.nodeIdentity(name);
        this.nodeRoleArn = node.role.arn;
        const nodeGroups = this.nodeGroups(name, settings, node);
        this.ebsCsiDriver(name, settings, nodeGroups);
        // CoreDNS is a Deployment: created inside eks.Cluster it would wait for nodes that cannot exist yet,
        // and time out DEGRADED (pulumi-eks #1819). Here it waits for the node groups instead.
        new aws.eks.Addon(
            `${name}-coredns`,
            {
                clusterName: this.clusterName,
                addonName: "coredns",
                configurationValues: JSON.stringify({ nodeSelector: SYSTEM_NODE_LABELS }),
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "OVERWRITE",
            },
            { parent: this, dependsOn: nodeGroups },
        );

        this.kubernetesProvider = new k8s.Provider(
            `${name}-k8s`,
            { kubeconfig: this.kubeconfig, enableServerSideApply: true },
            { parent: this },
        );
        this.registerOutputs({
            clusterName: this.clusterName,
            endpoint: this.endpoint,
            kubeconfig: this.kubeconfig,
            oidcProviderArn: this.oidcProviderArn,
            clusterSecurityGroupId: this.clusterSecurityGroupId,
            nodeRoleArn: this.nodeRoleArn,
        });
    }

    private controlPlane(name: string, settings: ResolvedEksClusterArgs, awsProvider: pulumi.ProviderResource) {
        const publicCidrs = settings.publicEndpointCidrs;
        return new eks.Cluster(
            `${name}-cluster`,
            {
                vpcId: settings.vpcId,
                privateSubnetIds: settings.privateSubnetIds,
                version: settings.kubernetesVersion,
                encryptionConfigKeyArn: settings.secretsKmsKeyArn,
                endpointPrivateAccess: true,
                endpointPublicAccess: publicCidrs.length > 0,
                // eks rejects publicAccessCidrs on a private endpoint, so they are passed only with a public one.
                ...(publicCidrs.length > 0 ? { publicAccessCidrs: [...publicCidrs] } : {}),
                enabledClusterLogTypes: [...EKS_CONTROL_PLANE_LOG_TYPES],
                createOidcProvider: true,
                // Access entries only: no aws-auth ConfigMap, so creating the cluster never needs the Kubernetes
                // API, which a private endpoint keeps out of reach of a deployer outside the VPC.
                authenticationMode: "API",
                accessEntries: adminAccessEntries(settings.adminRoleArns),
                skipDefaultNodeGroup: true,
                // Managed node groups get the security group EKS creates, not eks' extra node group: without
                // this, eks would create a node security group no node ever wears.
                skipDefaultSecurityGroups: true,
                nodeAssociatePublicIpAddress: false,
                deletionProtection: settings.deletionProtection,
                // EKS defaults to EXTENDED: a version past standard support keeps running at six times the
                // hourly price, unannounced. STANDARD makes EKS upgrade it instead.
                upgradePolicy: { supportType: settings.allowExtendedSupport ? "EXTENDED" : "STANDARD" },
                // VPC CNI and kube-proxy are DaemonSets, healthy with zero nodes, so eks may create them first.
                useDefaultVpcCni: false,
                vpcCniOptions: { enableNetworkPolicy: true },
                kubeProxyAddonOptions: { enabled: true },
                corednsAddonOptions: { enabled: false },
            },
            // A multi-language component gets only the providers it is handed, not its parent's.
            { parent: this, providers: { aws: awsProvider } },
        );
    }

    /**
     * 443 on the cluster security group from each API client range. With a private endpoint EKS documents
     * that the connected networks need this ingress on that group:
     * https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html#cluster-endpoint-private
     * Named by range, so adding or removing one never replaces another's rule.
     */
    private apiAccess(name: string, settings: ResolvedEksClusterArgs): void {
        for (const cidr of settings.apiClientCidrs) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-api-from-${cidr.replace(/[./]/g, "-")}`,
                {
                    securityGroupId: this.clusterSecurityGroupId,
                    cidrIpv4: cidr,
                    ipProtocol: "tcp",
                    fromPort: EKS_API_PORT,
                    toPort: EKS_API_PORT,
                    description: `Kubernetes API from ${cidr}`,
                },
                { parent: this },
            );
        }
    }

    /** The node role with its managed policies, and the access entry nodes join the cluster with. */
    private nodeIdentity(name: string): { role: aws.iam.Role; dependencies: pulumi.Resource[] } {
        const role = new aws.iam.Role(
            `${name}-node`,
            {
                description: `${name}: EKS managed nodes`,
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
                    ],
                }),
            },
            { parent: this },
        );
        const attachments = EKS_NODE_MANAGED_POLICY_ARNS.map(
            (policyArn) =>
                new aws.iam.RolePolicyAttachment(
                    `${name}-node-${policyArn.slice(policyArn.lastIndexOf("/") + 1)}`,
                    { role: role.id, policyArn },
                    { parent: this },
                ),
        );
        // Owned here so that the entry nodes join with is visible and restored by the next `up` if deleted;
        // created before any node group, so EKS finds it instead of creating its own.
        const accessEntry = new aws.eks.AccessEntry(
            `${name}-node`,
            { clusterName: this.clusterName, principalArn: role.arn, type: "EC2_LINUX" },
            { parent: this },
        );
        return { role, dependencies: [accessEntry, ...attachments] };
    }

    /** One launch template and managed node group per planned group. */
    private nodeGroups(
        name: string,
        settings: ResolvedEksClusterArgs,
        node: { role: aws.iam.Role; dependencies: pulumi.Resource[] },
    ): aws.eks.NodeGroup[] {
        return eksNodeGroupPlan(settings).map((spec) => {
            const template = new aws.ec2.LaunchTemplate(
                `${name}-${spec.suffix}`,
                {
                    description: `${name} ${spec.suffix} nodes: IMDSv2 only, encrypted root volume`,
                    updateDefaultVersion: true,
                    metadataOptions: NODE_METADATA_OPTIONS,
                    blockDeviceMappings: [
                        {
                            deviceName: NODE_ROOT_DEVICE,
                            ebs: {
                                volumeSize: EKS_CLUSTER_DEFAULTS.nodeRootVolumeSizeInGiB,
                                volumeType: "gp3",
                                encrypted: "true",
                                kmsKeyId: settings.nodeVolumeKmsKeyArn,
                                deleteOnTermination: "true",
                            },
                        },
                    ],
                    // Groups given here replace the ones EKS would attach, so the cluster security group (control
                    // plane <-> nodes) is listed first, then the extra groups (the app tier the data stores admit):
                    // https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html
                    ...(settings.nodeSecurityGroupIds.length > 0
                        ? { vpcSecurityGroupIds: [this.clusterSecurityGroupId, ...settings.nodeSecurityGroupIds] }
                        : {}),
                },
                { parent: this },
            );
            return new aws.eks.NodeGroup(
                `${name}-${spec.suffix}`,
                {
                    clusterName: this.clusterName,
                    nodeRoleArn: node.role.arn,
                    subnetIds: settings.privateSubnetIds,
                    version: settings.kubernetesVersion,
                    amiType: NODE_AMI_TYPE,
                    capacityType: spec.capacityType,
                    instanceTypes: [...spec.instanceTypes],
                    scalingConfig: { minSize: spec.minSize, maxSize: spec.maxSize, desiredSize: spec.minSize },
                    updateConfig: { maxUnavailable: 1 },
                    nodeRepairConfig: { enabled: true },
                    labels: { ...spec.labels },
                    taints: [...spec.taints],
                    launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
                },
                {
                    parent: this,
                    dependsOn: node.dependencies,
                    // The autoscaler owns the current size; a deploy must not snap it back to the minimum.
                    ignoreChanges: ["scalingConfig.desiredSize"],
                },
            );
        });
    }

    /** The EBS CSI add-on with its own IRSA role, allowed to create volumes with the node volume key. */
    private ebsCsiDriver(name: string, settings: ResolvedEksClusterArgs, nodeGroups: aws.eks.NodeGroup[]): void {
        const role = new aws.iam.Role(
            `${name}-ebs-csi`,
            {
                description: `${name}: EBS CSI controller (IRSA)`,
                assumeRolePolicy: pulumi
                    .all([this.oidcProviderArn, this.oidcIssuer])
                    .apply(([arn, issuer]) => JSON.stringify(irsaTrustPolicy(arn, issuer, EBS_CSI_SERVICE_ACCOUNT))),
            },
            { parent: this },
        );
        const managed = new aws.iam.RolePolicyAttachment(
            `${name}-ebs-csi`,
            { role: role.id, policyArn: EBS_CSI_DRIVER_POLICY_ARN },
            { parent: this },
        );
        const kms = new aws.iam.RolePolicy(
            `${name}-ebs-csi-kms`,
            {
                role: role.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
                            Resource: settings.nodeVolumeKmsKeyArn,
                            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
                        },
                        {
                            Effect: "Allow",
                            Action: [
                                "kms:Encrypt",
                                "kms:Decrypt",
                                "kms:ReEncrypt*",
                                "kms:GenerateDataKey*",
                                "kms:DescribeKey",
                            ],
                            Resource: settings.nodeVolumeKmsKeyArn,
                        },
                    ],
                }),
            },
            { parent: this },
        );
        new aws.eks.Addon(
            `${name}-ebs-csi`,
            {
                clusterName: this.clusterName,
                addonName: "aws-ebs-csi-driver",
                serviceAccountRoleArn: role.arn,
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "OVERWRITE",
            },
            // The controller is a Deployment (needs nodes) and must start with its permissions in place.
            { parent: this, dependsOn: [...nodeGroups, managed, kms] },
        );
    }
}

/** Access entries giving each admin role cluster-wide admin, keyed by role name (stable across reorderings). */
function adminAccessEntries(roleArns: readonly string[]): Record<string, eks.types.input.AccessEntryArgs> {
    return Object.fromEntries(
        roleArns.map((principalArn) => [
            `admin-${roleName(principalArn)}`,
            {
                principalArn,
                type: "STANDARD",
                accessPolicies: {
                    "cluster-admin": {
                        policyArn: EKS_CLUSTER_ADMIN_POLICY_ARN,
                        accessScope: { type: "cluster" },
                    },
                },
            },
        ]),
    );
}
