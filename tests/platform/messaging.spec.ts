import * as assert from "assert";
import { one, ofType } from "../../harness/lookup";
import { evaluated } from "../../harness/stacks";

/** Issue 6's acceptance, on the whole platform as the stacks deploy it (the components have their own specs). */
describe("platform messaging", () => {
    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: MSK is TLS-only with in-cluster encryption, the messaging key and IAM auth, brokers a multiple of the AZs`, async () => {
            const { run } = await evaluated(stack);
            const msk = one(run.resources, "aws:msk/cluster:Cluster", "kafka-cluster");
            assert.deepStrictEqual(msk.inputs.encryptionInfo, {
                encryptionAtRestKmsKeyArn: one(run.resources, "aws:kms/key:Key", "kms-primary-messaging").outputs.arn,
                encryptionInTransit: { clientBroker: "TLS", inCluster: true },
            });
            assert.deepStrictEqual(msk.inputs.clientAuthentication, { sasl: { iam: true }, unauthenticated: false });
            assert.strictEqual(msk.inputs.numberOfBrokerNodes % 3, 0);
        });
    }

    it("runs Google's Pub/Sub sink per DR topic with the stack's project, authenticated by a key read from Secrets Manager", async () => {
        const { run } = await evaluated("prod");
        const connectors = ofType(run.resources, "aws:mskconnect/connector:Connector");
        assert.deepStrictEqual(
            connectors.map((c) => [
                c.inputs.connectorConfiguration["connector.class"],
                c.inputs.connectorConfiguration["cps.project"],
                c.inputs.connectorConfiguration["cps.topic"],
                c.inputs.connectorConfiguration.topics,
            ]),
            [
                ["com.google.pubsub.kafka.sink.CloudPubSubSinkConnector", "acme-platform-prod", "orders", "orders"],
                ["com.google.pubsub.kafka.sink.CloudPubSubSinkConnector", "acme-platform-prod", "payments", "payments"],
            ],
        );
        // The Google key reaches the connectors only as a reference to its secret, under the messaging key.
        const role = one(run.resources, "aws:iam/role:Role", "dr-bridge-connector");
        const secret = one(run.resources, "aws:secretsmanager/secret:Secret", "dr-bridge-sink-key");
        assert.strictEqual(
            secret.inputs.kmsKeyId,
            one(run.resources, "aws:kms/key:Key", "kms-primary-messaging").outputs.arn,
        );
        for (const c of connectors) {
            assert.match(
                c.inputs.connectorConfiguration["gcp.credentials.json"],
                new RegExp(
                    `^\\$\\{secretsmanager:${encodeURIComponent(secret.outputs.arn)}:key-\\d{4}-\\d{2}-\\d{2}\\}$`,
                ),
            );
        }
        for (const c of connectors) assert.strictEqual(c.inputs.serviceExecutionRoleArn, role.outputs.arn);
    });

    it("routes the three events to the right queues, gives every queue a DLQ and filters every subscription", async () => {
        const { run } = await evaluated("prod");
        const queueArn = (service: string) =>
            one(run.resources, "aws:sqs/queue:Queue", `messaging-${service}`).outputs.arn;
        const targets = ofType(run.resources, "aws:cloudwatch/eventTarget:EventTarget");
        const target = (detail: string) =>
            targets.find((t) => t.inputs.rule === `platform-prod-events-${detail}`)!.inputs.arn;
        assert.deepStrictEqual(
            [target("user-registered"), target("order-placed"), target("payment-processed")],
            [queueArn("product"), queueArn("user"), queueArn("order")],
        );
        for (const q of ofType(run.resources, "aws:sqs/queue:Queue").filter((q) => !q.name.endsWith("-dlq"))) {
            const dlq = one(run.resources, "aws:sqs/queue:Queue", `${q.name}-dlq`);
            assert.strictEqual(JSON.parse(q.inputs.redrivePolicy).deadLetterTargetArn, dlq.outputs.arn, q.name);
        }
        const subs = ofType(run.resources, "aws:sns/topicSubscription:TopicSubscription");
        assert.ok(subs.length > 0);
        for (const s of subs) assert.ok(JSON.parse(s.inputs.filterPolicy).event_type, s.name);
    });
});
