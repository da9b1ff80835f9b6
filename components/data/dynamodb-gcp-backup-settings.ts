/**
 * Arguments, defaults and validation of the GCP backup path of a DynamoDB table: pure, so every rule is
 * tested without the Pulumi runtime, and the component file keeps to the resources.
 */
import type * as pulumi from "@pulumi/pulumi";
import { isProtected } from "../shared/protection";
import { isWholeInRange } from "../shared/validation";

/** Defaults, applied in one place. */
export const DYNAMODB_GCP_BACKUP_DEFAULTS = {
    /** Exports start at 02:00 UTC and the transfer at 05:00 UTC, leaving three hours for the export. */
    exportHourUtc: 2,
    transferHourUtc: 5,
    exportRetentionDays: 35,
    /** Old versions of an export object and abandoned uploads are dropped after a week. */
    noncurrentVersionDays: 7,
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

export interface DynamoDbGcpBackupArgs {
    /** ARN of the table to export (`DynamoDbGlobal.tableArn`); exports need its point-in-time recovery on. */
    readonly tableArn: pulumi.Input<string>;
    /**
     * Pulumi `protect` on everything holding data, deletion protection on Bigtable; off, the buckets are
     * emptied on deletion (dev). @default true
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
    /**
     * The parent the backup resources were created under before this component owned them (the
     * `DynamoDbGlobal` of the same name, which once held the backup path too); they keep their URNs
     * through an alias to it. @default none: they were always here
     */
    readonly formerParent?: pulumi.Resource;
}

export interface ResolvedDynamoDbGcpBackupArgs extends DynamoDbGcpBackupArgs {
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

export function resolveDynamoDbGcpBackupArgs(name: string, args: DynamoDbGcpBackupArgs): ResolvedDynamoDbGcpBackupArgs {
    const d = DYNAMODB_GCP_BACKUP_DEFAULTS;
    const protect = isProtected(args.protect);
    return {
        ...args,
        protect,
        exportHourUtc: args.exportHourUtc ?? d.exportHourUtc,
        exportRetentionDays: args.exportRetentionDays ?? d.exportRetentionDays,
        exportPrefix: d.exportPrefix,
        transferHourUtc: args.transferHourUtc ?? d.transferHourUtc,
        gcsRetentionDays: args.gcsRetentionDays ?? (protect ? d.gcsRetentionDays : d.gcsRetentionDaysUnprotected),
        bigtableZones: args.bigtableZones ?? [`${args.gcpRegion}-b`],
        bigtableNodeCount: args.bigtableNodeCount ?? d.bigtableNodeCount,
        loaderServiceAccountId: args.loaderServiceAccountId ?? `${name}-loader`,
    };
}

/** Throws one error listing every invalid argument. */
export function validateDynamoDbGcpBackupArgs(name: string, a: ResolvedDynamoDbGcpBackupArgs): void {
    const problems: string[] = [];
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
    if (problems.length > 0) throw new Error(`DynamoDbGcpBackup ${name}: ${problems.join("; ")}`);
}
