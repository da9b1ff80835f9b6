import * as assert from "assert";
import { unknownCheckingProxy } from "@pulumi/policy";
import * as policyProxy from "@pulumi/policy/proxy";
import {
    eventBridgeEncrypted,
    messagingPolicies,
    mskEncryptionAtRest,
    mskEncryptionInTransit,
    mskNoUnauthenticatedAccess,
    pubsubTopicCmek,
    snsTopicEncrypted,
    sqsQueueEncrypted,
    sqsQueueHasDeadLetterQueue,
} from "../../policy/policies/messaging";
import type { RecordedResource } from "../../harness/recorder";
import { check, messages, resource } from "./fixtures";

const ACCOUNT = "123456789012";
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
// The SDK's sentinel for a string that is unknown during preview (internal to @pulumi/policy 1.21).
const UNKNOWN: string = (policyProxy as any).unknownStringValue;

/** Sets a nested property (`a.b.c`) on a deep copy; `undefined` removes it. */
function changed(inputs: Record<string, any>, path: string, value: unknown): Record<string, any> {
    const copy = structuredClone(inputs);
    const keys = path.split(".");
    let o = copy;
    for (const k of keys.slice(0, -1)) o = o[k] ??= {};
    if (value === undefined) delete o[keys.at(-1)!];
    else o[keys.at(-1)!] = value;
    return copy;
}

describe("messaging policies", () => {
    it("are listed once each, with kebab-case names, descriptions, levels and remediation", () => {
        assert.deepStrictEqual(
            messagingPolicies.map((p) => [p.name, p.enforcementLevel]),
            [
                ["msk-encryption-at-rest-cmk", "mandatory"],
                ["msk-encryption-in-transit", "mandatory"],
                ["msk-no-unauthenticated-access", "mandatory"],
                ["sns-topic-encrypted-cmk", "mandatory"],
                ["sqs-queue-encrypted-cmk", "mandatory"],
                ["pubsub-topic-cmek", "mandatory"],
                ["eventbridge-encrypted-cmk", "mandatory"],
                ["mskconnect-encrypted-in-transit", "mandatory"],
                ["sqs-queue-has-dead-letter-queue", "advisory"],
            ],
        );
        for (const p of messagingPolicies) {
            assert.ok(p.description.length > 20 && (p.remediationSteps ?? "").length > 20, p.name);
        }
    });
});

