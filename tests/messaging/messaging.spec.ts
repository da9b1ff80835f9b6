import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as assert from "assert";
import { EventBus, eventBusSettings, type EventBusArgs } from "../../components/messaging/event-bus";
import {
    defaultReplication,
    kafkaResourceArn,
    replicationProblems,
    serverProperties,
} from "../../components/messaging/kafka-settings";
import { consumingServices, eventRuleArn, eventRuleName, kebab } from "../../components/messaging/messaging-routes";
import { PLATFORM_EVENT_ROUTES, PLATFORM_SUBSCRIPTIONS, PLATFORM_TOPICS } from "../../catalog/messaging";
import { MskCluster, mskClusterSettings, type MskClusterArgs } from "../../components/messaging/msk-cluster";
import { PubSubBridge, type PubSubBridgeArgs } from "../../components/messaging/pubsub-bridge";
import { pubSubBridgeSettings } from "../../components/messaging/pubsub-bridge-settings";
import {
    AWS_ATTRIBUTE_MAPPING,
    awsAssumedRoleArn,
    PUBSUB_SINK_CONNECTOR_CLASS,
    wifAttributeCondition,
    wifPrincipalSet,
    wifProviderAudience,
} from "../../components/messaging/pubsub-federation";
import {
    ServiceMessaging,
    serviceMessagingSettings,
    type ServiceMessagingArgs,
} from "../../components/messaging/service-messaging";
import { VERSIONS } from "../../components/versions";
import { allPolicies } from "../../policy/policies";
import { messagingPolicies } from "../../policy/policies/messaging";
import { descendantsOf, one, ofType } from "../../harness/lookup";
import { MOCK_AWS_ACCOUNT, MOCK_GCP_PROJECT_NUMBER } from "../../harness/mocks";

/** The platform's topics and subscriptions from the catalog, as ServiceMessaging takes them. */
const PLATFORM_MESSAGING = { topics: PLATFORM_TOPICS, subscriptions: PLATFORM_SUBSCRIPTIONS };
import { runPolicies } from "../../harness/policy-runner";
import type { RecordedResource } from "../../harness/recorder";
import { runStack, type StackRun } from "../../harness/run";

const REGION = "us-east-1";
const GCP_PROJECT = "acme-platform-dr";
const GCP_REGION = "us-east4";
const KEY = (purpose: string) => `arn:aws:kms:${REGION}:${MOCK_AWS_ACCOUNT}:key/${purpose}-0000-4000-8000-000000000000`;
const MESSAGING_KEY = KEY("messaging");
const LOGS_KEY = KEY("logs");
const BACKUPS_KEY = KEY("backups");
const GCP_KEY = `projects/${GCP_PROJECT}/locations/${GCP_REGION}/keyRings/platform/cryptoKeys/messaging`;
const APP_SG = "sg-0app00000000000001";
const VPC = "vpc-0platform00000001";
const DATA_SUBNETS = ["subnet-data-a", "subnet-data-b", "subnet-data-c"];
const APP_SUBNETS = ["subnet-app-a", "subnet-app-b", "subnet-app-c"];
const BUS = "platform-events";
const JAR = "vendor/pubsub-group-kafka-connector-1.3.2.jar";
const TAGS = {
    owner: "platform-team",
    "cost-center": "cc-1001",
    "data-classification": "confidential",
    "managed-by": "pulumi",
};

type Env = "dev" | "prod";

interface Overrides {
    readonly msk?: Partial<MskClusterArgs>;
    readonly messaging?: Partial<ServiceMessagingArgs>;
    readonly bus?: Partial<EventBusArgs>;
    readonly bridge?: Partial<PubSubBridgeArgs>;
}

/** The messaging area as program/main.ts is expected to wire it, with literal inputs. */
function messagingProgram(env: Env, o: Overrides = {}) {
    return async () => {
        const awsPrimary = new aws.Provider("aws-primary", {
            region: REGION,
            defaultTags: { tags: { ...TAGS, environment: env } },
        });
        const gcpDr = new gcp.Provider("gcp", {
            project: GCP_PROJECT,
            region: GCP_REGION,
            defaultLabels: { ...TAGS, environment: env },
            addPulumiAttributionLabel: false,
        });
        const azs = env === "prod" ? 3 : 2;
        const kafka = new MskCluster(
            "kafka",
            {
                vpcId: VPC,
                subnetIds: DATA_SUBNETS.slice(0, azs),
                availabilityZoneCount: azs,
                instanceType: env === "prod" ? "kafka.m5.large" : "kafka.t3.small",
                clientSecurityGroupIds: [APP_SG],
                kmsKeyArn: MESSAGING_KEY,
                logsKmsKeyArn: LOGS_KEY,
                logRetentionInDays: env === "prod" ? 365 : 30,
                protect: env === "prod",
                ...o.msk,
            },
            { provider: awsPrimary },
        );
        const messaging = new ServiceMessaging(
            "messaging",
            {
                ...PLATFORM_MESSAGING,
                kmsKeyArn: MESSAGING_KEY,
                eventBus: { name: BUS, routes: PLATFORM_EVENT_ROUTES },
                ...o.messaging,
            },
            { provider: awsPrimary },
        );
        new EventBus(
            "events",
            {
                busName: BUS,
                kmsKeyArn: MESSAGING_KEY,
                routes: PLATFORM_EVENT_ROUTES,
                queues: messaging.queues,
                ...o.bus,
            },
            { provider: awsPrimary },
        );
        new PubSubBridge(
            "dr-bridge",
            {
                topics: [{ name: "orders", kafkaTopics: ["orders", "order-status"] }, { name: "payments" }],
                mskClusterArn: kafka.clusterArn,
                bootstrapBrokersSaslIam: kafka.bootstrapBrokersSaslIam,
                subnetIds: APP_SUBNETS,
                securityGroupIds: [APP_SG],
                connectorJarPath: JAR,
                pluginKmsKeyArn: BACKUPS_KEY,
                logsKmsKeyArn: LOGS_KEY,
                logRetentionInDays: 30,
                gcpProject: GCP_PROJECT,
                gcpRegion: GCP_REGION,
                gcpKmsKeyId: GCP_KEY,
                protect: env === "prod",
                ...o.bridge,
            },
            { providers: [awsPrimary, gcpDr] },
        );
    };
}

