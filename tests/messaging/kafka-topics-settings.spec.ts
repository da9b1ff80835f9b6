import * as assert from "assert";
import { kafkaGroupArn, kafkaResourceArn } from "../../components/messaging/kafka-settings";
import {
    kafkaTopicsSettings,
    topicConfigs,
    type KafkaTopicsArgs,
} from "../../components/messaging/kafka-topics-settings";

const CLUSTER = "arn:aws:kafka:us-east-1:123456789012:cluster/kafka-cluster/6357e0b2-0e6a-4b86-a0b4-000000000001-1";

describe("KafkaTopics settings", () => {
    const base: KafkaTopicsArgs = {
        clusterArn: CLUSTER,
        topics: [{ name: "orders", partitions: 6, retentionHours: 168 }],
        brokerCount: 3,
    };

    it("writes retention in milliseconds, delete cleanup and the in-sync replicas as Kafka's string values", () => {
        assert.strictEqual(
            topicConfigs(168, 2),
            '{"retention.ms":"604800000","cleanup.policy":"delete","min.insync.replicas":"2"}',
        );
        assert.strictEqual(
            topicConfigs(1, 1),
            '{"retention.ms":"3600000","cleanup.policy":"delete","min.insync.replicas":"1"}',
        );
    });

    it("defaults to the cluster's replication: three copies on three brokers, two on two; one fewer in sync", () => {
        const three = kafkaTopicsSettings("t", base);
        assert.deepStrictEqual([three.replicationFactor, three.minInSyncReplicas, three.protect], [3, 2, true]);
        assert.deepStrictEqual(three.topics, [
            {
                name: "orders",
                partitions: 6,
                retentionHours: 168,
                configs: '{"retention.ms":"604800000","cleanup.policy":"delete","min.insync.replicas":"2"}',
            },
        ]);
        const two = kafkaTopicsSettings("t", { ...base, brokerCount: 2, protect: false });
        assert.deepStrictEqual([two.replicationFactor, two.minInSyncReplicas, two.protect], [2, 1, false]);
        const six = kafkaTopicsSettings("t", { ...base, brokerCount: 6 });
        assert.deepStrictEqual([six.replicationFactor, six.minInSyncReplicas], [3, 2]);
        const single = kafkaTopicsSettings("t", { ...base, brokerCount: 1 });
        assert.deepStrictEqual([single.replicationFactor, single.minInSyncReplicas], [1, 1]);
    });

    it("takes the replication it is given, and no topics at all", () => {
        const s = kafkaTopicsSettings("t", { ...base, brokerCount: 6, replicationFactor: 4, minInSyncReplicas: 3 });
        assert.deepStrictEqual([s.replicationFactor, s.minInSyncReplicas], [4, 3]);
        assert.match(s.topics[0].configs, /"min.insync.replicas":"3"/);
        assert.deepStrictEqual(kafkaTopicsSettings("t", { ...base, topics: [] }).topics, []);
    });

    const cases: [string, Partial<KafkaTopicsArgs>, string][] = [
        [
            "names Kafka refuses",
            {
                topics: [
                    { name: "orders events", partitions: 1, retentionHours: 1 },
                    { name: "..", partitions: 1, retentionHours: 1 },
                    { name: "x".repeat(250), partitions: 1, retentionHours: 1 },
                ],
            },
            "KafkaTopics t: topics[0].name must be a legal Kafka topic name: 1 to 249 letters, digits, '.', '_' or '-', not \".\" or \"..\"; received \"orders events\"; " +
                "topics[1].name must be a legal Kafka topic name: 1 to 249 letters, digits, '.', '_' or '-', not \".\" or \"..\"; received \"..\"; " +
                `topics[2].name must be a legal Kafka topic name: 1 to 249 letters, digits, '.', '_' or '-', not "." or ".."; received "${"x".repeat(250)}"`,
        ],
        [
            "partitions and retention out of range",
            { topics: [{ name: "orders", partitions: 0, retentionHours: 2161 }] },
            "KafkaTopics t: topics[0].partitions must be a whole number from 1 to 256; received 0; " +
                "topics[0].retentionHours must be a whole number from 1 to 2160 (90 days); received 2161",
        ],
        [
            "fractional partitions and retention",
            { topics: [{ name: "orders", partitions: 1.5, retentionHours: 0.5 }] },
            "KafkaTopics t: topics[0].partitions must be a whole number from 1 to 256; received 1.5; " +
                "topics[0].retentionHours must be a whole number from 1 to 2160 (90 days); received 0.5",
        ],
        [
            "a topic named twice",
            {
                topics: [
                    { name: "orders", partitions: 6, retentionHours: 168 },
                    { name: "orders", partitions: 3, retentionHours: 24 },
                ],
            },
            "KafkaTopics t: topics names orders more than once; each topic is created by one entry",
        ],
        [
            "names that differ only in '.' and '_'",
            {
                topics: [
                    { name: "orders.eu", partitions: 6, retentionHours: 168 },
                    { name: "orders_eu", partitions: 6, retentionHours: 168 },
                ],
            },
            "KafkaTopics t: topics orders.eu and orders_eu differ only in '.' versus '_', which Kafka refuses (their metric names collide); rename one",
        ],
        [
            "more copies than brokers",
            { brokerCount: 2, replicationFactor: 3 },
            "KafkaTopics t: replicationFactor must be a whole number from 1 to the broker count (2); received 3",
        ],
        [
            "as many in-sync replicas as copies",
            { replicationFactor: 3, minInSyncReplicas: 3 },
            "KafkaTopics t: minInSyncReplicas (3) must be below the replication factor (3): otherwise acks=all producers stop whenever MSK restarts a broker for patching; use 2",
        ],
        [
            "more in-sync replicas than copies",
            { replicationFactor: 2, minInSyncReplicas: 3 },
            "KafkaTopics t: minInSyncReplicas must be a whole number from 1 to the replication factor (2); received 3",
        ],
        [
            "no brokers",
            { brokerCount: 0 },
            "KafkaTopics t: brokerCount must be a whole number of at least 1; received 0",
        ],
    ];
    for (const [what, change, message] of cases) {
        it(`rejects ${what}`, () => {
            assert.throws(() => kafkaTopicsSettings("t", { ...base, ...change }), { message });
        });
    }

    it("names a consumer group the way MSK IAM access control does", () => {
        assert.strictEqual(
            kafkaGroupArn(CLUSTER, "payment"),
            "arn:aws:kafka:us-east-1:123456789012:group/kafka-cluster/6357e0b2-0e6a-4b86-a0b4-000000000001-1/payment",
        );
        assert.strictEqual(kafkaGroupArn(CLUSTER, "payment"), kafkaResourceArn(CLUSTER, "group", "payment"));
        assert.throws(() => kafkaGroupArn("arn:aws:sqs:us-east-1:123456789012:q", "payment"), {
            message: 'not an MSK cluster ARN: "arn:aws:sqs:us-east-1:123456789012:q"',
        });
    });
});
