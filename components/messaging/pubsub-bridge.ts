import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import {
    AWS_ATTRIBUTE_MAPPING,
    awsAssumedRoleArn,
    connectorExecutionPolicy,
    connectorTrustPolicy,
    externalAccountCredentials,
    PUBSUB_SERVICE_AGENT_DOMAIN,
    sinkConnectorConfiguration,
    wifAttributeCondition,
    wifPrincipalSet,
    wifProviderAudience,
} from "./pubsub-federation";
import { PUBSUB_BRIDGE_DEFAULTS, pubSubBridgeSettings, type PubSubBridgeSettings } from "./pubsub-bridge-settings";

/** Converters for opaque bytes: the sink forwards Kafka records to Pub/Sub unchanged. */
const WORKER_PROPERTIES =
    "key.converter=org.apache.kafka.connect.storage.StringConverter\n" +
    "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter\n";

/** One Pub/Sub topic in the DR project and the Kafka topics mirrored into it (one connector each). */
export interface PubSubBridgeTopic {
    /** Pub/Sub topic name. */
    readonly name: string;
    /** Kafka topics the connector reads. @default [name] */
    readonly kafkaTopics?: readonly string[];
}

export interface PubSubBridgeArgs {
    /** What to mirror; each entry is a Pub/Sub topic, its dead-letter topic, a subscription and a connector. */
    readonly topics: readonly PubSubBridgeTopic[];

    /** ARN of the MSK cluster (IAM authentication on). */
    readonly mskClusterArn: pulumi.Input<string>;
    /** The cluster's SASL/IAM bootstrap brokers. */
    readonly bootstrapBrokersSaslIam: pulumi.Input<string>;
    /**
     * Subnets of the connector workers: the app subnets, whose NAT gives them the egress to Google's APIs
     * (sts, iamcredentials and pubsub.googleapis.com on 443) that isolated subnets lack.
     */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Security groups of the workers: egress to the brokers on 9098 and to 443; the brokers must admit them. */
    readonly securityGroupIds: readonly pulumi.Input<string>[];
    /**
     * Local path of Google's Pub/Sub Kafka connector jar (`pubsub-group-kafka-connector-<version>.jar`,
     * a release asset of github.com/googleapis/java-pubsub-group-kafka-connector). The deploy fetches and
     * checksums the pinned release into this path; Pulumi uploads it, so a new jar is a reviewed diff.
     */
    readonly connectorJarPath: string;
    /** KMS key (ARN) of the plugin bucket; its policy must admit S3 (the platform's backups key does). */
    readonly pluginKmsKeyArn: pulumi.Input<string>;
    /** KMS key (ARN) of the worker log group; its policy must admit CloudWatch Logs. */
    readonly logsKmsKeyArn: pulumi.Input<string>;
    /** Retention of the worker log group. */
    readonly logRetentionInDays: number;
    /**
     * Name of the connectors' execution role. Fixed, because GCP trusts exactly this role's sessions.
     * @default `<component name>-connector`
     */
    readonly connectorRoleName?: string;
    /** MSK Connect's Kafka Connect version. @default "2.7.1" */
    readonly kafkaConnectVersion?: string;
    /** MSK Connect units per worker: 1, 2, 4 or 8. @default 1 */
    readonly mcuCount?: number;
    /** Autoscaling floor of workers per connector, 1 to 10. @default 1 */
    readonly minWorkerCount?: number;
    /** Autoscaling ceiling of workers per connector, up to 10. @default 2 */
    readonly maxWorkerCount?: number;
    /** `tasks.max` of each connector. @default 2 */
    readonly tasksMax?: number;

    /** GCP project of the DR side. */
    readonly gcpProject: string;
    /**
     * DR region: the only region the topics store messages in (publishes from AWS arrive at the global
     * endpoint and would otherwise be stored wherever is nearest), beside the regional messaging key.
     */
    readonly gcpRegion: string;
    /** Cloud KMS crypto key id of the topics (the DR messaging key); Pub/Sub's agent must be able to use it. */
    readonly gcpKmsKeyId: pulumi.Input<string>;
    /** Retention of topics and subscriptions, 600 to 2678400 seconds. @default 604800 (7 days) */
    readonly messageRetentionSeconds?: number;
    /** Deliveries before a message moves to the dead-letter topic, 5 to 100. @default 10 */
    readonly maxDeliveryAttempts?: number;
    /**
     * Workload identity pool id. A deleted pool's id stays taken for 30 days, so it is fixed, not generated.
     * @default `<component name>-aws`
     */
    readonly workloadIdentityPoolId?: string;
    /** Account id of the service account the connectors impersonate. @default `<component name>-sink` */
    readonly serviceAccountId?: string;
    /** Set `protect` on the topics, subscriptions, the pool and the plugin bucket. @default true */
    readonly protect?: boolean;
}

