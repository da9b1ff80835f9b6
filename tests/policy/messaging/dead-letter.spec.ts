/** Every SQS queue has a dead-letter queue that exists in the stack, with a bounded receive count. */
import * as assert from "assert";
import { unknownCheckingProxy } from "@pulumi/policy";
import { sqsQueueHasDeadLetterQueue } from "../../../policy/policies/messaging";
import type { RecordedResource } from "../../../harness/recorder";
import { check, messages, resource } from "../fixtures";
import { ACCOUNT, KEY_ARN, UNKNOWN } from "./helpers";

describe("policy sqs-queue-has-dead-letter-queue", () => {
    const arn = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;
    const url = (name: string) => `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/${name}`;
    const queue = (name: string, inputs: Record<string, unknown> = {}, extra: Partial<RecordedResource> = {}) =>
        resource(
            "aws:sqs/queue:Queue",
            name,
            { kmsMasterKeyId: KEY_ARN, ...inputs },
            {
                outputs: { kmsMasterKeyId: KEY_ARN, ...inputs, arn: arn(name), url: url(name), id: url(name) },
                ...extra,
            },
        );
    const redrive = (dlq: string) => JSON.stringify({ deadLetterTargetArn: arn(dlq), maxReceiveCount: 5 });
    const allow = (queueName: string, permission: string, extra: Partial<RecordedResource> = {}) =>
        resource(
            "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
            `${queueName}-allow`,
            {
                queueUrl: url(queueName),
                redriveAllowPolicy: JSON.stringify({ redrivePermission: permission, sourceQueueArns: [arn("orders")] }),
            },
            extra,
        );
    const NO_REDRIVE = (name: string) =>
        `SQS queue "${name}" has no redrive policy, so a message that keeps failing is retried until it expires. ` +
        "Set redrivePolicy with a deadLetterTargetArn and maxReceiveCount.";

    it("passes a queue whose redrive policy names a DLQ, and the DLQ itself", async () => {
        assert.deepStrictEqual(
            await check(sqsQueueHasDeadLetterQueue, [
                queue("orders", { redrivePolicy: redrive("orders-dlq") }),
                queue("orders-dlq"),
            ]),
            [],
        );
    });

    it("catches a queue without a redrive policy, as advisory (hygiene), on the queue", async () => {
        const q = queue("orders");
        const vs = await check(sqsQueueHasDeadLetterQueue, [q]);
        assert.deepStrictEqual(
            vs.map((v) => [v.urn, v.message, v.level]),
            [[q.urn, NO_REDRIVE("orders"), "advisory"]],
        );
    });

    it("catches a redrive policy that retries more than maximumReceiveCount times", async () => {
        const q = queue("orders", {
            redrivePolicy: JSON.stringify({ deadLetterTargetArn: arn("orders-dlq"), maxReceiveCount: 50 }),
        });
        assert.deepStrictEqual(messages(await check(sqsQueueHasDeadLetterQueue, [q, queue("orders-dlq")])), [
            'SQS queue "orders" moves a message to its dead-letter queue only after 50 receives, more than ' +
                "maximumReceiveCount 10. Lower redrivePolicy.maxReceiveCount.",
        ]);
        assert.deepStrictEqual(
            await check(sqsQueueHasDeadLetterQueue, [q, queue("orders-dlq")], { maximumReceiveCount: 50 }),
            [],
        );
    });

    it("a queue no redrive policy names is not a DLQ, even if it is called one", async () => {
        const vs = await check(sqsQueueHasDeadLetterQueue, [
            queue("orders", { redrivePolicy: redrive("orders-dlq") }),
            queue("orders-dlq"),
            queue("payments-dlq"),
        ]);
        assert.deepStrictEqual(messages(vs), [NO_REDRIVE("payments-dlq")]);
    });

    it("recognises a DLQ by an inline redriveAllowPolicy, unless it denies all", async () => {
        const dlq = (permission: string) =>
            queue("parking", { redriveAllowPolicy: JSON.stringify({ redrivePermission: permission }) });
        assert.deepStrictEqual(await check(sqsQueueHasDeadLetterQueue, [dlq("allowAll")]), []);
        assert.deepStrictEqual(messages(await check(sqsQueueHasDeadLetterQueue, [dlq("denyAll")])), [
            NO_REDRIVE("parking"),
        ]);
    });

    it("recognises a DLQ by an aws.sqs.RedriveAllowPolicy on it, by URL or by dependency", async () => {
        const dlq = queue("parking");
        assert.deepStrictEqual(await check(sqsQueueHasDeadLetterQueue, [dlq, allow("parking", "byQueue")]), []);
        const byDependency = allow("elsewhere", "byQueue", { propertyDependencies: { queueUrl: [dlq.urn] } });
        assert.deepStrictEqual(await check(sqsQueueHasDeadLetterQueue, [dlq, byDependency]), []);
        assert.deepStrictEqual(messages(await check(sqsQueueHasDeadLetterQueue, [dlq, allow("parking", "denyAll")])), [
            NO_REDRIVE("parking"),
        ]);
        assert.deepStrictEqual(messages(await check(sqsQueueHasDeadLetterQueue, [dlq, allow("other", "byQueue")])), [
            NO_REDRIVE("parking"),
        ]);
    });

    it("accepts a redrive policy attached with aws.sqs.RedrivePolicy, which also marks its target as a DLQ", async () => {
        const policy = resource("aws:sqs/redrivePolicy:RedrivePolicy", "orders-redrive", {
            queueUrl: url("orders"),
            redrivePolicy: redrive("orders-dlq"),
        });
        assert.deepStrictEqual(
            await check(sqsQueueHasDeadLetterQueue, [queue("orders"), queue("orders-dlq"), policy]),
            [],
        );
    });

    describe("with ARNs unknown during preview", () => {
        const pending = (name: string, inputs: Record<string, unknown>, extra: Partial<RecordedResource> = {}) => {
            const q = queue(name, inputs, extra);
            return { ...q, outputs: unknownCheckingProxy({ ...q.outputs, arn: UNKNOWN, url: UNKNOWN, id: UNKNOWN }) };
        };

        it("takes an unknown redrive policy as set, and finds the DLQ through the recorded dependency", async () => {
            const dlq = pending("orders-dlq", {});
            const source = pending(
                "orders",
                { redrivePolicy: UNKNOWN },
                { propertyDependencies: { redrivePolicy: [dlq.urn] } },
            );
            assert.deepStrictEqual(await check(sqsQueueHasDeadLetterQueue, [source, dlq]), []);
        });

        it("still reports a queue nothing points at", async () => {
            const dlq = pending("orders-dlq", {});
            assert.deepStrictEqual(messages(await check(sqsQueueHasDeadLetterQueue, [dlq])), [
                NO_REDRIVE("orders-dlq"),
            ]);
        });
    });
});
