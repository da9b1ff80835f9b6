/**
 * Arguments, defaults and validation of `KafkaTopics`: pure, so every rule is tested without the Pulumi
 * runtime. The partition and retention limits are the catalog's own (`components/catalog/limits.ts`), so
 * a topic the catalog validator accepts is one the component creates.
 */
import type * as pulumi from "@pulumi/pulumi";
import { KAFKA_PARTITIONS, KAFKA_RETENTION_HOURS } from "../catalog/limits";
import { isProtected } from "../shared/protection";
import { duplicates, isWholeInRange, runRules, wholeRangeText, type Rule } from "../shared/validation";
import { defaultReplication, KAFKA_TOPIC_NAME } from "./kafka-settings";

/** One topic: its name, partitions and how long it keeps records. */
export interface KafkaTopicSpec {
    /** Kafka topic name: 1 to 249 letters, digits, '.', '_' or '-' (not "." or ".."). */
    readonly name: string;
    /** Partitions, 1 to 256. Kafka can add partitions later, never remove them. */
    readonly partitions: number;
    /** Hours a record is kept (`retention.ms`), 1 to 2160 (90 days). */
    readonly retentionHours: number;
}

export interface KafkaTopicsArgs {
    /** ARN of the MSK Provisioned cluster (Kafka 3.6.0 or later) that holds the topics. */
    readonly clusterArn: pulumi.Input<string>;
    /** The topics, in the order they are created; the platform's come from the catalog's `publishes.kafka`. */
    readonly topics: readonly KafkaTopicSpec[];
    /** Brokers of the cluster (`MskCluster.numberOfBrokerNodes`): no topic can have more copies. */
    readonly brokerCount: number;
    /**
     * Copies of every partition; pass the cluster's `replication.replicationFactor` so that topics and the
     * broker configuration agree. @default the broker count, at most 3
     */
    readonly replicationFactor?: number;
    /**
     * `min.insync.replicas` of every topic: copies an `acks=all` write must reach, below the replication
     * factor. @default replication factor - 1, at least 1
     */
    readonly minInSyncReplicas?: number;
    /** Set `protect` on the topics (they hold the records): Pulumi then refuses to delete them. @default true */
    readonly protect?: boolean;
}

/** A topic as the component creates it. */
export interface KafkaTopicSettings extends KafkaTopicSpec {
    /** The topic configuration, as the JSON object `aws.msk.Topic.configs` takes. */
    readonly configs: string;
}

/** The arguments with every default applied. */
export interface KafkaTopicsSettings {
    readonly topics: readonly KafkaTopicSettings[];
    readonly replicationFactor: number;
    readonly minInSyncReplicas: number;
    readonly protect: boolean;
}

const HOUR_MS = 3600 * 1000;

/**
 * The topic-level configuration: records are deleted after the retention (never compacted: these are
 * event streams), and `acks=all` writes need `minInSyncReplicas` copies. Values are strings, as Kafka's
 * config API takes them.
 */
export function topicConfigs(retentionHours: number, minInSyncReplicas: number): string {
    return JSON.stringify({
        "retention.ms": String(retentionHours * HOUR_MS),
        "cleanup.policy": "delete",
        "min.insync.replicas": String(minInSyncReplicas),
    });
}

/** Kafka refuses "." and "..", and a name that differs from another only in '.' versus '_' (metric names collide). */
const legalName = (name: unknown): name is string =>
    typeof name === "string" && KAFKA_TOPIC_NAME.test(name) && name !== "." && name !== "..";
const metricName = (name: string) => name.replace(/\./g, "_");

/** What the rules judge: the topics, and the replication with its defaults applied. */
interface Subject {
    readonly topics: readonly KafkaTopicSpec[];
    readonly brokerCount: number;
    readonly replicationFactor: number;
    readonly minInSyncReplicas: number;
}

/** The replication factor is judged against the broker count; the in-sync rules only against a valid one. */
const validFactor = (s: Subject) =>
    s.brokerCount >= 1 && isWholeInRange(s.replicationFactor, { min: 1, max: s.brokerCount });