/**
 * Mirrors Kafka topics of an MSK cluster into CMEK-encrypted Pub/Sub topics in the DR project with
 * Google's Pub/Sub sink connector on MSK Connect. The connectors hold no Google key: their AWS
 * execution role is federated into GCP (workload identity federation) and may only impersonate a
 * service account that can only publish to these topics. Needs an `aws` and a `gcp` provider.
 */
export class PubSubBridge extends pulumi.ComponentResource {
    /** Pub/Sub topic ids by topic name. */
    public readonly topicIds: Readonly<Record<string, pulumi.Output<string>>>;
    /** Dead-letter topic ids by topic name. */
    public readonly deadLetterTopicIds: Readonly<Record<string, pulumi.Output<string>>>;
    /** DR subscription ids by topic name: what DR consumers pull from. */
    public readonly subscriptionIds: Readonly<Record<string, pulumi.Output<string>>>;
    /** Connector ARNs by topic name. */
    public readonly connectorArns: Readonly<Record<string, pulumi.Output<string>>>;
    public readonly connectorRoleArn: pulumi.Output<string>;
    public readonly serviceAccountEmail: pulumi.Output<string>;
    /** Audience of the workload identity provider (`//iam.googleapis.com/projects/…/providers/…`). */
    public readonly workloadIdentityAudience: pulumi.Output<string>;
    /** The keyless `external_account` credential configuration the connectors use. */
    public readonly credentialConfiguration: pulumi.Output<string>;
    public readonly pluginBucketName: pulumi.Output<string>;

