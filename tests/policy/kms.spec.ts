import * as assert from "assert";
import { kmsKeyRotation } from "../../policy/policies";
import { check, messages, resource } from "./fixtures";

describe("policy kms-key-rotation", () => {
    const awsKey = (inputs: Record<string, unknown>) => [
        resource("aws:kms/key:Key", "k", { enableKeyRotation: true, rotationPeriodInDays: 365, ...inputs }),
    ];
    const gcpKey = (inputs: Record<string, unknown>) => [
        resource("gcp:kms/cryptoKey:CryptoKey", "k", { keyRing: "r", rotationPeriod: "7776000s", ...inputs }),
    ];

    it("passes rotating keys on both clouds", async () => {
        assert.deepStrictEqual(await check(kmsKeyRotation, [...awsKey({}), ...gcpKey({})]), []);
    });

    it("catches an AWS key without rotation, as mandatory", async () => {
        const vs = await check(kmsKeyRotation, awsKey({ enableKeyRotation: undefined }));
        assert.deepStrictEqual(messages(vs), ["KMS key rotation is not enabled. Set enableKeyRotation: true."]);
        assert.strictEqual(vs[0].level, "mandatory");
    });

    it("catches a rotation period longer than configured", async () => {
        assert.deepStrictEqual(messages(await check(kmsKeyRotation, awsKey({ rotationPeriodInDays: 730 }))), [
            "KMS key rotates every 730 days; at most 365 is allowed.",
        ]);
        assert.deepStrictEqual(
            await check(kmsKeyRotation, awsKey({ rotationPeriodInDays: 730 }), { maximumRotationDays: 730 }),
            [],
        );
    });

    it("does not apply to asymmetric keys", async () => {
        assert.deepStrictEqual(
            await check(kmsKeyRotation, awsKey({ enableKeyRotation: false, customerMasterKeySpec: "RSA_2048" })),
            [],
        );
    });

    it("catches a GCP key without a rotation period, or with a long one", async () => {
        assert.deepStrictEqual(messages(await check(kmsKeyRotation, gcpKey({ rotationPeriod: undefined }))), [
            "Crypto key has no rotationPeriod, so it never rotates. Set rotationPeriod, e.g. '7776000s'.",
        ]);
        assert.deepStrictEqual(messages(await check(kmsKeyRotation, gcpKey({ rotationPeriod: "31536000s" }))), [
            "Crypto key rotates every 365 days; at most 90 is allowed.",
        ]);
    });
});
