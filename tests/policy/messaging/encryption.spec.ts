/** Customer-managed keys on SNS topics, SQS queues, Pub/Sub topics and EventBridge buses. */
import * as assert from "assert";
import {
    eventBridgeEncrypted,
    pubsubTopicCmek,
    snsTopicEncrypted,
    sqsQueueEncrypted,
} from "../../../policy/policies/messaging";
import { check, messages, resource } from "../fixtures";
import { ACCOUNT, KEY_ARN } from "./helpers";

describe("policy sns-topic-encrypted-cmk", () => {
    const topic = (inputs: Record<string, unknown>) => [
        resource("aws:sns/topic:Topic", "order-events", { kmsMasterKeyId: KEY_ARN, ...inputs }),
    ];
    const MANAGED =
        "SNS topic is encrypted with the AWS-managed key alias/aws/sns, whose policy cannot admit other services. " +
        "Set kmsMasterKeyId to a customer-managed KMS key.";

    it("passes a topic encrypted with a customer-managed key", async () => {
        assert.deepStrictEqual(await check(snsTopicEncrypted, topic({})), []);
    });

    it("catches an unencrypted topic, as mandatory", async () => {
        const vs = await check(snsTopicEncrypted, topic({ kmsMasterKeyId: undefined }));
        assert.deepStrictEqual(messages(vs), [
            "SNS topic has no kmsMasterKeyId, so messages are stored unencrypted. Set kmsMasterKeyId to a customer-managed KMS key.",
        ]);
        assert.strictEqual(vs[0].level, "mandatory");
    });

    it("catches the AWS-managed key, by alias or alias ARN, unless configured to accept it", async () => {
        for (const key of ["alias/aws/sns", `arn:aws:kms:us-east-1:${ACCOUNT}:alias/aws/sns`]) {
            assert.deepStrictEqual(messages(await check(snsTopicEncrypted, topic({ kmsMasterKeyId: key }))), [MANAGED]);
            assert.deepStrictEqual(
                await check(snsTopicEncrypted, topic({ kmsMasterKeyId: key }), { requireCustomerManagedKey: false }),
                [],
            );
        }
    });
});

describe("policy sqs-queue-encrypted-cmk", () => {
    const queue = (inputs: Record<string, unknown>) => [
        resource("aws:sqs/queue:Queue", "orders", {
            kmsMasterKeyId: KEY_ARN,
            kmsDataKeyReusePeriodSeconds: 300,
            ...inputs,
        }),
    ];
    const NO_CMK =
        "SQS queue has no kmsMasterKeyId, so it is at most encrypted with keys SQS owns (SSE-SQS). " +
        "Set kmsMasterKeyId to a customer-managed KMS key.";

    it("passes a queue encrypted with a customer-managed key", async () => {
        assert.deepStrictEqual(await check(sqsQueueEncrypted, queue({})), []);
    });

    it("catches a queue on SSE-SQS, as mandatory", async () => {
        for (const sse of [undefined, true]) {
            const vs = await check(sqsQueueEncrypted, queue({ kmsMasterKeyId: undefined, sqsManagedSseEnabled: sse }));
            assert.deepStrictEqual(messages(vs), [NO_CMK]);
            assert.strictEqual(vs[0].level, "mandatory");
        }
    });

    it("catches the AWS-managed key alias/aws/sqs", async () => {
        assert.deepStrictEqual(messages(await check(sqsQueueEncrypted, queue({ kmsMasterKeyId: "alias/aws/sqs" }))), [
            "SQS queue is encrypted with the AWS-managed key alias/aws/sqs, whose policy cannot admit SNS or EventBridge. " +
                "Set kmsMasterKeyId to a customer-managed KMS key.",
        ]);
    });

    it("with requireCustomerManagedKey false, accepts SSE-SQS and alias/aws/sqs but not no encryption", async () => {
        const lax = { requireCustomerManagedKey: false };
        assert.deepStrictEqual(await check(sqsQueueEncrypted, queue({ kmsMasterKeyId: undefined }), lax), []);
        assert.deepStrictEqual(await check(sqsQueueEncrypted, queue({ kmsMasterKeyId: "alias/aws/sqs" }), lax), []);
        assert.deepStrictEqual(
            messages(
                await check(sqsQueueEncrypted, queue({ kmsMasterKeyId: undefined, sqsManagedSseEnabled: false }), lax),
            ),
            ["SQS queue is not encrypted: no kmsMasterKeyId and sqsManagedSseEnabled is false. Set kmsMasterKeyId."],
        );
    });
});

describe("policy pubsub-topic-cmek", () => {
    const KEY = "projects/p/locations/us-east4/keyRings/r/cryptoKeys/messaging";
    const topic = (inputs: Record<string, unknown>) => [
        resource("gcp:pubsub/topic:Topic", "orders", { name: "orders", kmsKeyName: KEY, ...inputs }),
    ];

    it("passes a CMEK topic", async () => {
        assert.deepStrictEqual(await check(pubsubTopicCmek, topic({})), []);
    });

    it("catches a topic without kmsKeyName, as mandatory, also an empty one", async () => {
        for (const kmsKeyName of [undefined, ""]) {
            const vs = await check(pubsubTopicCmek, topic({ kmsKeyName }));
            assert.deepStrictEqual(messages(vs), [
                "Pub/Sub topic has no kmsKeyName, so messages are encrypted only with Google-managed keys. " +
                    "Set kmsKeyName to a Cloud KMS crypto key (CMEK).",
            ]);
            assert.strictEqual(vs[0].level, "mandatory");
        }
    });
});

describe("policy eventbridge-encrypted-cmk", () => {
    const bus = (inputs: Record<string, unknown>) =>
        resource("aws:cloudwatch/eventBus:EventBus", "events", {
            name: "platform-events",
            kmsKeyIdentifier: KEY_ARN,
            ...inputs,
        });
    const archive = (inputs: Record<string, unknown>) =>
        resource("aws:cloudwatch/eventArchive:EventArchive", "archive", {
            name: "platform-events-archive",
            eventSourceArn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/platform-events`,
            kmsKeyIdentifier: KEY_ARN,
            ...inputs,
        });

    it("passes an encrypted bus and archive", async () => {
        assert.deepStrictEqual(await check(eventBridgeEncrypted, [bus({}), archive({})]), []);
    });

    it("catches a bus without kmsKeyIdentifier, as mandatory, on the bus", async () => {
        const b = bus({ kmsKeyIdentifier: undefined });
        const vs = await check(eventBridgeEncrypted, [b, archive({})]);
        assert.deepStrictEqual(messages(vs), [
            "EventBridge bus has no kmsKeyIdentifier, so events are encrypted only with an AWS-owned key. " +
                "Set kmsKeyIdentifier to a customer-managed KMS key.",
        ]);
        assert.strictEqual(vs[0].level, "mandatory");
        assert.strictEqual(vs[0].urn, b.urn);
    });

    it("catches an archive without kmsKeyIdentifier", async () => {
        assert.deepStrictEqual(
            messages(await check(eventBridgeEncrypted, [bus({}), archive({ kmsKeyIdentifier: undefined })])),
            [
                "EventBridge archive has no kmsKeyIdentifier, so archived events are encrypted only with an AWS-owned key. " +
                    "Set kmsKeyIdentifier to a customer-managed KMS key.",
            ],
        );
    });
});
