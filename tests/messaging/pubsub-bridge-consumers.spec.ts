/**
 * What the bridge reads and who reads what it writes: each connector waits for the Kafka topics it
 * consumes, and each DR consumer service pulls from its own subscription, set up like the DR one.
 */
import * as assert from "assert";
import { one, ofType } from "../../harness/lookup";
import { MOCK_GCP_PROJECT_NUMBER } from "../../harness/mocks";
import { runStack } from "../../harness/run";
import { evaluated, GCP_PROJECT, messagingProgram } from "./fixture";

const AGENT = `serviceAccount:service-${MOCK_GCP_PROJECT_NUMBER}@gcp-sa-pubsub.iam.gserviceaccount.com`;

describe("PubSubBridge sources and DR consumers", () => {
    it("each connector depends on exactly the Kafka topics it reads, so it starts after they exist", async () => {
        const rs = await evaluated("prod");
        const topicUrns = ofType(rs, "aws:msk/topic:Topic");
        const urn = (topic: string) => one(rs, "aws:msk/topic:Topic", `kafka-topics-${topic}`).urn;
        const sources = (connector: string) =>
            one(rs, "aws:mskconnect/connector:Connector", connector).dependencies.filter((d) =>
                topicUrns.some((t) => t.urn === d),
            );
        assert.deepStrictEqual(sources("dr-bridge-orders"), [urn("orders"), urn("order-status")]);
        assert.deepStrictEqual(sources("dr-bridge-payments"), [urn("payments")]);
    });

    for (const env of ["dev", "prod"] as const) {
        it(`${env}: gives each consuming service its own subscription <topic>-<service>, set up exactly like <topic>-dr`, async () => {
            const rs = await evaluated(env);
            const subs = ofType(rs, "gcp:pubsub/subscription:Subscription");
            assert.deepStrictEqual(subs.map((s) => s.inputs.name).sort(), [
                "orders-dead-letter",
                "orders-dr",
                "orders-payment",
                "orders-shipping",
                "payments-dead-letter",
                "payments-dr",
            ]);
            const dr = one(rs, "gcp:pubsub/subscription:Subscription", "dr-bridge-orders");
            const deadLetter = one(rs, "gcp:pubsub/topic:Topic", "dr-bridge-orders-dead-letter");
            assert.deepStrictEqual(dr.inputs.expirationPolicy, { ttl: "" });
            assert.deepStrictEqual(dr.inputs.deadLetterPolicy, {
                deadLetterTopic: deadLetter.outputs.id,
                maxDeliveryAttempts: 10,
            });
            for (const service of ["payment", "shipping"]) {
                const sub = one(rs, "gcp:pubsub/subscription:Subscription", `dr-bridge-orders-${service}`);
                assert.deepStrictEqual(sub.inputs, { ...dr.inputs, name: `orders-${service}` });
                assert.strictEqual(sub.protect, env === "prod");
                assert.strictEqual(sub.parent, dr.parent);
                // Pub/Sub's agent acknowledges on the subscription when it moves a message to the dead-letter topic.
                const grant = one(
                    rs,
                    "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember",
                    `dr-bridge-orders-${service}-agent`,
                );
                assert.deepStrictEqual(grant.inputs, {
                    project: GCP_PROJECT,
                    subscription: `orders-${service}`,
                    role: "roles/pubsub.subscriber",
                    member: AGENT,
                });
            }
        });
    }

    it("exposes the service subscriptions by service and topic, and the topic ARNs by name", async () => {
        const run = await runStack({ stack: "dev", program: messagingProgram("dev") });
        assert.ifError(run.error);
        const id = (name: string) => `projects/${GCP_PROJECT}/subscriptions/${name}`;
        assert.deepStrictEqual(run.outputs.serviceSubscriptionIds, {
            payment: { orders: id("orders-payment") },
            shipping: { orders: id("orders-shipping") },
        });
        const arns = run.outputs.topicArns as Record<string, string>;
        assert.deepStrictEqual(Object.keys(arns), ["orders", "order-status", "payments"]);
        assert.strictEqual(arns.orders, one(run.resources, "aws:msk/topic:Topic", "kafka-topics-orders").outputs.arn);
    });
});
