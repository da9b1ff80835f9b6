/**
 * Arguments, defaults and validation of the Pub/Sub bridge: pure, so every rule is tested without the
 * Pulumi runtime, and the component file keeps to the resources.
 */
import type * as pulumi from "@pulumi/pulumi";
import { SERVICE_NAME, SERVICE_NAME_TEXT } from "../catalog/limits";
import { logRetentionProblems } from "../shared/log-retention";
import { isProtected } from "../shared/protection";
import { duplicates } from "../shared/validation";
import { VERSIONS } from "../versions";
import { KAFKA_TOPIC_NAME } from "./kafka-settings";
import {
    keyRotationDaysProblems,
    pubsubTopicProblems,
    roleNameProblems,
    rotationPeriodStart,
    serviceAccountIdProblems,
} from "./pubsub-federation";

export const PUBSUB_BRIDGE_DEFAULTS = {
    /** Kafka Connect runtime of MSK Connect, pinned in versions.ts. */
    kafkaConnectVersion: VERSIONS.kafkaConnect,
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
    /** Google recommends rotating service-account keys at least every 90 days. */
    keyRotationDays: 90,
    /** Folder with the release jar(s) of aws-samples/msk-config-providers, fetched like the connector jar. */
    configProvidersPath: "vendor/msk-config-providers",
    /** Scale out when workers are busy, back in when idle. */
    scaleOutCpuPercent: 80,
    scaleInCpuPercent: 20,
} as const;

/** One Pub/Sub topic in the DR project and the Kafka topics mirrored into it (one connector each). */
export interface PubSubBridgeTopic {
    /** Pub/Sub topic name. */
    readonly name: string;
    /** Kafka topics the connector reads. @default [name] */
    readonly kafkaTopics?: readonly string[];
}

export interface PubSubBridgeArgs {
    /** What to mirror; each entry is a Pub/Sub topic, its dead-letter topic, a subscription and a connector. */
    readonly topics: readonly PubSubBridgeTopic[];
    /**
     * The Kafka topics the connectors read, by name (`KafkaTopics.topics`); every Kafka topic of `topics`
     * must be here. Each connector depends on its own: the cluster never creates a topic on first use, so
     * a connector started before its topic exists would fail.
     */
    readonly sourceTopics: Readonly<Record<string, pulumi.Resource>>;
    /**
     * Services that consume each bridged topic, by Pub/Sub topic name (the platform's: the catalog's
     * `subscribes.kafka`). Each gets its own DR subscription `<topic>-<service>`, set up like `<topic>-dr`.
     * @default none
     */
    readonly consumers?: Readonly<Record<string, readonly string[]>>;