describe("MSK policies", () => {
    const CLUSTER = {
        kafkaVersion: "3.8.x",
        numberOfBrokerNodes: 3,
        encryptionInfo: {
            encryptionAtRestKmsKeyArn: KEY_ARN,
            encryptionInTransit: { clientBroker: "TLS", inCluster: true },
        },
        clientAuthentication: { sasl: { iam: true }, unauthenticated: false },
    };
    const cluster = (path?: string, value?: unknown) => [
        resource("aws:msk/cluster:Cluster", "kafka", path ? changed(CLUSTER, path, value) : CLUSTER),
    ];
    const all = [mskEncryptionAtRest, mskEncryptionInTransit, mskNoUnauthenticatedAccess];

    it("pass a TLS-only, IAM-authenticated cluster encrypted with a customer-managed key", async () => {
        for (const p of all) assert.deepStrictEqual(await check(p, cluster()), [], p.name);
    });

    describe("msk-encryption-at-rest-cmk", () => {
        const MISSING =
            "MSK cluster has no encryptionInfo.encryptionAtRestKmsKeyArn, so broker storage is encrypted with the " +
            "AWS-managed key. Set it to the ARN of a customer-managed KMS key.";

        it("catches a cluster without a key, as mandatory, on the cluster", async () => {
            const rs = cluster("encryptionInfo.encryptionAtRestKmsKeyArn", undefined);
            const vs = await check(mskEncryptionAtRest, rs);
            assert.deepStrictEqual(messages(vs), [MISSING]);
            assert.strictEqual(vs[0].level, "mandatory");
            assert.strictEqual(vs[0].urn, rs[0].urn);
        });

        it("catches a cluster without encryptionInfo at all", async () => {
            assert.deepStrictEqual(messages(await check(mskEncryptionAtRest, cluster("encryptionInfo", undefined))), [
                MISSING,
            ]);
        });

        it("catches the AWS-managed key named by alias ARN", async () => {
            const rs = cluster(
                "encryptionInfo.encryptionAtRestKmsKeyArn",
                `arn:aws:kms:us-east-1:${ACCOUNT}:alias/aws/kafka`,
            );
            assert.deepStrictEqual(messages(await check(mskEncryptionAtRest, rs)), [
                "MSK cluster is encrypted with the AWS-managed key alias/aws/kafka, whose policy cannot be narrowed. " +
                    "Set encryptionInfo.encryptionAtRestKmsKeyArn to a customer-managed KMS key.",
            ]);
        });

        it("does not apply when requireCustomerManagedKey is false", async () => {
            const rs = cluster("encryptionInfo.encryptionAtRestKmsKeyArn", undefined);
            assert.deepStrictEqual(await check(mskEncryptionAtRest, rs, { requireCustomerManagedKey: false }), []);
        });
    });

    describe("msk-encryption-in-transit", () => {
        it("catches plaintext or mixed client traffic, as mandatory", async () => {
            for (const mode of ["TLS_PLAINTEXT", "PLAINTEXT"]) {
                const vs = await check(
                    mskEncryptionInTransit,
                    cluster("encryptionInfo.encryptionInTransit.clientBroker", mode),
                );
                assert.deepStrictEqual(messages(vs), [
                    `MSK cluster accepts ${mode} between clients and brokers. Set encryptionInfo.encryptionInTransit.clientBroker to 'TLS'.`,
                ]);
                assert.strictEqual(vs[0].level, "mandatory");
            }
        });

        it("catches unencrypted traffic between brokers", async () => {
            assert.deepStrictEqual(
                messages(
                    await check(mskEncryptionInTransit, cluster("encryptionInfo.encryptionInTransit.inCluster", false)),
                ),
                [
                    "MSK cluster does not encrypt traffic between brokers. Set encryptionInfo.encryptionInTransit.inCluster to true.",
                ],
            );
        });

        it("accepts MSK's defaults (TLS, in-cluster on) when the settings are left unset", async () => {
            assert.deepStrictEqual(
                await check(mskEncryptionInTransit, cluster("encryptionInfo.encryptionInTransit", undefined)),
                [],
            );
            assert.deepStrictEqual(
                await check(mskEncryptionInTransit, cluster("encryptionInfo.encryptionInTransit.inCluster", undefined)),
                [],
            );
        });
    });

    describe("msk-no-unauthenticated-access", () => {
        const NO_AUTH =
            "MSK cluster has no client authentication, so any client that reaches it is admitted. " +
            "Enable clientAuthentication.sasl.iam (or SCRAM, or mutual TLS).";

        it("catches unauthenticated access next to IAM, as mandatory", async () => {
            const vs = await check(mskNoUnauthenticatedAccess, cluster("clientAuthentication.unauthenticated", true));
            assert.deepStrictEqual(messages(vs), [
                "MSK cluster allows unauthenticated clients. Set clientAuthentication.unauthenticated to false.",
            ]);
            assert.strictEqual(vs[0].level, "mandatory");
        });

        it("catches a cluster with no authentication mechanism", async () => {
            assert.deepStrictEqual(
                messages(await check(mskNoUnauthenticatedAccess, cluster("clientAuthentication.sasl.iam", false))),
                [NO_AUTH],
            );
            assert.deepStrictEqual(
                messages(await check(mskNoUnauthenticatedAccess, cluster("clientAuthentication", undefined))),
                [NO_AUTH],
            );
        });

        it("accepts SCRAM or mutual TLS instead of IAM", async () => {
            const scram = changed(CLUSTER, "clientAuthentication.sasl", { scram: true });
            const mtls = changed(CLUSTER, "clientAuthentication", {
                tls: { certificateAuthorityArns: [`arn:aws:acm-pca:us-east-1:${ACCOUNT}:certificate-authority/x`] },
            });
            for (const inputs of [scram, mtls]) {
                assert.deepStrictEqual(
                    await check(mskNoUnauthenticatedAccess, [resource("aws:msk/cluster:Cluster", "k", inputs)]),
                    [],
                );
            }
        });
    });
});

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
