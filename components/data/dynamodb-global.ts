import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import {
    denyInsecureTransportPolicy,
    dynamodbExportPolicy,
    serviceTrustPolicy,
    storageTransferReadPolicy,
    storageTransferTrustPolicy,
} from "../shared/iam";
import { isWholeInRange } from "../shared/validation";

/** Defaults, applied in one place. */
export const DYNAMODB_GLOBAL_DEFAULTS = {
    /** The longest point-in-time window DynamoDB offers. */
    pointInTimeRecoveryDays: 35,
    /** Exports start at 02:00 UTC and the transfer at 05:00 UTC, leaving three hours for the export. */
    exportHourUtc: 2,
    transferHourUtc: 5,
    exportRetentionDays: 35,
    gcsRetentionDays: 35,
    /** Unprotected (dev): a retained object blocks deleting the bucket, so retention is kept to a day. */
    gcsRetentionDaysUnprotected: 1,
    /** Objects deleted from GCS stay restorable for a week. */
    gcsSoftDeleteDays: 7,
    /** Key prefix of the exports in S3 and GCS. */
    exportPrefix: "exports",
    /** A fixed start in the past: the transfer simply runs every day from the first deployment on. */
    transferStartDate: { year: 2026, month: 1, day: 1 },
    bigtableNodeCount: 1,
    /** Bigtable table and column family the loader writes items to. */
    bigtableTable: "items",
    bigtableColumnFamily: "item",
} as const;

export const KEY_ATTRIBUTE_TYPES = ["S", "N", "B"] as const;
export type KeyAttributeType = (typeof KEY_ATTRIBUTE_TYPES)[number];

export interface KeyAttribute {
    readonly name: string;
    readonly type: KeyAttributeType;
}

export interface DynamoDbReplica {
    /** Region of the replica; must differ from the table's region and from every other replica's. */
    readonly region: string;
    /** Customer-managed key (ARN) of that region's `database` purpose. */
    readonly kmsKeyArn: pulumi.Input<string>;
}

export interface DynamoDbGlobalArgs {
    /** Region of the table, the region of the component's `aws` provider. */
    readonly region: string;
    /** Partition key. */
    readonly hashKey: KeyAttribute;
    /** Sort key. @default none */
    readonly rangeKey?: KeyAttribute;
    /** Attribute holding the expiry time of an item, in epoch seconds. @default none: items never expire */
    readonly ttlAttributeName?: string;
    /** Customer-managed key (ARN) of the table region's `database` purpose. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Replicas in other regions (global tables, version 2019.11.21). @default none */
    readonly replicas?: readonly DynamoDbReplica[];
    /** Point-in-time recovery window of the table and every replica, 1 to 35 days. @default 35 */
    readonly pointInTimeRecoveryDays?: number;
    /**
     * Deletion protection on the table and replicas, Pulumi `protect` on everything holding data; off, the
     * buckets are emptied on deletion (dev). @default true
     */
    readonly protect?: boolean;
    /** Customer-managed key (ARN) of the table region's `backups` purpose: encrypts the S3 exports. */
    readonly backupsKmsKeyArn: pulumi.Input<string>;
    /** Hour (UTC, 0 to 23) of the daily export. @default 2 */
    readonly exportHourUtc?: number;
    /** Days an export stays in S3. @default 35 */
    readonly exportRetentionDays?: number;
    /** GCP project of the backup copy. */
    readonly gcpProject: string;
    /** GCP region of the GCS bucket and the Bigtable instance. */
    readonly gcpRegion: string;
    /** GCP key (id) of the `backups` purpose: encrypts the GCS bucket and Bigtable. */
    readonly gcpBackupsKmsKeyName: pulumi.Input<string>;
    /** Hour (UTC, 0 to 23) of the daily transfer to GCS; must differ from the export hour. @default 5 */
    readonly transferHourUtc?: number;
    /**
     * Days an object is retained (locked against deletion) in GCS, then deleted.
     * @default 35, or 1 when `protect` is false, since a retained object blocks deleting the bucket
     */
    readonly gcsRetentionDays?: number;
    /** Zones of the Bigtable clusters, one cluster per zone. @default [`<gcpRegion>-b`] */
    readonly bigtableZones?: readonly string[];
    /** Nodes per Bigtable cluster. @default 1 */
    readonly bigtableNodeCount?: number;
    /**
     * Account id of the service account that loads exports into Bigtable (6 to 30 characters).
     * @default `<component name>-loader`
     */
    readonly loaderServiceAccountId?: string;
}

