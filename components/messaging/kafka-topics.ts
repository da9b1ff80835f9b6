import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type KafkaTopicsArgs, kafkaTopicsSettings } from "./kafka-topics-settings";

/**
 * Kafka topics of an MSK Provisioned cluster, created through MSK's topic API (CreateTopic and friends:
 * https://docs.aws.amazon.com/msk/latest/developerguide/msk-topic-operations-information.html and
 * https://docs.aws.amazon.com/msk/latest/developerguide/msk-create-topic.html), so the deployment needs no
 * network path to the brokers and no Kafka client. The cluster must run Kafka 3.6.0 or later (versions.ts
 * pins 3.8.x) and be ACTIVE, and the deploying identity needs `kafka-cluster:Connect` on the cluster ARN and
 * `kafka-cluster:CreateTopic`, `DescribeTopic`, `DescribeTopicDynamicConfiguration`, `AlterTopic`,
 * `AlterTopicDynamicConfiguration` and `DeleteTopic` on the topic ARNs.
 *
 * The cluster refuses to create topics on first use (`auto.create.topics.enable=false`), so producers,
 * consumers and connectors depend on `topics[<name>]`.
 */
export class KafkaTopics extends pulumi.ComponentResource {
    /** Topic ARNs by topic name: what IAM policies of producers and consumers name. */
    public readonly topicArns: Readonly<Record<string, pulumi.Output<string>>>;
    /** The topic resources by topic name, for `dependsOn` of whatever reads or writes them. */
    public readonly topics: Readonly<Record<string, aws.msk.Topic>>;

    constructor(name: string, args: KafkaTopicsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:messaging:KafkaTopics", name, {}, opts);
        const s = kafkaTopicsSettings(name, args);

        this.topics = Object.fromEntries(
            s.topics.map((t) => [
                t.name,
                new aws.msk.Topic(
                    `${name}-${t.name}`,
                    {
                        clusterArn: args.clusterArn,
                        name: t.name,
                        partitionCount: t.partitions,
                        replicationFactor: s.replicationFactor,
                        configs: t.configs,
                    },
                    // A deleted topic takes its records with it.
                    { parent: this, protect: s.protect },
                ),
            ]),
        );
        this.topicArns = Object.fromEntries(Object.entries(this.topics).map(([n, t]) => [n, t.arn]));

        this.registerOutputs({ topicArns: this.topicArns });
    }
}
