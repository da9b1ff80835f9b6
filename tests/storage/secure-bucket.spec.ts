import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SecureBucket, type SecureBucketArgs } from "../../components/storage/secure-bucket";
import { descendantsOf, one, ofType } from "../../harness/lookup";
import type { RecordedResource } from "../../harness/recorder";
import { runStack } from "../../harness/run";
import { evaluated } from "../../harness/stacks";

const KEY = "arn:aws:kms:us-east-1:123456789012:key/backups";
const S3 = {
    bucket: "aws:s3/bucket:Bucket",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    block: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    logging: "aws:s3/bucketLogging:BucketLogging",
    policy: "aws:s3/bucketPolicy:BucketPolicy",
};

/** One SecureBucket named "data" (under an "owner" component when `moved`), with its recorded children. */
async function secureBucket(args: Partial<SecureBucketArgs> = {}, moved = false): Promise<readonly RecordedResource[]> {
    const run = await runStack({
        stack: "dev",
        program: async () => {
            const provider = new aws.Provider("aws", { region: "us-east-1" });
            const owner = new pulumi.ComponentResource("multicloud:test:Owner", "owner", {}, { provider });
            new SecureBucket(
                "data",
                { kmsKeyArn: KEY, ...args, ...(moved ? { formerParent: owner } : {}) },
                { parent: owner },
            );
        },
    });
    assert.ifError(run.error);
    return run.resources;
}

describe("SecureBucket", () => {
    it("owns a bucket and its settings, all named after the component and parented by it", async () => {
        const rs = await secureBucket();
        const component = one(rs, "multicloud:storage:SecureBucket", "data");
        const children = descendantsOf(rs, component);
        assert.deepStrictEqual(
            children.map((r) => r.type).sort(),
            [S3.bucket, S3.ownership, S3.block, S3.versioning, S3.encryption, S3.policy].sort(),
        );
        for (const r of children) {
            assert.strictEqual(r.name, "data");
            assert.strictEqual(r.parent, component.urn);
        }
    });

    it("disables ACLs, blocks every kind of public access and keeps versions", async () => {
        const rs = await secureBucket();
        const bucket = one(rs, S3.bucket, "data");
        const settings = (type: string) => {
            const { bucket: ref, ...rest } = one(rs, type, "data").inputs;
            assert.strictEqual(ref, bucket.outputs.id, type);
            return rest;
        };
        assert.deepStrictEqual(settings(S3.ownership), { rule: { objectOwnership: "BucketOwnerEnforced" } });
        assert.deepStrictEqual(settings(S3.block), {
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        assert.deepStrictEqual(settings(S3.versioning), { versioningConfiguration: { status: "Enabled" } });
    });

    it("encrypts by default with SSE-KMS under the given key, with an S3 Bucket Key", async () => {
        const rs = await secureBucket();
        assert.deepStrictEqual(one(rs, S3.encryption, "data").inputs.rules, [
            {
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY },
                bucketKeyEnabled: true,
            },
        ]);
    });

    it("refuses every request without TLS, with a policy applied only after the public access block", async () => {
        const rs = await secureBucket();
        const bucket = one(rs, S3.bucket, "data");
        const policy = one(rs, S3.policy, "data");
        assert.deepStrictEqual(JSON.parse(policy.inputs.policy), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: [bucket.outputs.arn, `${bucket.outputs.arn}/*`],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
            ],
        });
        // The block is not referenced by any input of the policy: only an explicit dependency orders them.
        assert.deepStrictEqual(policy.dependencies.slice().sort(), [bucket.urn, one(rs, S3.block, "data").urn].sort());
        assert.deepStrictEqual(policy.propertyDependencies.bucket, [bucket.urn]);
    });

    it("is protected by default and never emptied; unprotected, it is emptied of every version on deletion", async () => {
        const kept = one(await secureBucket(), S3.bucket, "data");
        assert.deepStrictEqual([kept.protect, kept.inputs.forceDestroy], [true, false]);
        const throwaway = one(await secureBucket({ protect: false }), S3.bucket, "data");
        assert.deepStrictEqual([throwaway.protect, throwaway.inputs.forceDestroy], [false, true]);
    });

    it("adds lifecycle rules and access logging only when asked", async () => {
        const rule = { id: "expire", status: "Enabled", expiration: { days: 30 } };
        const rs = await secureBucket({
            lifecycleRules: [rule],
            accessLogging: { targetBucket: "audit-logs", targetPrefix: "s3/data/" },
        });
        assert.deepStrictEqual(one(rs, S3.lifecycle, "data").inputs.rules, [rule]);
        const { bucket: _ref, ...logging } = one(rs, S3.logging, "data").inputs;
        assert.deepStrictEqual(logging, { targetBucket: "audit-logs", targetPrefix: "s3/data/" });
        const plain = await secureBucket({ lifecycleRules: [] });
        assert.deepStrictEqual([...ofType(plain, S3.lifecycle), ...ofType(plain, S3.logging)], []);
    });

    it("keeps the URNs of a bucket written out by hand before, through an alias to its former parent", async () => {
        const rs = await secureBucket({}, true);
        const before = (type: string) => `urn:pulumi:dev::multicloud-platform::multicloud:test:Owner$${type}::data`;
        for (const type of Object.values(S3).filter((t) => t !== S3.lifecycle && t !== S3.logging)) {
            assert.ok(one(rs, type, "data").aliases.includes(before(type)), type);
        }
        const fresh = await secureBucket();
        assert.deepStrictEqual(one(fresh, S3.policy, "data").aliases, []);
    });

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: every S3 bucket of the platform is a SecureBucket's, its policy ordered after its public access block`, async () => {
            const { run } = await evaluated(stack);
            const buckets = ofType(run.resources, S3.bucket);
            assert.deepStrictEqual(buckets.map((b) => b.name).sort(), ["dr-bridge-plugins", "orders-exports"]);
            for (const b of buckets) {
                assert.strictEqual(b.parent, one(run.resources, "multicloud:storage:SecureBucket", b.name).urn, b.name);
                const policy = one(run.resources, S3.policy, b.name);
                assert.ok(policy.dependencies.includes(one(run.resources, S3.block, b.name).urn), b.name);
            }
        });
    }
});
