/**
 * Durability of stateful resources in protected environments: deletion protection, backups and the
 * `protect` resource option.
 *
 * Which environment a resource belongs to is read from its `environment` tag or label, merged over the
 * provider's `defaultTags` / `defaultLabels`: the same source the tagging policies require, so the
 * verdict is the same in `pulumi preview`, in CI and in the offline plan, without per-stack pack config.
 */
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import { validateResourceOfType, type ResourceValidationArgs, type ResourceValidationPolicy } from "@pulumi/policy";
import { awsProviderDefaultTags, gcpLabelField, gcpProviderDefaultLabels, isSet, known } from "../util";

export const DEFAULT_PROTECTED_ENVIRONMENTS = ["prod"];

const environmentSchema = {
    protectedEnvironments: {
        type: "array" as const,
        items: { type: "string" as const },
        default: DEFAULT_PROTECTED_ENVIRONMENTS,
        description: "Values of the environment tag or label whose resources must be durable.",
    },
    environmentTagKey: {
        type: "string" as const,
        default: "environment",
        description: "Tag (AWS) or label (GCP) that names a resource's environment, own or from the provider defaults.",
    },
};
type EnvironmentConfig = { protectedEnvironments: string[]; environmentTagKey: string };

/** The environment of a resource: its own tag or label, or the provider's default, or undefined. */
export function environmentOf(args: ResourceValidationArgs, tagKey: string): string | undefined {
    let merged: Record<string, unknown> = {};
    if (args.type.startsWith("aws:")) {
        merged = { ...awsProviderDefaultTags(args.provider), ...(known(() => args.props.tags) ?? {}) };
    } else if (args.type.startsWith("gcp:")) {
        const field = gcpLabelField(args.type);
        const own =
            args.type === "gcp:sql/databaseInstance:DatabaseInstance"
                ? known(() => args.props.settings?.userLabels)
                : field
                  ? known(() => args.props[field])
                  : undefined;
        merged = { ...gcpProviderDefaultLabels(args.provider), ...(own ?? {}) };
    }
    const value = merged[tagKey];
    return typeof value === "string" ? value : undefined;
}

/** The protected environment the resource is in; `notApplicable` when it is in none. */
function protectedEnvironment(args: ResourceValidationArgs): string {
    const { protectedEnvironments, environmentTagKey } = args.getConfig<EnvironmentConfig>();
    const env = environmentOf(args, environmentTagKey);
    if (env === undefined || !protectedEnvironments.includes(env)) {
        return args.notApplicable(`environment ${env ?? "unknown"} is not protected`);
    }
    return env;
}

export const dataDeletionProtection: ResourceValidationPolicy = {
    name: "data-deletion-protection",
    description:
        "In protected environments (prod), databases, tables and caches have the cloud's deletion protection on.",
    enforcementLevel: "mandatory",
    tags: ["durability"],
    configSchema: { properties: { ...environmentSchema } },
    remediationSteps:
        "aws.rds.Cluster / GlobalCluster / Instance: deletionProtection: true. aws.dynamodb.Table: " +
        "deletionProtectionEnabled: true, and on every replica. gcp.sql.DatabaseInstance: deletionProtection: true and " +
        "settings.deletionProtectionEnabled: true. gcp.redis.Instance and gcp.bigtable.Instance: deletionProtection: " +
        "true. gcp.bigtable.Table: deletionProtection: 'PROTECTED'.",
    validateResource: [
        validateResourceOfType(aws.rds.Cluster, (c, args, reportViolation) => {
            const env = protectedEnvironment(args);
            if (c.deletionProtection !== true) {
                reportViolation(`RDS cluster has no deletion protection in ${env}. Set deletionProtection: true.`);
            }
        }),
        validateResourceOfType(aws.rds.GlobalCluster, (g, args, reportViolation) => {
            const env = protectedEnvironment(args);
            if (g.deletionProtection !== true) {
                reportViolation(`Global cluster has no deletion protection in ${env}. Set deletionProtection: true.`);
            }
        }),
        validateResourceOfType(aws.rds.Instance, (i, args, reportViolation) => {
            const env = protectedEnvironment(args);
            if (i.deletionProtection !== true) {
                reportViolation(`RDS instance has no deletion protection in ${env}. Set deletionProtection: true.`);
            }
        }),
        validateResourceOfType(aws.dynamodb.Table, (t, args, reportViolation) => {
            const env = protectedEnvironment(args);
            if (t.deletionProtectionEnabled !== true) {
                reportViolation(
                    `DynamoDB table has no deletion protection in ${env}. Set deletionProtectionEnabled: true.`,
                );
            }
            for (const r of t.replicas ?? []) {
                if (r.deletionProtectionEnabled !== true) {
                    reportViolation(
                        `Replica in ${r.regionName} has no deletion protection in ${env}. Set deletionProtectionEnabled: true on the replica.`,
                    );
                }
            }
        }),
        validateResourceOfType(gcp.sql.DatabaseInstance, (i, args, reportViolation) => {
            const env = protectedEnvironment(args);
            // The provider's own guard is on unless turned off; the API's is off unless turned on.
            if (i.deletionProtection === false) {
                reportViolation(
                    `Cloud SQL instance can be deleted by the provider in ${env}: deletionProtection is false. Set it to true.`,
                );
            }
            if (i.settings?.deletionProtectionEnabled !== true) {
                reportViolation(
                    `Cloud SQL instance has no API deletion protection in ${env}. Set settings.deletionProtectionEnabled: true.`,
                );
            }
        }),
        validateResourceOfType(gcp.redis.Instance, (i, args, reportViolation) => {
            const env = protectedEnvironment(args);
            if (i.deletionProtection === false) {
                reportViolation(
                    `Memorystore instance can be deleted in ${env}: deletionProtection is false. Set it to true.`,
                );
            }
        }),
        validateResourceOfType(gcp.bigtable.Instance, (i, args, reportViolation) => {
            const env = protectedEnvironment(args);
            if (i.deletionProtection === false) {
                reportViolation(
                    `Bigtable instance can be deleted in ${env}: deletionProtection is false. Set it to true.`,
                );
            }
        }),
        validateResourceOfType(gcp.bigtable.Table, (t, args, reportViolation) => {
            const env = protectedEnvironment(args);
            if (t.deletionProtection !== "PROTECTED") {
                reportViolation(
                    `Bigtable table is not protected against deletion in ${env}. Set deletionProtection: "PROTECTED".`,
                );
            }
        }),
    ],
};