function topicRules(t: KafkaTopicSpec, i: number): Rule<Subject>[] {
    const key = `topics[${i}]`;
    return [
        {
            key: `${key}.name`,
            check: () => legalName(t.name),
            message: () =>
                `${key}.name must be a legal Kafka topic name: 1 to 249 letters, digits, '.', '_' or '-', not "." or ".."; received ${JSON.stringify(t.name)}`,
        },
        {
            key: `${key}.partitions`,
            check: () => isWholeInRange(t.partitions, KAFKA_PARTITIONS),
            message: () => `${key}.partitions must be ${wholeRangeText(KAFKA_PARTITIONS)}; received ${t.partitions}`,
        },
        {
            key: `${key}.retentionHours`,
            check: () => isWholeInRange(t.retentionHours, KAFKA_RETENTION_HOURS),
            message: () =>
                `${key}.retentionHours must be ${wholeRangeText(KAFKA_RETENTION_HOURS)} (90 days); received ${t.retentionHours}`,
        },
    ];
}

const RULES: readonly Rule<Subject>[] = [
    {
        key: "topics",
        check: (s) => duplicates(s.topics.map((t) => t.name)).length === 0,
        message: (s) =>
            `topics names ${duplicates(s.topics.map((t) => t.name)).join(", ")} more than once; each topic is created by one entry`,
    },
    {
        key: "topics",
        // Only distinct names can collide; a repeated name is reported above.
        check: (s) => {
            const names = [...new Set(s.topics.map((t) => t.name).filter(legalName))];
            return duplicates(names.map(metricName)).length === 0;
        },
        message: (s) => {
            const names = [...new Set(s.topics.map((t) => t.name).filter(legalName))];
            const clashing = duplicates(names.map(metricName));
            return `topics ${names.filter((n) => clashing.includes(metricName(n))).join(" and ")} differ only in '.' versus '_', which Kafka refuses (their metric names collide); rename one`;
        },
    },
    {
        key: "brokerCount",
        check: (s) => Number.isInteger(s.brokerCount) && s.brokerCount >= 1,
        message: (s) => `brokerCount must be a whole number of at least 1; received ${s.brokerCount}`,
    },
    {
        key: "replicationFactor",
        check: (s) => !(Number.isInteger(s.brokerCount) && s.brokerCount >= 1) || validFactor(s),
        message: (s) =>
            `replicationFactor must be a whole number from 1 to the broker count (${s.brokerCount}); received ${s.replicationFactor}`,
    },
    {
        key: "minInSyncReplicas",
        check: (s) => !validFactor(s) || isWholeInRange(s.minInSyncReplicas, { min: 1, max: s.replicationFactor }),
        message: (s) =>
            `minInSyncReplicas must be a whole number from 1 to the replication factor (${s.replicationFactor}); received ${s.minInSyncReplicas}`,
    },
    {
        key: "minInSyncReplicas",
        check: (s) => !validFactor(s) || s.replicationFactor === 1 || s.minInSyncReplicas !== s.replicationFactor,
        message: (s) =>
            `minInSyncReplicas (${s.minInSyncReplicas}) must be below the replication factor (${s.replicationFactor}): ` +
            `otherwise acks=all producers stop whenever MSK restarts a broker for patching; use ${s.replicationFactor - 1}`,
    },
];

/** Validates every argument at once and applies the defaults; throws one error naming every problem. */
export function kafkaTopicsSettings(name: string, args: KafkaTopicsArgs): KafkaTopicsSettings {
    const defaults = defaultReplication(args.brokerCount);
    const replicationFactor = args.replicationFactor ?? defaults.replicationFactor;
    const minInSyncReplicas = args.minInSyncReplicas ?? Math.max(1, replicationFactor - 1);
    const subject: Subject = {
        topics: args.topics,
        brokerCount: args.brokerCount,
        replicationFactor,
        minInSyncReplicas,
    };
    const rules = [...args.topics.flatMap(topicRules), ...RULES];
    const problems = runRules(subject, rules).map((p) => p.message);
    if (problems.length > 0) throw new Error(`KafkaTopics ${name}: ${problems.join("; ")}`);
    return {
        topics: args.topics.map((t) => ({ ...t, configs: topicConfigs(t.retentionHours, minInSyncReplicas) })),
        replicationFactor,
        minInSyncReplicas,
        protect: isProtected(args.protect),
    };
}