const runs = new Map<Env, Promise<StackRun>>();
async function evaluated(env: Env): Promise<readonly RecordedResource[]> {
    let run = runs.get(env);
    if (!run) {
        run = runStack({ stack: env, program: messagingProgram(env) });
        runs.set(env, run);
    }
    const r = await run;
    if (r.error) throw r.error;
    return r.resources;
}

const under = (rs: readonly RecordedResource[], type: string, name: string) => descendantsOf(rs, one(rs, type, name));
const json = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);

describe("MskCluster", () => {
    for (const [env, azs, brokers, rf, isr] of [
        ["prod", 3, 3, 3, 2],
        ["dev", 2, 2, 2, 1],
    ] as const) {
        it(`${env}: ${brokers} brokers over ${azs} AZs, TLS only, IAM only, storage under the messaging key`, async () => {
            const rs = await evaluated(env);
            const cluster = one(rs, "aws:msk/cluster:Cluster", "kafka-cluster");
            const i = cluster.inputs;
            assert.strictEqual(i.kafkaVersion, VERSIONS.kafka);
            assert.strictEqual(i.numberOfBrokerNodes, brokers);
            assert.strictEqual(i.numberOfBrokerNodes % azs, 0);
            assert.deepStrictEqual(i.encryptionInfo, {
                encryptionAtRestKmsKeyArn: MESSAGING_KEY,
                encryptionInTransit: { clientBroker: "TLS", inCluster: true },
            });
            assert.deepStrictEqual(i.clientAuthentication, { sasl: { iam: true }, unauthenticated: false });
            const sg = one(rs, "aws:ec2/securityGroup:SecurityGroup", "kafka-brokers");
            assert.deepStrictEqual(i.brokerNodeGroupInfo, {
                instanceType: env === "prod" ? "kafka.m5.large" : "kafka.t3.small",
                clientSubnets: DATA_SUBNETS.slice(0, azs),
                securityGroups: [sg.outputs.id],
                storageInfo: { ebsStorageInfo: { volumeSize: 100 } },
            });
            assert.strictEqual(cluster.protect, env === "prod");
            const config = one(rs, "aws:msk/configuration:Configuration", "kafka-config");
            assert.deepStrictEqual(i.configurationInfo, { arn: config.outputs.arn, revision: 1 });
            assert.deepStrictEqual(config.inputs.kafkaVersions, [VERSIONS.kafka]);
            assert.strictEqual(
                config.inputs.serverProperties,
                "auto.create.topics.enable=false\n" +
                    `default.replication.factor=${rf}\n` +
                    `min.insync.replicas=${isr}\n` +
                    "unclean.leader.election.enable=false\n",
            );
        });
    }

    it("logs brokers into a log group encrypted with the logs key", async () => {
        const rs = await evaluated("prod");
        const group = one(rs, "aws:cloudwatch/logGroup:LogGroup", "kafka-brokers");
        assert.deepStrictEqual(group.inputs, { retentionInDays: 365, kmsKeyId: LOGS_KEY });
        assert.deepStrictEqual(one(rs, "aws:msk/cluster:Cluster", "kafka-cluster").inputs.loggingInfo, {
            brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: group.outputs.name } },
        });
    });

    it("grows broker storage by target tracking on KafkaBrokerStorageUtilization, never shrinking it", async () => {
        const rs = await evaluated("prod");
        const cluster = one(rs, "aws:msk/cluster:Cluster", "kafka-cluster");
        const target = one(rs, "aws:appautoscaling/target:Target", "kafka-storage");
        assert.deepStrictEqual(target.inputs, {
            serviceNamespace: "kafka",
            scalableDimension: "kafka:broker-storage:VolumeSize",
            resourceId: cluster.outputs.arn,
            minCapacity: 1,
            maxCapacity: 1000,
        });
        const policy = one(rs, "aws:appautoscaling/policy:Policy", "kafka-storage");
        assert.strictEqual(policy.inputs.policyType, "TargetTrackingScaling");
        assert.strictEqual(policy.inputs.resourceId, cluster.outputs.arn);
        assert.deepStrictEqual(policy.inputs.targetTrackingScalingPolicyConfiguration, {
            predefinedMetricSpecification: { predefinedMetricType: "KafkaBrokerStorageUtilization" },
            targetValue: 60,
            disableScaleIn: true,
        });
    });

    it("admits only the app tier, only on the IAM listener (9098), and nothing else", async () => {
        const rs = await evaluated("prod");
        const sg = one(rs, "aws:ec2/securityGroup:SecurityGroup", "kafka-brokers");
        const rules = ofType(
            under(rs, "multicloud:messaging:MskCluster", "kafka"),
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        );
        assert.deepStrictEqual(
            rules.map((r) => r.inputs),
            [
                {
                    securityGroupId: sg.outputs.id,
                    referencedSecurityGroupId: APP_SG,
                    ipProtocol: "tcp",
                    fromPort: 9098,
                    toPort: 9098,
                    description: "Kafka SASL/IAM from sg-0",
                },
            ],
        );
        assert.deepStrictEqual(sg.inputs.ingress ?? [], []);
        assert.deepStrictEqual(sg.inputs.egress ?? [], []);
    });

    it("adopts a given security group and creates none", async () => {
        const run = await runStack({
            stack: "dev",
            program: messagingProgram("dev", { msk: { securityGroupId: "sg-0adopted", clientSecurityGroupIds: [] } }),
        });
        assert.ifError(run.error);
        assert.deepStrictEqual(
            ofType(
                under(run.resources, "multicloud:messaging:MskCluster", "kafka"),
                "aws:ec2/securityGroup:SecurityGroup",
            ),
            [],
        );
        assert.deepStrictEqual(
            one(run.resources, "aws:msk/cluster:Cluster", "kafka-cluster").inputs.brokerNodeGroupInfo.securityGroups,
            ["sg-0adopted"],
        );
    });

    describe("validation, all problems at once and before any resource exists", () => {
        const base: MskClusterArgs = {
            vpcId: VPC,
            subnetIds: DATA_SUBNETS,
            availabilityZoneCount: 3,
            instanceType: "kafka.m5.large",
            clientSecurityGroupIds: [APP_SG],
            kmsKeyArn: MESSAGING_KEY,
            logsKmsKeyArn: LOGS_KEY,
            logRetentionInDays: 30,
        };
        const cases: [string, Partial<MskClusterArgs>, string][] = [
            [
                "a fractional broker count per AZ, which would not be a multiple of the AZ count",
                { brokersPerAvailabilityZone: 1.5 },
                "MskCluster k: brokersPerAvailabilityZone must be a whole number of at least 1, so that numberOfBrokerNodes " +
                    "(brokers per AZ x availabilityZoneCount) is a multiple of the AZ count as MSK requires; received 1.5",
            ],
            [
                "no brokers",
                { brokersPerAvailabilityZone: 0 },
                "MskCluster k: brokersPerAvailabilityZone must be a whole number of at least 1, so that numberOfBrokerNodes " +
                    "(brokers per AZ x availabilityZoneCount) is a multiple of the AZ count as MSK requires; received 0",
            ],
            [
                "four AZs",
                { availabilityZoneCount: 4 },
                "MskCluster k: availabilityZoneCount must be 2 or 3 (MSK spreads brokers evenly over 2 or 3 AZs); received 4",
            ],
            [
                "an Express broker type",
                { instanceType: "express.m7g.large" },
                'MskCluster k: instanceType must be an MSK Standard broker type such as kafka.m5.large (Express brokers have no EBS volume to size); received "express.m7g.large"',
            ],
            [
                "min.insync.replicas equal to the replication factor",
                { minInSyncReplicas: 3 },
                "MskCluster k: minInSyncReplicas (3) must be below the replication factor (3): otherwise acks=all producers " +
                    "stop whenever MSK restarts a broker for patching; use 2",
            ],
            [
                "a replication factor above the broker count",
                { availabilityZoneCount: 2, defaultReplicationFactor: 3 },
                "MskCluster k: defaultReplicationFactor must be a whole number from 1 to the broker count (2); received 3",
            ],
            [
                "client rules with an adopted security group",
                { securityGroupId: "sg-0adopted" },
                "MskCluster k: clientSecurityGroupIds and clientCidrs shape the security group the component creates; with " +
                    "securityGroupId (an adopted group) admit the clients in that group instead",
            ],
            [
                "a created security group without clients",
                { clientSecurityGroupIds: [] },
                "MskCluster k: the brokers' security group would admit no client: pass clientSecurityGroupIds or clientCidrs, " +
                    "or adopt a group with securityGroupId",
            ],
            [
                "a storage ceiling below the starting volume",
                { volumeSizeGiB: 500, maxVolumeSizeGiB: 400 },
                "MskCluster k: maxVolumeSizeGiB must be a whole number above volumeSizeGiB (500) and at most 16384; received 400",
            ],
            [
                "a storage target above 80 %",
                { storageUtilizationTargetPercent: 90 },
                "MskCluster k: storageUtilizationTargetPercent must be from 10 to 80; received 90",
            ],
        ];
        for (const [what, change, message] of cases) {
            it(`rejects ${what}`, () => {
                assert.throws(() => mskClusterSettings("k", { ...base, ...change }), { message });
            });
        }

        it("reports every problem in one error", () => {
            assert.throws(
                () => mskClusterSettings("k", { ...base, availabilityZoneCount: 1, instanceType: "m5.large" }),
                {
                    message:
                        "MskCluster k: availabilityZoneCount must be 2 or 3 (MSK spreads brokers evenly over 2 or 3 AZs); received 1; " +
                        'instanceType must be an MSK Standard broker type such as kafka.m5.large (Express brokers have no EBS volume to size); received "m5.large"',
                },
            );
        });

        it("fails the program before registering any child", async () => {
            const run = await runStack({
                stack: "dev",
                program: messagingProgram("dev", { msk: { brokersPerAvailabilityZone: 0 } }),
            });
            assert.match(
                run.error?.message ?? "",
                /^MskCluster kafka: brokersPerAvailabilityZone must be a whole number/,
            );
            assert.deepStrictEqual(
                run.resources.filter((r) => r.type.startsWith("aws:msk")),
                [],
            );
        });

        it("fails when the subnets do not match the AZ count", async () => {
            const run = await runStack({
                stack: "dev",
                program: messagingProgram("dev", { msk: { subnetIds: DATA_SUBNETS } }),
            });
            // The runtime prefixes the path of the property whose serialization failed.
            assert.match(
                run.error?.message ?? "",
                /MskCluster kafka: subnetIds has 3 subnets but availabilityZoneCount is 2; pass one data subnet per AZ$/,
            );
        });
    });
});

