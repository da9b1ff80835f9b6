import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { formerParentAliases } from "../shared/aliases";
import {
    dynamodbExportPolicy,
    serviceTrustPolicy,
    storageTransferReadPolicy,
    storageTransferTrustPolicy,
} from "../shared/iam";
import { SecureBucket } from "../storage/secure-bucket";
import {
    DYNAMODB_GCP_BACKUP_DEFAULTS,
    type DynamoDbGcpBackupArgs,
    type ResolvedDynamoDbGcpBackupArgs,
    resolveDynamoDbGcpBackupArgs,
    validateDynamoDbGcpBackupArgs,
} from "./dynamodb-gcp-backup-settings";

/**
 * The batch copy of a DynamoDB table on GCP: a daily point-in-time export to a `SecureBucket` started by
 * EventBridge Scheduler, a daily Storage Transfer job to a CMEK GCS bucket with a retention lock, and a
 * CMEK Bigtable table as the restore target with a loader identity that may read the exports and write
 * the table. Needs an `aws` provider (the table's region) and a `gcp` provider.
 *
 * The load into Bigtable is a batch job (for example Dataflow) run as `loaderServiceAccountEmail`; it is
 * not deployed here because its code is application-specific (item shape to row key).
 */
export class DynamoDbGcpBackup extends pulumi.ComponentResource {
    /** S3 bucket of the exports. */
    public readonly exportBucketName: pulumi.Output<string>;
    public readonly exportScheduleArn: pulumi.Output<string>;
    /** GCS bucket the exports are copied to. */
    public readonly gcsBucketName: pulumi.Output<string>;
    public readonly transferJobName: pulumi.Output<string>;
    public readonly bigtableInstanceName: pulumi.Output<string>;
    public readonly bigtableTableName: pulumi.Output<string>;
    /** Service account the Bigtable load runs as. */
    public readonly loaderServiceAccountEmail: pulumi.Output<string>;

    private readonly child: pulumi.CustomResourceOptions;

    constructor(name: string, args: DynamoDbGcpBackupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:data:DynamoDbGcpBackup", name, {}, opts);
        const a = resolveDynamoDbGcpBackupArgs(name, args);
        validateDynamoDbGcpBackupArgs(name, a);
        this.child = { parent: this, ...formerParentAliases(a.formerParent) };

        const bucket = new SecureBucket(
            `${name}-exports`,
            {
                kmsKeyArn: a.backupsKmsKeyArn,
                protect: a.protect,
                lifecycleRules: [
                    {
                        id: "expire-exports",
                        status: "Enabled",
                        filter: { prefix: "" },
                        expiration: { days: a.exportRetentionDays },
                        noncurrentVersionExpiration: {
                            noncurrentDays: DYNAMODB_GCP_BACKUP_DEFAULTS.noncurrentVersionDays,
                        },
                        abortIncompleteMultipartUpload: {
                            daysAfterInitiation: DYNAMODB_GCP_BACKUP_DEFAULTS.noncurrentVersionDays,
                        },
                    },
                ],
                formerParent: a.formerParent,
            },
            { parent: this },
        );
        this.exportBucketName = bucket.bucketName;
        this.exportScheduleArn = this.exportSchedule(name, a, bucket);

        const gcs = this.gcsBucket(name, a);
        this.gcsBucketName = gcs.name;
        this.transferJobName = this.transfer(name, a, bucket, gcs);

        const { instance, bigtable, loaderEmail } = this.restoreTarget(name, a, gcs);
        this.bigtableInstanceName = instance.name;
        this.bigtableTableName = bigtable.name;
        this.loaderServiceAccountEmail = loaderEmail;

        this.registerOutputs({
            exportBucketName: this.exportBucketName,
            gcsBucketName: this.gcsBucketName,
            transferJobName: this.transferJobName,
            bigtableInstanceName: this.bigtableInstanceName,
        });
    }

