import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parseCidr } from "../shared/cidr";
import { VERSIONS } from "../versions";

/** How the workload nodes are bought. `MIXED` is one on-demand group for the baseline plus one spot group. */
export const WORKLOAD_CAPACITY_TYPES = ["SPOT", "ON_DEMAND", "MIXED"] as const;
export type WorkloadCapacityType = (typeof WORKLOAD_CAPACITY_TYPES)[number];

/** Defaults, applied in one place ({@link withEksClusterDefaults}). */
export const EKS_CLUSTER_DEFAULTS = {
    /** Two system nodes so that CoreDNS and the EBS CSI controller survive the loss of one node or AZ. */
    systemNodeMinSize: 2,
    systemNodeMaxSize: 3,
    systemNodeInstanceTypes: ["m6i.large"],
    workloadNodeMinSize: 1,
    workloadNodeMaxSize: 6,
    /** No interruptions unless a stack asks for spot capacity. */
    workloadCapacityType: "ON_DEMAND",
    deletionProtection: true,
    /** Room for container images; the AMI's 20 GiB fills up with a few large images. */
    nodeRootVolumeSizeInGiB: 50,
} as const;

/**
 * Instance metadata as the node launch templates serve it. IMDSv2 only, and a hop limit of 1: a pod in its
 * own network namespace is one hop further away and cannot reach the metadata service, so it cannot
 * borrow the node role's credentials. Every AWS caller in the cluster uses IRSA (the EBS CSI driver here),
 * and the host-network daemons that do need metadata (VPC CNI, kube-proxy) are on the node's own stack.
 * A workload that truly needs IMDS must get its region and VPC from configuration instead.
 */
export const NODE_METADATA_OPTIONS = {
    httpEndpoint: "enabled",
    httpTokens: "required",
    httpPutResponseHopLimit: 1,
    instanceMetadataTags: "disabled",
} as const;

/** Every control-plane log type; EKS delivers them to CloudWatch Logs itself. */
export const EKS_CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

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

/** Ports of istiod that the control plane and other nodes must reach: sidecar-injection webhook and xDS. */
export const ISTIO_CONTROL_PLANE_PORTS = { webhook: 15017, xds: 15012 } as const;

