/**
 * S3 at rest: in `@pulumi/aws` 7 a bucket's default encryption is a separate
 * `BucketServerSideEncryptionConfiguration`, so the rule is a stack policy that joins each bucket with
 * the configurations that name it.
 */
import { type PolicyResource, type StackValidationPolicy } from "@pulumi/policy";
import { isSet, known, requireCmk, requireCustomerManagedKeySchema } from "../util";

const S3_BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const S3_ENCRYPTION_TYPES = [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];
const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];
const S3_OBJECT_TYPES = ["aws:s3/bucketObjectv2:BucketObjectv2", "aws:s3/bucketObject:BucketObject"];

interface SseRule {
    applyServerSideEncryptionByDefault?: { sseAlgorithm?: string; kmsMasterKeyId?: string };
}

/** The bucket name an encryption configuration would carry for this bucket (`id` is the name). */
function bucketName(bucket: PolicyResource): string | undefined {
    const name = known(() => bucket.props.bucket ?? bucket.props.id);
    return typeof name === "string" && name !== "" ? name : undefined;
}

function configures(config: PolicyResource, bucket: PolicyResource): boolean {
    // At preview a new bucket's name is unknown; the dependency recorded on `bucket` still says which it is.
    if ((config.propertyDependencies.bucket ?? []).some((d) => d.urn === bucket.urn)) return true;
    const name = bucketName(bucket);
    return name !== undefined && known(() => config.props.bucket) === name;
}

/** What a list of rules amounts to: a customer-managed key, a KMS key AWS manages, or S3-managed keys. */
function strongest(rules: SseRule[]): "cmk" | "aws-managed" | "s3-managed" | "none" {
    let best: "cmk" | "aws-managed" | "s3-managed" | "none" = "none";
    for (const rule of rules) {
        const d = known(() => rule.applyServerSideEncryptionByDefault);
        const algorithm = known(() => d?.sseAlgorithm);
        if (algorithm && KMS_ALGORITHMS.includes(algorithm)) {
            if (isSet(() => d?.kmsMasterKeyId)) return "cmk";
            best = "aws-managed";
        } else if (algorithm && best === "none") {
            best = "s3-managed";
        }
    }
    return best;
}

export const s3BucketKmsEncrypted: StackValidationPolicy = {
    name: "s3-bucket-kms-encrypted",
    description:
        "Every S3 bucket has default encryption with a customer-managed KMS key, through its BucketServerSideEncryptionConfiguration, and no object overrides it with a weaker one.",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: requireCustomerManagedKeySchema("S3-managed encryption (SSE-S3), which S3 always applies"),
    remediationSteps:
        "Add an aws.s3.BucketServerSideEncryptionConfiguration with bucket: bucket.id and one rule " +
        "{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: <customer-managed key ARN> }, " +
        "bucketKeyEnabled: true }. In @pulumi/aws 7 encryption is no longer set on aws.s3.Bucket itself. Leave " +
        "serverSideEncryption unset on objects (the bucket default applies) or set it to 'aws:kms' with kmsKeyId.",
    validateStack: (args, reportViolation) => {
        requireCmk(args);
        // An object's own setting overrides the bucket default, for that object only.
        for (const object of args.resources.filter((r) => S3_OBJECT_TYPES.includes(r.type))) {
            const algorithm = known(() => object.props.serverSideEncryption);
            if (typeof algorithm !== "string" || algorithm === "") continue;
            if (!KMS_ALGORITHMS.includes(algorithm)) {
                reportViolation(
                    `S3 object "${object.name}" overrides its bucket's default encryption with ${algorithm}. Leave ` +
                        "serverSideEncryption unset, or set 'aws:kms' with kmsKeyId.",
                    object.urn,
                );
            } else if (!isSet(() => object.props.kmsKeyId)) {
                reportViolation(
                    `S3 object "${object.name}" is encrypted with the AWS-managed key aws/s3. Set kmsKeyId to a ` +
                        "customer-managed KMS key, or leave serverSideEncryption unset.",
                    object.urn,
                );
            }
        }
        const configs = args.resources.filter((r) => S3_ENCRYPTION_TYPES.includes(r.type));
        for (const bucket of args.resources.filter((r) => S3_BUCKET_TYPES.includes(r.type))) {
            const rules: SseRule[] = configs
                .filter((c) => configures(c, bucket))
                .flatMap((c) => known(() => c.props.rules as SseRule[]) ?? []);
            // The deprecated inline block still counts when it names a customer-managed key.
            const inline = known(() => bucket.props.serverSideEncryptionConfiguration?.rule) as SseRule | undefined;
            const verdict = strongest([...rules, ...(inline ? [inline] : [])]);
            if (verdict === "cmk") continue;
            const remedy =
                "Set sseAlgorithm 'aws:kms' and kmsMasterKeyId on its BucketServerSideEncryptionConfiguration.";
            if (verdict === "none") {
                reportViolation(
                    `S3 bucket "${bucket.name}" has no server-side encryption configuration. Add an ` +
                        "aws.s3.BucketServerSideEncryptionConfiguration with bucket: bucket.id, sseAlgorithm 'aws:kms' and " +
                        "kmsMasterKeyId set to a customer-managed KMS key.",
                    bucket.urn,
                );
            } else if (verdict === "aws-managed") {
                reportViolation(
                    `S3 bucket "${bucket.name}" is encrypted with the AWS-managed key aws/s3. ${remedy}`,
                    bucket.urn,
                );
            } else {
                reportViolation(
                    `S3 bucket "${bucket.name}" is encrypted with S3-managed keys (AES256). ${remedy}`,
                    bucket.urn,
                );
            }
        }
    },
};