describe("Kafka settings", () => {
    it("replicates three times with two in sync where there are three brokers, and stays writable with fewer", () => {
        assert.deepStrictEqual(
            [2, 3, 6].map((n) => defaultReplication(n)),
            [
                { replicationFactor: 2, minInSyncReplicas: 1 },
                { replicationFactor: 3, minInSyncReplicas: 2 },
                { replicationFactor: 3, minInSyncReplicas: 2 },
            ],
        );
        for (const n of [1, 2, 3, 4, 6, 9]) assert.deepStrictEqual(replicationProblems(n, defaultReplication(n)), []);
        assert.match(
            serverProperties({ replicationFactor: 3, minInSyncReplicas: 2 }),
            /^auto\.create\.topics\.enable=false\n/,
        );
    });

    it("derives topic and group ARNs from the cluster ARN", () => {
        const cluster = `arn:aws:kafka:us-east-1:${MOCK_AWS_ACCOUNT}:cluster/platform/6357e0b2-0e6a-4b86-a0b4-70df934c2e31-5`;
        assert.strictEqual(
            kafkaResourceArn(cluster, "topic", "orders"),
            `arn:aws:kafka:us-east-1:${MOCK_AWS_ACCOUNT}:topic/platform/6357e0b2-0e6a-4b86-a0b4-70df934c2e31-5/orders`,
        );
        assert.strictEqual(
            kafkaResourceArn(cluster, "group", "connect-x"),
            `arn:aws:kafka:us-east-1:${MOCK_AWS_ACCOUNT}:group/platform/6357e0b2-0e6a-4b86-a0b4-70df934c2e31-5/connect-x`,
        );
        assert.throws(() => kafkaResourceArn("arn:aws:sqs:us-east-1:1:q", "topic", "t"), {
            message: 'not an MSK cluster ARN: "arn:aws:sqs:us-east-1:1:q"',
        });
    });
});

