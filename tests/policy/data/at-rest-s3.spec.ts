/** S3 at rest: the stack policy that joins each bucket with the encryption configurations that name it. */
import * as assert from "assert";
import { unknownCheckingProxy } from "@pulumi/policy";
import { s3BucketKmsEncrypted } from "../../../policy/policies/data";
import type { RecordedResource } from "../../../harness/recorder";
import { check, messages, resource } from "../fixtures";
import { KEY, UNKNOWN } from "./helpers";

describe("policy s3-bucket-kms-encrypted", () => {
    const BUCKET = "exports-0a1b2c";
    const bucket = (type = "aws:s3/bucket:Bucket", outputs: Record<string, unknown> = { id: BUCKET, bucket: BUCKET }) =>
        resource(type, "exports", {}, { outputs });
    const encryption = (
        b: RecordedResource,
        rule: Record<string, unknown> = { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY },
        bucketValue: unknown = BUCKET,
        type = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    ) =>
        resource(
            type,
            "exports",
            {},
            {
                outputs: {
                    bucket: bucketValue,
                    rules: [{ applyServerSideEncryptionByDefault: rule, bucketKeyEnabled: true }],
                },
                dependencies: [b.urn],
                propertyDependencies: { bucket: [b.urn] },
            },
        );
    const NONE =
        'S3 bucket "exports" has no server-side encryption configuration. Add an aws.s3.BucketServerSideEncryptionConfiguration ' +
        "with bucket: bucket.id, sseAlgorithm 'aws:kms' and kmsMasterKeyId set to a customer-managed KMS key.";
    const REMEDY = "Set sseAlgorithm 'aws:kms' and kmsMasterKeyId on its BucketServerSideEncryptionConfiguration.";

    it("passes a bucket joined to a configuration with a customer-managed key", async () => {
        const b = bucket();
        assert.deepStrictEqual(await check(s3BucketKmsEncrypted, [b, encryption(b)]), []);
    });

    it("catches an object that overrides the bucket's customer-managed default", async () => {
        const b = bucket();
        const object = (outputs: Record<string, unknown>) =>
            resource("aws:s3/bucketObjectv2:BucketObjectv2", "jar", {}, { outputs: { bucket: BUCKET, ...outputs } });
        assert.deepStrictEqual(await check(s3BucketKmsEncrypted, [b, encryption(b), object({})]), []);
        assert.deepStrictEqual(
            await check(s3BucketKmsEncrypted, [
                b,
                encryption(b),
                object({ serverSideEncryption: "aws:kms", kmsKeyId: KEY }),
            ]),
            [],
        );
        assert.deepStrictEqual(
            messages(await check(s3BucketKmsEncrypted, [b, encryption(b), object({ serverSideEncryption: "AES256" })])),
            [
                'S3 object "jar" overrides its bucket\'s default encryption with AES256. Leave serverSideEncryption unset, ' +
                    "or set 'aws:kms' with kmsKeyId.",
            ],
        );
        assert.deepStrictEqual(
            messages(
                await check(s3BucketKmsEncrypted, [b, encryption(b), object({ serverSideEncryption: "aws:kms" })]),
            ),
            [
                'S3 object "jar" is encrypted with the AWS-managed key aws/s3. Set kmsKeyId to a customer-managed KMS ' +
                    "key, or leave serverSideEncryption unset.",
            ],
        );
    });

    it("joins by the bucket name when no dependency was recorded, and by the dependency when the name is unknown", async () => {
        const b = bucket();
        const byName = { ...encryption(b), propertyDependencies: {}, dependencies: [] };
        assert.deepStrictEqual(await check(s3BucketKmsEncrypted, [b, byName]), []);
        const pending = bucket("aws:s3/bucket:Bucket", unknownCheckingProxy({ id: UNKNOWN, bucket: UNKNOWN }));
        const pendingConfig = encryption(pending, undefined, UNKNOWN);
        assert.deepStrictEqual(
            await check(s3BucketKmsEncrypted, [
                pending,
                { ...pendingConfig, outputs: unknownCheckingProxy(pendingConfig.outputs) },
            ]),
            [],
        );
    });

    it("catches a bucket without a configuration, as mandatory, on the bucket", async () => {
        const b = bucket();
        const vs = await check(s3BucketKmsEncrypted, [b]);
        assert.deepStrictEqual(messages(vs), [NONE]);
        assert.deepStrictEqual([vs[0].level, vs[0].urn], ["mandatory", b.urn]);
    });

    it("does not count another bucket's configuration", async () => {
        const b = bucket();
        const other = resource("aws:s3/bucket:Bucket", "logs", {}, { outputs: { id: "logs-1", bucket: "logs-1" } });
        assert.deepStrictEqual(
            messages(await check(s3BucketKmsEncrypted, [b, other, encryption(other, undefined, "logs-1")])),
            [NONE],
        );
    });

    it("catches S3-managed keys and the AWS-managed KMS key", async () => {
        const b = bucket();
        assert.deepStrictEqual(
            messages(await check(s3BucketKmsEncrypted, [b, encryption(b, { sseAlgorithm: "AES256" })])),
            [`S3 bucket "exports" is encrypted with S3-managed keys (AES256). ${REMEDY}`],
        );
        assert.deepStrictEqual(
            messages(await check(s3BucketKmsEncrypted, [b, encryption(b, { sseAlgorithm: "aws:kms" })])),
            [`S3 bucket "exports" is encrypted with the AWS-managed key aws/s3. ${REMEDY}`],
        );
    });

    it("covers the deprecated BucketV2 and configuration V2 types", async () => {
        const b = bucket("aws:s3/bucketV2:BucketV2");
        const v2 = encryption(
            b,
            undefined,
            BUCKET,
            "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
        );
        assert.deepStrictEqual(await check(s3BucketKmsEncrypted, [b, v2]), []);
        assert.deepStrictEqual(messages(await check(s3BucketKmsEncrypted, [b])), [NONE]);
    });

    it("does not apply when requireCustomerManagedKey is false: S3 always encrypts", async () => {
        assert.deepStrictEqual(await check(s3BucketKmsEncrypted, [bucket()], { requireCustomerManagedKey: false }), []);
    });
});