/** Managed-node-group AMI: Amazon Linux 2023, which EKS keeps patched per Kubernetes version. */
const NODE_AMI_TYPE = "AL2023_x86_64_STANDARD";
const NODE_ROOT_DEVICE = "/dev/xvda";
/** Label of the `system` nodes, which are on-demand: cluster DNS is pinned there, out of reach of spot reclaims. */
const SYSTEM_NODE_LABELS = { role: "system" } as const;
/** Taint that keeps application pods off the system nodes; CoreDNS and the EKS add-ons tolerate it. */
const SYSTEM_TAINT = { key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" } as const;

export interface EksClusterArgs {
    /** VPC of the cluster. */
    readonly vpcId: pulumi.Input<string>;
    /** Private subnets (the app tier) for the control-plane network interfaces and every node group. */
    readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Kubernetes version of the control plane and the node groups. @default VERSIONS.kubernetes */
    readonly kubernetesVersion?: string;
    /** KMS key (ARN) for envelope encryption of Kubernetes secrets. Cannot be removed once set. */
    readonly secretsKmsKeyArn: pulumi.Input<string>;
    /** KMS key (ARN) that encrypts node root volumes and the volumes the EBS CSI driver creates. */
    readonly nodeVolumeKmsKeyArn: pulumi.Input<string>;
    /**
     * IPv4 ranges that may reach a public API endpoint. Given, the endpoint is public but limited to these
     * ranges; never `/0`. @default none: the API endpoint is private, reachable only from networks routed to the VPC
     */
    readonly publicEndpointCidrs?: readonly string[];
    /** Instance types of the `system` node group. @default ["m6i.large"] */
    readonly systemNodeInstanceTypes?: readonly string[];
    /** Minimum (and initial) size of the `system` node group, at least 1. @default 2 */
    readonly systemNodeMinSize?: number;
    /** Maximum size of the `system` node group. @default 3 */
    readonly systemNodeMaxSize?: number;
    /** Instance types of the workload node groups; several types give spot capacity more pools to draw from. */
    readonly workloadNodeInstanceTypes: readonly string[];
    /** Minimum (and initial) size of each workload node group. @default 1 */
    readonly workloadNodeMinSize?: number;
    /** Maximum size of each workload node group. @default 6 */
    readonly workloadNodeMaxSize?: number;
    /**
     * How workload nodes are bought: `SPOT`, `ON_DEMAND`, or `MIXED` (one on-demand group plus one spot
     * group). @default "ON_DEMAND"
     */
    readonly workloadCapacityType?: WorkloadCapacityType;
    /** IAM roles (ARNs) given cluster-wide admin through access entries. @default none: only the creator */
    readonly adminRoleArns?: readonly string[];
    /** EKS deletion protection: the API refuses to delete the cluster until it is turned off. @default true */
    readonly deletionProtection?: boolean;
}

/** The arguments with every default applied. */
export type ResolvedEksClusterArgs = EksClusterArgs &
    Required<
        Pick<
            EksClusterArgs,
            | "kubernetesVersion"
            | "publicEndpointCidrs"
            | "systemNodeInstanceTypes"
            | "systemNodeMinSize"
            | "systemNodeMaxSize"
            | "workloadNodeMinSize"
            | "workloadNodeMaxSize"
            | "workloadCapacityType"
            | "adminRoleArns"
            | "deletionProtection"
        >
    >;

export function withEksClusterDefaults(args: EksClusterArgs): ResolvedEksClusterArgs {
    const d = EKS_CLUSTER_DEFAULTS;
    return {
        ...args,
        kubernetesVersion: args.kubernetesVersion ?? VERSIONS.kubernetes,
        publicEndpointCidrs: args.publicEndpointCidrs ?? [],
        systemNodeInstanceTypes: args.systemNodeInstanceTypes ?? d.systemNodeInstanceTypes,
        systemNodeMinSize: args.systemNodeMinSize ?? d.systemNodeMinSize,
        systemNodeMaxSize: args.systemNodeMaxSize ?? d.systemNodeMaxSize,
        workloadNodeMinSize: args.workloadNodeMinSize ?? d.workloadNodeMinSize,
        workloadNodeMaxSize: args.workloadNodeMaxSize ?? d.workloadNodeMaxSize,
        workloadCapacityType: args.workloadCapacityType ?? d.workloadCapacityType,
        adminRoleArns: args.adminRoleArns ?? [],
        deletionProtection: args.deletionProtection ?? d.deletionProtection,
    };
}

/** One managed node group to create. */
export interface NodeGroupSpec {
    /** Suffix of the child names; stable, so switching capacity modes never renames a surviving group. */
    readonly suffix: string;
    readonly capacityType: "ON_DEMAND" | "SPOT";
    readonly instanceTypes: readonly string[];
    readonly minSize: number;
    readonly maxSize: number;
    readonly labels: Readonly<Record<string, string>>;
    readonly taints: readonly (typeof SYSTEM_TAINT)[];
}

/** The node groups of a cluster: always `system`, then one or two workload groups by capacity type. */
export function eksNodeGroupPlan(args: ResolvedEksClusterArgs): NodeGroupSpec[] {
    const workload = (capacityType: "ON_DEMAND" | "SPOT"): NodeGroupSpec => ({
        suffix: capacityType === "SPOT" ? "workload-spot" : "workload-on-demand",
        capacityType,
        instanceTypes: args.workloadNodeInstanceTypes,
        minSize: args.workloadNodeMinSize,
        maxSize: args.workloadNodeMaxSize,
        labels: { role: "workload" },
        taints: [],
    });
    const system: NodeGroupSpec = {
        suffix: "system",
        capacityType: "ON_DEMAND",
        instanceTypes: args.systemNodeInstanceTypes,
        minSize: args.systemNodeMinSize,
        maxSize: args.systemNodeMaxSize,
        labels: SYSTEM_NODE_LABELS,
        taints: [SYSTEM_TAINT],
    };
    switch (args.workloadCapacityType) {
        case "SPOT":
            return [system, workload("SPOT")];
        case "ON_DEMAND":
            return [system, workload("ON_DEMAND")];
        case "MIXED":
            return [system, workload("ON_DEMAND"), workload("SPOT")];
    }
}

/** Trust policy of an IRSA role: only `serviceAccount`, presenting a token for STS, from this cluster's issuer. */
export function irsaTrustPolicy(oidcProviderArn: string, oidcIssuer: string, serviceAccount: string): object {
    const issuer = oidcIssuer.replace(/^https:\/\//, "");
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Federated: oidcProviderArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: { [`${issuer}:sub`]: serviceAccount, [`${issuer}:aud`]: "sts.amazonaws.com" },
                },
            },
        ],
    };
}

