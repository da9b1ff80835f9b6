/**
 * Sizing: every limit here is the constant of the component that enforces it, so config and component
 * cannot disagree; prod refuses a topology that weakens durability unless the stack says so explicitly.
 */
import { AURORA_BACKUP_RETENTION_DAYS, AURORA_READER_COUNT } from "../../components/data/aurora-settings";
import { CLOUD_SQL_BACKUP_RETENTION_DAYS } from "../../components/data/cloudsql-replica";
import { ELASTICACHE_SNAPSHOT_RETENTION_DAYS } from "../../components/data/elasticache";
import { defaultReplication, MSK_AZ_COUNTS, MSK_REGION_AZ_COUNTS } from "../../components/messaging/kafka-settings";
import { MSK_CLUSTER_DEFAULTS } from "../../components/messaging/msk-cluster";
import { MAX_AZ_SLOTS } from "../../components/network/subnet-plan";
import { intersectRanges, isWholeInRange, LOG_RETENTION_DAYS, type WholeRange } from "../../components/shared";
import { NAT_GATEWAY_STRATEGIES, SIZING_DEFAULTS, type Environment } from "../schema";
import { instanceTypeRules } from "./instance-types";
import {
    booleanRule,
    choiceRule,
    isObject,
    list,
    objectRule,
    setCommand,
    unknownKeyRules,
    valueRule,
    wholeRule,
    type ConfigRule,
    type ConfigView,
} from "./rule";

/** AZ counts every consumer takes: MSK spreads brokers over 2 or 3; AwsNetwork carves 2 to MAX_AZ_SLOTS. */
export const AZ_COUNT = intersectRanges(
    { min: Math.min(...MSK_AZ_COUNTS), max: Math.max(...MSK_AZ_COUNTS) },
    { min: 2, max: MAX_AZ_SLOTS },
)!;

/**
 * Backup retention feeds Aurora, Cloud SQL and the ElastiCache snapshots: the days all three take. Prod
 * keeps at least a week: a shorter window is not a sizing choice but data loss.
 */
export const BACKUP_RETENTION_DAYS = intersectRanges(
    AURORA_BACKUP_RETENTION_DAYS,
    CLOUD_SQL_BACKUP_RETENTION_DAYS,
    ELASTICACHE_SNAPSHOT_RETENTION_DAYS,
)!;
export const PROD_MIN_BACKUP_RETENTION_DAYS = 7;

/** What prod's Kafka keeps: three copies, and acks=all writes on two of them (kafka-settings.ts). */
export const PROD_KAFKA_REPLICATION = { replicationFactor: 3, minInSyncReplicas: 2 } as const;

/** The optional sizing keys that are not sizes: the documented escape hatches. */
export const SIZING_SWITCHES = ["allowUnlistedInstanceTypes", "allowReducedDurability"] as const;

const backupRange = (view: ConfigView): WholeRange =>
    view.environment === "prod"
        ? intersectRanges(BACKUP_RETENTION_DAYS, { min: PROD_MIN_BACKUP_RETENTION_DAYS, max: Infinity })!
        : BACKUP_RETENTION_DAYS;

/** The replication Kafka gets from `azCount` AZs with the MSK component's default brokers per AZ. */
function kafkaReplication(azCount: number) {
    return defaultReplication(azCount * MSK_CLUSTER_DEFAULTS.brokersPerAvailabilityZone);
}

function durabilityRule(): ConfigRule {
    const key = "sizing.availabilityZoneCount";
    return valueRule(
        key,
        (v, view) =>
            view.environment !== "prod" ||
            !isWholeInRange(v, AZ_COUNT) ||
            (isObject(view.raw.sizing) && view.raw.sizing.allowReducedDurability === true) ||
            kafkaReplication(v).replicationFactor >= PROD_KAFKA_REPLICATION.replicationFactor,
        (v) => {
            const r = kafkaReplication(v as number);
            return {
                what:
                    `gives prod Kafka replication factor ${r.replicationFactor} and min.insync.replicas ${r.minInSyncReplicas}, ` +
                    `below the ${PROD_KAFKA_REPLICATION.replicationFactor} and ${PROD_KAFKA_REPLICATION.minInSyncReplicas} prod keeps`,
                allowed: `3 in prod, or fewer with sizing.allowReducedDurability: true to accept the weaker durability`,
                fix: `${setCommand(key, "3")}, or accept it with ${setCommand("sizing.allowReducedDurability", "true")}`,
            };
        },
    );
}

function regionAzRule(): ConfigRule {
    const key = "sizing.availabilityZoneCount";
    const allowedIn = (view: ConfigView) => {
        const region = isObject(view.raw.aws) ? view.raw.aws.primaryRegion : undefined;
        return typeof region === "string" ? { region, counts: MSK_REGION_AZ_COUNTS[region] } : undefined;
    };
    return valueRule(
        key,
        (v, view) =>
            !isWholeInRange(v, AZ_COUNT) ||
            !allowedIn(view)?.counts ||
            (allowedIn(view)!.counts as readonly unknown[]).includes(v),
        (_v, view) => {
            const { region, counts } = allowedIn(view)!;
            return {
                what: `is more AZs than MSK uses in ${region} (aws.primaryRegion)`,
                allowed: `${list(counts!)} in ${region}, where MSK takes exactly that many client subnets`,
                fix: `${setCommand(key, String(counts![0]))}, or choose another aws.primaryRegion`,
            };
        },
    );
}

export function sizingRules(view: ConfigView): ConfigRule[] {
    const rules = [objectRule("sizing", "optional sizing overrides", false)];
    const raw = view.raw.sizing;
    if (raw !== undefined && !isObject(raw)) return rules;
    // Every other sizing default depends on the environment; its own rule reports it when invalid.
    if (!view.environment) return rules;
    const env: Environment = view.environment;
    const defaults = SIZING_DEFAULTS[env];
    rules.push(
        ...unknownKeyRules("sizing", raw ?? {}, [...Object.keys(defaults), ...SIZING_SWITCHES]),
        wholeRule("sizing.availabilityZoneCount", AZ_COUNT, () => 3),
        regionAzRule(),
        durabilityRule(),
        choiceRule("sizing.natGateways", NAT_GATEWAY_STRATEGIES),
        valueRule(
            "sizing.logRetentionDays",
            (v) => (LOG_RETENTION_DAYS as readonly unknown[]).includes(v),
            () => ({
                what: "is not a retention CloudWatch Logs accepts",
                allowed: `one of ${list(LOG_RETENTION_DAYS)}`,
                fix: setCommand("sizing.logRetentionDays", "365"),
            }),
        ),
        wholeRule("sizing.backupRetentionDays", backupRange, () => defaults.backupRetentionDays),
        wholeRule("sizing.databaseReaderCount", AURORA_READER_COUNT, () => defaults.databaseReaderCount),
        ...instanceTypeRules(view),
    );
    for (const s of SIZING_SWITCHES) if (isObject(raw) && s in raw) rules.push(booleanRule(`sizing.${s}`));
    return rules;
}
