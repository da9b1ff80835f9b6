/** The managed node groups of an EKS cluster, as a pure plan, and the settings every node shares. */
import type { ResolvedEksClusterArgs } from "./eks-cluster-args";

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

/** Managed-node-group AMI: Amazon Linux 2023, which EKS keeps patched per Kubernetes version. */
export const NODE_AMI_TYPE = "AL2023_x86_64_STANDARD";
export const NODE_ROOT_DEVICE = "/dev/xvda";
/** Label of the `system` nodes, which are on-demand: cluster DNS is pinned there, out of reach of spot reclaims. */
export const SYSTEM_NODE_LABELS = { role: "system" } as const;
/** Taint that keeps application pods off the system nodes; CoreDNS and the EKS add-ons tolerate it. */
export const SYSTEM_TAINT = { key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" } as const;

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
