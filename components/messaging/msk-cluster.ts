import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    defaultReplication,
    KAFKA_IAM_PORT,
    type KafkaReplication,
    MSK_AZ_COUNTS,
    MSK_ENHANCED_MONITORING,
    MSK_STANDARD_BROKER_TYPE_FORM,
    MSK_STORAGE_TARGET_PERCENT,
    MSK_VOLUME_GIB,
    type MskEnhancedMonitoring,
    replicationProblems,
    serverProperties,
} from "./kafka-settings";
import { VERSIONS } from "../versions";
import { encryptedLogGroup } from "../observability/encrypted-log-group";
import { isProtected } from "../shared/protection";
import { logRetentionProblems } from "../shared/log-retention";

export const MSK_CLUSTER_DEFAULTS = {
    brokersPerAvailabilityZone: 1,
    volumeSizeGiB: 100,
    /** Autoscaling may grow each broker's volume to ten times the starting size. */
    maxVolumeSizeGiB: 1000,
    /** AWS recommends 50 to 60 %: room for a burst during the six-hour cool-down between expansions. */
    storageUtilizationTargetPercent: 60,
    /** Per-broker metrics (disk, CPU, under-replicated partitions) are what an on-call needs. */
    enhancedMonitoring: "PER_BROKER" as MskEnhancedMonitoring,
} as const;

export interface MskClusterArgs {
    /** VPC the brokers' client interfaces live in; the cluster's own security group is created there. */
    readonly vpcId: pulumi.Input<string>;
    /** Isolated data subnets, one per AZ; their number must equal `availabilityZoneCount`. */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** AZs the subnets span: 2 or 3, the counts MSK places brokers over. */
    readonly availabilityZoneCount: number;
    /** Brokers in each AZ; the broker count is this times `availabilityZoneCount`. @default 1 */
    readonly brokersPerAvailabilityZone?: number;
    /** Standard broker instance type, e.g. `kafka.m5.large` (the stack's `sizing.kafkaBrokerInstanceType`). */
    readonly instanceType: string;
    /** EBS volume of each broker at creation, GiB; autoscaling grows it afterwards. @default 100 */
    readonly volumeSizeGiB?: number;
    /** Largest volume storage autoscaling may grow a broker to, GiB (at most 16384). @default 1000 */
    readonly maxVolumeSizeGiB?: number;
    /** Disk utilization storage autoscaling keeps brokers at, 10 to 80 percent. @default 60 */
    readonly storageUtilizationTargetPercent?: number;
    /** `default.replication.factor` of new topics. @default the broker count, at most 3 */
    readonly defaultReplicationFactor?: number;
    /** `min.insync.replicas`, below the replication factor. @default replication factor - 1, at least 1 */
    readonly minInSyncReplicas?: number;
    /**
     * Adopt this security group for the brokers instead of creating one. @default - a new group that
     * admits `clientSecurityGroupIds` and `clientCidrs` on 9098 and nothing else
     */
    readonly securityGroupId?: pulumi.Input<string>;
    /** Security groups whose members may reach the brokers (created group only). @default none */
    readonly clientSecurityGroupIds?: readonly pulumi.Input<string>[];
    /** CIDRs that may reach the brokers (created group only). @default none */
    readonly clientCidrs?: readonly string[];
    /** Customer-managed KMS key (ARN) that encrypts broker storage: the platform's messaging key. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** KMS key (ARN) of the broker log group; its policy must admit CloudWatch Logs. */
    readonly logsKmsKeyArn: pulumi.Input<string>;
    /** Retention of the broker log group. */
    readonly logRetentionInDays: number;
    /** MSK enhanced monitoring level. @default "PER_BROKER" */
    readonly enhancedMonitoring?: MskEnhancedMonitoring;
    /** Set `protect` on the cluster so that Pulumi refuses to delete it. @default true */
    readonly protect?: boolean;
}

/** The arguments with every default applied. */
export interface MskClusterSettings {
    readonly numberOfBrokerNodes: number;
    readonly volumeSizeGiB: number;
    readonly maxVolumeSizeGiB: number;
    readonly storageUtilizationTargetPercent: number;
    readonly replication: KafkaReplication;
    readonly enhancedMonitoring: MskEnhancedMonitoring;
}

/**
 * An MSK (provisioned, Standard brokers) cluster that only speaks TLS, only admits IAM-authenticated
 * clients, encrypts storage with the messaging key, logs to an encrypted log group, grows its storage
 * automatically, and runs a broker configuration that refuses silent data loss.
 */
export class MskCluster extends pulumi.ComponentResource {
    public readonly clusterArn: pulumi.Output<string>;
    public readonly clusterName: pulumi.Output<string>;
    /** Bootstrap brokers of the SASL/IAM listener (TLS, port 9098): what clients and connectors use. */
    public readonly bootstrapBrokersSaslIam: pulumi.Output<string>;
    /** The brokers' security group (created or adopted). */
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly configurationArn: pulumi.Output<string>;
    public readonly brokerLogGroupName: pulumi.Output<string>;
    public readonly numberOfBrokerNodes: number;
    /** Replication settings of the broker configuration. */
    public readonly replication: KafkaReplication;