export const DEFAULT_MINIMUM_BACKUP_RETENTION_DAYS = 7;
type BackupConfig = EnvironmentConfig & { minimumBackupRetentionDays: number };

/** Backup retention and final snapshot of an RDS cluster or instance, the same rule for both. */
function rdsBackupChecks(what: string, defaultRetentionDays: number) {
    return (
        r: { backupRetentionPeriod?: number; skipFinalSnapshot?: boolean },
        args: ResourceValidationArgs,
        reportViolation: (message: string) => void,
    ): void => {
        const env = protectedEnvironment(args);
        const { minimumBackupRetentionDays: min } = args.getConfig<BackupConfig>();
        const days = r.backupRetentionPeriod ?? defaultRetentionDays;
        if (days < min) {
            reportViolation(
                `${what} keeps backups for ${days} day(s) in ${env}; at least ${min} are required. Set backupRetentionPeriod.`,
            );
        }
        if (r.skipFinalSnapshot === true) {
            reportViolation(
                `${what} skips its final snapshot in ${env}. Set skipFinalSnapshot: false and a finalSnapshotIdentifier.`,
            );
        }
    };
}

export const dataBackupsEnabled: ResourceValidationPolicy = {
    name: "data-backups-enabled",
    description:
        "In protected environments (prod), databases, tables and caches keep backups for at least minimumBackupRetentionDays, with point-in-time recovery and final snapshots.",
    enforcementLevel: "mandatory",
    tags: ["durability"],
    configSchema: {
        properties: {
            ...environmentSchema,
            minimumBackupRetentionDays: {
                type: "number",
                default: DEFAULT_MINIMUM_BACKUP_RETENTION_DAYS,
                description: "Fewest days (or daily backups) of automated backups and snapshots kept.",
            },
        },
    },
    remediationSteps:
        "aws.rds.Cluster / Instance: backupRetentionPeriod at least the minimum, skipFinalSnapshot: false with a " +
        "finalSnapshotIdentifier. aws.dynamodb.Table: pointInTimeRecovery: { enabled: true } and pointInTimeRecovery: " +
        "true on every replica. aws.elasticache.ReplicationGroup: snapshotRetentionLimit at least the minimum. " +
        "gcp.sql.DatabaseInstance: settings.backupConfiguration { enabled: true, pointInTimeRecoveryEnabled: true, " +
        "backupRetentionSettings.retainedBackups at least the minimum }.",
    validateResource: [
        // RDS defaults: a cluster keeps 1 day of backups when unset, an instance none.
        validateResourceOfType(aws.rds.Cluster, rdsBackupChecks("RDS cluster", 1)),
        validateResourceOfType(aws.rds.Instance, rdsBackupChecks("RDS instance", 0)),
        validateResourceOfType(aws.dynamodb.Table, (t, args, reportViolation) => {
            const env = protectedEnvironment(args);
            const { minimumBackupRetentionDays: min } = args.getConfig<BackupConfig>();
            const pitr = t.pointInTimeRecovery;
            if (pitr?.enabled !== true) {
                reportViolation(
                    `DynamoDB table has point-in-time recovery off in ${env}. Set pointInTimeRecovery: { enabled: true }.`,
                );
            } else if ((pitr.recoveryPeriodInDays ?? 35) < min) {
                reportViolation(
                    `DynamoDB table keeps ${pitr.recoveryPeriodInDays} day(s) of point-in-time recovery in ${env}; at least ` +
                        `${min} are required. Set pointInTimeRecovery.recoveryPeriodInDays.`,
                );
            }
            for (const r of t.replicas ?? []) {
                if (r.pointInTimeRecovery !== true) {
                    reportViolation(
                        `Replica in ${r.regionName} has point-in-time recovery off in ${env}. Set pointInTimeRecovery: true on the replica.`,
                    );
                }
            }
        }),
        validateResourceOfType(aws.dynamodb.TableReplica, (r, args, reportViolation) => {
            const env = protectedEnvironment(args);
            if (r.pointInTimeRecovery !== true) {
                reportViolation(
                    `Table replica has point-in-time recovery off in ${env}. Set pointInTimeRecovery: true.`,
                );
            }
        }),
        validateResourceOfType(aws.elasticache.ReplicationGroup, (g, args, reportViolation) => {
            const env = protectedEnvironment(args);
            const { minimumBackupRetentionDays: min } = args.getConfig<BackupConfig>();
            const days = g.snapshotRetentionLimit ?? 0;
            if (days < min) {
                reportViolation(
                    `ElastiCache replication group keeps snapshots for ${days} day(s) in ${env}; at least ${min} are required. ` +
                        "Set snapshotRetentionLimit.",
                );
            }
        }),
        validateResourceOfType(gcp.sql.DatabaseInstance, (i, args, reportViolation) => {
            // Read replicas cannot have backups; their primary is judged.
            if (isSet(() => i.masterInstanceName)) args.notApplicable("read replica");
            const env = protectedEnvironment(args);
            const { minimumBackupRetentionDays: min } = args.getConfig<BackupConfig>();
            const backups = i.settings?.backupConfiguration;
            if (backups?.enabled !== true) {
                reportViolation(
                    `Cloud SQL instance has automated backups off in ${env}. Set settings.backupConfiguration.enabled: true.`,
                );
                return;
            }
            if (backups.pointInTimeRecoveryEnabled !== true) {
                reportViolation(
                    `Cloud SQL instance has point-in-time recovery off in ${env}. Set settings.backupConfiguration.pointInTimeRecoveryEnabled: true.`,
                );
            }
            const kept = backups.backupRetentionSettings?.retainedBackups ?? 7;
            if (kept < min) {
                reportViolation(
                    `Cloud SQL instance keeps ${kept} backup(s) in ${env}; at least ${min} are required. Set ` +
                        "settings.backupConfiguration.backupRetentionSettings.retainedBackups.",
                );
            }
        }),
    ],
};