describe("PubSubBridge", () => {
    const ROLE = "dr-bridge-connector";
    const ASSUMED_ROLE = `arn:aws:sts::${MOCK_AWS_ACCOUNT}:assumed-role/${ROLE}`;
    const POOL = `projects/${MOCK_GCP_PROJECT_NUMBER}/locations/global/workloadIdentityPools/dr-bridge-aws`;
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

    it("hands the connector a keyless external_account credential for the sink service account", async () => {
        const rs = await evaluated("prod");
        for (const c of connectors(rs)) {
            const creds = JSON.parse(c.inputs.connectorConfiguration["gcp.credentials.json"]);
            assert.strictEqual(creds.type, "external_account");
            assert.strictEqual(creds.audience, `//iam.googleapis.com/${POOL}/providers/msk-connect`);
            assert.strictEqual(creds.subject_token_type, "urn:ietf:params:aws:token-type:aws4_request");
            assert.strictEqual(
                creds.service_account_impersonation_url,
                `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${SA_EMAIL}:generateAccessToken`,
            );
            assert.strictEqual(creds.credential_source.environment_id, "aws1");
            assert.ok(!("private_key" in creds) && !JSON.stringify(creds).includes("PRIVATE KEY"));
        }
    });

    it("creates no service account key, and no long-lived AWS key either, anywhere", async () => {
        for (const env of ["dev", "prod"] as const) {
            const rs = await evaluated(env);
            assert.deepStrictEqual(ofType(rs, "gcp:serviceaccount/key:Key"), []);
            assert.deepStrictEqual(ofType(rs, "aws:iam/accessKey:AccessKey"), []);
        }
    });

    it("the workload identity provider trusts only the connector role of this AWS account", async () => {
        const rs = await evaluated("prod");
        const role = one(rs, "aws:iam/role:Role", "dr-bridge-connector");
        assert.strictEqual(role.inputs.name, ROLE);
        const provider = one(rs, "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider", "dr-bridge-aws");
        assert.deepStrictEqual(provider.inputs.aws, { accountId: MOCK_AWS_ACCOUNT });
        assert.strictEqual(provider.inputs.attributeCondition, `attribute.aws_role == "${ASSUMED_ROLE}"`);
        assert.deepStrictEqual(provider.inputs.attributeMapping, AWS_ATTRIBUTE_MAPPING);
        assert.strictEqual(provider.inputs.workloadIdentityPoolId, "dr-bridge-aws");
        assert.strictEqual(provider.inputs.workloadIdentityPoolProviderId, "msk-connect");

        const sa = one(rs, "gcp:serviceaccount/account:Account", "dr-bridge-sink");
        assert.strictEqual(sa.inputs.accountId, "dr-bridge-sink");
        const bindings = ofType(rs, "gcp:serviceaccount/iAMMember:IAMMember");
        assert.deepStrictEqual(
            bindings.map((b) => b.inputs),
            [
                {
                    serviceAccountId: sa.outputs.name,
                    role: "roles/iam.workloadIdentityUser",
                    member: `principalSet://iam.googleapis.com/${POOL}/attribute.aws_role/${ASSUMED_ROLE}`,
                },
            ],
        );
        assert.strictEqual(
            one(rs, "gcp:iam/workloadIdentityPool:WorkloadIdentityPool", "dr-bridge-pool").protect,
            true,
        );
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

    it("the execution role reaches only this cluster, its bridged topics, its groups and the plugin object", async () => {
        const rs = await evaluated("prod");
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
                Resource: `${bucket.outputs.arn}/plugins/pubsub-group-kafka-connector-1.3.2.jar`,
            },
            {
                Sid: "DecryptPlugin",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: BACKUPS_KEY,
                Condition: { StringEquals: { "kms:ViaService": `s3.${REGION}.amazonaws.com` } },
            },
        ]);
    });

    it("keeps the plugin jar in a private, versioned bucket encrypted with the given key", async () => {
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
        const jar = one(rs, "aws:s3/bucketObjectv2:BucketObjectv2", "dr-bridge-connector-jar");
        assert.strictEqual(jar.inputs.key, "plugins/pubsub-group-kafka-connector-1.3.2.jar");
        assert.strictEqual(jar.inputs.source.path, JAR);
        assert.ok(jar.dependencies.includes(sse.urn) && jar.dependencies.includes(versioning.urn));
        const plugin = one(rs, "aws:mskconnect/customPlugin:CustomPlugin", "dr-bridge-plugin");
        assert.strictEqual(plugin.inputs.contentType, "JAR");
        assert.strictEqual(plugin.inputs.location.s3.bucketArn, bucket.outputs.arn);
        assert.strictEqual(plugin.inputs.location.s3.fileKey, jar.outputs.key);
        assert.ok(plugin.propertyDependencies.location.includes(jar.urn), "the plugin pins the uploaded object");
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

    it("starts connectors only after their role policy and GCP grants exist", async () => {
        const rs = await evaluated("prod");
        const policy = one(rs, "aws:iam/rolePolicy:RolePolicy", "dr-bridge-connector");
        const wif = one(rs, "gcp:serviceaccount/iAMMember:IAMMember", "dr-bridge-workload-identity");
        for (const c of connectors(rs)) {
            for (const dep of [
                policy,
                wif,
                one(rs, "gcp:pubsub/topicIAMMember:TopicIAMMember", "dr-bridge-orders-publisher"),
            ])
                assert.ok(c.dependencies.includes(dep.urn), `${c.name} waits for ${dep.name}`);
        }
    });

    it("federation helpers build the documented formats", () => {
        const arn = awsAssumedRoleArn("aws", "111122223333", "r");
        assert.strictEqual(arn, "arn:aws:sts::111122223333:assumed-role/r");
        assert.strictEqual(
            wifAttributeCondition(arn),
            'attribute.aws_role == "arn:aws:sts::111122223333:assumed-role/r"',
        );
        assert.strictEqual(
            wifProviderAudience("42", "pool", "prov"),
            "//iam.googleapis.com/projects/42/locations/global/workloadIdentityPools/pool/providers/prov",
        );
        assert.strictEqual(
            wifPrincipalSet("42", "pool", arn),
            "principalSet://iam.googleapis.com/projects/42/locations/global/workloadIdentityPools/pool/attribute.aws_role/arn:aws:sts::111122223333:assumed-role/r",
        );
    });

    describe("validation", () => {
        const base: PubSubBridgeArgs = {
            topics: [{ name: "orders" }],
            mskClusterArn: "arn",
            bootstrapBrokersSaslIam: "b:9098",
            subnetIds: APP_SUBNETS,
            securityGroupIds: [APP_SG],
            connectorJarPath: JAR,
            pluginKmsKeyArn: BACKUPS_KEY,
            logsKmsKeyArn: LOGS_KEY,
            logRetentionInDays: 30,
            gcpProject: GCP_PROJECT,
            gcpRegion: GCP_REGION,
            gcpKmsKeyId: GCP_KEY,
        };
        const cases: [string, string, Partial<PubSubBridgeArgs>, string][] = [
            [
                "no topics",
                "b",
                { topics: [] },
                "PubSubBridge b: topics is empty; name at least one Pub/Sub topic to mirror into",
            ],
            [
                "a Pub/Sub topic reserved by Google",
                "bridge",
                { topics: [{ name: "google-events" }] },
                'PubSubBridge bridge: Pub/Sub topic names must be 3 to 200 characters, start with a letter, use letters, digits and . _ ~ + % - only, and not start with "goog"; received "google-events"',
            ],
            [
                "topic names that collide as connector names",
                "bridge",
                { topics: [{ name: "orders.eu" }, { name: "orders-eu" }] },
                "PubSubBridge bridge: topic names must stay distinct once . _ ~ + % become '-' in connector names; received orders.eu, orders-eu",
            ],
            [
                "a file that is not a jar",
                "bridge",
                { connectorJarPath: "connector.zip" },
                'PubSubBridge bridge: connectorJarPath must name the connector\'s .jar file (the plugin is registered as a JAR); received "connector.zip"',
            ],
            [
                "a pool id GCP reserves",
                "bridge",
                { workloadIdentityPoolId: "gcp-pool" },
                'PubSubBridge bridge: workloadIdentityPoolId must be 4 to 32 lowercase letters, digits or \'-\', not starting with "gcp-"; received "gcp-pool"',
            ],
            [
                "a service account id that is too short",
                "bridge",
                { serviceAccountId: "sa-1" },
                "PubSubBridge bridge: serviceAccountId must be 6 to 30 lowercase letters, digits or '-', starting with a letter and not ending with '-'; received \"sa-1\"",
            ],
            [
                "more minimum workers than maximum",
                "bridge",
                { minWorkerCount: 3, maxWorkerCount: 2 },
                "PubSubBridge bridge: minWorkerCount and maxWorkerCount must be whole numbers with 1 <= min <= max <= 10; received 3 and 2",
            ],
            [
                "too few delivery attempts",
                "bridge",
                { maxDeliveryAttempts: 3 },
                "PubSubBridge bridge: maxDeliveryAttempts must be a whole number from 5 to 100; received 3",
            ],
        ];
        for (const [what, name, change, message] of cases) {
            it(`rejects ${what}`, () => {
                assert.throws(() => pubSubBridgeSettings(name, { ...base, ...change }), { message });
            });
        }
    });
});

describe("ServiceMessaging and EventBus", () => {
    const queueByName = (rs: readonly RecordedResource[], name: string) => one(rs, "aws:sqs/queue:Queue", name);
    const SERVICES = ["order", "payment", "product", "user"];

    it("derives one queue per consuming service from the subscriptions and routes", () => {
        assert.deepStrictEqual(consumingServices(PLATFORM_SUBSCRIPTIONS, PLATFORM_EVENT_ROUTES), SERVICES);
    });

    it("encrypts the domain topics and every queue with the messaging key", async () => {
        const rs = await evaluated("prod");
        const topics = ofType(rs, "aws:sns/topic:Topic");
        assert.deepStrictEqual(
            topics.map((t) => [t.name, t.inputs.kmsMasterKeyId]),
            ["user-events", "order-events", "payment-events"].map((t) => [`messaging-${t}`, MESSAGING_KEY]),
        );
        const queues = ofType(rs, "aws:sqs/queue:Queue");
        assert.strictEqual(queues.length, 2 * SERVICES.length);
        for (const q of queues) {
            assert.strictEqual(q.inputs.kmsMasterKeyId, MESSAGING_KEY, q.name);
            assert.strictEqual(q.inputs.kmsDataKeyReusePeriodSeconds, 300, q.name);
        }
    });

    it("gives every queue its own encrypted dead-letter queue that keeps messages longer, and only it may redrive there", async () => {
        const rs = await evaluated("prod");
        for (const service of SERVICES) {
            const queue = queueByName(rs, `messaging-${service}`);
            const dlq = queueByName(rs, `messaging-${service}-dlq`);
            assert.deepStrictEqual(json(queue.inputs.redrivePolicy), {
                deadLetterTargetArn: dlq.outputs.arn,
                maxReceiveCount: 5,
            });
            assert.strictEqual(queue.inputs.messageRetentionSeconds, 345600);
            assert.strictEqual(queue.inputs.receiveWaitTimeSeconds, 20);
            assert.strictEqual(dlq.inputs.messageRetentionSeconds, 1209600);
            assert.strictEqual(dlq.inputs.redrivePolicy, undefined);
            const allow = one(rs, "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy", `messaging-${service}-dlq`);
            assert.strictEqual(allow.inputs.queueUrl, dlq.outputs.url);
            assert.deepStrictEqual(json(allow.inputs.redriveAllowPolicy), {
                redrivePermission: "byQueue",
                sourceQueueArns: [queue.outputs.arn],
            });
        }
    });

    it("subscribes each service with an event_type filter and raw delivery, redriving failures to its DLQ", async () => {
        const rs = await evaluated("prod");
        const subs = ofType(rs, "aws:sns/topicSubscription:TopicSubscription");
        const topicArn = (t: string) => one(rs, "aws:sns/topic:Topic", `messaging-${t}`).outputs.arn;
        assert.deepStrictEqual(
            subs.map((s) => [s.name, s.inputs.topic, s.inputs.endpoint, JSON.parse(s.inputs.filterPolicy)]),
            [
                [
                    "messaging-order-payment-events",
                    topicArn("payment-events"),
                    queueByName(rs, "messaging-order").outputs.arn,
                    { event_type: ["PaymentFailed", "PaymentRefunded"] },
                ],
                [
                    "messaging-order-user-events",
                    topicArn("user-events"),
                    queueByName(rs, "messaging-order").outputs.arn,
                    { event_type: ["UserDeleted"] },
                ],
                [
                    "messaging-payment-order-events",
                    topicArn("order-events"),
                    queueByName(rs, "messaging-payment").outputs.arn,
                    { event_type: ["OrderPlaced", "OrderCancelled"] },
                ],
                [
                    "messaging-product-order-events",
                    topicArn("order-events"),
                    queueByName(rs, "messaging-product").outputs.arn,
                    { event_type: ["OrderPlaced", "OrderCancelled"] },
                ],
            ],
        );
        for (const s of subs) {
            const service = s.name.split("-")[1];
            assert.strictEqual(s.inputs.protocol, "sqs");
            assert.strictEqual(s.inputs.rawMessageDelivery, true);
            assert.strictEqual(s.inputs.filterPolicyScope, "MessageAttributes");
            assert.deepStrictEqual(json(s.inputs.redrivePolicy), {
                deadLetterTargetArn: queueByName(rs, `messaging-${service}-dlq`).outputs.arn,
            });
            const policy = one(rs, "aws:sqs/queuePolicy:QueuePolicy", `messaging-${service}`);
            assert.ok(s.dependencies.includes(policy.urn), `${s.name} waits for the queue policy`);
        }
    });

    it("routes UserRegistered to product, OrderPlaced to user and PaymentProcessed to order, with retries and the service's DLQ", async () => {
        const rs = await evaluated("prod");
        const bus = one(rs, "aws:cloudwatch/eventBus:EventBus", "events-bus");
        const rules = ofType(rs, "aws:cloudwatch/eventRule:EventRule");
        const targets = ofType(rs, "aws:cloudwatch/eventTarget:EventTarget");
        const routed = rules.map((rule) => {
            const target = targets.find((t) => t.inputs.rule === rule.outputs.name)!;
            assert.strictEqual(rule.inputs.eventBusName, BUS);
            assert.strictEqual(target.inputs.eventBusName, BUS);
            assert.deepStrictEqual(target.inputs.retryPolicy, {
                maximumRetryAttempts: 185,
                maximumEventAgeInSeconds: 86400,
            });
            const queue = ofType(rs, "aws:sqs/queue:Queue").find((q) => q.outputs.arn === target.inputs.arn)!;
            assert.deepStrictEqual(target.inputs.deadLetterConfig, {
                arn: queueByName(rs, `${queue.name}-dlq`).outputs.arn,
            });
            return [JSON.parse(rule.inputs.eventPattern), rule.inputs.name, queue.name];
        });
        assert.deepStrictEqual(routed, [
            [{ "detail-type": ["UserRegistered"] }, "platform-events-user-registered", "messaging-product"],
            [{ "detail-type": ["OrderPlaced"] }, "platform-events-order-placed", "messaging-user"],
            [{ "detail-type": ["PaymentProcessed"] }, "platform-events-payment-processed", "messaging-order"],
        ]);
        assert.strictEqual(bus.inputs.kmsKeyIdentifier, MESSAGING_KEY);
        assert.strictEqual(bus.inputs.name, BUS);
    });

    it("archives every event of the bus for replay, encrypted", async () => {
        const rs = await evaluated("prod");
        const bus = one(rs, "aws:cloudwatch/eventBus:EventBus", "events-bus");
        const archive = one(rs, "aws:cloudwatch/eventArchive:EventArchive", "events-archive");
        assert.deepStrictEqual(
            { ...archive.inputs, description: undefined },
            {
                name: "platform-events-archive",
                eventSourceArn: bus.outputs.arn,
                retentionDays: 30,
                kmsKeyIdentifier: MESSAGING_KEY,
                description: undefined,
            },
        );
        assert.strictEqual(archive.inputs.eventPattern, undefined);
    });

    it("each queue policy admits only its topics and the rules that target it, and TLS only", async () => {
        const rs = await evaluated("prod");
        const topicArn = (t: string) => one(rs, "aws:sns/topic:Topic", `messaging-${t}`).outputs.arn;
        const ruleArn = (detailType: string) =>
            one(rs, "aws:cloudwatch/eventRule:EventRule", `events-${kebab(detailType)}`).outputs.arn;
        const expected: Record<string, { sns: string[]; events: string[] }> = {
            order: {
                sns: [topicArn("payment-events"), topicArn("user-events")],
                events: [ruleArn("PaymentProcessed")],
            },
            payment: { sns: [topicArn("order-events")], events: [] },
            product: { sns: [topicArn("order-events")], events: [ruleArn("UserRegistered")] },
            user: { sns: [], events: [ruleArn("OrderPlaced")] },
        };
        for (const [service, sources] of Object.entries(expected)) {
            for (const name of [`messaging-${service}`, `messaging-${service}-dlq`]) {
                const queue = queueByName(rs, name);
                const policy = one(rs, "aws:sqs/queuePolicy:QueuePolicy", name);
                assert.strictEqual(policy.inputs.queueUrl, queue.outputs.url);
                const doc = JSON.parse(policy.inputs.policy);
                const allows = doc.Statement.filter((s: any) => s.Effect === "Allow");
                assert.deepStrictEqual(
                    allows.map((s: any) => [
                        s.Principal.Service,
                        s.Action,
                        s.Resource,
                        s.Condition.ArnEquals["aws:SourceArn"],
                    ]),
                    [
                        ...(sources.sns.length
                            ? [["sns.amazonaws.com", "sqs:SendMessage", queue.outputs.arn, sources.sns]]
                            : []),
                        ...(sources.events.length
                            ? [["events.amazonaws.com", "sqs:SendMessage", queue.outputs.arn, sources.events]]
                            : []),
                    ],
                    name,
                );
                assert.deepStrictEqual(doc.Statement.at(-1), {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "sqs:*",
                    Resource: queue.outputs.arn,
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                });
            }
        }
    });

    it("derives exactly the rule ARNs EventBridge assigns", () => {
        const ctx = { partition: "aws", region: REGION, accountId: MOCK_AWS_ACCOUNT };
        assert.strictEqual(eventRuleName("platform-events", "UserRegistered"), "platform-events-user-registered");
        assert.strictEqual(
            eventRuleArn(ctx, "platform-events", "OrderPlaced"),
            `arn:aws:events:${REGION}:${MOCK_AWS_ACCOUNT}:rule/platform-events/platform-events-order-placed`,
        );
    });

    it("a stack without an event bus gets queue policies without EventBridge", async () => {
        const run = await runStack({
            stack: "dev",
            program: async () => {
                const p = new aws.Provider("aws-primary", { region: REGION, defaultTags: { tags: TAGS } });
                new ServiceMessaging("messaging", { ...PLATFORM_MESSAGING, kmsKeyArn: MESSAGING_KEY }, { provider: p });
            },
        });
        assert.ifError(run.error);
        assert.deepStrictEqual(
            ofType(run.resources, "aws:sqs/queue:Queue")
                .map((q) => q.name)
                .sort(),
            ["order", "payment", "product"].flatMap((s) => [`messaging-${s}`, `messaging-${s}-dlq`]),
        );
        for (const p of ofType(run.resources, "aws:sqs/queuePolicy:QueuePolicy")) {
            assert.ok(!p.inputs.policy.includes("events.amazonaws.com"), p.name);
        }
    });

    describe("validation", () => {
        const messages: [string, ServiceMessagingArgs, string][] = [
            [
                "a subscription to an unknown topic",
                {
                    ...PLATFORM_MESSAGING,
                    kmsKeyArn: MESSAGING_KEY,
                    subscriptions: [{ service: "order", topic: "orders", eventTypes: ["A"] }],
                },
                'ServiceMessaging m: subscription of order names topic "orders", which is not one of the topics (user-events, order-events, payment-events)',
            ],
            [
                "a subscription without a filter",
                {
                    ...PLATFORM_MESSAGING,
                    kmsKeyArn: MESSAGING_KEY,
                    subscriptions: [{ service: "order", topic: "user-events", eventTypes: [] }],
                },
                "ServiceMessaging m: subscription of order to user-events has no eventTypes; without a filter it would receive every event of the topic",
            ],
            [
                "a dead-letter retention not above the queue's",
                { ...PLATFORM_MESSAGING, kmsKeyArn: MESSAGING_KEY, messageRetentionSeconds: 1209600 },
                "ServiceMessaging m: deadLetterRetentionSeconds (1209600) must exceed messageRetentionSeconds (1209600): a dead-lettered message keeps its original enqueue time and would expire on arrival",
            ],
            [
                "a bus name that leaves no room for the archive name",
                { ...PLATFORM_MESSAGING, kmsKeyArn: MESSAGING_KEY, eventBus: { name: "x".repeat(41), routes: [] } },
                `ServiceMessaging m: eventBus.name must be 1 to 40 letters, digits, '.', '_' or '-' and not "default" (the archive is named <bus>-archive, at most 48 characters); received "${"x".repeat(41)}"`,
            ],
        ];
        for (const [what, args, message] of messages) {
            it(`ServiceMessaging rejects ${what}`, () => {
                assert.throws(() => serviceMessagingSettings("m", args), { message });
            });
        }

        it("EventBus rejects a route to a service without a queue", () => {
            const queue = { arn: "a", deadLetterArn: "d" };
            assert.throws(
                () =>
                    eventBusSettings("events", {
                        kmsKeyArn: MESSAGING_KEY,
                        routes: PLATFORM_EVENT_ROUTES,
                        queues: { order: queue, user: queue },
                    }),
                {
                    message:
                        'EventBus events: route UserRegistered targets service "product", which has no queue; queues exist for: order, user',
                },
            );
        });
    });
});

describe("messaging area under the policy pack", () => {
    for (const env of ["dev", "prod"] as const) {
        it(`${env}: every resource has an explicit provider and no policy (existing or messaging) reports a violation`, async () => {
            const rs = await evaluated(env);
            for (const r of rs.filter((x) => x.custom && !x.type.startsWith("pulumi:providers:")))
                assert.ok(r.provider, `${r.type} ${r.name} has no explicit provider`);
            const violations = await runPolicies(rs, [...allPolicies, ...messagingPolicies]);
            assert.deepStrictEqual(violations, []);
        });
    }
});
