import * as assert from "assert";
import type * as pulumi from "@pulumi/pulumi";
import { pubSubBridgeSettings, type PubSubBridgeArgs } from "../../components/messaging/pubsub-bridge-settings";
import {
    GCP_PROJECT,
    GCP_REGION,
    LOGS_KEY,
    BACKUPS_KEY,
    MESSAGING_KEY,
    GCP_KEY,
    APP_SG,
    APP_SUBNETS,
    JAR,
} from "./fixture";

describe("PubSubBridge settings", () => {
    describe("validation", () => {
        const base: PubSubBridgeArgs = {
            topics: [{ name: "orders" }],
            mskClusterArn: "arn",
            bootstrapBrokersSaslIam: "b:9098",
            subnetIds: APP_SUBNETS,
            securityGroupIds: [APP_SG],
            connectorJarPath: JAR,
            pluginKmsKeyArn: BACKUPS_KEY,
            credentialsKmsKeyArn: MESSAGING_KEY,
            logsKmsKeyArn: LOGS_KEY,
            logRetentionInDays: 30,
            gcpProject: GCP_PROJECT,
            gcpRegion: GCP_REGION,
            gcpKmsKeyId: GCP_KEY,
            sourceTopics: {},
        };
        // The settings read the names of the source topics only.
        const sourcesFor = (topics: PubSubBridgeArgs["topics"]) =>
            Object.fromEntries(topics.flatMap((t) => t.kafkaTopics ?? [t.name]).map((k) => [k, {} as pulumi.Resource]));
        const cases: [string, string, Partial<PubSubBridgeArgs>, string][] = [
            [
                "a worker log retention CloudWatch Logs does not offer",
                "b",
                { logRetentionInDays: 0 },
                "PubSubBridge b: logRetentionInDays must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); received 0",
            ],
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
                'PubSubBridge bridge: connectorJarPath must name the connector\'s .jar file; received "connector.zip"',
            ],
            [
                "a key that would never rotate",
                "bridge",
                { keyRotationDays: 0 },
                "PubSubBridge bridge: keyRotationDays must be a whole number from 1 to 365; received 0",
            ],
            [
                "a key rotation period longer than a year",
                "bridge",
                { keyRotationDays: 366 },
                "PubSubBridge bridge: keyRotationDays must be a whole number from 1 to 365; received 366",
            ],
            [
                "no config providers folder",
                "bridge",
                { configProvidersPath: " " },
                "PubSubBridge bridge: configProvidersPath must name the config providers' folder",
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
            [
                "a connector whose Kafka topics are not given as resources to wait for",
                "bridge",
                {
                    topics: [{ name: "orders", kafkaTopics: ["orders", "order-status"] }, { name: "payments" }],
                    sourceTopics: { orders: {} as pulumi.Resource },
                },
                "PubSubBridge bridge: sourceTopics lacks the Kafka topics order-status, payments; received orders. Pass the KafkaTopics component's topics, so that each connector waits for the topics it reads",
            ],
            [
                "consumers of a topic the bridge does not mirror, and a consumer that is no service name",
                "bridge",
                { consumers: { refunds: ["payment"], orders: ["Payment"] } },
                'PubSubBridge bridge: consumers names "refunds", which is not a bridged topic; bridged: orders; ' +
                    "consumers.orders: \"Payment\" is not a service name (1 to 30 lowercase letters, digits or '-', starting with a letter, not ending with '-')",
            ],
            [
                "a consumer named dr, whose subscription would be the topic's DR subscription, and a consumer listed twice",
                "bridge",
                {
                    topics: [{ name: "orders" }, { name: "payments" }],
                    consumers: { orders: ["dr"], payments: ["user", "user"] },
                },
                "PubSubBridge bridge: consumers would create the Pub/Sub subscriptions orders-dr, payments-user twice: every topic has <topic>-dr, <topic>-dead-letter and <topic>-<service> per consumer, so list each service once and none named dr or dead-letter",
            ],
        ];
        for (const [what, name, change, message] of cases) {
            it(`rejects ${what}`, () => {
                const args = { ...base, ...change };
                const sourceTopics = change.sourceTopics ?? sourcesFor(args.topics);
                assert.throws(() => pubSubBridgeSettings(name, { ...args, sourceTopics }), { message });
            });
        }
    });
});