    /** ARN of the MSK cluster (IAM authentication on). */
    readonly mskClusterArn: pulumi.Input<string>;
    /** The cluster's SASL/IAM bootstrap brokers. */
    readonly bootstrapBrokersSaslIam: pulumi.Input<string>;
    /**
     * Subnets of the connector workers: the app subnets, whose NAT gives them the egress to Google's APIs
     * (sts, iamcredentials and pubsub.googleapis.com on 443) that isolated subnets lack.
     */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Security groups of the workers: egress to the brokers on 9098 and to 443; the brokers must admit them. */
    readonly securityGroupIds: readonly pulumi.Input<string>[];
    /**
     * Local path of Google's Pub/Sub Kafka connector jar (`pubsub-group-kafka-connector-<version>.jar`,
     * a release asset of github.com/googleapis/java-pubsub-group-kafka-connector). The deploy fetches and
     * checksums the pinned release into this path; Pulumi uploads it, so a new jar is a reviewed diff.
     */
    readonly connectorJarPath: string;
    /**
     * Local folder with the jar(s) of AWS's config providers (a release of
     * github.com/aws-samples/msk-config-providers), packed into the plugin beside the connector jar so the
     * workers can resolve the Secrets Manager reference that stands for the sink key.
     * @default "vendor/msk-config-providers"
     */
    readonly configProvidersPath?: string;
    /** KMS key (ARN) of the plugin bucket; its policy must admit S3 (the platform's backups key does). */
    readonly pluginKmsKeyArn: pulumi.Input<string>;
    /**
     * KMS key (ARN) of the Secrets Manager secret that holds the sink key (the primary messaging key);
     * the connector role may decrypt with it only through Secrets Manager.
     */
    readonly credentialsKmsKeyArn: pulumi.Input<string>;
    /**
     * Days a service-account key of the sink lives: the first `pulumi up` in a new period (counted from
     * the Unix epoch) creates a new key, stores it, restarts the connectors on it and deletes the old
     * key. 1 to 365. @default 90
     */
    readonly keyRotationDays?: number;
    /** The time rotation periods are measured at. @default the time the program runs */
    readonly now?: Date;
    /** KMS key (ARN) of the worker log group; its policy must admit CloudWatch Logs. */
    readonly logsKmsKeyArn: pulumi.Input<string>;
    /** Retention of the worker log group. */
    readonly logRetentionInDays: number;
    /**
     * Name of the connectors' execution role. Fixed, because GCP trusts exactly this role's sessions.
     * @default `<component name>-connector`
     */
    readonly connectorRoleName?: string;
    /** MSK Connect's Kafka Connect version. @default "2.7.1" */
    readonly kafkaConnectVersion?: string;
    /** MSK Connect units per worker: 1, 2, 4 or 8. @default 1 */
    readonly mcuCount?: number;
    /** Autoscaling floor of workers per connector, 1 to 10. @default 1 */
    readonly minWorkerCount?: number;
    /** Autoscaling ceiling of workers per connector, up to 10. @default 2 */
    readonly maxWorkerCount?: number;
    /** `tasks.max` of each connector. @default 2 */
    readonly tasksMax?: number;

    /** GCP project of the DR side. */
    readonly gcpProject: string;
    /**
     * DR region: the only region the topics store messages in (publishes from AWS arrive at the global
     * endpoint and would otherwise be stored wherever is nearest), beside the regional messaging key.
     */
    readonly gcpRegion: string;
    /** Cloud KMS crypto key id of the topics (the DR messaging key); Pub/Sub's agent must be able to use it. */
    readonly gcpKmsKeyId: pulumi.Input<string>;
    /** Retention of topics and subscriptions, 600 to 2678400 seconds. @default 604800 (7 days) */
    readonly messageRetentionSeconds?: number;
    /** Deliveries before a message moves to the dead-letter topic, 5 to 100. @default 10 */
    readonly maxDeliveryAttempts?: number;
    /** Account id of the service account whose key the connectors use. @default `<component name>-sink` */
    readonly serviceAccountId?: string;
    /** Set `protect` on the topics, subscriptions and the plugin bucket. @default true */
    readonly protect?: boolean;
}

const MCU_COUNTS = [1, 2, 4, 8] as const;
const PUBSUB_RETENTION_SECONDS = { min: 600, max: 31 * 24 * 3600 } as const;