    constructor(name: string, args: PubSubBridgeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:messaging:PubSubBridge", name, {}, opts);
        const s = pubSubBridgeSettings(name, args);
        const invokeOpts = { parent: this };
        const awsAccount = {
            accountId: aws.getCallerIdentityOutput({}, invokeOpts).accountId,
            partition: aws.getPartitionOutput({}, invokeOpts).partition,
            region: aws.getRegionOutput({}, invokeOpts).region,
        };
        const projectNumber = gcp.organizations.getProjectOutput({ projectId: args.gcpProject }, invokeOpts).number;

        // GCP: the federated identity, then the topics it may publish to.
        const identity = this.federatedIdentity(name, args, s, { ...awsAccount, projectNumber });
        this.serviceAccountEmail = identity.serviceAccountEmail;
        this.workloadIdentityAudience = identity.audience;
        this.credentialConfiguration = identity.credentialConfiguration;
        const pubsubAgent = projectNumber.apply((n) => `serviceAccount:service-${n}@${PUBSUB_SERVICE_AGENT_DOMAIN}`);
        const grants: pulumi.Resource[] = [identity.binding];
        const topics = s.topics.map((t) => {
            const created = this.pubsubTopic(name, t.name, args, s, pubsubAgent);
            grants.push(
                new gcp.pubsub.TopicIAMMember(
                    `${name}-${t.name}-publisher`,
                    {
                        project: args.gcpProject,
                        topic: created.topic.name,
                        role: "roles/pubsub.publisher",
                        member: identity.member,
                    },
                    { parent: this },
                ),
            );
            return [t.name, created] as const;
        });
        const byTopic = (pick: (c: (typeof topics)[number][1]) => pulumi.Output<string>) =>
            Object.fromEntries(topics.map(([t, c]) => [t, pick(c)]));
        this.topicIds = byTopic((c) => c.topic.id);
        this.deadLetterTopicIds = byTopic((c) => c.deadLetterTopic.id);
        this.subscriptionIds = byTopic((c) => c.subscription.id);

        // AWS: the plugin, the workers' runtime and role, and one connector per Pub/Sub topic.
        const plugin = this.plugin(name, args, s.protect);
        this.pluginBucketName = plugin.bucketName;
        const workers = new aws.mskconnect.WorkerConfiguration(
            `${name}-workers`,
            { propertiesFileContent: WORKER_PROPERTIES, description: `${name}: byte-for-byte forwarding` },
            { parent: this },
        );
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-workers`,
            { retentionInDays: args.logRetentionInDays, kmsKeyId: args.logsKmsKeyArn },
            { parent: this },
        );
        const role = this.executionRole(name, args, s, { ...awsAccount, pluginObjectArn: plugin.objectArn });
        this.connectorRoleArn = role.role.arn;
        const runtime = {
            pluginArn: plugin.arn,
            pluginRevision: plugin.revision,
            workers,
            logGroupName: logGroup.name,
            roleArn: role.role.arn,
            // Started without these, the first records would fail to authenticate or to publish.
            dependsOn: [role.policy, ...grants],
        };
        this.connectorArns = Object.fromEntries(
            s.topics.map((t) => [t.name, this.connector(name, t, args, s, runtime).arn]),
        );

        this.registerOutputs({
            topicIds: this.topicIds,
            subscriptionIds: this.subscriptionIds,
            connectorArns: this.connectorArns,
            serviceAccountEmail: this.serviceAccountEmail,
            workloadIdentityAudience: this.workloadIdentityAudience,
        });
    }

    /**
     * A service account that only sessions of the connector role may impersonate: a pool with one AWS
     * provider whose condition admits that role alone, and the keyless credential configuration for it.
     */
    private federatedIdentity(
        name: string,
        args: PubSubBridgeArgs,
        s: PubSubBridgeSettings,
        ctx: {
            accountId: pulumi.Output<string>;
            partition: pulumi.Output<string>;
            projectNumber: pulumi.Output<string>;
        },
    ) {
        const assumedRoleArn = pulumi
            .all([ctx.partition, ctx.accountId])
            .apply(([p, a]) => awsAssumedRoleArn(p, a, s.connectorRoleName));
        const account = new gcp.serviceaccount.Account(
            `${name}-sink`,
            {
                project: args.gcpProject,
                accountId: s.serviceAccountId,
                displayName: "MSK Connect Pub/Sub sink",
                description: `${name}: publishes Kafka records from AWS; used only through workload identity federation`,
            },
            { parent: this },
        );
        // A user-managed account's email is fixed by its id and project; deriving it keeps the dependency on the account.
        const serviceAccountEmail = pulumi.interpolate`${account.accountId}@${args.gcpProject}.iam.gserviceaccount.com`;
        const pool = new gcp.iam.WorkloadIdentityPool(
            `${name}-pool`,
            {
                project: args.gcpProject,
                workloadIdentityPoolId: s.poolId,
                description: `${name}: AWS workloads that publish to the DR Pub/Sub topics`,
            },
            { parent: this, protect: s.protect },
        );
        const provider = new gcp.iam.WorkloadIdentityPoolProvider(
            `${name}-aws`,
            {
                project: args.gcpProject,
                workloadIdentityPoolId: pool.workloadIdentityPoolId,
                workloadIdentityPoolProviderId: PUBSUB_BRIDGE_DEFAULTS.workloadIdentityProviderId,
                description: `${name}: sessions of the MSK Connect execution role only`,
                aws: { accountId: ctx.accountId },
                attributeMapping: { ...AWS_ATTRIBUTE_MAPPING },
                attributeCondition: assumedRoleArn.apply(wifAttributeCondition),
            },
            { parent: this },
        );
        const binding = new gcp.serviceaccount.IAMMember(
            `${name}-workload-identity`,
            {
                serviceAccountId: account.name,
                role: "roles/iam.workloadIdentityUser",
                member: pulumi
                    .all([ctx.projectNumber, pool.workloadIdentityPoolId, assumedRoleArn])
                    .apply(([n, poolId, arn]) => wifPrincipalSet(n, poolId, arn)),
            },
            { parent: this },
        );
        const audience = pulumi
            .all([ctx.projectNumber, provider.workloadIdentityPoolId, provider.workloadIdentityPoolProviderId])
            .apply(([n, poolId, providerId]) => wifProviderAudience(n, poolId, providerId));
        return {
            serviceAccountEmail,
            member: pulumi.interpolate`serviceAccount:${serviceAccountEmail}`,
            binding,
            audience,
            credentialConfiguration: pulumi
                .all([audience, serviceAccountEmail])
                .apply(([a, email]) =>
                    JSON.stringify(externalAccountCredentials({ audience: a, serviceAccountEmail: email })),
                ),
        };
    }

    /** One sink connector: Kafka topics in over IAM and TLS, records out to one Pub/Sub topic. */
    private connector(
        name: string,
        t: PubSubBridgeSettings["topics"][number],
        args: PubSubBridgeArgs,
        s: PubSubBridgeSettings,
        runtime: {
            pluginArn: pulumi.Output<string>;
            pluginRevision: pulumi.Output<number>;
            workers: aws.mskconnect.WorkerConfiguration;
            logGroupName: pulumi.Output<string>;
            roleArn: pulumi.Output<string>;
            dependsOn: pulumi.Resource[];
        },
    ): aws.mskconnect.Connector {
        return new aws.mskconnect.Connector(
            `${name}-${t.name}`,
            {
                name: t.connectorName,
                description: `${t.kafkaTopics.join(", ")} -> Pub/Sub ${args.gcpProject}/${t.name}`,
                kafkaconnectVersion: s.kafkaConnectVersion,
                capacity: {
                    autoscaling: {
                        mcuCount: s.mcuCount,
                        minWorkerCount: s.minWorkerCount,
                        maxWorkerCount: s.maxWorkerCount,
                        scaleInPolicy: { cpuUtilizationPercentage: PUBSUB_BRIDGE_DEFAULTS.scaleInCpuPercent },
                        scaleOutPolicy: { cpuUtilizationPercentage: PUBSUB_BRIDGE_DEFAULTS.scaleOutCpuPercent },
                    },
                },
                connectorConfiguration: this.credentialConfiguration.apply((credentialsJson) =>
                    sinkConnectorConfiguration({
                        kafkaTopics: t.kafkaTopics,
                        gcpProject: args.gcpProject,
                        pubsubTopic: t.name,
                        tasksMax: s.tasksMax,
                        credentialsJson,
                    }),
                ),
                kafkaCluster: {
                    apacheKafkaCluster: {
                        bootstrapServers: args.bootstrapBrokersSaslIam,
                        vpc: { subnets: args.subnetIds, securityGroups: [...args.securityGroupIds] },
                    },
                },
                kafkaClusterClientAuthentication: { authenticationType: "IAM" },
                kafkaClusterEncryptionInTransit: { encryptionType: "TLS" },
                plugins: [{ customPlugin: { arn: runtime.pluginArn, revision: runtime.pluginRevision } }],
                workerConfiguration: { arn: runtime.workers.arn, revision: runtime.workers.latestRevision },
                logDelivery: {
                    workerLogDelivery: { cloudwatchLogs: { enabled: true, logGroup: runtime.logGroupName } },
                },
                serviceExecutionRoleArn: runtime.roleArn,
            },
            {
                parent: this,
                dependsOn: runtime.dependsOn,
                // The name is fixed (the role's trust policy names it), so a replacement must go first.
                deleteBeforeReplace: true,
            },
        );
    }

    /**
     * A CMEK topic with a dead-letter topic, a never-expiring DR subscription that dead-letters after
     * repeated failures, a subscription on the dead-letter topic (messages published to a topic without
     * subscriptions are dropped), and the grants Pub/Sub's agent needs to move messages between them.
     */
    private pubsubTopic(
        name: string,
        topicName: string,
        args: PubSubBridgeArgs,
        s: PubSubBridgeSettings,
        pubsubAgent: pulumi.Output<string>,
    ) {
        const opts = { parent: this, protect: s.protect };
        const retention = `${s.messageRetentionSeconds}s`;
        const common = {
            project: args.gcpProject,
            kmsKeyName: args.gcpKmsKeyId,
            messageRetentionDuration: retention,
            messageStoragePolicy: { allowedPersistenceRegions: [args.gcpRegion] },
        };
        // An idle DR subscription would otherwise be deleted after 31 days without consumers.
        const neverExpire = { ttl: "" };
        const deadLetterName = `${topicName}-dead-letter`;
        const deadLetterTopic = new gcp.pubsub.Topic(
            `${name}-${topicName}-dead-letter`,
            { ...common, name: deadLetterName },
            opts,
        );
        const topic = new gcp.pubsub.Topic(`${name}-${topicName}`, { ...common, name: topicName }, opts);
        const subscription = new gcp.pubsub.Subscription(
            `${name}-${topicName}`,
            {
                project: args.gcpProject,
                name: `${topicName}-dr`,
                topic: topic.id,
                ackDeadlineSeconds: PUBSUB_BRIDGE_DEFAULTS.ackDeadlineSeconds,
                messageRetentionDuration: retention,
                expirationPolicy: neverExpire,
                retryPolicy: {
                    minimumBackoff: PUBSUB_BRIDGE_DEFAULTS.retryMinimumBackoff,
                    maximumBackoff: PUBSUB_BRIDGE_DEFAULTS.retryMaximumBackoff,
                },
                deadLetterPolicy: { deadLetterTopic: deadLetterTopic.id, maxDeliveryAttempts: s.maxDeliveryAttempts },
            },
            opts,
        );
        new gcp.pubsub.Subscription(
            `${name}-${topicName}-dead-letter`,
            {
                project: args.gcpProject,
                name: deadLetterName,
                topic: deadLetterTopic.id,
                ackDeadlineSeconds: PUBSUB_BRIDGE_DEFAULTS.ackDeadlineSeconds,
                messageRetentionDuration: retention,
                expirationPolicy: neverExpire,
            },
            opts,
        );
        new gcp.pubsub.TopicIAMMember(
            `${name}-${topicName}-dead-letter-agent`,
            {
                project: args.gcpProject,
                topic: deadLetterTopic.name,
                role: "roles/pubsub.publisher",
                member: pubsubAgent,
            },
            { parent: this },
        );
        new gcp.pubsub.SubscriptionIAMMember(
            `${name}-${topicName}-agent`,
            {
                project: args.gcpProject,
                subscription: subscription.name,
                role: "roles/pubsub.subscriber",
                member: pubsubAgent,
            },
            { parent: this },
        );
        return { topic, deadLetterTopic, subscription };
    }

    /** A private, versioned bucket encrypted with a customer-managed key, holding the connector jar. */
    private plugin(name: string, args: PubSubBridgeArgs, protect: boolean) {
        const bucket = new aws.s3.Bucket(`${name}-plugins`, {}, { parent: this, protect });
        const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-plugins`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        applyServerSideEncryptionByDefault: {
                            sseAlgorithm: "aws:kms",
                            kmsMasterKeyId: args.pluginKmsKeyArn,
                        },
                        bucketKeyEnabled: true,
                    },
                ],
            },
            { parent: this },
        );
        const versioning = new aws.s3.BucketVersioning(
            `${name}-plugins`,
            { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
            { parent: this },
        );
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            `${name}-plugins`,
            {
                bucket: bucket.id,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            { parent: this },
        );
        new aws.s3.BucketPolicy(
            `${name}-plugins`,
            {
                bucket: bucket.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "DenyInsecureTransport",
                            Effect: "Deny",
                            Principal: "*",
                            Action: "s3:*",
                            Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                    ],
                }),
            },
            // S3 rejects a bucket policy while the public access block is being applied.
            { parent: this, dependsOn: [publicAccess] },
        );
        const jar = new aws.s3.BucketObjectv2(
            `${name}-connector-jar`,
            {
                bucket: bucket.id,
                key: `plugins/${path.basename(args.connectorJarPath)}`,
                source: new pulumi.asset.FileAsset(args.connectorJarPath),
                contentType: "application/java-archive",
            },
            // Uploaded only once default encryption and versioning apply, so the jar is a KMS-encrypted version.
            { parent: this, dependsOn: [encryption, versioning] },
        );
        const customPlugin = new aws.mskconnect.CustomPlugin(
            `${name}-plugin`,
            {
                contentType: "JAR",
                description: `${name}: Google Cloud Pub/Sub connector for Kafka Connect`,
                location: { s3: { bucketArn: bucket.arn, fileKey: jar.key, objectVersion: jar.versionId } },
            },
            { parent: this },
        );
        return {
            arn: customPlugin.arn,
            revision: customPlugin.latestRevision,
            bucketName: bucket.bucket,
            objectArn: pulumi.interpolate`${bucket.arn}/${jar.key}`,
        };
    }

    /** The role MSK Connect runs the connectors as, and the only AWS identity GCP trusts. */
    private executionRole(
        name: string,
        args: PubSubBridgeArgs,
        s: PubSubBridgeSettings,
        ctx: {
            accountId: pulumi.Output<string>;
            partition: pulumi.Output<string>;
            region: pulumi.Output<string>;
            pluginObjectArn: pulumi.Output<string>;
        },
    ) {
        const role = new aws.iam.Role(
            `${name}-connector`,
            {
                name: s.connectorRoleName,
                description: `${name}: MSK Connect Pub/Sub sink connectors`,
                assumeRolePolicy: pulumi
                    .all([ctx.accountId, ctx.partition, ctx.region])
                    .apply(([accountId, partition, region]) =>
                        JSON.stringify(
                            connectorTrustPolicy({
                                accountId,
                                partition,
                                region,
                                connectorNames: s.topics.map((t) => t.connectorName),
                            }),
                        ),
                    ),
            },
            { parent: this },
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-connector`,
            {
                role: role.id,
                policy: pulumi
                    .all([args.mskClusterArn, ctx.pluginObjectArn, args.pluginKmsKeyArn, ctx.region])
                    .apply(([clusterArn, pluginObjectArn, pluginKeyArn, region]) =>
                        JSON.stringify(
                            connectorExecutionPolicy({
                                clusterArn,
                                kafkaTopics: [...new Set(s.topics.flatMap((t) => t.kafkaTopics))],
                                connectorNames: s.topics.map((t) => t.connectorName),
                                pluginObjectArn,
                                pluginKeyArn,
                                region,
                            }),
                        ),
                    ),
            },
            { parent: this },
        );
        return { role, policy };
    }
}
