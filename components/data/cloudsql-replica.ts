import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { POSTGRES_PORT } from "./aurora-settings";
import { isWholeInRange, wholeRangeText, type WholeRange } from "../shared/validation";
import { VERSIONS } from "../versions";
import { isProtected, recoveryWindowDays } from "../shared/protection";

/** The `desiredState` values of a DMS migration job. */
export const MIGRATION_STATES = { stopped: "NOT_STARTED", running: "RUNNING" } as const;

/** Defaults, applied in one place. */
export const CLOUDSQL_REPLICA_DEFAULTS = {
    /** Enterprise edition: the Enterprise Plus default of new PostgreSQL 16 instances needs other tiers. */
    edition: "ENTERPRISE",
    tier: "db-custom-2-7680",
    diskSizeGb: 20,
    backupRetentionDays: 7,
    /** Cloud SQL Enterprise keeps at most seven days of write-ahead log for point-in-time recovery. */
    maxTransactionLogRetentionDays: 7,
    backupStartTime: "03:00",
    replicationUsername: "dms_replication",
    /** Created stopped: starting verifies a source that an operator prepares after the first deployment. */
    startMigration: false,
    /**
     * Connections are encrypted; client certificates are not demanded, so DR clients on private IP connect
     * with TLS alone, as they do to Aurora.
     */
    sslMode: "ENCRYPTED_ONLY",
    /** CIS-recommended logging flags, so the DR database is as auditable as the primary. */
    databaseFlags: [
        { name: "log_connections", value: "on" },
        { name: "log_disconnections", value: "on" },
        { name: "log_checkpoints", value: "on" },
        { name: "log_lock_waits", value: "on" },
        { name: "log_temp_files", value: "0" },
    ],
} as const;

export interface CloudSqlReplicaArgs {
    /** GCP project of the instance, the profiles and the job. */
    readonly project: string;
    /** GCP region of the instance and of the DMS resources. */
    readonly region: string;
    /** VPC network (id or self link) the instance takes its private IP in and DMS peers with. */
    readonly network: pulumi.Input<string>;
    /** The network's private services access connection (`GcpNetwork.privateServicesConnection`). */
    readonly privateServicesConnection: pulumi.Resource;
    /** GCP key (id) of the `database` purpose: the instance's CMEK. */
    readonly kmsKeyName: pulumi.Input<string>;
    /** Machine tier of the instance. @default "db-custom-2-7680" */
    readonly tier?: string;
    /** Regional (two-zone) availability rather than one zone. @default true */
    readonly highAvailability?: boolean;
    /** Initial disk size; the disk grows automatically. @default 20 */
    readonly diskSizeGb?: number;
    /** Daily backups kept, 1 to 365; write-ahead logs are kept for min(7, this) days. @default 7 */
    readonly backupRetentionDays?: number;
    /** Deletion protection (API and Pulumi), backups kept after deletion, and Pulumi `protect`. @default true */
    readonly protect?: boolean;
    /** Host of the source: the Aurora writer endpoint, reached over the VPN. */
    readonly sourceHost: pulumi.Input<string>;
    /** Port of the source. @default 5432 */
    readonly sourcePort?: number;
    /**
     * PEM of the CA that signs the source's server certificate (the RDS bundle of the CA pinned by
     * `AuroraGlobal`, `rds-ca-rsa2048-g1`). With it DMS verifies the server; without it DMS still
     * requires TLS but cannot tell the real server from an impostor. @default none: TLS required, server unverified
     */
    readonly sourceCaCertificatePem?: pulumi.Input<string>;
    /** The dedicated replication user DMS signs in to Aurora as. @default "dms_replication" */
    readonly replicationUsername?: string;
    /** AWS key (ARN) of the primary region's `database` purpose: encrypts the replication user's secret. */
    readonly awsSecretKmsKeyArn: pulumi.Input<string>;
    /**
     * Ask DMS to run the continuous migration (`desiredState: RUNNING`). Starting verifies the source, so
     * the replication user and pglogical must exist on Aurora first: leave it off for the first deployment
     * and turn it on once they do. Turning it off again does not stop a started job (the provider refuses
     * RUNNING -> NOT_STARTED). @default false: the job is created `NOT_STARTED`
     */
    readonly startMigration?: boolean;
}

