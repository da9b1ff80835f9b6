import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { formerParentAliases } from "../shared/aliases";
import { denyInsecureTransportPolicy } from "../shared/iam";
import { isProtected } from "../shared/protection";

/** Server access logging of a bucket into another one. */
export interface SecureBucketAccessLogging {
    /**
     * Bucket that receives the access logs. It must admit `logging.s3.amazonaws.com` in its bucket policy
     * (with Object Ownership "bucket owner enforced", ACL grants do not work).
     */
    readonly targetBucket: pulumi.Input<string>;
    /** Key prefix of the log objects, ending in `/`. */
    readonly targetPrefix: string;
}

export interface SecureBucketArgs {
    /**
     * Customer-managed key (ARN) of the default SSE-KMS encryption. Its key policy must admit every writer
     * and reader of the bucket (services such as DynamoDB exports or MSK Connect included).
     */
    readonly kmsKeyArn: pulumi.Input<string>;
    /**
     * Pulumi `protect` on the bucket. Unprotected (dev), the bucket is emptied of every object version on
     * deletion: a versioned bucket that still holds versions or delete markers cannot be deleted.
     * @default true
     */
    readonly protect?: boolean;
    /** Lifecycle rules, such as expiring old objects and noncurrent versions. @default none: objects are kept */
    readonly lifecycleRules?: readonly aws.types.input.s3.BucketLifecycleConfigurationRule[];
    /** Server access logging. @default none */
    readonly accessLogging?: SecureBucketAccessLogging;
    /**
     * The parent the bucket and its settings were created under before this component owned them; they
     * keep their URNs through an alias to it. @default none: they were always here
     */
    readonly formerParent?: pulumi.Resource;
}

/**
 * A private S3 bucket as every bucket of the platform must be: ACLs disabled (bucket owner enforced),
 * all public access blocked, default SSE-KMS with a customer-managed key and an S3 Bucket Key, versioning
 * on, a bucket policy that refuses any request without TLS, and optionally lifecycle rules and access
 * logging. The children carry the component's name, so the bucket `<name>` and its settings `<name>` are
 * what a bucket written by hand would have been. Needs an `aws` provider.
 */
export class SecureBucket extends pulumi.ComponentResource {
    /** Name of the bucket (its id). */
    public readonly bucketName: pulumi.Output<string>;
    public readonly bucketArn: pulumi.Output<string>;

    constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:storage:SecureBucket", name, {}, opts);
        const protect = isProtected(args.protect);
        const child = { parent: this, ...formerParentAliases(args.formerParent) };

        const bucket = new aws.s3.Bucket(name, { forceDestroy: !protect }, { ...child, protect });
        const bucketRef = { bucket: bucket.id };
        new aws.s3.BucketOwnershipControls(
            name,
            { ...bucketRef, rule: { objectOwnership: "BucketOwnerEnforced" } },
            child,
        );
        const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
            name,
            {
                ...bucketRef,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            child,
        );
        new aws.s3.BucketVersioning(name, { ...bucketRef, versioningConfiguration: { status: "Enabled" } }, child);
        new aws.s3.BucketServerSideEncryptionConfiguration(
            name,
            {
                ...bucketRef,
                rules: [
                    {
                        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn },
                        // One data key per bucket instead of per object: far fewer KMS calls, and cost, on
                        // large buckets (S3 User Guide, "Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys").
                        bucketKeyEnabled: true,
                    },
                ],
            },
            child,
        );
        if (args.lifecycleRules && args.lifecycleRules.length > 0) {
            new aws.s3.BucketLifecycleConfiguration(name, { ...bucketRef, rules: [...args.lifecycleRules] }, child);
        }
        if (args.accessLogging) {
            new aws.s3.BucketLogging(
                name,
                {
                    ...bucketRef,
                    targetBucket: args.accessLogging.targetBucket,
                    targetPrefix: args.accessLogging.targetPrefix,
                },
                child,
            );
        }
        new aws.s3.BucketPolicy(
            name,
            { ...bucketRef, policy: bucket.arn.apply((arn) => JSON.stringify(denyInsecureTransportPolicy(arn))) },
            // S3 answers PutBucketPolicy with 409 OperationAborted while the public access block is still
            // being applied to a new bucket (pulumi/pulumi-aws#1570, hashicorp/terraform-provider-aws#7628).
            { ...child, dependsOn: [publicAccessBlock] },
        );

        this.bucketName = bucket.id;
        this.bucketArn = bucket.arn;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
    }
}
