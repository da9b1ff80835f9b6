import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import {
    connectorExecutionPolicy,
    connectorTrustPolicy,
    PUBSUB_SERVICE_AGENT_DOMAIN,
    sinkConnectorConfiguration,
    workerProperties,
} from "./pubsub-federation";
import { sinkCredentials } from "./pubsub-bridge-credentials";
import { encryptedLogGroup } from "../observability/encrypted-log-group";
import { SecureBucket } from "../storage/secure-bucket";
import {
    PUBSUB_BRIDGE_DEFAULTS,
    type PubSubBridgeArgs,
    pubSubBridgeSettings,
    type PubSubBridgeSettings,
} from "./pubsub-bridge-settings";
import { drTopic } from "./pubsub-bridge-topics";

/**
 * Mirrors Kafka topics of an MSK cluster into CMEK-encrypted Pub/Sub topics in the DR project with
 * Google's Pub/Sub sink connector on MSK Connect. The connectors authenticate to Google with a key of a
 * service account that can only publish to these topics; the key is rotated on a schedule, kept in
 * Secrets Manager under the messaging key, and reaches the connectors only as a config-provider
 * reference that the workers resolve with the execution role. Each connector starts only after the
 * Kafka topics it reads exist (`sourceTopics`), and each DR consumer service gets a subscription of its
 * own (`consumers`). Needs an `aws` and a `gcp` provider.
 */
export class PubSubBridge extends pulumi.ComponentResource {
    /** Pub/Sub topic ids by topic name. */
    public readonly topicIds: Readonly<Record<string, pulumi.Output<string>>>;
    /** Dead-letter topic ids by topic name. */
    public readonly deadLetterTopicIds: Readonly<Record<string, pulumi.Output<string>>>;
    /** DR subscription ids by topic name: what DR consumers pull from. */
    public readonly subscriptionIds: Readonly<Record<string, pulumi.Output<string>>>;
    /** Each consuming service's own DR subscription ids, by service and then topic name (`consumers`). */
    public readonly serviceSubscriptionIds: Readonly<Record<string, Readonly<Record<string, pulumi.Output<string>>>>>;
    /** Connector ARNs by topic name. */
    public readonly connectorArns: Readonly<Record<string, pulumi.Output<string>>>;
    public readonly connectorRoleArn: pulumi.Output<string>;
    public readonly serviceAccountEmail: pulumi.Output<string>;
    /** The Secrets Manager secret with the sink's service-account key. */
    public readonly credentialsSecretArn: pulumi.Output<string>;
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

