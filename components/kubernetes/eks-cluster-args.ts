/** The arguments of {@link EksCluster}, their defaults (applied in one place) and their validation. */
import type * as pulumi from "@pulumi/pulumi";
import { isPrivate, parseCidr } from "../shared/cidr";
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
    /** Standard support only: a version that ages out is upgraded by EKS, never billed as extended support. */
    allowExtendedSupport: false,
    /** Room for container images; the AMI's 20 GiB fills up with a few large images. */
    nodeRootVolumeSizeInGiB: 50,
} as const;

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
    /**
     * Private ranges outside the cluster that call the API (the deployers, the other cloud's istiod), admitted
     * on 443 by the cluster security group EKS creates; its only default inbound rule admits the group itself.
     * @default none: only the control plane and the nodes reach the private endpoint
     */
    readonly apiClientCidrs?: readonly string[];
    /**
     * Security groups the nodes wear beside the cluster security group (the app tier's, which the data stores
     * admit). Pods share their node's groups unless security groups for pods are enabled. @default none
     */
    readonly nodeSecurityGroupIds?: readonly pulumi.Input<string>[];
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
    /**
     * Let the cluster enter extended support when its version leaves standard support (upgrade policy
     * `EXTENDED`, $0.60 instead of $0.10 per cluster-hour) instead of being upgraded by EKS (`STANDARD`).
     * For a budgeted delay of an upgrade only. @default false
     */
    readonly allowExtendedSupport?: boolean;
}

/** The arguments with every default applied. */
export type ResolvedEksClusterArgs = EksClusterArgs &
    Required<
        Pick<
            EksClusterArgs,
            | "kubernetesVersion"
            | "publicEndpointCidrs"
            | "apiClientCidrs"
            | "nodeSecurityGroupIds"
            | "systemNodeInstanceTypes"
            | "systemNodeMinSize"
            | "systemNodeMaxSize"
            | "workloadNodeMinSize"
            | "workloadNodeMaxSize"
            | "workloadCapacityType"
            | "adminRoleArns"
            | "deletionProtection"
            | "allowExtendedSupport"
        >
    >;

export function withEksClusterDefaults(args: EksClusterArgs): ResolvedEksClusterArgs {
    const d = EKS_CLUSTER_DEFAULTS;
    return {
        ...args,
        kubernetesVersion: args.kubernetesVersion ?? VERSIONS.kubernetes,
        publicEndpointCidrs: args.publicEndpointCidrs ?? [],
        apiClientCidrs: args.apiClientCidrs ?? [],
        nodeSecurityGroupIds: args.nodeSecurityGroupIds ?? [],
        systemNodeInstanceTypes: args.systemNodeInstanceTypes ?? d.systemNodeInstanceTypes,
        systemNodeMinSize: args.systemNodeMinSize ?? d.systemNodeMinSize,
        systemNodeMaxSize: args.systemNodeMaxSize ?? d.systemNodeMaxSize,
        workloadNodeMinSize: args.workloadNodeMinSize ?? d.workloadNodeMinSize,
        workloadNodeMaxSize: args.workloadNodeMaxSize ?? d.workloadNodeMaxSize,
        workloadCapacityType: args.workloadCapacityType ?? d.workloadCapacityType,
        adminRoleArns: args.adminRoleArns ?? [],
        deletionProtection: args.deletionProtection ?? d.deletionProtection,
        allowExtendedSupport: args.allowExtendedSupport ?? d.allowExtendedSupport,
    };
}

export const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;

/** The name of a role from its ARN (the last path segment), or the ARN itself when it is not one. */
export function roleName(arn: string): string {
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

/** API clients reach the private endpoint over private routes only: canonical RFC 1918 blocks, each once. */
function apiClientCidrProblems(cidrs: readonly string[]): string[] {
    return cidrs.flatMap((cidr, i) => {
        const c = parseCidr(cidr);
        if (!c || !isPrivate(c)) {
            return [
                `apiClientCidrs[${i}] must be a canonical private (RFC 1918) IPv4 CIDR such as "10.10.0.0/19", a ` +
                    `network routed to the VPC; received ${JSON.stringify(cidr)}`,
            ];
        }
        return cidrs.indexOf(cidr) < i ? [`apiClientCidrs[${i}] repeats ${cidr}; list each range once`] : [];
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
    problems.push(...apiClientCidrProblems(args.apiClientCidrs));
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
