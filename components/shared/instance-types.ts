/**
 * Closed lists of the instance, node, broker and database classes the platform offers, as data: one
 * family with its sizes per entry. A typo such as `db.r6g.larg` or `t3.huge` is rejected up front instead
 * of by the cloud API after hundreds of resources exist. A type missing here is not forbidden: the stack
 * sets `sizing.allowUnlistedInstanceTypes: true` (see README, "Config reference") and only the family's
 * form is checked, so a new instance type never needs a code change.
 */

/** A family and the sizes it comes in. */
export interface InstanceFamily {
    readonly family: string;
    readonly sizes: readonly string[];
}

/** Every type of a list: `<prefix><family>.<size>`. */
export function instanceTypes(prefix: string, families: readonly InstanceFamily[]): string[] {
    return families.flatMap((f) => f.sizes.map((s) => `${prefix}${f.family}.${s}`));
}

const upTo = (sizes: readonly string[], last: string): string[] => sizes.slice(0, sizes.indexOf(last) + 1);
const SIZES = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"] as const;
const BURSTABLE = ["nano", "micro", "small", "medium", "large", "xlarge", "2xlarge"] as const;

/**
 * EC2 types for EKS workload nodes: x86_64 only, because the node groups run the `AL2023_x86_64_STANDARD`
 * AMI (components/kubernetes/eks-cluster.ts); a Graviton type would fail when the node group is created.
 * Sizes from the EC2 instance type pages (https://aws.amazon.com/ec2/instance-types/), metal sizes left out.
 */
export const EKS_NODE_FAMILIES: readonly InstanceFamily[] = [
    { family: "t3", sizes: BURSTABLE },
    { family: "t3a", sizes: BURSTABLE },
    { family: "m5", sizes: SIZES },
    { family: "m5a", sizes: SIZES },
    { family: "m6i", sizes: [...SIZES, "32xlarge"] },
    { family: "m6a", sizes: [...SIZES, "32xlarge", "48xlarge"] },
    { family: "m7i", sizes: [...SIZES, "48xlarge"] },
    { family: "m7a", sizes: ["medium", ...SIZES, "32xlarge", "48xlarge"] },
    { family: "c5", sizes: ["large", "xlarge", "2xlarge", "4xlarge", "9xlarge", "12xlarge", "18xlarge", "24xlarge"] },
    { family: "c6i", sizes: [...SIZES, "32xlarge"] },
    { family: "c6a", sizes: [...SIZES, "32xlarge", "48xlarge"] },
    { family: "c7i", sizes: [...SIZES, "48xlarge"] },
    { family: "r5", sizes: SIZES },
    { family: "r6i", sizes: [...SIZES, "32xlarge"] },
    { family: "r6a", sizes: [...SIZES, "32xlarge", "48xlarge"] },
    { family: "r7i", sizes: [...SIZES, "48xlarge"] },
];
export const EKS_NODE_INSTANCE_TYPES = instanceTypes("", EKS_NODE_FAMILIES);

/** EC2 type names in general: `<family>.<size>`. */
export const EC2_INSTANCE_TYPE_FORM = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;

/**
 * Graviton (arm64) families carry a `g` after the generation (`m7g`, `c7gn`, `r8gd`, `t4g`). Checked even
 * for unlisted types, because no x86_64 node AMI boots on them.
 */
export const ARM64_INSTANCE_FAMILY = /^[a-z]+[0-9]+g[a-z]*\./;

/**
 * Aurora PostgreSQL classes a global database accepts: memory-optimized only
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.configuration.requirements.html);
 * families and sizes from "Supported DB engines for DB instance classes" (Concepts.DBInstanceClass.SupportAurora).
 */
export const AURORA_GLOBAL_FAMILIES: readonly InstanceFamily[] = [
    { family: "r5", sizes: SIZES },
    { family: "r6g", sizes: upTo(SIZES, "16xlarge") },
    { family: "r6i", sizes: [...SIZES, "32xlarge"] },
    { family: "r7g", sizes: upTo(SIZES, "16xlarge") },
    { family: "r7i", sizes: [...SIZES, "48xlarge"] },
    { family: "r8g", sizes: [...SIZES, "48xlarge"] },
    { family: "x2g", sizes: upTo(SIZES, "16xlarge") },
];
export const AURORA_GLOBAL_INSTANCE_CLASSES = instanceTypes("db.", AURORA_GLOBAL_FAMILIES);

/**
 * RDS classes of a catalog service's own instance (MySQL or PostgreSQL): the burstable Graviton and x86
 * classes for small stacks, general-purpose and memory-optimized ones for prod; families and sizes from
 * "Supported DB engines for DB instance classes"
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Support.html), each
 * offered by both RDS for MySQL 8.4 and RDS for PostgreSQL 16.
 */
export const RDS_INSTANCE_FAMILIES: readonly InstanceFamily[] = [
    { family: "t3", sizes: ["micro", "small", "medium", "large", "xlarge", "2xlarge"] },
    { family: "t4g", sizes: ["micro", "small", "medium", "large", "xlarge", "2xlarge"] },
    { family: "m6g", sizes: upTo(SIZES, "16xlarge") },
    { family: "m6i", sizes: [...SIZES, "32xlarge"] },
    { family: "m7g", sizes: upTo(SIZES, "16xlarge") },
    { family: "r6g", sizes: upTo(SIZES, "16xlarge") },
    { family: "r6i", sizes: [...SIZES, "32xlarge"] },
    { family: "r7g", sizes: upTo(SIZES, "16xlarge") },
];
export const RDS_INSTANCE_CLASSES = instanceTypes("db.", RDS_INSTANCE_FAMILIES);

/**
 * ElastiCache current-generation node types
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CacheNode.html).
 */
export const ELASTICACHE_FAMILIES: readonly InstanceFamily[] = [
    { family: "t3", sizes: ["micro", "small", "medium"] },
    { family: "t4g", sizes: ["micro", "small", "medium"] },
    { family: "m5", sizes: ["large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"] },
    { family: "m6g", sizes: upTo(SIZES, "16xlarge") },
    { family: "m7g", sizes: upTo(SIZES, "16xlarge") },
    { family: "r5", sizes: ["large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"] },
    { family: "r6g", sizes: upTo(SIZES, "16xlarge") },
    { family: "r7g", sizes: upTo(SIZES, "16xlarge") },
];
export const ELASTICACHE_NODE_TYPES = instanceTypes("cache.", ELASTICACHE_FAMILIES);

/**
 * MSK Standard broker sizes (https://docs.aws.amazon.com/msk/latest/developerguide/broker-instance-sizes.html).
 * Express brokers (`express.m7g.*`) are left out: the cluster sizes EBS storage, which they do not have.
 */
export const MSK_BROKER_FAMILIES: readonly InstanceFamily[] = [
    { family: "t3", sizes: ["small"] },
    { family: "m5", sizes: SIZES },
    { family: "m7g", sizes: upTo(SIZES, "16xlarge") },
];
export const MSK_BROKER_INSTANCE_TYPES = instanceTypes("kafka.", MSK_BROKER_FAMILIES);