/**
 * The Cloud SQL for PostgreSQL disaster-recovery copy of Aurora, fed by a Database Migration Service
 * continuous job: a CMEK-encrypted instance on private IP only that requires TLS, two connection
 * profiles (Aurora as the source, the instance as the destination), the job over VPC peering, and the
 * replication user's password, generated here and stored in AWS Secrets Manager. Needs a `gcp`, an
 * `aws` (primary region) and a `random` provider.
 *
 * The job is created stopped. A Pulumi program cannot reach a private database, so the Aurora side is
 * prepared once by an operator (or a job inside the VPC) with the master credentials, and only then is
 * `startMigration` turned on:
 *
 * ```sql
 * -- password: the `password` field of the secret `replicationSecretArn`
 * CREATE USER dms_replication WITH LOGIN PASSWORD '<password>';
 * GRANT rds_replication TO dms_replication;
 * -- in the postgres database and in every database to replicate:
 * CREATE EXTENSION IF NOT EXISTS pglogical;
 * GRANT USAGE ON SCHEMA pglogical TO dms_replication;
 * GRANT SELECT ON ALL TABLES IN SCHEMA pglogical TO dms_replication;
 * -- for every schema to replicate:
 * GRANT USAGE ON SCHEMA <schema> TO dms_replication;
 * GRANT SELECT ON ALL TABLES IN SCHEMA <schema> TO dms_replication;
 * GRANT SELECT ON ALL SEQUENCES IN SCHEMA <schema> TO dms_replication;
 * ```
 *
 * `rds.logical_replication` and `pglogical` in `shared_preload_libraries` come from the AuroraGlobal
 * cluster parameter group and need one reboot of the writer after the first deployment. DMS does not
 * replicate DDL unless it is run through pglogical, and tables without a primary key get inserts only.
 */
export class CloudSqlReplica extends pulumi.ComponentResource {
    public readonly instanceName: pulumi.Output<string>;
    /** `project:region:instance`, what the Cloud SQL connectors take. */
    public readonly connectionName: pulumi.Output<string>;
    public readonly privateIpAddress: pulumi.Output<string>;
    public readonly sourceProfileName: pulumi.Output<string>;
    public readonly destinationProfileName: pulumi.Output<string>;
    /** Full name of the migration job (`projects/…/migrationJobs/…`). */
    public readonly migrationJobName: pulumi.Output<string>;
    public readonly replicationUsername: string;
    /** AWS Secrets Manager secret with the replication user's credentials (JSON: username, password, ...). */
    public readonly replicationSecretArn: pulumi.Output<string>;