    constructor(name: string, args: MskClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:messaging:MskCluster", name, {}, opts);
        const s = mskClusterSettings(name, args);
        this.numberOfBrokerNodes = s.numberOfBrokerNodes;
        this.replication = s.replication;

        this.securityGroupId = args.securityGroupId
            ? pulumi.output(args.securityGroupId)
            : this.brokerSecurityGroup(name, args);

        const logGroup = encryptedLogGroup(
            `${name}-brokers`,
            { retentionInDays: args.logRetentionInDays, kmsKeyArn: args.logsKmsKeyArn },
            { parent: this },
        );
        this.brokerLogGroupName = logGroup.name;

        const configuration = new aws.msk.Configuration(
            `${name}-config`,
            {
                kafkaVersions: [VERSIONS.kafka],
                serverProperties: serverProperties(s.replication),
                description: `${name}: explicit topics, replicated writes, no unclean leader election`,
            },
            { parent: this },
        );
        this.configurationArn = configuration.arn;

        const azCount = args.availabilityZoneCount;
        const clientSubnets = pulumi.output(args.subnetIds).apply((ids) => {
            if (ids.length !== azCount) {
                throw new Error(
                    `MskCluster ${name}: subnetIds has ${ids.length} subnets but availabilityZoneCount is ${azCount}; pass one data subnet per AZ`,
                );
            }
            return ids;
        });

        const cluster = new aws.msk.Cluster(
            `${name}-cluster`,
            {
                kafkaVersion: VERSIONS.kafka,
                numberOfBrokerNodes: s.numberOfBrokerNodes,
                brokerNodeGroupInfo: {
                    instanceType: args.instanceType,
                    clientSubnets,
                    securityGroups: [this.securityGroupId],
                    storageInfo: { ebsStorageInfo: { volumeSize: s.volumeSizeGiB } },
                },
                encryptionInfo: {
                    encryptionAtRestKmsKeyArn: args.kmsKeyArn,
                    encryptionInTransit: { clientBroker: "TLS", inCluster: true },
                },
                clientAuthentication: { sasl: { iam: true }, unauthenticated: false },
                configurationInfo: { arn: configuration.arn, revision: configuration.latestRevision },
                loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: logGroup.name } } },
                enhancedMonitoring: s.enhancedMonitoring,
            },
            {
                parent: this,
                protect: isProtected(args.protect),
                // Storage autoscaling grows the volumes; without this the next `up` would try to shrink them.
                ignoreChanges: ["brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize"],
            },
        );
        this.clusterArn = cluster.arn;
        this.clusterName = cluster.clusterName;
        this.bootstrapBrokersSaslIam = cluster.bootstrapBrokersSaslIam;

        const storage = new aws.appautoscaling.Target(
            `${name}-storage`,
            {
                serviceNamespace: "kafka",
                scalableDimension: "kafka:broker-storage:VolumeSize",
                resourceId: cluster.arn,
                minCapacity: 1,
                maxCapacity: s.maxVolumeSizeGiB,
            },
            { parent: this },
        );
        new aws.appautoscaling.Policy(
            `${name}-storage`,
            {
                policyType: "TargetTrackingScaling",
                serviceNamespace: storage.serviceNamespace,
                scalableDimension: storage.scalableDimension,
                resourceId: storage.resourceId,
                targetTrackingScalingPolicyConfiguration: {
                    predefinedMetricSpecification: { predefinedMetricType: "KafkaBrokerStorageUtilization" },
                    targetValue: s.storageUtilizationTargetPercent,
                    // MSK cannot shrink a volume.
                    disableScaleIn: true,
                },
            },
            { parent: this },
        );

        this.registerOutputs({
            clusterArn: this.clusterArn,
            bootstrapBrokersSaslIam: this.bootstrapBrokersSaslIam,
            securityGroupId: this.securityGroupId,
        });
    }

    /** Only IAM-authenticated Kafka over TLS, only from the named clients; no egress, brokers never dial out. */
    private brokerSecurityGroup(name: string, args: MskClusterArgs): pulumi.Output<string> {
        const sg = new aws.ec2.SecurityGroup(
            `${name}-brokers`,
            { vpcId: args.vpcId, description: `${name}: Kafka brokers, SASL/IAM over TLS from admitted clients only` },
            { parent: this },
        );
        const rule = (suffix: string, source: { sg?: pulumi.Input<string>; cidr?: string }) =>
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-${KAFKA_IAM_PORT}-from-${suffix}`,
                {
                    securityGroupId: sg.id,
                    ...(source.cidr ? { cidrIpv4: source.cidr } : { referencedSecurityGroupId: source.sg }),
                    ipProtocol: "tcp",
                    fromPort: KAFKA_IAM_PORT,
                    toPort: KAFKA_IAM_PORT,
                    description: `Kafka SASL/IAM from ${suffix}`,
                },
                { parent: this },
            );
        (args.clientSecurityGroupIds ?? []).forEach((id, i) => rule(`sg-${i}`, { sg: id }));
        (args.clientCidrs ?? []).forEach((cidr, i) => rule(`cidr-${i}`, { cidr }));
        return sg.id;
    }
}

/** Validates every argument at once and applies the defaults; throws one error naming every problem. */
export function mskClusterSettings(name: string, args: MskClusterArgs): MskClusterSettings {
    const d = MSK_CLUSTER_DEFAULTS;
    const perAz = args.brokersPerAvailabilityZone ?? d.brokersPerAvailabilityZone;
    const volumeSizeGiB = args.volumeSizeGiB ?? d.volumeSizeGiB;
    const maxVolumeSizeGiB = args.maxVolumeSizeGiB ?? d.maxVolumeSizeGiB;
    const target = args.storageUtilizationTargetPercent ?? d.storageUtilizationTargetPercent;
    const enhancedMonitoring = args.enhancedMonitoring ?? d.enhancedMonitoring;
    const problems: string[] = [];

    const azValid = (MSK_AZ_COUNTS as readonly number[]).includes(args.availabilityZoneCount);
    const perAzValid = Number.isInteger(perAz) && perAz >= 1;
    if (!azValid) {
        problems.push(
            `availabilityZoneCount must be ${MSK_AZ_COUNTS.join(" or ")} (MSK spreads brokers evenly over 2 or 3 AZs); received ${args.availabilityZoneCount}`,
        );
    }
    if (!perAzValid) {
        problems.push(
            `brokersPerAvailabilityZone must be a whole number of at least 1, so that numberOfBrokerNodes ` +
                `(brokers per AZ x availabilityZoneCount) is a multiple of the AZ count as MSK requires; received ${perAz}`,
        );
    }
    if (!MSK_STANDARD_BROKER_TYPE_FORM.test(args.instanceType)) {
        problems.push(
            `instanceType must be an MSK Standard broker type such as kafka.m5.large (Express brokers have no EBS volume to size); received ${JSON.stringify(args.instanceType)}`,
        );
    }
    const gib = (v: number) => Number.isInteger(v) && v >= MSK_VOLUME_GIB.min && v <= MSK_VOLUME_GIB.max;
    if (!gib(volumeSizeGiB)) {
        problems.push(
            `volumeSizeGiB must be a whole number from ${MSK_VOLUME_GIB.min} to ${MSK_VOLUME_GIB.max}; received ${volumeSizeGiB}`,
        );
    }
    if (!gib(maxVolumeSizeGiB) || maxVolumeSizeGiB <= volumeSizeGiB) {
        problems.push(
            `maxVolumeSizeGiB must be a whole number above volumeSizeGiB (${volumeSizeGiB}) and at most ${MSK_VOLUME_GIB.max}; received ${maxVolumeSizeGiB}`,
        );
    }
    const t = MSK_STORAGE_TARGET_PERCENT;
    if (!(target >= t.min && target <= t.max)) {
        problems.push(`storageUtilizationTargetPercent must be from ${t.min} to ${t.max}; received ${target}`);
    }
    if (!MSK_ENHANCED_MONITORING.includes(enhancedMonitoring)) {
        problems.push(
            `enhancedMonitoring must be one of ${MSK_ENHANCED_MONITORING.join(", ")}; received ${JSON.stringify(enhancedMonitoring)}`,
        );
    }
    const adoptsSg = args.securityGroupId !== undefined;
    const clients = (args.clientSecurityGroupIds?.length ?? 0) + (args.clientCidrs?.length ?? 0);
    if (adoptsSg && clients > 0) {
        problems.push(
            "clientSecurityGroupIds and clientCidrs shape the security group the component creates; with securityGroupId " +
                "(an adopted group) admit the clients in that group instead",
        );
    } else if (!adoptsSg && clients === 0) {
        problems.push(
            "the brokers' security group would admit no client: pass clientSecurityGroupIds or clientCidrs, or adopt a group with securityGroupId",
        );
    }

    const numberOfBrokerNodes = perAz * args.availabilityZoneCount;
    const defaults = defaultReplication(numberOfBrokerNodes);
    const replicationFactor = args.defaultReplicationFactor ?? defaults.replicationFactor;
    const replication: KafkaReplication = {
        replicationFactor,
        minInSyncReplicas: args.minInSyncReplicas ?? Math.max(1, replicationFactor - 1),
    };
    // Replication is judged against the broker count, which only means something when both factors are valid.
    if (azValid && perAzValid) problems.push(...replicationProblems(numberOfBrokerNodes, replication));
    problems.push(...logRetentionProblems("logRetentionInDays", args.logRetentionInDays));
    if (problems.length > 0) throw new Error(`MskCluster ${name}: ${problems.join("; ")}`);
    return {
        numberOfBrokerNodes,
        volumeSizeGiB,
        maxVolumeSizeGiB,
        storageUtilizationTargetPercent: target,
        replication,
        enhancedMonitoring,
    };
}
