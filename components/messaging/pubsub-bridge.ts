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
import { encryptedLogGroup } from "../observability/encrypted-log-group";
import { SecureBucket } from "../storage/secure-bucket";
import {
    PUBSUB_BRIDGE_DEFAULTS,
    type PubSubBridgeArgs,
    pubSubBridgeSettings,
    type PubSubBridgeSettings,
} from "./pubsub-bridge-settings";
import { drTopic } from "./pubsub-bridge-topics";

/** Converters for opaque bytes: the sink forwards Kafka records to Pub/Sub unchanged. */
const WORKER_PROPERTIES =
    "key.converter=org.apache.kafka.connect.storage.StringConverter\n" +
    "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter\n";

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
            const created = drTopic(this, name, t.name, args, s, pubsubAgent);
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
        const logGroup = encryptedLogGroup(
            `${name}-workers`,
            { retentionInDays: args.logRetentionInDays, kmsKeyArn: args.logsKmsKeyArn },
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

    /** The connector jar, uploaded into a `SecureBucket` and registered as an MSK Connect plugin. */
    private plugin(name: string, args: PubSubBridgeArgs, protect: boolean) {
        const bucket = new SecureBucket(
            `${name}-plugins`,
            // The bucket and its settings were once written out here, directly under the bridge.
            { kmsKeyArn: args.pluginKmsKeyArn, protect, formerParent: this },
            { parent: this },
        );
        const jar = new aws.s3.BucketObjectv2(
            `${name}-connector-jar`,
            {
                bucket: bucket.bucketName,
                key: `plugins/${path.basename(args.connectorJarPath)}`,
                source: new pulumi.asset.FileAsset(args.connectorJarPath),
                contentType: "application/java-archive",
            },
            // Uploaded only once the bucket is complete (default encryption and versioning in particular),
            // so the jar is a KMS-encrypted version.
            { parent: this, dependsOn: [bucket] },
        );
        const customPlugin = new aws.mskconnect.CustomPlugin(
            `${name}-plugin`,
            {
                contentType: "JAR",
                description: `${name}: Google Cloud Pub/Sub connector for Kafka Connect`,
                location: { s3: { bucketArn: bucket.bucketArn, fileKey: jar.key, objectVersion: jar.versionId } },
            },
            { parent: this },
        );
        return {
            arn: customPlugin.arn,
            revision: customPlugin.latestRevision,
            bucketName: bucket.bucketName,
            objectArn: pulumi.interpolate`${bucket.bucketArn}/${jar.key}`,
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
