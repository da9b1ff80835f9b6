/**
 * Pure settings of a catalog service's own database: the engines a dedicated RDS instance runs, the
 * names a service's database and login get, the defaults and the rules the component arguments must
 * satisfy. No Pulumi here, so all of it is tested without the runtime.
 */
import { logRetentionProblems } from "../shared/log-retention";
import { isWholeInRange, wholeRangeText, type WholeRange } from "../shared/validation";
import { VERSIONS } from "../versions";
import { MAX_IDENTIFIER_LENGTH, RDS_IDENTIFIER, type ClusterParameter } from "./aurora-settings";

/** Engines of a dedicated instance (seed 003: PostgreSQL and MySQL). */
export const SERVICE_DATABASE_ENGINES = ["mysql", "postgres"] as const;
export type ServiceDatabaseEngine = (typeof SERVICE_DATABASE_ENGINES)[number];

/** Everything that differs between the engines of a dedicated instance. */
export interface RdsEngineSettings {
    readonly engine: ServiceDatabaseEngine;
    /** A major version: with `autoMinorVersionUpgrade` RDS takes it as a prefix (versions.ts). */
    readonly version: string;
    /** Parameter group family of that major version. */
    readonly family: string;
    readonly port: number;
    /** Parameters that make the server refuse plaintext connections. */
    readonly parameters: readonly ClusterParameter[];
    /** Logs exported to CloudWatch Logs, each into `/aws/rds/instance/<identifier>/<log>`. */
    readonly logExports: readonly string[];
}