/**
 * The primary Kubernetes cluster: EKS with a private API endpoint, secrets encrypted with a customer key,
 * every control-plane log, access entries instead of the aws-auth ConfigMap, IRSA, and managed node groups
 * (`system` for cluster add-ons, workload groups on spot, on-demand or both) whose launch templates enforce
 * IMDSv2 and encrypted volumes. The control plane is `eks.Cluster`; the node groups, add-ons that need nodes,
 * IAM and security-group rules are plain resources so that the offline plan and the policy pack see them.
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
        this.istioRules(name);

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
                    // No security groups here: EKS then attaches its cluster security group to the nodes.
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

    /**
     * istiod's webhook (15017, called by the API server) and xDS (15012) on the nodes, from the control plane.
     * Both sides wear the EKS cluster security group, whose default self-referencing rule already admits
     * this; the named rules keep the mesh working if that catch-all is ever tightened, and say why it matters.
     */
    private istioRules(name: string): void {
        for (const [purpose, port] of Object.entries(ISTIO_CONTROL_PLANE_PORTS)) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-istio-${purpose}`,
                {
                    securityGroupId: this.clusterSecurityGroupId,
                    referencedSecurityGroupId: this.clusterSecurityGroupId,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    description: `istiod ${purpose} from the EKS control plane`,
                },
                { parent: this },
            );
        }
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

const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;

function roleName(arn: string): string {
    return IAM_ROLE_ARN.exec(arn)?.[1] ?? arn;
}

/** Each public-endpoint range must be a canonical IPv4 CIDR, and none may be world-wide. */
function publicEndpointCidrProblems(cidrs: readonly string[]): string[] {
    return cidrs.flatMap((cidr, i) => {
        if (/\/0$/.test(cidr.trim())) {
            return [
                `publicEndpointCidrs[${i}] must not be a /0 range, which would open the Kubernetes API to the whole ` +
                    `internet; received ${JSON.stringify(cidr)}. List only the networks that need the public endpoint, ` +
                    `or leave publicEndpointCidrs unset to keep it private`,
            ];
        }
        return parseCidr(cidr)
            ? []
            : [
                  `publicEndpointCidrs[${i}] must be a canonical IPv4 CIDR such as "203.0.113.0/24"; received ${JSON.stringify(cidr)}`,
              ];
    });
}

function sizeProblems(prefix: "systemNode" | "workloadNode", min: number, max: number, smallestMin: number): string[] {
    const problems: string[] = [];
    if (!Number.isInteger(min) || min < smallestMin) {
        problems.push(`${prefix}MinSize must be a whole number of at least ${smallestMin}; received ${min}`);
    }
    if (!Number.isInteger(max) || max < Math.max(1, min)) {
        problems.push(
            `${prefix}MaxSize must be a whole number of at least 1 and no smaller than ${prefix}MinSize (${min}); received ${max}`,
        );
    }
    return problems;
}

/** Throws one error listing every invalid argument. */
export function validateEksClusterArgs(
    name: string,
    args: ResolvedEksClusterArgs,
    context: { hasAwsProvider: boolean },
): void {
    const problems: string[] = [];
    if (!context.hasAwsProvider) {
        problems.push(
            "an explicit aws provider is required ({ provider: awsProvider } in the options): eks.Cluster does " +
                "not inherit one, and default providers are disabled",
        );
    }
    if (!/^1\.\d+$/.test(args.kubernetesVersion)) {
        problems.push(
            `kubernetesVersion must be a minor version such as "${VERSIONS.kubernetes}"; received ${JSON.stringify(args.kubernetesVersion)}`,
        );
    }
    problems.push(...publicEndpointCidrProblems(args.publicEndpointCidrs));
    if (!(WORKLOAD_CAPACITY_TYPES as readonly string[]).includes(args.workloadCapacityType)) {
        problems.push(
            `workloadCapacityType must be one of ${WORKLOAD_CAPACITY_TYPES.join(", ")}; received ${JSON.stringify(args.workloadCapacityType)}`,
        );
    }
    for (const key of ["systemNodeInstanceTypes", "workloadNodeInstanceTypes"] as const) {
        if (args[key].length === 0) problems.push(`${key} must name at least one instance type; received []`);
    }
    problems.push(...sizeProblems("systemNode", args.systemNodeMinSize, args.systemNodeMaxSize, 1));
    problems.push(...sizeProblems("workloadNode", args.workloadNodeMinSize, args.workloadNodeMaxSize, 0));
    const seen = new Set<string>();
    args.adminRoleArns.forEach((arn, i) => {
        if (!IAM_ROLE_ARN.test(arn)) {
            problems.push(
                `adminRoleArns[${i}] must be an IAM role ARN (arn:aws:iam::<account>:role/<name>); received ${JSON.stringify(arn)}`,
            );
        } else if (seen.has(roleName(arn))) {
            problems.push(
                `adminRoleArns[${i}] repeats the role name ${JSON.stringify(roleName(arn))}; list each role once`,
            );
        }
        seen.add(roleName(arn));
    });
    if (problems.length > 0) throw new Error(`EksCluster ${name}: ${problems.join("; ")}`);
}