/**
 * A DynamoDB global table (on-demand, streams on, customer-managed keys in every region, point-in-time
 * recovery on the table and every replica) and its batch copy on GCP: a daily point-in-time export to a
 * private, KMS-encrypted S3 bucket started by EventBridge Scheduler, a daily Storage Transfer job to a
 * CMEK GCS bucket with a retention lock, and a CMEK Bigtable table as the restore target with a loader
 * identity that may read the exports and write the table. Needs an `aws` and a `gcp` provider.
 *
 * The load into Bigtable is a batch job (for example Dataflow) run as `loaderServiceAccountEmail`; it is
 * not deployed here because its code is application-specific (item shape to row key).
 */
export class DynamoDbGlobal extends pulumi.ComponentResource {
    public readonly tableName: pulumi.Output<string>;
    public readonly tableArn: pulumi.Output<string>;
    public readonly streamArn: pulumi.Output<string>;
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

    constructor(name: string, args: DynamoDbGlobalArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:data:DynamoDbGlobal", name, {}, opts);
        const a = resolveDynamoDbGlobalArgs(name, args);
        validateDynamoDbGlobalArgs(name, a);
        const { protect } = a;
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;

        const keys = [a.hashKey, ...(a.rangeKey ? [a.rangeKey] : [])];
        const table = new aws.dynamodb.Table(
            `${name}-table`,
            {
                billingMode: "PAY_PER_REQUEST",
                hashKey: a.hashKey.name,
                rangeKey: a.rangeKey?.name,
                attributes: keys.map((k) => ({ name: k.name, type: k.type })),
                streamEnabled: true,
                streamViewType: "NEW_AND_OLD_IMAGES",
                serverSideEncryption: { enabled: true, kmsKeyArn: a.kmsKeyArn },
                pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: a.pointInTimeRecoveryDays },
                deletionProtectionEnabled: protect,
                ...(a.ttlAttributeName ? { ttl: { enabled: true, attributeName: a.ttlAttributeName } } : {}),
                replicas: a.replicas.map((r) => ({
                    regionName: r.region,
                    kmsKeyArn: r.kmsKeyArn,
                    pointInTimeRecovery: true,
                    deletionProtectionEnabled: protect,
                    propagateTags: true,
                })),
            },
            { parent: this, protect },
        );
        this.tableName = table.name;
        this.tableArn = table.arn;
        this.streamArn = table.streamArn;

        const bucket = this.exportBucket(name, a);
        this.exportBucketName = bucket.id;
        this.exportScheduleArn = this.exportSchedule(name, a, table, bucket, accountId);

        const gcs = this.gcsBucket(name, a);
        this.gcsBucketName = gcs.name;
        this.transferJobName = this.transfer(name, a, bucket, gcs);

        const { instance, bigtable, loaderEmail } = this.restoreTarget(name, a, gcs);
        this.bigtableInstanceName = instance.name;
        this.bigtableTableName = bigtable.name;
        this.loaderServiceAccountEmail = loaderEmail;

