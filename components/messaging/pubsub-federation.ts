/**
 * Pure pieces of the MSK -> Pub/Sub bridge: how the connector finds its Google credentials (a
 * service-account key in Secrets Manager, resolved by MSK Connect's config provider), the connector's
 * settings and the least-privilege policy of its execution role.
 *
 * Why a key and not workload identity federation: Google's auth library reads AWS credentials for an
 * `external_account` (AWS) configuration only from the `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`
 * environment variables or the EC2 instance metadata service (googleapis/google-auth-library-java
 * AwsCredentials, PRs #483 and #1100), and MSK Connect documents neither for connectors: its workers get
 * the service execution role's credentials, which AWS's own config providers read through the AWS SDK
 * (docs.aws.amazon.com/msk/latest/developerguide/msk-connect-service-execution-role.html,
 * github.com/aws-samples/msk-config-providers, "Access Management"). So the federation path cannot be
 * shown to work there, and the key path, which MSK Connect documents, is used instead.
 */
import { kafkaResourceArn } from "./kafka-settings";
import { isWholeInRange, wholeRangeText, type WholeRange } from "../shared/validation";

/** Google's Pub/Sub sink connector for Kafka Connect. */
export const PUBSUB_SINK_CONNECTOR_CLASS = "com.google.pubsub.kafka.sink.CloudPubSubSinkConnector";

/** Pub/Sub's service agent; it moves undeliverable messages to dead-letter topics. */
export const PUBSUB_SERVICE_AGENT_DOMAIN = "gcp-sa-pubsub.iam.gserviceaccount.com";

/**
 * AWS's config provider for Secrets Manager (github.com/aws-samples/msk-config-providers), the one the
 * MSK Connect tutorial uses (docs.aws.amazon.com/msk/latest/developerguide/msk-connect-config-provider.html).
 * Its jar ships inside the custom plugin, beside the connector.
 */
export const SECRETS_MANAGER_CONFIG_PROVIDER = {
    name: "secretsmanager",
    className: "com.amazonaws.kafka.config.providers.SecretsManagerConfigProvider",
} as const;

/**
 * Worker properties: byte-for-byte converters (the sink forwards Kafka records unchanged) and the
 * Secrets Manager config provider. Config providers are declared on the workers and referenced by the
 * connectors (Kafka Connect validates connector configurations against the workers' providers).
 */
export function workerProperties(region: string): string {
    const p = `config.providers.${SECRETS_MANAGER_CONFIG_PROVIDER.name}`;
    return [
        "key.converter=org.apache.kafka.connect.storage.StringConverter",
        "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter",
        `config.providers=${SECRETS_MANAGER_CONFIG_PROVIDER.name}`,
        `${p}.class=${SECRETS_MANAGER_CONFIG_PROVIDER.className}`,
        `${p}.param.region=${region}`,
        "",
    ].join("\n");
}

/**
 * `${secretsmanager:<arn>:<field>}`: what the connector configuration holds instead of the key. Kafka's
 * reference syntax splits on ':', so the ARN is URL-encoded, which the provider decodes
 * (msk-config-providers README).
 */
export function secretReference(secretArn: string, field: string): string {
    return `\${${SECRETS_MANAGER_CONFIG_PROVIDER.name}:${encodeURIComponent(secretArn)}:${field}}`;
}

/** Days a sink key lives before the next `pulumi up` replaces it. */
export const KEY_ROTATION_DAYS: WholeRange = { min: 1, max: 365 };

const DAY_MS = 24 * 3600 * 1000;

/**
 * The first day (UTC, `YYYY-MM-DD`) of the rotation period `now` falls in; periods are counted from the
 * Unix epoch, so every run in a period gets the same answer and the first run in the next one a new one.
 */
export function rotationPeriodStart(rotationDays: number, now: Date): string {
    const period = rotationDays * DAY_MS;
    return new Date(Math.floor(now.getTime() / period) * period).toISOString().slice(0, 10);
}

/**
 * The field of the credentials secret that holds the key of one rotation period. Naming the period in
 * the field puts it in the connector's configuration, so a rotation changes the connector, which then
 * re-reads the secret, before Pulumi deletes the replaced key.
 */
export function credentialsField(periodStart: string): string {
    return `key-${periodStart}`;
}

export function keyRotationDaysProblems(key: string, days: number): string[] {
    return isWholeInRange(days, KEY_ROTATION_DAYS)
        ? []
        : [`${key} must be ${wholeRangeText(KEY_ROTATION_DAYS)}; received ${days}`];
}

export interface SinkConnectorArgs {
    readonly kafkaTopics: readonly string[];
    readonly gcpProject: string;
    readonly pubsubTopic: string;
    readonly tasksMax: number;
    /** {@link secretReference} of the sink key: the only form the key takes in the configuration. */
    readonly credentialsReference: string;
}

/** Kafka Connect properties of one sink connector (all values are strings, as Kafka Connect takes them). */
export function sinkConnectorConfiguration(a: SinkConnectorArgs): Record<string, string> {
    return {
        "connector.class": PUBSUB_SINK_CONNECTOR_CLASS,
        "tasks.max": String(a.tasksMax),
        topics: a.kafkaTopics.join(","),
        "cps.project": a.gcpProject,
        "cps.topic": a.pubsubTopic,
        // Google's connector reads a credentials file's JSON from here (ConnectorCredentialsProvider);
        // the workers resolve the reference when the connector starts.
        "gcp.credentials.json": a.credentialsReference,
        // MSK Connect otherwise restarts connectors that use a config provider frequently (the config
        // provider page above); a rotation changes the reference, which restarts the connector anyway.
        "config.action.reload": "none",
        // Topic, partition and offset as attributes: the DR side can de-duplicate and trace every message.
        "metadata.publish": "true",
        "headers.publish": "true",
    };
}

