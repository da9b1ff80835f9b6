/**
 * The messaging area as program/layers/messaging.ts wires it, with literal inputs, run once per stack and
 * shared by the messaging specs.
 */
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import { PLATFORM_EVENT_ROUTES, PLATFORM_SUBSCRIPTIONS, PLATFORM_TOPICS } from "../../catalog/messaging";
import { EventBus, type EventBusArgs } from "../../components/messaging/event-bus";
import { KafkaTopics } from "../../components/messaging/kafka-topics";
import type { KafkaTopicsArgs } from "../../components/messaging/kafka-topics-settings";
import { MskCluster, type MskClusterArgs } from "../../components/messaging/msk-cluster";
import { PubSubBridge } from "../../components/messaging/pubsub-bridge";
import type { PubSubBridgeArgs } from "../../components/messaging/pubsub-bridge-settings";
import { ServiceMessaging, type ServiceMessagingArgs } from "../../components/messaging/service-messaging";
import { descendantsOf, one } from "../../harness/lookup";
import { MOCK_AWS_ACCOUNT } from "../../harness/mocks";
import type { RecordedResource } from "../../harness/recorder";
import { runStack, type StackRun } from "../../harness/run";

/** The platform's topics and subscriptions from the catalog, as ServiceMessaging takes them. */
export const PLATFORM_MESSAGING = { topics: PLATFORM_TOPICS, subscriptions: PLATFORM_SUBSCRIPTIONS };

export const REGION = "us-east-1";
export const GCP_PROJECT = "acme-platform-dr";
export const GCP_REGION = "us-east4";
export const KEY = (purpose: string) =>
    `arn:aws:kms:${REGION}:${MOCK_AWS_ACCOUNT}:key/${purpose}-0000-4000-8000-000000000000`;
export const MESSAGING_KEY = KEY("messaging");
export const LOGS_KEY = KEY("logs");
export const BACKUPS_KEY = KEY("backups");
export const GCP_KEY = `projects/${GCP_PROJECT}/locations/${GCP_REGION}/keyRings/platform/cryptoKeys/messaging`;
export const APP_SG = "sg-0app00000000000001";
export const VPC = "vpc-0platform00000001";
export const DATA_SUBNETS = ["subnet-data-a", "subnet-data-b", "subnet-data-c"];
export const APP_SUBNETS = ["subnet-app-a", "subnet-app-b", "subnet-app-c"];
export const BUS = "platform-events";
export const JAR = "vendor/pubsub-group-kafka-connector-1.3.2.jar";
/** The bridge measures key rotation periods at this time; 90-day periods put it in the one from 2026-09-04. */
export const NOW = new Date("2026-12-02T12:00:00Z");
export const TAGS = {
    owner: "platform-team",
    "cost-center": "cc-1001",
    "data-classification": "confidential",
    "managed-by": "pulumi",
};

export type Env = "dev" | "prod";

/** The Kafka topics the fixture's bridge reads: `orders` and `order-status` into one Pub/Sub topic. */
export const KAFKA_TOPICS = [
    { name: "orders", partitions: 6, retentionHours: 168 },
    { name: "order-status", partitions: 3, retentionHours: 24 },
    { name: "payments", partitions: 6, retentionHours: 168 },
];

export interface Overrides {
    readonly msk?: Partial<MskClusterArgs>;
    readonly topics?: Partial<KafkaTopicsArgs>;
    readonly messaging?: Partial<ServiceMessagingArgs>;
    readonly bus?: Partial<EventBusArgs>;
    readonly bridge?: Partial<PubSubBridgeArgs>;
}

export function messagingProgram(env: Env, o: Overrides = {}) {
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
        const topics = new KafkaTopics(
            "kafka-topics",
            {
                clusterArn: kafka.clusterArn,
                topics: KAFKA_TOPICS,
                brokerCount: kafka.numberOfBrokerNodes,
                replicationFactor: kafka.replication.replicationFactor,
                minInSyncReplicas: kafka.replication.minInSyncReplicas,
                protect: env === "prod",
                ...o.topics,
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
        const bridge = new PubSubBridge(
            "dr-bridge",
            {
                topics: [{ name: "orders", kafkaTopics: ["orders", "order-status"] }, { name: "payments" }],
                sourceTopics: topics.topics,
                consumers: { orders: ["payment", "shipping"] },
                mskClusterArn: kafka.clusterArn,
                bootstrapBrokersSaslIam: kafka.bootstrapBrokersSaslIam,
                subnetIds: APP_SUBNETS,
                securityGroupIds: [APP_SG],
                connectorJarPath: JAR,
                pluginKmsKeyArn: BACKUPS_KEY,
                credentialsKmsKeyArn: MESSAGING_KEY,
                now: NOW,
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
        // As stack outputs, so that specs can read what the components expose.
        return { topicArns: topics.topicArns, serviceSubscriptionIds: bridge.serviceSubscriptionIds };
    };
}

const runs = new Map<string, Promise<StackRun>>();
/** The messaging area of a stack, run once per stack and bridge overrides. */
export async function evaluated(env: Env, bridge?: Partial<PubSubBridgeArgs>): Promise<readonly RecordedResource[]> {
    const key = `${env}:${JSON.stringify(bridge ?? {})}`;
    let run = runs.get(key);
    if (!run) {
        run = runStack({ stack: env, program: messagingProgram(env, { bridge }) });
        runs.set(key, run);
    }
    const r = await run;
    if (r.error) throw r.error;
    return r.resources;
}

export const under = (rs: readonly RecordedResource[], type: string, name: string) =>
    descendantsOf(rs, one(rs, type, name));
export const json = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);
