/**
 * The typed shape of a stack's configuration, the closed choices it draws from and the per-stack
 * defaults. Everything the program knows about a stack flows through {@link PlatformConfig}.
 */
import type { RunnerComputeType } from "../components/cicd/runner-settings";

/** Pulumi project name; also the namespace of every key below (`multicloud-platform:<key>`). */
export const PROJECT = "multicloud-platform";

/**
 * Namespaces of the provider packages the program creates resources with; a stack file may configure
 * them (tests/config keeps this list equal to the `@pulumi/*` provider dependencies of package.json).
 */
export const PROVIDER_NAMESPACES = ["aws", "awsx", "eks", "gcp", "kubernetes", "postgresql", "random", "tls"] as const;

export const ENVIRONMENTS = ["dev", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** AWS commercial regions the platform is allowed to run in. */
export const AWS_REGIONS = [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "sa-east-1",
] as const;
export type AwsRegion = (typeof AWS_REGIONS)[number];

/** GCP regions the platform is allowed to run in. */
export const GCP_REGIONS = [
    "us-central1",
    "us-east1",
    "us-east4",
    "us-east5",
    "us-west1",
    "us-west2",
    "us-west3",
    "us-west4",
    "northamerica-northeast1",
    "northamerica-northeast2",
    "europe-west1",
    "europe-west2",
    "europe-west3",
    "europe-west4",
    "europe-west6",
    "europe-north1",
    "asia-east1",
    "asia-northeast1",
    "asia-southeast1",
    "australia-southeast1",
    "southamerica-east1",
] as const;
export type GcpRegion = (typeof GCP_REGIONS)[number];

/** Tags every taggable resource must carry; the policy pack's default list is the same. */
export const REQUIRED_TAG_KEYS = ["environment", "owner", "cost-center", "data-classification", "managed-by"] as const;

/** Tags the program derives itself; a stack may not set them to something else. */
export const DERIVED_TAGS = { "managed-by": "pulumi" } as const;

export const DATA_CLASSIFICATIONS = ["public", "internal", "confidential", "restricted"] as const;
export type DataClassification = (typeof DATA_CLASSIFICATIONS)[number];

export const NAT_GATEWAY_STRATEGIES = ["single", "one-per-az"] as const;
export type NatGatewayStrategy = (typeof NAT_GATEWAY_STRATEGIES)[number];

export { LOG_RETENTION_DAYS } from "../components/shared/log-retention";

export interface AwsConfig {
    /** Region of the primary platform (EKS, Aurora writer, MSK). */
    readonly primaryRegion: AwsRegion;
    /** Second AWS region: KMS keys, Aurora secondary cluster, DynamoDB replicas. Must differ from the primary. */
    readonly secondaryRegion: AwsRegion;
}

export interface GcpConfig {
    /** GCP project id that hosts the DR side. */
    readonly project: string;
    /** GCP region of the DR side. */
    readonly region: GcpRegion;
}

/**
 * The address plan. Every range is RFC 1918 and disjoint from every other, because the VPN routes
 * between the clouds and an overlap would blackhole traffic.
 */
export interface NetworkConfig {
    readonly awsPrimaryVpcCidr: string;
    readonly awsSecondaryVpcCidr: string;
    /** GKE node subnet. */
    readonly gcpSubnetCidr: string;
    /** Subnet for data-side workloads (DMS, connectors) in GCP. */
    readonly gcpDataSubnetCidr: string;
    /** GKE pod secondary range. */
    readonly gkePodsCidr: string;
    /** GKE service secondary range. */
    readonly gkeServicesCidr: string;
    /** Range reserved for private service access (Cloud SQL, Memorystore private IPs). */
    readonly gcpPrivateServicesCidr: string;
    /** The /28 of the GKE control plane's private endpoint (Google's peered network). */
    readonly gkeMasterCidr: string;
    /**
     * Where `pulumi up` and the CI runners run: RFC 1918 blocks inside `awsPrimaryVpcCidr`, the only network
     * routed to both private cluster APIs. Admitted on 443 by the EKS cluster security group and listed in the
     * GKE master authorized networks. Required: no default can know where the runner lives.
     */
    readonly deployerCidrs: readonly string[];
    /** BGP ASN of the AWS side (Transit Gateway). Private range; differs from the GCP ASN. */
    readonly awsBgpAsn: number;
    /** BGP ASN of the GCP Cloud Router. Private range; differs from the AWS ASN. */
    readonly gcpBgpAsn: number;
    /**
     * Link-local /30 of each of the four VPN tunnels (BGP session addresses), outside the blocks AWS
     * reserves. @default ["169.254.21.0/30", "169.254.21.4/30", "169.254.22.0/30", "169.254.22.4/30"]
     */
    readonly vpnTunnelInsideCidrs: readonly string[];
}

/** Per-stack sizing. Every field is optional in the stack file; defaults come from {@link SIZING_DEFAULTS}. */
export interface SizingConfig {
    /** Availability zones per AWS region. @default 3 */
    readonly availabilityZoneCount: number;
    /** NAT gateways: one shared (cheap) or one per AZ (survives an AZ loss). @default dev "single", prod "one-per-az" */
    readonly natGateways: NatGatewayStrategy;
    /** CloudWatch log retention. @default dev 30, prod 365 */
    readonly logRetentionDays: number;
    /** Backup retention for databases and caches, 1 to 35. @default dev 7, prod 35 */
    readonly backupRetentionDays: number;
    /** Kubernetes workload node instance types. @default dev ["t3.large"], prod ["m6i.xlarge", "m6a.xlarge"] */
    readonly kubernetesNodeInstanceTypes: readonly string[];
    /** Aurora instance class. @default "db.r6g.large" (Aurora global databases take only memory-optimized classes) */
    readonly databaseInstanceClass: string;
    /** Aurora readers in the primary region. @default dev 0, prod 2 */
    readonly databaseReaderCount: number;
    /** MSK broker instance type. @default dev "kafka.t3.small", prod "kafka.m5.large" */
    readonly kafkaBrokerInstanceType: string;
    /** ElastiCache node type. @default dev "cache.t4g.small", prod "cache.r7g.large" */
    readonly cacheNodeType: string;
    /**
     * Accept instance, node, broker and database types missing from the closed lists of
     * components/shared/instance-types.ts (a type newer than the lists); only their form is checked.
     * @default false
     */
    readonly allowUnlistedInstanceTypes?: boolean;
    /**
     * Let prod run on fewer than three AZs, which drops Kafka below replication factor 3 and
     * min.insync.replicas 2. @default false
     */
    readonly allowReducedDurability?: boolean;
}

/** Messaging settings. Optional in the stack file. */
export interface MessagingConfig {
    /**
     * Path (relative to the project) of Google's Pub/Sub Kafka connector jar, uploaded as the MSK Connect
     * plugin. Download the pinned release and check its checksum before `pulumi up`.
     * @default "vendor/pubsub-group-kafka-connector.jar"
     */
    readonly pubsubConnectorJarPath: string;
    /** Kafka topics mirrored to Pub/Sub for the DR side. @default ["orders", "payments"] */
    readonly drTopics: readonly string[];
    /**
     * Days the Pub/Sub sink's service-account key lives; the first `pulumi up` after a period ends
     * rotates it. 1 to 365. @default 90
     */
    readonly pubsubKeyRotationDays: number;
}

export const MESSAGING_DEFAULTS: MessagingConfig = {
    pubsubConnectorJarPath: "vendor/pubsub-group-kafka-connector.jar",
    drTopics: ["orders", "payments"],
    pubsubKeyRotationDays: 90,
};

/** Data settings. Optional in the stack file. */
export interface DataConfig {
    /**
     * Start the Aurora -> Cloud SQL migration job. Turn it on only after step 1 of the DR runbook (the
     * replication user and pglogical exist on Aurora): starting verifies them. @default false
     */
    readonly startDrMigration: boolean;
}

export const DATA_DEFAULTS: DataConfig = { startDrMigration: false };
/** The CI runner inside the primary VPC (`deploy.runner`); see README, "Bootstrap and the CI runner". */
export interface RunnerConfig {
    /** Create the runner. @default true when `deploy.runner` is set */
    readonly enabled: boolean;
    /** The GitHub repository whose workflow jobs it runs, as `owner/name`. */
    readonly repository: string;
    /** ARN of the AVAILABLE CodeConnections connection to GitHub, in the primary region. */
    readonly connectionArn: string;
    /** CodeBuild compute type. @default "BUILD_GENERAL1_MEDIUM" */
    readonly computeType?: RunnerComputeType;
}

/** How a deploy reaches the platform. Optional in the stack file. */
export interface DeployConfig {
    /**
     * Deploy the objects inside the clusters (the mesh layer: namespaces, Istio). `false` only for the
     * bootstrap `up`, run from where the private cluster APIs are out of reach. @default true
     */
    readonly inClusterLayers: boolean;
    /** The in-VPC CI runner. @default none: no runner */
    readonly runner?: RunnerConfig;
}

export const DEPLOY_DEFAULTS: DeployConfig = { inClusterLayers: true };

export type Tags = Readonly<Record<string, string>>;

/** The validated configuration of one stack. */
export interface PlatformConfig {
    readonly project: string;
    readonly stack: string;
    readonly environment: Environment;
    readonly aws: AwsConfig;
    readonly gcp: GcpConfig;
    readonly network: NetworkConfig;
    /** Tags for AWS `defaultTags`, the GCP `defaultLabels` and anything else that takes labels. */
    readonly tags: Tags;
    readonly sizing: SizingConfig;
    readonly messaging: MessagingConfig;
    readonly data: DataConfig;
    readonly deploy: DeployConfig;
    /** Prod keeps everything stateful: `protect`, deletion protection, final snapshots. */
    readonly protectStatefulResources: boolean;
}

export const SIZING_DEFAULTS: Record<Environment, SizingConfig> = {
    dev: {
        availabilityZoneCount: 3,
        natGateways: "single",
        logRetentionDays: 30,
        backupRetentionDays: 7,
        kubernetesNodeInstanceTypes: ["t3.large"],
        databaseInstanceClass: "db.r6g.large",
        databaseReaderCount: 0,
        kafkaBrokerInstanceType: "kafka.t3.small",
        cacheNodeType: "cache.t4g.small",
    },
    prod: {
        availabilityZoneCount: 3,
        natGateways: "one-per-az",
        logRetentionDays: 365,
        backupRetentionDays: 35,
        kubernetesNodeInstanceTypes: ["m6i.xlarge", "m6a.xlarge"],
        databaseInstanceClass: "db.r6g.large",
        databaseReaderCount: 2,
        kafkaBrokerInstanceType: "kafka.m5.large",
        cacheNodeType: "cache.r7g.large",
    },
};

/** The top-level config keys the program reads, in the project namespace. */
export const CONFIG_KEYS = [
    "environment",
    "aws",
    "gcp",
    "network",
    "tags",
    "sizing",
    "messaging",
    "data",
    "deploy",
] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];