export const RDS_ENGINE_SETTINGS: Readonly<Record<ServiceDatabaseEngine, RdsEngineSettings>> = {
    mysql: {
        engine: "mysql",
        version: VERSIONS.rdsMysql,
        family: `mysql${VERSIONS.rdsMysql}`,
        port: 3306,
        // Dynamic: the server refuses unencrypted connections from the moment the group is applied.
        parameters: [{ name: "require_secure_transport", value: "1", applyMethod: "immediate" }],
        logExports: ["error", "slowquery"],
    },
    postgres: {
        engine: "postgres",
        version: VERSIONS.rdsPostgres,
        family: `postgres${VERSIONS.rdsPostgres}`,
        port: 5432,
        parameters: [
            { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
            { name: "ssl_min_protocol_version", value: "TLSv1.2", applyMethod: "immediate" },
        ],
        logExports: ["postgresql", "upgrade"],
    },
};

/**
 * Characters a generated RDS password may hold besides letters and digits: RDS refuses '/', '"', '@'
 * and spaces in master passwords, and the same set keeps a PostgreSQL role password free of quoting.
 */
export const RDS_PASSWORD_SPECIALS = "!#$%^&*()-_=+[]{}<>:?";
/** 40 characters: within MySQL's 41-character master-password limit and PostgreSQL's 128. */
export const SERVICE_PASSWORD_LENGTH = 40;

/** A service name as an SQL identifier: DNS labels may hold '-', unquoted identifiers may not. */
export function sqlIdentifier(service: string): string {
    return service.replace(/-/g, "_");
}

/** The logical database of a service on the shared cluster, and the login role that owns it. */
export function serviceDatabaseNames(service: string): { readonly database: string; readonly role: string } {
    const id = sqlIdentifier(service);
    // `_app` keeps the role clear of reserved words (`user`, `order`) and of the database's own name.
    return { database: id, role: `${id}_app` };
}

/** Where RDS writes an exported log of an instance. */
export function rdsInstanceLogGroupName(identifier: string, log: string): string {
    return `/aws/rds/instance/${identifier}/${log}`;
}

/** RDS classes in general: `db.<family>.<size>`. The config validator checks the same form. */
export const RDS_INSTANCE_CLASS_FORM = /^db\.[a-z0-9]+\.[a-z0-9]+$/;

/** gp3 storage RDS for MySQL and PostgreSQL accept, GiB. */
export const RDS_GP3_STORAGE_GIB: WholeRange = { min: 20, max: 65536 };

/** Automated backups a dedicated instance keeps, days; 0 would turn backups off, so at least 1. */
export const RDS_INSTANCE_BACKUP_RETENTION_DAYS: WholeRange = { min: 1, max: 35 };

/** Days a deleted key (KMS) or secret (Secrets Manager) can stay recoverable: both take 7 to 30. */
export const RECOVERY_WINDOW_RANGE_DAYS: WholeRange = { min: 7, max: 30 };

/** Problems with a recovery window, or none. */
export function recoveryWindowProblems(days: number): string[] {
    return isWholeInRange(days, RECOVERY_WINDOW_RANGE_DAYS)
        ? []
        : [`recoveryWindowDays must be ${wholeRangeText(RECOVERY_WINDOW_RANGE_DAYS)}; received ${days}`];
}

/** Names PostgreSQL or RDS keep for themselves. */
const RESERVED_SQL_NAMES = ["postgres", "rdsadmin", "rdsrepladmin", "template0", "template1", "public"];

/** Problems with a service name as the source of SQL identifiers (database `<id>`, role `<id>_app`). */
export function serviceNameProblems(service: string): string[] {
    const id = sqlIdentifier(service);
    if (!/^[a-z][a-z0-9_]{0,58}$/.test(id)) {
        return [
            `service must be a lowercase DNS label of at most 59 characters starting with a letter; received ${JSON.stringify(service)}`,
        ];
    }
    if (RESERVED_SQL_NAMES.includes(id)) {
        return [
            `service ${JSON.stringify(service)} names a database PostgreSQL or RDS keeps for itself; rename the service`,
        ];
    }
    return [];
}

/** Problems with an identifier that names RDS instances and, with `-final`, their last snapshot. */
export function rdsIdentifierProblems(identifier: string): string[] {
    if (identifier.length > MAX_IDENTIFIER_LENGTH || !RDS_IDENTIFIER.test(identifier)) {
        return [
            `identifier must be lowercase letters, digits and single hyphens, start with a letter, end with a letter or ` +
                `digit and be at most ${MAX_IDENTIFIER_LENGTH} characters; received ${JSON.stringify(identifier)}`,
        ];
    }
    return [];
}

/** Defaults of a dedicated instance, applied in one place. */
export const SERVICE_RDS_DEFAULTS = {
    instanceClass: "db.t4g.micro",
    /** The least gp3 takes; storage autoscaling grows it up to `maxAllocatedStorageGib`. */
    allocatedStorageGib: 20,
    maxAllocatedStorageGib: 100,
    backupRetentionDays: 7,
    logRetentionDays: 365,
    /** `admin` and `rdsadmin` are taken by RDS on some engines; this name is free on both. */
    masterUsername: "dbadmin",
    /** UTC; ahead of the maintenance window, both at night in the primary region. */
    backupWindow: "03:00-04:00",
    maintenanceWindow: "sun:05:00-sun:06:00",
} as const;

/** The settings of a dedicated instance that the validator checks. */
export interface RdsInstanceSettings {
    readonly service: string;
    readonly identifier: string;
    readonly engine: string;
    readonly instanceClass: string;
    readonly allocatedStorageGib: number;
    readonly maxAllocatedStorageGib: number;
    readonly backupRetentionDays: number;
    readonly logRetentionDays: number;
    readonly recoveryWindowDays: number;
}

/** Throws one error listing every invalid argument of a dedicated instance. */
export function validateRdsInstanceSettings(name: string, s: RdsInstanceSettings): void {
    const problems = [...serviceNameProblems(s.service), ...rdsIdentifierProblems(s.identifier)];
    if (!(SERVICE_DATABASE_ENGINES as readonly string[]).includes(s.engine)) {
        problems.push(
            `engine must be one of ${SERVICE_DATABASE_ENGINES.join(", ")}; received ${JSON.stringify(s.engine)}`,
        );
    }
    if (!RDS_INSTANCE_CLASS_FORM.test(s.instanceClass)) {
        problems.push(
            `instanceClass must be an RDS class such as "db.t4g.micro"; received ${JSON.stringify(s.instanceClass)}`,
        );
    }
    if (!isWholeInRange(s.allocatedStorageGib, RDS_GP3_STORAGE_GIB)) {
        problems.push(
            `allocatedStorageGib must be ${wholeRangeText(RDS_GP3_STORAGE_GIB)} (gp3); received ${s.allocatedStorageGib}`,
        );
    } else if (
        !isWholeInRange(s.maxAllocatedStorageGib, RDS_GP3_STORAGE_GIB) ||
        s.maxAllocatedStorageGib < s.allocatedStorageGib
    ) {
        problems.push(
            `maxAllocatedStorageGib must be a whole number from allocatedStorageGib (${s.allocatedStorageGib}) to ` +
                `${RDS_GP3_STORAGE_GIB.max}; received ${s.maxAllocatedStorageGib}`,
        );
    }
    if (!isWholeInRange(s.backupRetentionDays, RDS_INSTANCE_BACKUP_RETENTION_DAYS)) {
        problems.push(
            `backupRetentionDays must be ${wholeRangeText(RDS_INSTANCE_BACKUP_RETENTION_DAYS)}; received ${s.backupRetentionDays}`,
        );
    }
    problems.push(...logRetentionProblems("logRetentionDays", s.logRetentionDays));
    problems.push(...recoveryWindowProblems(s.recoveryWindowDays));
    if (problems.length > 0) throw new Error(`ServiceRdsInstance ${name}: ${problems.join("; ")}`);
}
