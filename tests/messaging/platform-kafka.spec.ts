/**
 * Issue 13's acceptance on the whole platform as the stacks deploy it: the catalog's Kafka topics exist,
 * the Pub/Sub bridge's connectors are recorded as depending on their source topics, and the catalog's
 * Kafka consumers get their own DR subscriptions.
 */
import * as assert from "assert";
import { one, ofType } from "../../harness/lookup";
import { evaluated } from "../../harness/stacks";

describe("platform Kafka topics (issue 13)", () => {
    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: the topics of the seed services (order: orders, payment: payments) exist on the cluster, 3 copies, 2 in sync`, async () => {
            const { run } = await evaluated(stack);
            const cluster = one(run.resources, "aws:msk/cluster:Cluster", "kafka-cluster");
            const week = `{"retention.ms":"604800000","cleanup.policy":"delete","min.insync.replicas":"2"}`;
            assert.deepStrictEqual(
                ofType(run.resources, "aws:msk/topic:Topic").map((t) => [t.name, t.inputs, t.protect]),
                ["orders", "payments"].map((name) => [
                    `kafka-topics-${name}`,
                    { clusterArn: cluster.outputs.arn, name, partitionCount: 6, replicationFactor: 3, configs: week },
                    stack === "prod",
                ]),
            );
            assert.strictEqual(cluster.inputs.numberOfBrokerNodes, 3);
        });

        it(`${stack}: the Pub/Sub bridge's source topics exist in the plan before its connectors (recorded dependency)`, async () => {
            const { run } = await evaluated(stack);
            const connectors = ofType(run.resources, "aws:mskconnect/connector:Connector");
            assert.deepStrictEqual(connectors.map((c) => c.name).sort(), ["dr-bridge-orders", "dr-bridge-payments"]);
            for (const c of connectors) {
                const topic = one(
                    run.resources,
                    "aws:msk/topic:Topic",
                    `kafka-topics-${c.inputs.connectorConfiguration.topics}`,
                );
                assert.ok(c.dependencies.includes(topic.urn), `${c.name} does not depend on ${topic.urn}`);
            }
        });

        it(`${stack}: payment, which consumes orders, pulls the DR copy from its own subscription orders-payment`, async () => {
            const { run } = await evaluated(stack);
            const sub = one(run.resources, "gcp:pubsub/subscription:Subscription", "dr-bridge-orders-payment");
            const dr = one(run.resources, "gcp:pubsub/subscription:Subscription", "dr-bridge-orders");
            assert.deepStrictEqual(sub.inputs, { ...dr.inputs, name: "orders-payment" });
            assert.strictEqual(sub.protect, stack === "prod");
            // Nobody consumes payments: its only subscriptions are the DR and dead-letter ones.
            assert.deepStrictEqual(
                ofType(run.resources, "gcp:pubsub/subscription:Subscription")
                    .map((s) => s.inputs.name)
                    .filter((n: string) => n.startsWith("payments"))
                    .sort(),
                ["payments-dead-letter", "payments-dr"],
            );
        });
    }
});
