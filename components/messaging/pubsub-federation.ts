/**
 * Pure pieces of the MSK -> Pub/Sub bridge: how GCP workload identity federation recognises the
 * connector's AWS role, the keyless credential configuration the connector reads, the connector's
 * settings and the least-privilege policy of its execution role.
 */
import { kafkaResourceArn } from "./kafka-settings";

/** Google's Pub/Sub sink connector for Kafka Connect. */
export const PUBSUB_SINK_CONNECTOR_CLASS = "com.google.pubsub.kafka.sink.CloudPubSubSinkConnector";

/** Pub/Sub's service agent; it moves undeliverable messages to dead-letter topics. */
export const PUBSUB_SERVICE_AGENT_DOMAIN = "gcp-sa-pubsub.iam.gserviceaccount.com";

/**
 * Google's default mapping for AWS providers, written out so that a change of that default cannot
 * silently change whom the condition and the principal set below admit. `attribute.aws_role` is the
 * assumed-role ARN without the session name: the same for every session the connector's workers start.
 */
export const AWS_ATTRIBUTE_MAPPING: Readonly<Record<string, string>> = {
    "google.subject": "assertion.arn",
    "attribute.aws_role":
        "assertion.arn.contains('assumed-role') ? assertion.arn.extract('{account_arn}assumed-role/') + 'assumed-role/' + assertion.arn.extract('assumed-role/{role_name}/') : assertion.arn",
};

/** How STS names a session of the role: what `attribute.aws_role` evaluates to. */
export function awsAssumedRoleArn(partition: string, accountId: string, roleName: string): string {
    return `arn:${partition}:sts::${accountId}:assumed-role/${roleName}`;
}

/** Admits only tokens of sessions of that one role; every other identity of the account is refused. */
export function wifAttributeCondition(assumedRoleArn: string): string {
    return `attribute.aws_role == "${assumedRoleArn}"`;
}

const poolPath = (projectNumber: string, poolId: string) =>
    `projects/${projectNumber}/locations/global/workloadIdentityPools/${poolId}`;

/** The audience a credential configuration presents: the full provider resource name. */
export function wifProviderAudience(projectNumber: string, poolId: string, providerId: string): string {
    return `//iam.googleapis.com/${poolPath(projectNumber, poolId)}/providers/${providerId}`;
}

/** Every federated identity of the pool whose `aws_role` is the connector's role. */
export function wifPrincipalSet(projectNumber: string, poolId: string, assumedRoleArn: string): string {
    return `principalSet://iam.googleapis.com/${poolPath(projectNumber, poolId)}/attribute.aws_role/${assumedRoleArn}`;
}

export interface CredentialConfigurationArgs {
    readonly audience: string;
    readonly serviceAccountEmail: string;
}

/**
 * An `external_account` credential configuration for AWS (what `gcloud iam workload-identity-pools
 * create-cred-config --aws` writes). It holds no secret: the Google auth library signs a
 * GetCallerIdentity request with the worker's own AWS credentials, exchanges it at Google STS and
 * impersonates the service account.
 */
export function externalAccountCredentials(a: CredentialConfigurationArgs): Record<string, unknown> {
    return {
        universe_domain: "googleapis.com",
        type: "external_account",
        audience: a.audience,
        subject_token_type: "urn:ietf:params:aws:token-type:aws4_request",
        service_account_impersonation_url: `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${a.serviceAccountEmail}:generateAccessToken`,
        token_url: "https://sts.googleapis.com/v1/token",
        credential_source: {
            environment_id: "aws1",
            region_url: "http://169.254.169.254/latest/meta-data/placement/availability-zone",
            url: "http://169.254.169.254/latest/meta-data/iam/security-credentials",
            regional_cred_verification_url:
                "https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15",
            imdsv2_session_token_url: "http://169.254.169.254/latest/api/token",
        },
    };
}

export interface SinkConnectorArgs {
    readonly kafkaTopics: readonly string[];
    readonly gcpProject: string;
    readonly pubsubTopic: string;
    readonly tasksMax: number;
    /** JSON of {@link externalAccountCredentials}. */
    readonly credentialsJson: string;
}

/** Kafka Connect properties of one sink connector (all values are strings, as Kafka Connect takes them). */
export function sinkConnectorConfiguration(a: SinkConnectorArgs): Record<string, string> {
    return {
        "connector.class": PUBSUB_SINK_CONNECTOR_CLASS,
        "tasks.max": String(a.tasksMax),
        topics: a.kafkaTopics.join(","),
        "cps.project": a.gcpProject,
        "cps.topic": a.pubsubTopic,
        "gcp.credentials.json": a.credentialsJson,
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
    readonly region: string;
}

/**
 * What the connectors may do, and nothing else: connect to this one cluster, read the bridged topics,
 * use their own consumer groups and MSK Connect's internal topics and groups, and read the plugin.
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
        ],
    };
}

const POOL_ID = /^[a-z0-9-]{4,32}$/;
const SERVICE_ACCOUNT_ID = /^[a-z]([-a-z0-9]{4,28}[a-z0-9])$/;
const PUBSUB_TOPIC = /^[A-Za-z][A-Za-z0-9._~+%-]{2,199}$/;
const ROLE_NAME = /^[A-Za-z0-9+=,.@_-]{1,64}$/;

export function poolIdProblems(key: string, id: string): string[] {
    return POOL_ID.test(id) && !id.startsWith("gcp-")
        ? []
        : [
              `${key} must be 4 to 32 lowercase letters, digits or '-', not starting with "gcp-"; received ${JSON.stringify(id)}`,
          ];
}

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
