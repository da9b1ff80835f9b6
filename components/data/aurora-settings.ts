/**
 * Pure settings of the Aurora PostgreSQL global database: the cluster parameter group, where the
 * instances go, and the rules its arguments must satisfy. No Pulumi here, so all of it is tested
 * without the runtime.
 */
import { parseCidr } from "../shared/cidr";
import type { WholeRange } from "../shared/validation";
import { VERSIONS } from "../versions";

export const AURORA_ENGINE = "aurora-postgresql" as const;
export const POSTGRES_PORT = 5432;

/** The cluster parameter group family of an Aurora PostgreSQL version: `16.6` -> `aurora-postgresql16`. */
export function auroraFamily(engineVersion: string = VERSIONS.auroraPostgres): string {
    const major = /^(\d+)(?:\.\d+)*$/.exec(engineVersion)?.[1];
    if (!major) throw new Error(`not an Aurora PostgreSQL version: ${JSON.stringify(engineVersion)}`);
    return `${AURORA_ENGINE}${major}`;
}

export interface ClusterParameter {
    readonly name: string;
    readonly value: string;
    readonly applyMethod: "immediate" | "pending-reboot";
}

/**
 * Parameters every cluster of the global database carries, the secondary too, so that a promoted
 * secondary still refuses plaintext and can still feed the GCP replica.
 */
export const AURORA_CLUSTER_PARAMETERS: readonly ClusterParameter[] = [
    // Plaintext connections are refused by the server, whatever the client asks for.
    { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
    { name: "ssl_min_protocol_version", value: "TLSv1.2", applyMethod: "immediate" },
    // Logical decoding for GCP Database Migration Service; static, so it waits for a reboot.
    { name: "rds.logical_replication", value: "1", applyMethod: "pending-reboot" },
    // pglogical carries the DMS continuous migration; pg_stat_statements is kept because replacing
    // the list would otherwise drop it.
    { name: "shared_preload_libraries", value: "pg_stat_statements,pglogical", applyMethod: "pending-reboot" },
];

/** The AZ of each instance: the writer in the first zone, then round-robin over the zones. */
export function instanceZones(zones: readonly string[], instanceCount: number): string[] {
    return Array.from({ length: instanceCount }, (_, i) => zones[i % zones.length]);
}

/** Instance classes an Aurora global database accepts: memory-optimized ones only. */
export const GLOBAL_DATABASE_INSTANCE_CLASS = /^db\.(r\d+[a-z]*|x\d+[a-z]*)\.[0-9a-z]+$/;

/**
 * Readers beside the writer in the primary region. A global database allows 15 - s Aurora Replicas in its
 * primary cluster, s being the number of secondary regions; the platform plans for one secondary region.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.configuration.requirements.html
 */
export const AURORA_READER_COUNT: WholeRange = { min: 0, max: 14 };

/** Automated backup retention RDS accepts for an Aurora cluster, days. */
export const AURORA_BACKUP_RETENTION_DAYS: WholeRange = { min: 1, max: 35 };

/** Values Performance Insights accepts for its retention: 7, any multiple of 31 up to 713, or 731. */
export function validPerformanceInsightsRetention(days: number): boolean {
    return days === 7 || days === 731 || (Number.isInteger(days) && days % 31 === 0 && days >= 31 && days <= 713);
}

export const ENHANCED_MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60] as const;

/** Length of the longest allowed region name with its dash, suffixed to cluster identifiers. */
const REGION_SUFFIX_MAX = "-ap-northeast-3".length;
/** Longest identifier that still leaves room for `-<region>-final` in a 63-character snapshot name. */
export const MAX_IDENTIFIER_LENGTH = 63 - REGION_SUFFIX_MAX - "-final".length;

export const RDS_IDENTIFIER = /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;

/** Problems with a list of CIDRs admitted to the database: each must parse, none may be the whole internet. */
export function allowedCidrProblems(key: string, cidrs: readonly string[]): string[] {
    const problems: string[] = [];
    cidrs.forEach((c, i) => {
        const parsed = parseCidr(c);
        if (!parsed) problems.push(`${key}[${i}] must be an IPv4 CIDR; received ${JSON.stringify(c)}`);
        else if (parsed.prefix === 0)
            problems.push(
                `${key}[${i}] admits the whole internet (${c}); name the app subnets and peer ranges instead`,
            );
    });
    return problems;
}