    constructor(name: string, args: CloudSqlReplicaArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:data:CloudSqlReplica", name, {}, opts);
        const a = resolveCloudSqlReplicaArgs(args);
        validateCloudSqlReplicaArgs(name, a);
        const { protect } = a;
        const common = { project: a.project };

        const instance = new gcp.sql.DatabaseInstance(
            `${name}-instance`,
            {
                ...common,
                region: a.region,
                databaseVersion: VERSIONS.cloudSqlPostgres,
                encryptionKeyName: a.kmsKeyName,
                deletionProtection: protect,
                settings: {
                    edition: CLOUDSQL_REPLICA_DEFAULTS.edition,
                    tier: a.tier,
                    availabilityType: a.highAvailability ? "REGIONAL" : "ZONAL",
                    diskType: "PD_SSD",
                    diskSize: a.diskSizeGb,
                    diskAutoresize: true,
                    deletionProtectionEnabled: protect,
                    retainBackupsOnDelete: protect,
                    ipConfiguration: {
                        ipv4Enabled: false,
                        privateNetwork: a.network,
                        sslMode: CLOUDSQL_REPLICA_DEFAULTS.sslMode,
                    },
                    // Takes effect once the instance is promoted: while it is a DMS destination, Cloud SQL
                    // suspends automated backups and point-in-time recovery (cloud.google.com/database-migration/
                    // docs/postgres/create-migration-job-existing-instance, "Backups and read replicas").
                    backupConfiguration: {
                        enabled: true,
                        pointInTimeRecoveryEnabled: true,
                        startTime: CLOUDSQL_REPLICA_DEFAULTS.backupStartTime,
                        transactionLogRetentionDays: Math.min(
                            a.backupRetentionDays,
                            CLOUDSQL_REPLICA_DEFAULTS.maxTransactionLogRetentionDays,
                        ),
                        backupRetentionSettings: { retainedBackups: a.backupRetentionDays, retentionUnit: "COUNT" },
                    },
                    insightsConfig: { queryInsightsEnabled: true },
                    databaseFlags: CLOUDSQL_REPLICA_DEFAULTS.databaseFlags.map((f) => ({ ...f })),
                },
            },
            { parent: this, protect, dependsOn: [a.privateServicesConnection] },
        );
        this.instanceName = instance.name;
        this.connectionName = instance.connectionName;
        this.privateIpAddress = instance.privateIpAddress;

        const password = new random.RandomPassword(
            `${name}-replication`,
            // Letters and digits only: the password is pasted into SQL by whoever prepares Aurora.
            { length: 32, special: false, minLower: 1, minUpper: 1, minNumeric: 1 },
            { parent: this },
        );
        // Explicitly secret, wherever it goes, whatever the engine knows about the random provider's outputs.
        const replicationPassword = pulumi.secret(password.result);
        const secret = new aws.secretsmanager.Secret(
            `${name}-replication`,
            {
                description: `${name}: credentials of the DMS replication user on Aurora`,
                kmsKeyId: a.awsSecretKmsKeyArn,
                recoveryWindowInDays: recoveryWindowDays(protect),
            },
            { parent: this },
        );
        new aws.secretsmanager.SecretVersion(
            `${name}-replication`,
            {
                secretId: secret.id,
                secretString: pulumi.jsonStringify({
                    engine: "postgres",
                    host: a.sourceHost,
                    port: a.sourcePort,
                    username: a.replicationUsername,
                    password: replicationPassword,
                }),
            },
            { parent: this },
        );
        this.replicationUsername = a.replicationUsername;
        this.replicationSecretArn = secret.arn;

        const source = new gcp.databasemigrationservice.ConnectionProfile(
            `${name}-source`,
            {
                ...common,
                location: a.region,
                connectionProfileId: `${name}-source`,
                displayName: `${name}: Aurora PostgreSQL writer`,
                postgresql: {
                    host: a.sourceHost,
                    port: a.sourcePort,
                    username: a.replicationUsername,
                    password: replicationPassword,
                    ssl:
                        a.sourceCaCertificatePem === undefined
                            ? { type: "REQUIRED" }
                            : { type: "SERVER_ONLY", caCertificate: a.sourceCaCertificatePem },
                },
            },
            { parent: this },
        );
        const destination = new gcp.databasemigrationservice.ConnectionProfile(
            `${name}-destination`,
            {
                ...common,
                location: a.region,
                connectionProfileId: `${name}-destination`,
                displayName: `${name}: Cloud SQL replica`,
                postgresql: { cloudSqlId: instance.name },
            },
            { parent: this },
        );
        this.sourceProfileName = source.name;
        this.destinationProfileName = destination.name;

        const job = new gcp.databasemigrationservice.MigrationJob(
            `${name}-job`,
            {
                ...common,
                location: a.region,
                migrationJobId: `${name}-continuous`,
                displayName: `${name}: Aurora to Cloud SQL, continuous`,
                type: "CONTINUOUS",
                source: source.name,
                destination: destination.name,
                // The instance reaches Aurora through the peering's exported VPN routes.
                vpcPeeringConnectivity: { vpc: a.network },
                // dumpType and dumpFlags apply to MySQL only; PostgreSQL's initial load is pglogical's copy.
                // NOT_STARTED and RUNNING are the two values the provider takes (gcp 9.37 typings). It creates
                // the job NOT_STARTED and, on the change to RUNNING, verifies the source and then starts it; it
                // reads every later phase (CDC, promoted, ...) back as RUNNING, so the flag causes no drift once
                // the job runs (GoogleCloudPlatform/magic-modules#17591). Said explicitly rather than omitted, so
                // the plan shows which of the two a stack asks for.
                desiredState: a.startMigration ? MIGRATION_STATES.running : MIGRATION_STATES.stopped,
            },
            { parent: this, protect },
        );
        this.migrationJobName = job.name;

        this.registerOutputs({
            instanceName: this.instanceName,
            connectionName: this.connectionName,
            migrationJobName: this.migrationJobName,
            replicationSecretArn: this.replicationSecretArn,
        });
    }
}