/** Kafka Connect's consumer group of a sink connector. */
export function sinkConsumerGroup(connectorName: string): string {
    return `connect-${connectorName}`;
}

export interface TrustPolicyArgs {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
    readonly connectorNames: readonly string[];
}

/**
 * MSK Connect may assume the role only on behalf of these connectors of this account: the source
 * conditions keep another account's connector from borrowing it (the confused-deputy problem).
 */
export function connectorTrustPolicy(a: TrustPolicyArgs): Record<string, unknown> {
    const prefix = `arn:${a.partition}:kafkaconnect:${a.region}:${a.accountId}:connector`;
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: "kafkaconnect.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: {
                    StringEquals: { "aws:SourceAccount": a.accountId },
                    ArnLike: { "aws:SourceArn": a.connectorNames.map((n) => `${prefix}/${n}/*`) },
                },
            },
        ],
    };
}

export interface ExecutionPolicyArgs {
    readonly clusterArn: string;
    readonly kafkaTopics: readonly string[];
    readonly connectorNames: readonly string[];
    /** `arn:…:s3:::bucket/key` of the plugin object. */
    readonly pluginObjectArn: string;
    /** Key that encrypts the plugin bucket. */
    readonly pluginKeyArn: string;
    /** The Secrets Manager secret with the sink key. */
    readonly credentialsSecretArn: string;
    /** Key that encrypts that secret. */
    readonly credentialsKeyArn: string;
    readonly region: string;
}

/**
 * What the connectors may do, and nothing else: connect to this one cluster, read the bridged topics,
 * use their own consumer groups and MSK Connect's internal topics and groups, read the plugin, and read
 * the one secret with the sink key (decrypting it only through Secrets Manager).
 */
export function connectorExecutionPolicy(a: ExecutionPolicyArgs): Record<string, unknown> {
    const arn = (kind: "topic" | "group", name: string) => kafkaResourceArn(a.clusterArn, kind, name);
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ConnectToCluster",
                Effect: "Allow",
                Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"],
                Resource: a.clusterArn,
            },
            {
                Sid: "ReadBridgedTopics",
                Effect: "Allow",
                Action: ["kafka-cluster:ReadData", "kafka-cluster:DescribeTopic"],
                Resource: a.kafkaTopics.map((t) => arn("topic", t)),
            },
            {
                Sid: "MskConnectInternalTopics",
                Effect: "Allow",
                Action: [
                    "kafka-cluster:CreateTopic",
                    "kafka-cluster:WriteData",
                    "kafka-cluster:ReadData",
                    "kafka-cluster:DescribeTopic",
                ],
                Resource: arn("topic", "__amazon_msk_connect_*"),
            },
            {
                Sid: "ConsumerGroups",
                Effect: "Allow",
                Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"],
                Resource: [
                    arn("group", "__amazon_msk_connect_*"),
                    ...a.connectorNames.map((n) => arn("group", sinkConsumerGroup(n))),
                ],
            },
            {
                Sid: "ReadPlugin",
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:GetObjectVersion"],
                Resource: a.pluginObjectArn,
            },
            {
                Sid: "DecryptPlugin",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: a.pluginKeyArn,
                Condition: { StringEquals: { "kms:ViaService": `s3.${a.region}.amazonaws.com` } },
            },
            {
                Sid: "ReadSinkCredentials",
                Effect: "Allow",
                Action: "secretsmanager:GetSecretValue",
                Resource: a.credentialsSecretArn,
            },
            {
                Sid: "DecryptSinkCredentials",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: a.credentialsKeyArn,
                Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${a.region}.amazonaws.com` } },
            },
        ],
    };
}

const SERVICE_ACCOUNT_ID = /^[a-z]([-a-z0-9]{4,28}[a-z0-9])$/;
const PUBSUB_TOPIC = /^[A-Za-z][A-Za-z0-9._~+%-]{2,199}$/;
const ROLE_NAME = /^[A-Za-z0-9+=,.@_-]{1,64}$/;

export function serviceAccountIdProblems(key: string, id: string): string[] {
    return SERVICE_ACCOUNT_ID.test(id)
        ? []
        : [
              `${key} must be 6 to 30 lowercase letters, digits or '-', starting with a letter and not ending with '-'; received ${JSON.stringify(id)}`,
          ];
}

export function pubsubTopicProblems(name: string): string[] {
    return PUBSUB_TOPIC.test(name) && !name.toLowerCase().startsWith("goog")
        ? []
        : [
              `Pub/Sub topic names must be 3 to 200 characters, start with a letter, use letters, digits and . _ ~ + % - only, and not start with "goog"; received ${JSON.stringify(name)}`,
          ];
}

export function roleNameProblems(key: string, name: string): string[] {
    return ROLE_NAME.test(name)
        ? []
        : [`${key} must be 1 to 64 letters, digits or + = , . @ _ -; received ${JSON.stringify(name)}`];
}
