/**
 * Defaults and validation of the Pub/Sub bridge: pure, so every rule is tested without the Pulumi
 * runtime, and the component file keeps to the resources.
 */
import { KAFKA_TOPIC_NAME } from "./kafka-settings";
import type { PubSubBridgeArgs } from "./pubsub-bridge";
import { poolIdProblems, pubsubTopicProblems, roleNameProblems, serviceAccountIdProblems } from "./pubsub-federation";

export const PUBSUB_BRIDGE_DEFAULTS = {
    /**
     * Kafka Connect runtime of MSK Connect. A version pin: it belongs beside the others in versions.ts
     * once that module takes connector runtimes.
     */
    kafkaConnectVersion: "2.7.1",
    mcuCount: 1,
    minWorkerCount: 1,
    maxWorkerCount: 2,
    tasksMax: 2,
    /** Seven days on the DR side: a week to notice and replay a broken consumer. */
    messageRetentionSeconds: 7 * 24 * 3600,
    /** Attempts before Pub/Sub moves a message to the dead-letter topic (Pub/Sub allows 5 to 100). */
    maxDeliveryAttempts: 10,
    ackDeadlineSeconds: 60,
    retryMinimumBackoff: "10s",
    retryMaximumBackoff: "600s",
    workloadIdentityProviderId: "msk-connect",
    /** Scale out when workers are busy, back in when idle. */
    scaleOutCpuPercent: 80,
    scaleInCpuPercent: 20,
} as const;

const MCU_COUNTS = [1, 2, 4, 8] as const;
const PUBSUB_RETENTION_SECONDS = { min: 600, max: 31 * 24 * 3600 } as const;

export interface PubSubBridgeSettings {
    readonly topics: readonly { name: string; kafkaTopics: readonly string[]; connectorName: string }[];
    readonly connectorRoleName: string;
    readonly poolId: string;
    readonly serviceAccountId: string;
    readonly kafkaConnectVersion: string;
    readonly mcuCount: number;
    readonly minWorkerCount: number;
    readonly maxWorkerCount: number;
    readonly tasksMax: number;
    readonly messageRetentionSeconds: number;
    readonly maxDeliveryAttempts: number;
    readonly protect: boolean;
}

/** The MSK Connect connector of one topic: connector names take letters, digits and '-' only. */
export function connectorNameFor(bridgeName: string, topic: string): string {
    return `${bridgeName}-${topic.replace(/[^A-Za-z0-9-]/g, "-")}`;
}

/** Validates every argument at once and applies the defaults; throws one error naming every problem. */
export function pubSubBridgeSettings(name: string, args: PubSubBridgeArgs): PubSubBridgeSettings {
    const d = PUBSUB_BRIDGE_DEFAULTS;
    const s: PubSubBridgeSettings = {
        topics: args.topics.map((t) => ({
            name: t.name,
            kafkaTopics: t.kafkaTopics ?? [t.name],
            connectorName: connectorNameFor(name, t.name),
        })),
        connectorRoleName: args.connectorRoleName ?? `${name}-connector`,
        poolId: args.workloadIdentityPoolId ?? `${name}-aws`,
        serviceAccountId: args.serviceAccountId ?? `${name}-sink`,
        kafkaConnectVersion: args.kafkaConnectVersion ?? d.kafkaConnectVersion,
        mcuCount: args.mcuCount ?? d.mcuCount,
        minWorkerCount: args.minWorkerCount ?? d.minWorkerCount,
        maxWorkerCount: args.maxWorkerCount ?? d.maxWorkerCount,
        tasksMax: args.tasksMax ?? d.tasksMax,
        messageRetentionSeconds: args.messageRetentionSeconds ?? d.messageRetentionSeconds,
        maxDeliveryAttempts: args.maxDeliveryAttempts ?? d.maxDeliveryAttempts,
        protect: args.protect ?? true,
    };
    const problems: string[] = [];
    // The plugin bucket is auto-named from the component name: lowercase, and room for Pulumi's suffix.
    if (!/^[a-z0-9][a-z0-9-]{0,46}$/.test(name)) {
        problems.push(
            `the component name must be 1 to 47 lowercase letters, digits or '-' (it names the plugin bucket); received ${JSON.stringify(name)}`,
        );
    }
    if (s.topics.length === 0) problems.push("topics is empty; name at least one Pub/Sub topic to mirror into");
    const names = s.topics.map((t) => t.name);
    const connectors = s.topics.map((t) => t.connectorName);
    if (new Set(names).size !== names.length) problems.push(`topic names must be unique; received ${names.join(", ")}`);
    else if (new Set(connectors).size !== connectors.length) {
        problems.push(
            `topic names must stay distinct once . _ ~ + % become '-' in connector names; received ${names.join(", ")}`,
        );
    }
    for (const t of s.topics) {
        problems.push(...pubsubTopicProblems(t.name));
        if (t.kafkaTopics.length === 0) problems.push(`topic ${t.name} has no kafkaTopics; name at least one`);
        for (const k of t.kafkaTopics) {
            if (!KAFKA_TOPIC_NAME.test(k)) {
                problems.push(
                    `topic ${t.name}: Kafka topic names are 1 to 249 letters, digits, '.', '_' or '-'; received ${JSON.stringify(k)}`,
                );
            }
        }
    }
    problems.push(
        ...roleNameProblems("connectorRoleName", s.connectorRoleName),
        ...poolIdProblems("workloadIdentityPoolId", s.poolId),
        ...serviceAccountIdProblems("serviceAccountId", s.serviceAccountId),
    );
    if (!/^[a-z]+-[a-z]+[0-9]+$/.test(args.gcpRegion)) {
        problems.push(`gcpRegion must be a GCP region such as us-east4; received ${JSON.stringify(args.gcpRegion)}`);
    }
    if (!/\.jar$/.test(args.connectorJarPath)) {
        problems.push(
            `connectorJarPath must name the connector's .jar file (the plugin is registered as a JAR); received ${JSON.stringify(args.connectorJarPath)}`,
        );
    }
    if (!(MCU_COUNTS as readonly number[]).includes(s.mcuCount)) {
        problems.push(`mcuCount must be one of ${MCU_COUNTS.join(", ")}; received ${s.mcuCount}`);
    }
    const whole = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;
    if (!whole(s.minWorkerCount, 1, 10) || !whole(s.maxWorkerCount, s.minWorkerCount, 10)) {
        problems.push(
            `minWorkerCount and maxWorkerCount must be whole numbers with 1 <= min <= max <= 10; received ${s.minWorkerCount} and ${s.maxWorkerCount}`,
        );
    }
    if (!whole(s.tasksMax, 1, 1000))
        problems.push(`tasksMax must be a whole number from 1 to 1000; received ${s.tasksMax}`);
    const r = PUBSUB_RETENTION_SECONDS;
    if (!whole(s.messageRetentionSeconds, r.min, r.max)) {
        problems.push(
            `messageRetentionSeconds must be a whole number from ${r.min} (10 minutes) to ${r.max} (31 days); received ${s.messageRetentionSeconds}`,
        );
    }
    if (!whole(s.maxDeliveryAttempts, 5, 100)) {
        problems.push(`maxDeliveryAttempts must be a whole number from 5 to 100; received ${s.maxDeliveryAttempts}`);
    }
    if (problems.length > 0) throw new Error(`PubSubBridge ${name}: ${problems.join("; ")}`);
    return s;
}