export type ResolvedCloudSqlReplicaArgs = CloudSqlReplicaArgs &
    Required<
        Pick<
            CloudSqlReplicaArgs,
            | "tier"
            | "highAvailability"
            | "diskSizeGb"
            | "backupRetentionDays"
            | "protect"
            | "sourcePort"
            | "replicationUsername"
            | "startMigration"
        >
    >;

export function resolveCloudSqlReplicaArgs(args: CloudSqlReplicaArgs): ResolvedCloudSqlReplicaArgs {
    const d = CLOUDSQL_REPLICA_DEFAULTS;
    return {
        ...args,
        tier: args.tier ?? d.tier,
        highAvailability: args.highAvailability ?? true,
        diskSizeGb: args.diskSizeGb ?? d.diskSizeGb,
        backupRetentionDays: args.backupRetentionDays ?? d.backupRetentionDays,
        protect: isProtected(args.protect),
        sourcePort: args.sourcePort ?? POSTGRES_PORT,
        replicationUsername: args.replicationUsername ?? d.replicationUsername,
        startMigration: args.startMigration ?? CLOUDSQL_REPLICA_DEFAULTS.startMigration,
    };
}

/** DMS resource ids: lowercase letters, digits and hyphens, starting with a letter. */
const DMS_ID = /^[a-z][a-z0-9-]{0,50}[a-z0-9]$/;

/** Automated backups Cloud SQL retains (`retainedBackups`), one a day. */
export const CLOUD_SQL_BACKUP_RETENTION_DAYS: WholeRange = { min: 1, max: 365 };

/** Throws one error listing every invalid argument. */
export function validateCloudSqlReplicaArgs(name: string, a: ResolvedCloudSqlReplicaArgs): void {
    const problems: string[] = [];
    if (!DMS_ID.test(`${name}-destination`)) {
        problems.push(
            `the component name is used in DMS ids and must be lowercase letters, digits and hyphens, start with ` +
                `a letter and be at most 40 characters; received ${JSON.stringify(name)}`,
        );
    }
    if (!/^db-[a-z0-9-]+$/.test(a.tier)) {
        problems.push(
            `tier must be a Cloud SQL machine tier such as "db-custom-2-7680"; received ${JSON.stringify(a.tier)}`,
        );
    }
    if (!Number.isInteger(a.diskSizeGb) || a.diskSizeGb < 10) {
        problems.push(`diskSizeGb must be a whole number of at least 10; received ${a.diskSizeGb}`);
    }
    if (!isWholeInRange(a.backupRetentionDays, CLOUD_SQL_BACKUP_RETENTION_DAYS)) {
        problems.push(
            `backupRetentionDays must be ${wholeRangeText(CLOUD_SQL_BACKUP_RETENTION_DAYS)}; received ${a.backupRetentionDays}`,
        );
    }
    if (!Number.isInteger(a.sourcePort) || a.sourcePort < 1 || a.sourcePort > 65535) {
        problems.push(`sourcePort must be a port number from 1 to 65535; received ${a.sourcePort}`);
    }
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(a.replicationUsername)) {
        problems.push(
            `replicationUsername must be at most 63 lowercase letters, digits or '_', not starting with a digit; ` +
                `received ${JSON.stringify(a.replicationUsername)}`,
        );
    }
    if (problems.length > 0) throw new Error(`CloudSqlReplica ${name}: ${problems.join("; ")}`);
}