export interface PubSubBridgeSettings {
    readonly topics: readonly {
        name: string;
        kafkaTopics: readonly string[];
        connectorName: string;
        /** Services with a DR subscription of their own, in the order given. */
        consumers: readonly string[];
    }[];
    readonly connectorRoleName: string;
    readonly serviceAccountId: string;
    readonly configProvidersPath: string;
    readonly keyRotationDays: number;
    /** First day of the current rotation period (`YYYY-MM-DD`). */
    readonly keyPeriodStart: string;
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

/** The Pub/Sub subscription a consuming service pulls a bridged topic from in DR. */
export function serviceSubscriptionName(topic: string, service: string): string {
    return `${topic}-${service}`;
}

/**
 * Problems with the Kafka topics the connectors read and the services that consume in DR: every source
 * topic must be given as a resource, every consumer must name a bridged topic and a service, and no
 * subscription may take the name of another (`<topic>-dr` and `<topic>-dead-letter` are taken).
 */
export function bridgeTopicProblems(s: Pick<PubSubBridgeSettings, "topics">, args: PubSubBridgeArgs): string[] {
    const problems: string[] = [];
    const given = Object.keys(args.sourceTopics);
    const missing = [...new Set(s.topics.flatMap((t) => t.kafkaTopics))].filter((k) => !given.includes(k));
    if (missing.length > 0) {
        problems.push(
            `sourceTopics lacks the Kafka topic${missing.length === 1 ? "" : "s"} ${missing.join(", ")}; received ${given.join(", ") || "none"}. ` +
                "Pass the KafkaTopics component's topics, so that each connector waits for the topics it reads",
        );
    }
    const names = s.topics.map((t) => t.name);
    for (const [topic, services] of Object.entries(args.consumers ?? {})) {
        if (!names.includes(topic)) {
            problems.push(
                `consumers names ${JSON.stringify(topic)}, which is not a bridged topic; bridged: ${names.join(", ")}`,
            );
        }
        for (const service of services.filter((v) => !SERVICE_NAME.test(v))) {
            problems.push(
                `consumers.${topic}: ${JSON.stringify(service)} is not a service name (${SERVICE_NAME_TEXT})`,
            );
        }
    }
    const subscriptions = s.topics.flatMap((t) => [
        `${t.name}-dr`,
        `${t.name}-dead-letter`,
        ...t.consumers.map((c) => serviceSubscriptionName(t.name, c)),
    ]);
    const repeated = duplicates(subscriptions);
    if (repeated.length > 0) {
        problems.push(
            `consumers would create the Pub/Sub subscription${repeated.length === 1 ? "" : "s"} ${repeated.join(", ")} twice: ` +
                "every topic has <topic>-dr, <topic>-dead-letter and <topic>-<service> per consumer, so list each service once and none named dr or dead-letter",
        );
    }
    return problems;
}

/** Validates every argument at once and applies the defaults; throws one error naming every problem. */
export function pubSubBridgeSettings(name: string, args: PubSubBridgeArgs): PubSubBridgeSettings {
    const d = PUBSUB_BRIDGE_DEFAULTS;
    const s: PubSubBridgeSettings = {
        topics: args.topics.map((t) => ({
            name: t.name,
            kafkaTopics: t.kafkaTopics ?? [t.name],
            connectorName: connectorNameFor(name, t.name),
            consumers: [...(args.consumers?.[t.name] ?? [])],
        })),
        connectorRoleName: args.connectorRoleName ?? `${name}-connector`,
        serviceAccountId: args.serviceAccountId ?? `${name}-sink`,
        configProvidersPath: args.configProvidersPath ?? d.configProvidersPath,
        keyRotationDays: args.keyRotationDays ?? d.keyRotationDays,
        keyPeriodStart: "",
        kafkaConnectVersion: args.kafkaConnectVersion ?? d.kafkaConnectVersion,
        mcuCount: args.mcuCount ?? d.mcuCount,
        minWorkerCount: args.minWorkerCount ?? d.minWorkerCount,
        maxWorkerCount: args.maxWorkerCount ?? d.maxWorkerCount,
        tasksMax: args.tasksMax ?? d.tasksMax,
        messageRetentionSeconds: args.messageRetentionSeconds ?? d.messageRetentionSeconds,
        maxDeliveryAttempts: args.maxDeliveryAttempts ?? d.maxDeliveryAttempts,
        protect: isProtected(args.protect),
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
        ...bridgeTopicProblems(s, args),
        ...roleNameProblems("connectorRoleName", s.connectorRoleName),
        ...serviceAccountIdProblems("serviceAccountId", s.serviceAccountId),
        ...keyRotationDaysProblems("keyRotationDays", s.keyRotationDays),
    );
    if (!/^[a-z]+-[a-z]+[0-9]+$/.test(args.gcpRegion)) {
        problems.push(`gcpRegion must be a GCP region such as us-east4; received ${JSON.stringify(args.gcpRegion)}`);
    }
    if (!/\.jar$/.test(args.connectorJarPath)) {
        problems.push(
            `connectorJarPath must name the connector's .jar file; received ${JSON.stringify(args.connectorJarPath)}`,
        );
    }
    if (s.configProvidersPath.trim() === "")
        problems.push("configProvidersPath must name the config providers' folder");
    problems.push(...logRetentionProblems("logRetentionInDays", args.logRetentionInDays));
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
    return { ...s, keyPeriodStart: rotationPeriodStart(s.keyRotationDays, args.now ?? new Date()) };
}