    /** EventBridge Scheduler calls ExportTableToPointInTime directly: no function to own or patch. */
    private exportSchedule(
        name: string,
        a: ResolvedDynamoDbGcpBackupArgs,
        bucket: SecureBucket,
    ): pulumi.Output<string> {
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const role = new aws.iam.Role(
            `${name}-export`,
            {
                description: `${name}: daily DynamoDB export to S3`,
                assumeRolePolicy: accountId.apply((id) =>
                    JSON.stringify(serviceTrustPolicy("scheduler.amazonaws.com", id)),
                ),
            },
            this.child,
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-export`,
            {
                role: role.id,
                policy: pulumi
                    .all([a.tableArn, bucket.bucketArn, a.backupsKmsKeyArn])
                    .apply(([tableArn, bucketArn, kmsKeyArn]) =>
                        JSON.stringify(
                            dynamodbExportPolicy({ tableArn, bucketArn, kmsKeyArn, prefix: a.exportPrefix }),
                        ),
                    ),
            },
            this.child,
        );
        const schedule = new aws.scheduler.Schedule(
            `${name}-export`,
            {
                description: `${name}: daily point-in-time export of the DynamoDB table`,
                scheduleExpression: `cron(0 ${a.exportHourUtc} * * ? *)`,
                scheduleExpressionTimezone: "UTC",
                flexibleTimeWindow: { mode: "OFF" },
                state: "ENABLED",
                target: {
                    arn: "arn:aws:scheduler:::aws-sdk:dynamodb:exportTableToPointInTime",
                    roleArn: role.arn,
                    input: pulumi.jsonStringify({
                        TableArn: a.tableArn,
                        S3Bucket: bucket.bucketName,
                        S3Prefix: a.exportPrefix,
                        S3SseAlgorithm: "KMS",
                        S3SseKmsKeyId: a.backupsKmsKeyArn,
                        ExportFormat: "DYNAMODB_JSON",
                        ExportType: "FULL_EXPORT",
                    }),
                    retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
                },
            },
            { ...this.child, dependsOn: [policy] },
        );
        return schedule.arn;
    }

    /** CMEK, a retention lock instead of versioning (GCS allows only one of the two), no public access. */
    private gcsBucket(name: string, a: ResolvedDynamoDbGcpBackupArgs): gcp.storage.Bucket {
        return new gcp.storage.Bucket(
            `${name}-exports`,
            {
                project: a.gcpProject,
                location: a.gcpRegion,
                storageClass: "STANDARD",
                uniformBucketLevelAccess: true,
                publicAccessPrevention: "enforced",
                forceDestroy: !a.protect,
                encryption: { defaultKmsKeyName: a.gcpBackupsKmsKeyName },
                retentionPolicy: { retentionPeriod: String(a.gcsRetentionDays * 86400) },
                softDeletePolicy: {
                    retentionDurationSeconds: DYNAMODB_GCP_BACKUP_DEFAULTS.gcsSoftDeleteDays * 86400,
                },
                lifecycleRules: [{ action: { type: "Delete" }, condition: { age: a.gcsRetentionDays } }],
            },
            { ...this.child, protect: a.protect },
        );
    }

    /**
     * Storage Transfer Service copies new exports daily. It signs in to AWS as a role that trusts only
     * the project's transfer service account and may only read the exports; on GCP that account may only
     * write into the bucket.
     */
    private transfer(
        name: string,
        a: ResolvedDynamoDbGcpBackupArgs,
        bucket: SecureBucket,
        gcs: gcp.storage.Bucket,
    ): pulumi.Output<string> {
        const sts = gcp.storage.getTransferProjectServiceAccountOutput({ project: a.gcpProject }, { parent: this });
        const role = new aws.iam.Role(
            `${name}-transfer`,
            {
                description: `${name}: Google Storage Transfer Service reads the DynamoDB exports`,
                assumeRolePolicy: sts.subjectId.apply((sub) => JSON.stringify(storageTransferTrustPolicy(sub))),
            },
            this.child,
        );
        const read = new aws.iam.RolePolicy(
            `${name}-transfer`,
            {
                role: role.id,
                policy: pulumi
                    .all([bucket.bucketArn, a.backupsKmsKeyArn])
                    .apply(([bucketArn, kmsKeyArn]) =>
                        JSON.stringify(storageTransferReadPolicy({ bucketArn, kmsKeyArn, prefix: a.exportPrefix })),
                    ),
            },
            this.child,
        );
        // Writer, not admin: create, list and overwrite objects in this bucket only.
        const sinkRoles = ["roles/storage.legacyBucketWriter", "roles/storage.objectViewer"].map(
            (role) =>
                new gcp.storage.BucketIAMMember(
                    `${name}-transfer-${role.split(".")[1]}`,
                    { bucket: gcs.name, role, member: sts.member },
                    this.child,
                ),
        );
        const job = new gcp.storage.TransferJob(
            `${name}-transfer`,
            {
                project: a.gcpProject,
                description: `${name}: DynamoDB exports from S3 to GCS, daily`,
                status: "ENABLED",
                transferSpec: {
                    awsS3DataSource: { bucketName: bucket.bucketName, roleArn: role.arn, path: `${a.exportPrefix}/` },
                    gcsDataSink: { bucketName: gcs.name, path: `${a.exportPrefix}/` },
                    transferOptions: {
                        // Exports are immutable and the sink is retention-locked: never overwrite, never delete.
                        overwriteObjectsAlreadyExistingInSink: false,
                        deleteObjectsUniqueInSink: false,
                        deleteObjectsFromSourceAfterTransfer: false,
                    },
                },
                schedule: {
                    scheduleStartDate: { ...DYNAMODB_GCP_BACKUP_DEFAULTS.transferStartDate },
                    startTimeOfDay: { hours: a.transferHourUtc, minutes: 0, seconds: 0, nanos: 0 },
                    repeatInterval: "86400s",
                },
                loggingConfig: {
                    logActions: ["FIND", "COPY"],
                    logActionStates: ["SUCCEEDED", "FAILED"],
                },
            },
            { ...this.child, dependsOn: [read, ...sinkRoles] },
        );
        return job.name;
    }

    /** The restore target and the identity of the load job: reads the exports, writes the table, nothing else. */
    private restoreTarget(
        name: string,
        a: ResolvedDynamoDbGcpBackupArgs,
        gcs: gcp.storage.Bucket,
    ): { instance: gcp.bigtable.Instance; bigtable: gcp.bigtable.Table; loaderEmail: pulumi.Output<string> } {
        const d = DYNAMODB_GCP_BACKUP_DEFAULTS;
        const instance = new gcp.bigtable.Instance(
            `${name}-restore`,
            {
                project: a.gcpProject,
                displayName: `${name} DynamoDB restore`,
                deletionProtection: a.protect,
                clusters: a.bigtableZones.map((zone) => ({
                    clusterId: `c-${zone}`,
                    zone,
                    numNodes: a.bigtableNodeCount,
                    storageType: "SSD",
                    kmsKeyName: a.gcpBackupsKmsKeyName,
                })),
            },
            { ...this.child, protect: a.protect },
        );
        const bigtable = new gcp.bigtable.Table(
            `${name}-restore`,
            {
                project: a.gcpProject,
                instanceName: instance.name,
                name: d.bigtableTable,
                columnFamilies: [{ family: d.bigtableColumnFamily }],
                deletionProtection: a.protect ? "PROTECTED" : "UNPROTECTED",
            },
            { ...this.child, protect: a.protect },
        );
        const loader = new gcp.serviceaccount.Account(
            `${name}-loader`,
            {
                project: a.gcpProject,
                accountId: a.loaderServiceAccountId,
                displayName: `${name}: loads DynamoDB exports into Bigtable`,
            },
            this.child,
        );
        // Derived rather than read back, so the bindings need no round trip to the API.
        const loaderEmail = pulumi.interpolate`${loader.accountId}@${a.gcpProject}.iam.gserviceaccount.com`;
        const member = pulumi.interpolate`serviceAccount:${loaderEmail}`;
        new gcp.storage.BucketIAMMember(
            `${name}-loader-read`,
            { bucket: gcs.name, role: "roles/storage.objectViewer", member },
            this.child,
        );
        new gcp.bigtable.TableIamMember(
            `${name}-loader-write`,
            {
                project: a.gcpProject,
                instanceName: instance.name,
                table: bigtable.name,
                role: "roles/bigtable.user",
                member,
            },
            this.child,
        );
        return { instance, bigtable, loaderEmail };
    }
}
