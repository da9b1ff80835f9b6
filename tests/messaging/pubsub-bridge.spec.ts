import * as assert from "assert";
import { kafkaResourceArn } from "../../components/messaging/kafka-settings";
import { PUBSUB_SINK_CONNECTOR_CLASS } from "../../components/messaging/pubsub-federation";
import { one, ofType } from "../../harness/lookup";
import { MOCK_AWS_ACCOUNT, MOCK_GCP_PROJECT_NUMBER } from "../../harness/mocks";
import type { RecordedResource } from "../../harness/recorder";
import {
    REGION,
    GCP_PROJECT,
    GCP_REGION,
    LOGS_KEY,
    BACKUPS_KEY,
    MESSAGING_KEY,
    GCP_KEY,
    APP_SG,
    APP_SUBNETS,
    JAR,
    evaluated,
} from "./fixture";

describe("PubSubBridge", () => {
    const SA_EMAIL = `dr-bridge-sink@${GCP_PROJECT}.iam.gserviceaccount.com`;
    const connectors = (rs: readonly RecordedResource[]) => ofType(rs, "aws:mskconnect/connector:Connector");

    it("runs Google's Pub/Sub sink connector per topic, with the right project, Pub/Sub topic and Kafka topics", async () => {
        const rs = await evaluated("prod");
        const cs = connectors(rs);
        assert.deepStrictEqual(
            cs.map((c) => [
                c.inputs.name,
                c.inputs.connectorConfiguration.topics,
                c.inputs.connectorConfiguration["cps.topic"],
            ]),
            [
                ["dr-bridge-orders", "orders,order-status", "orders"],
                ["dr-bridge-payments", "payments", "payments"],
            ],
        );
        for (const c of cs) {
            const config = c.inputs.connectorConfiguration;
            assert.strictEqual(config["connector.class"], "com.google.pubsub.kafka.sink.CloudPubSubSinkConnector");
            assert.strictEqual(config["connector.class"], PUBSUB_SINK_CONNECTOR_CLASS);
            assert.strictEqual(config["cps.project"], GCP_PROJECT);
            assert.strictEqual(config["tasks.max"], "2");
        }
    });

    it("connects to MSK with IAM over TLS from the app subnets, logging to an encrypted group", async () => {
        const rs = await evaluated("prod");
        const cluster = one(rs, "aws:msk/cluster:Cluster", "kafka-cluster");
        const group = one(rs, "aws:cloudwatch/logGroup:LogGroup", "dr-bridge-workers");
        assert.deepStrictEqual(group.inputs, { retentionInDays: 30, kmsKeyId: LOGS_KEY });
        const plugin = one(rs, "aws:mskconnect/customPlugin:CustomPlugin", "dr-bridge-plugin");
        const workers = one(rs, "aws:mskconnect/workerConfiguration:WorkerConfiguration", "dr-bridge-workers");
        const role = one(rs, "aws:iam/role:Role", "dr-bridge-connector");
        for (const c of connectors(rs)) {
            assert.deepStrictEqual(c.inputs.kafkaCluster, {
                apacheKafkaCluster: {
                    bootstrapServers: cluster.outputs.bootstrapBrokersSaslIam,
                    vpc: { subnets: APP_SUBNETS, securityGroups: [APP_SG] },
                },
            });
            assert.match(cluster.outputs.bootstrapBrokersSaslIam, /:9098(,|$)/);
            assert.deepStrictEqual(c.inputs.kafkaClusterClientAuthentication, { authenticationType: "IAM" });
            assert.deepStrictEqual(c.inputs.kafkaClusterEncryptionInTransit, { encryptionType: "TLS" });
            assert.deepStrictEqual(c.inputs.logDelivery, {
                workerLogDelivery: { cloudwatchLogs: { enabled: true, logGroup: group.outputs.name } },
            });
            assert.deepStrictEqual(c.inputs.plugins, [{ customPlugin: { arn: plugin.outputs.arn, revision: 1 } }]);
            assert.deepStrictEqual(c.inputs.workerConfiguration, { arn: workers.outputs.arn, revision: 1 });
            assert.strictEqual(c.inputs.serviceExecutionRoleArn, role.outputs.arn);
            assert.deepStrictEqual(c.inputs.capacity, {
                autoscaling: {
                    mcuCount: 1,
                    minWorkerCount: 1,
                    maxWorkerCount: 2,
                    scaleInPolicy: { cpuUtilizationPercentage: 20 },
                    scaleOutPolicy: { cpuUtilizationPercentage: 80 },
                },
            });
        }
    });

    it("lets the sink account publish to its topics only, with topic-level grants", async () => {
        const rs = await evaluated("prod");
        const publishers = ofType(rs, "gcp:pubsub/topicIAMMember:TopicIAMMember").filter((b) =>
            b.inputs.member.startsWith("serviceAccount:dr-bridge-sink@"),
        );
        assert.deepStrictEqual(
            publishers.map((b) => [b.inputs.topic, b.inputs.role, b.inputs.member]),
            [
                ["orders", "roles/pubsub.publisher", `serviceAccount:${SA_EMAIL}`],
                ["payments", "roles/pubsub.publisher", `serviceAccount:${SA_EMAIL}`],
            ],
        );
        assert.deepStrictEqual(
            rs.filter((r) => /^gcp:(projects|organizations)\/.*IAM/.test(r.type)),
            [],
        );
    });

    it("MSK Connect may assume the role only for these connectors of this account", async () => {
        const rs = await evaluated("prod");
        const trust = JSON.parse(one(rs, "aws:iam/role:Role", "dr-bridge-connector").inputs.assumeRolePolicy);
        assert.deepStrictEqual(trust.Statement, [
            {
                Effect: "Allow",
                Principal: { Service: "kafkaconnect.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: {
                    StringEquals: { "aws:SourceAccount": MOCK_AWS_ACCOUNT },
                    ArnLike: {
                        "aws:SourceArn": ["orders", "payments"].map(
                            (t) => `arn:aws:kafkaconnect:${REGION}:${MOCK_AWS_ACCOUNT}:connector/dr-bridge-${t}/*`,
                        ),
                    },
                },
            },
        ]);
    });

    it("the execution role reaches only this cluster, its bridged topics, its groups, the plugin object and the sink key's secret", async () => {
        const rs = await evaluated("prod");
        const secret = one(rs, "aws:secretsmanager/secret:Secret", "dr-bridge-sink-key");
        const clusterArn: string = one(rs, "aws:msk/cluster:Cluster", "kafka-cluster").outputs.arn;
        const k = (kind: "topic" | "group", name: string) => kafkaResourceArn(clusterArn, kind, name);
        const bucket = one(rs, "aws:s3/bucket:Bucket", "dr-bridge-plugins");
        const policy = JSON.parse(one(rs, "aws:iam/rolePolicy:RolePolicy", "dr-bridge-connector").inputs.policy);
        assert.deepStrictEqual(policy.Statement, [
            {
                Sid: "ConnectToCluster",
                Effect: "Allow",
                Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"],
                Resource: clusterArn,
            },
            {
                Sid: "ReadBridgedTopics",
                Effect: "Allow",
                Action: ["kafka-cluster:ReadData", "kafka-cluster:DescribeTopic"],
                Resource: [k("topic", "orders"), k("topic", "order-status"), k("topic", "payments")],
            },
            {
                Sid: "MskConnectInternalTopics",
                Effect: "Allow",
                Action: [
                    "kafka-cluster:CreateTopic",
                    "kafka-cluster:WriteData",
                    "kafka-cluster:ReadData",
                    "kafka-cluster:DescribeTopic",
                ],
                Resource: k("topic", "__amazon_msk_connect_*"),
            },
            {
                Sid: "ConsumerGroups",
                Effect: "Allow",
                Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"],
                Resource: [
                    k("group", "__amazon_msk_connect_*"),
                    k("group", "connect-dr-bridge-orders"),
                    k("group", "connect-dr-bridge-payments"),
                ],
            },
            {
                Sid: "ReadPlugin",
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:GetObjectVersion"],
                Resource: `${bucket.outputs.arn}/plugins/pubsub-group-kafka-connector-1.3.2-with-config-providers.zip`,
            },
            {
                Sid: "DecryptPlugin",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: BACKUPS_KEY,
                Condition: { StringEquals: { "kms:ViaService": `s3.${REGION}.amazonaws.com` } },
            },
            {
                Sid: "ReadSinkCredentials",
                Effect: "Allow",
                Action: "secretsmanager:GetSecretValue",
                Resource: secret.outputs.arn,
            },
            {
                Sid: "DecryptSinkCredentials",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: MESSAGING_KEY,
                Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` } },
            },
        ]);
    });

    it("keeps the plugin archive in a private, versioned bucket encrypted with the given key", async () => {
        const rs = await evaluated("prod");
        const bucket = one(rs, "aws:s3/bucket:Bucket", "dr-bridge-plugins");
        const sse = one(
            rs,
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "dr-bridge-plugins",
        );
        assert.deepStrictEqual(sse.inputs, {
            bucket: bucket.outputs.id,
            rules: [
                {
                    applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: BACKUPS_KEY },
                    bucketKeyEnabled: true,
                },
            ],
        });
        const versioning = one(rs, "aws:s3/bucketVersioning:BucketVersioning", "dr-bridge-plugins");
        assert.deepStrictEqual(versioning.inputs.versioningConfiguration, { status: "Enabled" });
        const pab = one(rs, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "dr-bridge-plugins");
        assert.deepStrictEqual(pab.inputs, {
            bucket: bucket.outputs.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        const zip = one(rs, "aws:s3/bucketObjectv2:BucketObjectv2", "dr-bridge-plugin-zip");
        assert.strictEqual(zip.inputs.key, "plugins/pubsub-group-kafka-connector-1.3.2-with-config-providers.zip");
        assert.strictEqual(zip.inputs.contentType, "application/zip");
        // One archive: the connector jar beside AWS's config providers, which the workers load from the plugin.
        assert.deepStrictEqual(Object.keys(zip.inputs.source.assets).sort(), [
            "msk-config-providers",
            "pubsub-group-kafka-connector-1.3.2.jar",
        ]);
        assert.strictEqual(zip.inputs.source.assets["pubsub-group-kafka-connector-1.3.2.jar"].path, JAR);
        assert.strictEqual(zip.inputs.source.assets["msk-config-providers"].path, "vendor/msk-config-providers");
        assert.ok(zip.dependencies.includes(sse.urn) && zip.dependencies.includes(versioning.urn));
        const plugin = one(rs, "aws:mskconnect/customPlugin:CustomPlugin", "dr-bridge-plugin");
        assert.strictEqual(plugin.inputs.contentType, "ZIP");
        assert.strictEqual(plugin.inputs.location.s3.bucketArn, bucket.outputs.arn);
        assert.strictEqual(plugin.inputs.location.s3.fileKey, zip.outputs.key);
        assert.ok(plugin.propertyDependencies.location.includes(zip.urn), "the plugin pins the uploaded object");
    });

    it("mirrors into CMEK topics, each with a dead-letter topic, a retrying DR subscription and the agent's grants", async () => {
        const rs = await evaluated("prod");
        const topics = ofType(rs, "gcp:pubsub/topic:Topic");
        assert.deepStrictEqual(topics.map((t) => t.inputs.name).sort(), [
            "orders",
            "orders-dead-letter",
            "payments",
            "payments-dead-letter",
        ]);
        for (const t of topics) {
            assert.strictEqual(t.inputs.kmsKeyName, GCP_KEY);
            assert.strictEqual(t.inputs.messageRetentionDuration, "604800s");
            assert.deepStrictEqual(t.inputs.messageStoragePolicy, { allowedPersistenceRegions: [GCP_REGION] });
            assert.strictEqual(t.protect, true);
        }
        const agent = `serviceAccount:service-${MOCK_GCP_PROJECT_NUMBER}@gcp-sa-pubsub.iam.gserviceaccount.com`;
        for (const name of ["orders", "payments"]) {
            const dlt = one(rs, "gcp:pubsub/topic:Topic", `dr-bridge-${name}-dead-letter`);
            const sub = one(rs, "gcp:pubsub/subscription:Subscription", `dr-bridge-${name}`);
            assert.strictEqual(sub.inputs.topic, one(rs, "gcp:pubsub/topic:Topic", `dr-bridge-${name}`).outputs.id);
            assert.deepStrictEqual(sub.inputs.deadLetterPolicy, {
                deadLetterTopic: dlt.outputs.id,
                maxDeliveryAttempts: 10,
            });
            assert.deepStrictEqual(sub.inputs.retryPolicy, { minimumBackoff: "10s", maximumBackoff: "600s" });
            assert.deepStrictEqual(sub.inputs.expirationPolicy, { ttl: "" });
            const dltSub = one(rs, "gcp:pubsub/subscription:Subscription", `dr-bridge-${name}-dead-letter`);
            assert.strictEqual(dltSub.inputs.topic, dlt.outputs.id);
            const publish = one(rs, "gcp:pubsub/topicIAMMember:TopicIAMMember", `dr-bridge-${name}-dead-letter-agent`);
            assert.deepStrictEqual(publish.inputs, {
                project: GCP_PROJECT,
                topic: dlt.outputs.name,
                role: "roles/pubsub.publisher",
                member: agent,
            });
            const subscribe = one(
                rs,
                "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember",
                `dr-bridge-${name}-agent`,
            );
            assert.deepStrictEqual(subscribe.inputs, {
                project: GCP_PROJECT,
                subscription: sub.outputs.name,
                role: "roles/pubsub.subscriber",
                member: agent,
            });
        }
    });
});