        this.registerOutputs({
            tableName: this.tableName,
            tableArn: this.tableArn,
            exportBucketName: this.exportBucketName,
            gcsBucketName: this.gcsBucketName,
            transferJobName: this.transferJobName,
            bigtableInstanceName: this.bigtableInstanceName,
        });
    }

    /** A private, versioned, KMS-encrypted bucket that only accepts TLS and forgets old exports. */
    private exportBucket(name: string, a: ResolvedDynamoDbGlobalArgs): aws.s3.Bucket {
        const opts = { parent: this };
        const bucket = new aws.s3.Bucket(
            `${name}-exports`,
            { forceDestroy: !a.protect },
            { ...opts, protect: a.protect },
        );
        const bucketRef = { bucket: bucket.id };
        new aws.s3.BucketOwnershipControls(
            `${name}-exports`,
            { ...bucketRef, rule: { objectOwnership: "BucketOwnerEnforced" } },
            opts,
        );
        new aws.s3.BucketPublicAccessBlock(
            `${name}-exports`,
            {
                ...bucketRef,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            opts,
        );
        new aws.s3.BucketVersioning(
            `${name}-exports`,
            { ...bucketRef, versioningConfiguration: { status: "Enabled" } },
            opts,
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-exports`,
            {
                ...bucketRef,
                rules: [
                    {
                        applyServerSideEncryptionByDefault: {
                            sseAlgorithm: "aws:kms",
                            kmsMasterKeyId: a.backupsKmsKeyArn,
                        },
                        // One data key per bucket instead of per object: far fewer KMS calls on large exports.
                        bucketKeyEnabled: true,
                    },
                ],
            },
            opts,
        );
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-exports`,
            {
                ...bucketRef,
                rules: [
                    {
                        id: "expire-exports",
                        status: "Enabled",
                        filter: { prefix: "" },
                        expiration: { days: a.exportRetentionDays },
                        noncurrentVersionExpiration: { noncurrentDays: 7 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            opts,
        );
        new aws.s3.BucketPolicy(
            `${name}-exports`,
            { ...bucketRef, policy: bucket.arn.apply((arn) => JSON.stringify(denyInsecureTransportPolicy(arn))) },
            opts,
        );
        return bucket;
    }

    /** EventBridge Scheduler calls ExportTableToPointInTime directly: no function to own or patch. */
    private exportSchedule(
        name: string,
        a: ResolvedDynamoDbGlobalArgs,
        table: aws.dynamodb.Table,
        bucket: aws.s3.Bucket,
        accountId: pulumi.Output<string>,
    ): pulumi.Output<string> {
        const role = new aws.iam.Role(
            `${name}-export`,
            {
                description: `${name}: daily DynamoDB export to S3`,
                assumeRolePolicy: accountId.apply((id) =>
                    JSON.stringify(serviceTrustPolicy("scheduler.amazonaws.com", id)),
                ),
            },
            { parent: this },
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-export`,
            {
                role: role.id,
                policy: pulumi
                    .all([table.arn, bucket.arn, a.backupsKmsKeyArn])
                    .apply(([tableArn, bucketArn, kmsKeyArn]) =>
                        JSON.stringify(
                            dynamodbExportPolicy({ tableArn, bucketArn, kmsKeyArn, prefix: a.exportPrefix }),
                        ),
                    ),
            },
            { parent: this },
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
                        TableArn: table.arn,
                        S3Bucket: bucket.id,
                        S3Prefix: a.exportPrefix,
                        S3SseAlgorithm: "KMS",
                        S3SseKmsKeyId: a.backupsKmsKeyArn,
                        ExportFormat: "DYNAMODB_JSON",
                        ExportType: "FULL_EXPORT",
                    }),
                    retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
                },
            },
            { parent: this, dependsOn: [policy] },
        );
        return schedule.arn;
    }

    /** CMEK, a retention lock instead of versioning (GCS allows only one of the two), no public access. */
    private gcsBucket(name: string, a: ResolvedDynamoDbGlobalArgs): gcp.storage.Bucket {
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
                softDeletePolicy: { retentionDurationSeconds: DYNAMODB_GLOBAL_DEFAULTS.gcsSoftDeleteDays * 86400 },
                lifecycleRules: [{ action: { type: "Delete" }, condition: { age: a.gcsRetentionDays } }],
            },
            { parent: this, protect: a.protect },
        );
    }

    /**
     * Storage Transfer Service copies new exports daily. It signs in to AWS as a role that trusts only
     * the project's transfer service account and may only read the exports; on GCP that account may only
     * write into the bucket.
     */
    private transfer(
        name: string,
        a: ResolvedDynamoDbGlobalArgs,
        bucket: aws.s3.Bucket,
        gcs: gcp.storage.Bucket,
    ): pulumi.Output<string> {
        const sts = gcp.storage.getTransferProjectServiceAccountOutput({ project: a.gcpProject }, { parent: this });
        const role = new aws.iam.Role(
            `${name}-transfer`,
            {
                description: `${name}: Google Storage Transfer Service reads the DynamoDB exports`,
                assumeRolePolicy: sts.subjectId.apply((sub) => JSON.stringify(storageTransferTrustPolicy(sub))),
            },
            { parent: this },
        );
        const read = new aws.iam.RolePolicy(
            `${name}-transfer`,
            {
                role: role.id,
                policy: pulumi
                    .all([bucket.arn, a.backupsKmsKeyArn])
                    .apply(([bucketArn, kmsKeyArn]) =>
                        JSON.stringify(storageTransferReadPolicy({ bucketArn, kmsKeyArn, prefix: a.exportPrefix })),
                    ),
            },
            { parent: this },
        );
        // Writer, not admin: create, list and overwrite objects in this bucket only.
        const sinkRoles = ["roles/storage.legacyBucketWriter", "roles/storage.objectViewer"].map(
            (role) =>
                new gcp.storage.BucketIAMMember(
                    `${name}-transfer-${role.split(".")[1]}`,
                    { bucket: gcs.name, role, member: sts.member },
                    { parent: this },
                ),
        );
        const job = new gcp.storage.TransferJob(
            `${name}-transfer`,
            {
                project: a.gcpProject,
                description: `${name}: DynamoDB exports from S3 to GCS, daily`,
                status: "ENABLED",
                transferSpec: {
                    awsS3DataSource: { bucketName: bucket.id, roleArn: role.arn, path: `${a.exportPrefix}/` },
                    gcsDataSink: { bucketName: gcs.name, path: `${a.exportPrefix}/` },
                    transferOptions: {
                        // Exports are immutable and the sink is retention-locked: never overwrite, never delete.
                        overwriteObjectsAlreadyExistingInSink: false,
                        deleteObjectsUniqueInSink: false,
                        deleteObjectsFromSourceAfterTransfer: false,
                    },
                },
                schedule: {
                    scheduleStartDate: { ...DYNAMODB_GLOBAL_DEFAULTS.transferStartDate },
                    startTimeOfDay: { hours: a.transferHourUtc, minutes: 0, seconds: 0, nanos: 0 },
                    repeatInterval: "86400s",
                },
                loggingConfig: {
                    logActions: ["FIND", "COPY"],
                    logActionStates: ["SUCCEEDED", "FAILED"],
                },
            },
            { parent: this, dependsOn: [read, ...sinkRoles] },
        );
        return job.name;
    }

    /** The restore target and the identity of the load job: reads the exports, writes the table, nothing else. */
    private restoreTarget(
        name: string,
        a: ResolvedDynamoDbGlobalArgs,
        gcs: gcp.storage.Bucket,
    ): { instance: gcp.bigtable.Instance; bigtable: gcp.bigtable.Table; loaderEmail: pulumi.Output<string> } {
        const d = DYNAMODB_GLOBAL_DEFAULTS;
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
            { parent: this, protect: a.protect },
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
            { parent: this, protect: a.protect },
        );
        const loader = new gcp.serviceaccount.Account(
            `${name}-loader`,
            {
                project: a.gcpProject,
                accountId: a.loaderServiceAccountId,
                displayName: `${name}: loads DynamoDB exports into Bigtable`,
            },
            { parent: this },
        );
        // Derived rather than read back, so the bindings need no round trip to the API.
        const loaderEmail = pulumi.interpolate`${loader.accountId}@${a.gcpProject}.iam.gserviceaccount.com`;
        const member = pulumi.interpolate`serviceAccount:${loaderEmail}`;
        new gcp.storage.BucketIAMMember(
            `${name}-loader-read`,
            { bucket: gcs.name, role: "roles/storage.objectViewer", member },
            { parent: this },
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
            { parent: this },
        );
        return { instance, bigtable, loaderEmail };
    }
}

export interface ResolvedDynamoDbGlobalArgs extends DynamoDbGlobalArgs {
    readonly replicas: readonly DynamoDbReplica[];
    readonly pointInTimeRecoveryDays: number;
    readonly protect: boolean;
    readonly exportHourUtc: number;
    readonly exportRetentionDays: number;
    readonly exportPrefix: string;
    readonly transferHourUtc: number;
    readonly gcsRetentionDays: number;
    readonly bigtableZones: readonly string[];
    readonly bigtableNodeCount: number;
    readonly loaderServiceAccountId: string;
}

export function resolveDynamoDbGlobalArgs(name: string, args: DynamoDbGlobalArgs): ResolvedDynamoDbGlobalArgs {
    const d = DYNAMODB_GLOBAL_DEFAULTS;
    return {
        ...args,
        replicas: args.replicas ?? [],
        pointInTimeRecoveryDays: args.pointInTimeRecoveryDays ?? d.pointInTimeRecoveryDays,
        protect: args.protect ?? true,
        exportHourUtc: args.exportHourUtc ?? d.exportHourUtc,
        exportRetentionDays: args.exportRetentionDays ?? d.exportRetentionDays,
        exportPrefix: d.exportPrefix,
        transferHourUtc: args.transferHourUtc ?? d.transferHourUtc,
        gcsRetentionDays:
            args.gcsRetentionDays ?? ((args.protect ?? true) ? d.gcsRetentionDays : d.gcsRetentionDaysUnprotected),
        bigtableZones: args.bigtableZones ?? [`${args.gcpRegion}-b`],
        bigtableNodeCount: args.bigtableNodeCount ?? d.bigtableNodeCount,
        loaderServiceAccountId: args.loaderServiceAccountId ?? `${name}-loader`,
    };
}

/** Throws one error listing every invalid argument. */
export function validateDynamoDbGlobalArgs(name: string, a: ResolvedDynamoDbGlobalArgs): void {
    const problems: string[] = [];
    for (const [key, attr] of [
        ["hashKey", a.hashKey],
        ["rangeKey", a.rangeKey],
    ] as const) {
        if (attr && !(KEY_ATTRIBUTE_TYPES as readonly string[]).includes(attr.type)) {
            problems.push(
                `${key}.type must be one of ${KEY_ATTRIBUTE_TYPES.join(", ")}; received ${JSON.stringify(attr.type)}`,
            );
        }
    }
    if (a.rangeKey && a.rangeKey.name === a.hashKey.name) {
        problems.push(`rangeKey.name must differ from hashKey.name; both are ${JSON.stringify(a.hashKey.name)}`);
    }
    const seen = new Set<string>([a.region]);
    a.replicas.forEach((r, i) => {
        if (seen.has(r.region)) {
            problems.push(
                `replicas[${i}].region ${JSON.stringify(r.region)} is the table's region or another replica's; each region holds one copy`,
            );
        }
        seen.add(r.region);
    });
    if (!isWholeInRange(a.pointInTimeRecoveryDays, { min: 1, max: 35 })) {
        problems.push(
            `pointInTimeRecoveryDays must be a whole number from 1 to 35; received ${a.pointInTimeRecoveryDays}`,
        );
    }
    for (const [key, hour] of [
        ["exportHourUtc", a.exportHourUtc],
        ["transferHourUtc", a.transferHourUtc],
    ] as const) {
        if (!isWholeInRange(hour, { min: 0, max: 23 }))
            problems.push(`${key} must be a whole hour from 0 to 23; received ${hour}`);
    }
    if (a.exportHourUtc === a.transferHourUtc) {
        problems.push(
            `transferHourUtc must differ from exportHourUtc (${a.exportHourUtc}): the transfer would start while the export is still being written`,
        );
    }
    for (const [key, days] of [
        ["exportRetentionDays", a.exportRetentionDays],
        ["gcsRetentionDays", a.gcsRetentionDays],
    ] as const) {
        if (!isWholeInRange(days, { min: 1, max: 3650 }))
            problems.push(`${key} must be a whole number of days from 1 to 3650; received ${days}`);
    }
    if (a.bigtableZones.length === 0) problems.push("bigtableZones must name at least one zone");
    a.bigtableZones.forEach((z, i) => {
        if (!z.startsWith(`${a.gcpRegion}-`)) {
            problems.push(
                `bigtableZones[${i}] must be a zone of ${a.gcpRegion} (the key's region); received ${JSON.stringify(z)}`,
            );
        }
    });
    if (new Set(a.bigtableZones).size !== a.bigtableZones.length) {
        problems.push("bigtableZones must not repeat a zone; each cluster needs its own");
    }
    if (!isWholeInRange(a.bigtableNodeCount, { min: 1, max: 1000 })) {
        problems.push(`bigtableNodeCount must be a whole number of at least 1; received ${a.bigtableNodeCount}`);
    }
    if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(a.loaderServiceAccountId)) {
        problems.push(
            `loaderServiceAccountId must be 6 to 30 lowercase letters, digits or hyphens, starting with a letter; ` +
                `received ${JSON.stringify(a.loaderServiceAccountId)}; set loaderServiceAccountId explicitly`,
        );
    }
    if (problems.length > 0) throw new Error(`DynamoDbGlobal ${name}: ${problems.join("; ")}`);
}