/** Types that hold data (or keys to data) and must be `protect`ed in protected environments. */
export const DEFAULT_STATEFUL_TYPES = [
    "aws:rds/cluster:Cluster",
    "aws:rds/globalCluster:GlobalCluster",
    "aws:rds/instance:Instance",
    "aws:dynamodb/table:Table",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:msk/cluster:Cluster",
    "aws:kms/key:Key",
    "gcp:sql/databaseInstance:DatabaseInstance",
    "gcp:redis/instance:Instance",
    "gcp:bigtable/instance:Instance",
    "gcp:bigtable/table:Table",
    "gcp:storage/bucket:Bucket",
    "gcp:kms/keyRing:KeyRing",
    "gcp:kms/cryptoKey:CryptoKey",
];

export const statefulResourcesProtected: ResourceValidationPolicy = {
    name: "stateful-resources-protected",
    description:
        "In protected environments (prod), every stateful resource carries the Pulumi protect option, so no update deletes it by accident.",
    enforcementLevel: "mandatory",
    tags: ["durability"],
    configSchema: {
        properties: {
            ...environmentSchema,
            statefulTypes: {
                type: "array",
                items: { type: "string" },
                default: DEFAULT_STATEFUL_TYPES,
                description: "Resource types that hold data and must be protected.",
            },
        },
    },
    remediationSteps:
        "Create the resource with the resource option { protect: true } (the components take a `protect` argument). " +
        "Removing such a resource then needs an explicit `pulumi state unprotect <urn>` first.",
    validateResource: (args, reportViolation) => {
        const { statefulTypes } = args.getConfig<EnvironmentConfig & { statefulTypes: string[] }>();
        if (!statefulTypes.includes(args.type)) return;
        const env = protectedEnvironment(args);
        if (args.opts.protect !== true) {
            reportViolation(
                `Stateful resource is not protected in ${env}. Set the resource option protect: true so that deleting it ` +
                    "needs an explicit unprotect.",
            );
        }
    },
};
