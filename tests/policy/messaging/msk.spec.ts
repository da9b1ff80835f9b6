/** The messaging policy list, and the MSK rules: CMK at rest, TLS in transit, no unauthenticated access. */
import * as assert from "assert";
import {
    messagingPolicies,
    mskEncryptionAtRest,
    mskEncryptionInTransit,
    mskNoUnauthenticatedAccess,
} from "../../../policy/policies/messaging";
import { check, messages, resource } from "../fixtures";
import { ACCOUNT, changed, KEY_ARN } from "./helpers";

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