        // GCP: the sink identity and its key in Secrets Manager, then the topics it may publish to.
        const identity = sinkCredentials(this, name, args, s);
        this.serviceAccountEmail = identity.serviceAccountEmail;
        this.credentialsSecretArn = identity.secretArn;
        const pubsubAgent = projectNumber.apply((n) => `serviceAccount:service-${n}@${PUBSUB_SERVICE_AGENT_DOMAIN}`);
        const grants: pulumi.Resource[] = [];
        const topics = s.topics.map((t) => {
            const created = drTopic(this, name, t.name, t.consumers, args, s, pubsubAgent);
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
        const services = [...new Set(s.topics.flatMap((t) => t.consumers))];
        this.serviceSubscriptionIds = Object.fromEntries(
            services.map((service) => [
                service,
                Object.fromEntries(
                    topics
                        .filter(([, c]) => service in c.serviceSubscriptions)
                        .map(([t, c]) => [t, c.serviceSubscriptions[service].id]),
                ),
            ]),
        );

        // AWS: the plugin, the workers' runtime and role, and one connector per Pub/Sub topic.
        const plugin = this.plugin(name, args, s);
        this.pluginBucketName = plugin.bucketName;
        const workers = new aws.mskconnect.WorkerConfiguration(
            `${name}-workers`,
            {
                propertiesFileContent: awsAccount.region.apply(workerProperties),
                description: `${name}: byte-for-byte forwarding, secrets from Secrets Manager`,
            },
            { parent: this },
        );
        const logGroup = encryptedLogGroup(
            `${name}-workers`,
            { retentionInDays: args.logRetentionInDays, kmsKeyArn: args.logsKmsKeyArn },
            { parent: this },
        );
        const role = this.executionRole(name, args, s, {
            ...awsAccount,
            pluginObjectArn: plugin.objectArn,
            credentialsSecretArn: identity.secretArn,
        });
        this.connectorRoleArn = role.role.arn;
        const runtime = {
            pluginArn: plugin.arn,
            pluginRevision: plugin.revision,
            workers,
            logGroupName: logGroup.name,
            roleArn: role.role.arn,
            credentialsReference: identity.reference,
            // Started without these, the first records would fail to authenticate or to publish.
            dependsOn: [role.policy, identity.secretVersion, ...grants],
        };
        this.connectorArns = Object.fromEntries(
            s.topics.map((t) => {
                // ...and without its Kafka topics it could not subscribe: the cluster never creates them on use.
                const dependsOn = [...runtime.dependsOn, ...t.kafkaTopics.map((k) => args.sourceTopics[k])];
                return [t.name, this.connector(name, t, args, s, { ...runtime, dependsOn }).arn];
            }),
        );

        this.registerOutputs({
            topicIds: this.topicIds,
            subscriptionIds: this.subscriptionIds,
            serviceSubscriptionIds: this.serviceSubscriptionIds,
            connectorArns: this.connectorArns,
            serviceAccountEmail: this.serviceAccountEmail,
            credentialsSecretArn: this.credentialsSecretArn,
        });
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
            credentialsReference: pulumi.Output<string>;
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
                connectorConfiguration: runtime.credentialsReference.apply((credentialsReference) =>
                    sinkConnectorConfiguration({
                        kafkaTopics: t.kafkaTopics,
                        gcpProject: args.gcpProject,
                        pubsubTopic: t.name,
                        tasksMax: s.tasksMax,
                        credentialsReference,
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
                // The name is fixed (the role's trust policy names it), so a replacement must go first; the
                // consumer group keeps the offsets, so a replaced connector resumes where the old one stopped.
                deleteBeforeReplace: true,
            },
        );
    }

    /**
     * The plugin: one ZIP with the connector jar and AWS's config providers (MSK Connect loads a config
     * provider only from the connector's own plugin), packed by Pulumi, uploaded into a `SecureBucket` and
     * registered as an MSK Connect plugin.
     */
    private plugin(name: string, args: PubSubBridgeArgs, s: PubSubBridgeSettings) {
        const bucket = new SecureBucket(
            `${name}-plugins`,
            // The bucket and its settings were once written out here, directly under the bridge.
            { kmsKeyArn: args.pluginKmsKeyArn, protect: s.protect, formerParent: this },
            { parent: this },
        );
        const jarName = path.basename(args.connectorJarPath);
        const archive = new aws.s3.BucketObjectv2(
            `${name}-plugin-zip`,
            {
                bucket: bucket.bucketName,
                key: `plugins/${jarName.replace(/\.jar$/, "")}-with-config-providers.zip`,
                source: new pulumi.asset.AssetArchive({
                    [jarName]: new pulumi.asset.FileAsset(args.connectorJarPath),
                    "msk-config-providers": new pulumi.asset.FileArchive(s.configProvidersPath),
                }),
                contentType: "application/zip",
            },
            // Uploaded only once the bucket is complete (default encryption and versioning in particular),
            // so the archive is a KMS-encrypted version.
            { parent: this, dependsOn: [bucket] },
        );
        const customPlugin = new aws.mskconnect.CustomPlugin(
            `${name}-plugin`,
            {
                contentType: "ZIP",
                description: `${name}: Google Cloud Pub/Sub connector for Kafka Connect, with AWS's config providers`,
                location: {
                    s3: { bucketArn: bucket.bucketArn, fileKey: archive.key, objectVersion: archive.versionId },
                },
            },
            { parent: this },
        );
        return {
            arn: customPlugin.arn,
            revision: customPlugin.latestRevision,
            bucketName: bucket.bucketName,
            objectArn: pulumi.interpolate`${bucket.bucketArn}/${archive.key}`,
        };
    }

    /** The role MSK Connect runs the connectors as: the only AWS identity that can read the sink key. */
    private executionRole(
        name: string,
        args: PubSubBridgeArgs,
        s: PubSubBridgeSettings,
        ctx: {
            accountId: pulumi.Output<string>;
            partition: pulumi.Output<string>;
            region: pulumi.Output<string>;
            pluginObjectArn: pulumi.Output<string>;
            credentialsSecretArn: pulumi.Output<string>;
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
                    .all([
                        args.mskClusterArn,
                        ctx.pluginObjectArn,
                        args.pluginKmsKeyArn,
                        ctx.credentialsSecretArn,
                        args.credentialsKmsKeyArn,
                        ctx.region,
                    ])
                    .apply(
                        ([
                            clusterArn,
                            pluginObjectArn,
                            pluginKeyArn,
                            credentialsSecretArn,
                            credentialsKeyArn,
                            region,
                        ]) =>
                            JSON.stringify(
                                connectorExecutionPolicy({
                                    clusterArn,
                                    kafkaTopics: [...new Set(s.topics.flatMap((t) => t.kafkaTopics))],
                                    connectorNames: s.topics.map((t) => t.connectorName),
                                    pluginObjectArn,
                                    pluginKeyArn,
                                    credentialsSecretArn,
                                    credentialsKeyArn,
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
