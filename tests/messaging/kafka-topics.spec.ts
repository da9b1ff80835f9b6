import * as assert from "assert";
import { kafkaResourceArn } from "../../components/messaging/kafka-settings";
import { one, ofType } from "../../harness/lookup";
import type { RecordedResource } from "../../harness/recorder";
import { runStack } from "../../harness/run";
import { evaluated, KAFKA_TOPICS, messagingProgram } from "./fixture";

describe("KafkaTopics", () => {
    const topics = (rs: readonly RecordedResource[]) => ofType(rs, "aws:msk/topic:Topic");

    for (const [env, rf, minIsr] of [
        ["dev", 2, 1],
        ["prod", 3, 2],
    ] as const) {
        it(`${env}: one MSK topic per entry on the cluster, replicated like the broker configuration (${rf} copies, ${minIsr} in sync)`, async () => {
            const rs = await evaluated(env);
            const cluster = one(rs, "aws:msk/cluster:Cluster", "kafka-cluster");
            const component = one(rs, "multicloud:messaging:KafkaTopics", "kafka-topics");
            const provider = one(rs, "pulumi:providers:aws", "aws-primary");
            assert.deepStrictEqual(
                topics(rs).map((t) => [t.name, t.inputs]),
                [
                    [
                        "kafka-topics-orders",
                        {
                            clusterArn: cluster.outputs.arn,
                            name: "orders",
                            partitionCount: 6,
                            replicationFactor: rf,
                            configs: `{"retention.ms":"604800000","cleanup.policy":"delete","min.insync.replicas":"${minIsr}"}`,
                        },
                    ],
                    [
                        "kafka-topics-order-status",
                        {
                            clusterArn: cluster.outputs.arn,
                            name: "order-status",
                            partitionCount: 3,
                            replicationFactor: rf,
                            configs: `{"retention.ms":"86400000","cleanup.policy":"delete","min.insync.replicas":"${minIsr}"}`,
                        },
                    ],
                    [
                        "kafka-topics-payments",
                        {
                            clusterArn: cluster.outputs.arn,
                            name: "payments",
                            partitionCount: 6,
                            replicationFactor: rf,
                            configs: `{"retention.ms":"604800000","cleanup.policy":"delete","min.insync.replicas":"${minIsr}"}`,
                        },
                    ],
                ],
            );
            // The broker configuration says the same, so topics created by other means replicate alike.
            const config = one(rs, "aws:msk/configuration:Configuration", "kafka-config");
            assert.match(config.inputs.serverProperties, new RegExp(`default.replication.factor=${rf}\n`));
            assert.match(config.inputs.serverProperties, new RegExp(`min.insync.replicas=${minIsr}\n`));
            for (const t of topics(rs)) {
                assert.strictEqual(t.parent, component.urn);
                assert.strictEqual(t.provider, provider.urn);
                assert.strictEqual(t.protect, env === "prod", `${t.name} protect`);
                assert.strictEqual(t.outputs.arn, kafkaResourceArn(cluster.outputs.arn, "topic", t.inputs.name));
            }
        });
    }

    it("creates nothing and refuses before any topic when one entry is invalid, naming it", async () => {
        const run = await runStack({
            stack: "dev",
            program: messagingProgram("dev", {
                topics: { topics: [...KAFKA_TOPICS, { name: "refunds", partitions: 512, retentionHours: 24 }] },
            }),
        });
        assert.strictEqual(
            run.error?.message,
            "KafkaTopics kafka-topics: topics[3].partitions must be a whole number from 1 to 256; received 512",
        );
        assert.deepStrictEqual(topics(run.resources), []);
    });
});
