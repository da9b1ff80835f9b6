/**
 * Pure Kafka and MSK rules: broker placement, replication settings, broker properties and the ARNs
 * of Kafka resources that IAM policies name. The MSK and Pub/Sub bridge components and their tests
 * share them.
 */

/** MSK spreads brokers evenly over two or three AZs; any other count is rejected by the API. */
export const MSK_AZ_COUNTS = [2, 3] as const;

/**
 * MSK Standard broker types, `kafka.<family>.<size>` (Express brokers, `express.*`, have no EBS volume to
 * size). The config validator checks the same form before its closed list.
 */
export const MSK_STANDARD_BROKER_TYPE_FORM = /^kafka\.[a-z0-9]+\.[a-z0-9]+$/;

/**
 * Regions where MSK takes fewer AZ counts: in US West (N. California) the brokers' client subnets must be
 * exactly two (AWS::MSK::Cluster BrokerNodeGroupInfo, ClientSubnets:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-msk-cluster-brokernodegroupinfo.html).
 */
export const MSK_REGION_AZ_COUNTS: Readonly<Record<string, readonly number[]>> = { "us-west-1": [2] };

/** Port of the SASL/IAM listener over TLS: the only listener the platform's clusters enable. */
export const KAFKA_IAM_PORT = 9098;

/** EBS volume limits per Standard broker, GiB. */
export const MSK_VOLUME_GIB = { min: 1, max: 16384 } as const;

/** Target utilization MSK storage autoscaling accepts, percent. */
export const MSK_STORAGE_TARGET_PERCENT = { min: 10, max: 80 } as const;

export const MSK_ENHANCED_MONITORING = [
    "DEFAULT",
    "PER_BROKER",
    "PER_TOPIC_PER_BROKER",
    "PER_TOPIC_PER_PARTITION",
] as const;
export type MskEnhancedMonitoring = (typeof MSK_ENHANCED_MONITORING)[number];

export interface KafkaReplication {
    /** `default.replication.factor`: copies of every partition of a new topic. */
    readonly replicationFactor: number;
    /** `min.insync.replicas`: copies an `acks=all` write must reach before it is acknowledged. */
    readonly minInSyncReplicas: number;
}

/**
 * Three copies where there are three brokers; one fewer in-sync replica than copies, so that
 * `acks=all` producers keep writing while MSK patches or replaces one broker at a time.
 */
export function defaultReplication(brokerCount: number): KafkaReplication {
    const replicationFactor = Math.min(3, brokerCount);
    return { replicationFactor, minInSyncReplicas: Math.max(1, replicationFactor - 1) };
}

/** Problems with a replication choice for a cluster of `brokerCount` brokers. */
export function replicationProblems(brokerCount: number, r: KafkaReplication): string[] {
    const problems: string[] = [];
    const rf = r.replicationFactor;
    if (!Number.isInteger(rf) || rf < 1 || rf > brokerCount) {
        problems.push(
            `defaultReplicationFactor must be a whole number from 1 to the broker count (${brokerCount}); received ${rf}`,
        );
    } else if (!Number.isInteger(r.minInSyncReplicas) || r.minInSyncReplicas < 1 || r.minInSyncReplicas > rf) {
        problems.push(
            `minInSyncReplicas must be a whole number from 1 to the replication factor (${rf}); received ${r.minInSyncReplicas}`,
        );
    } else if (rf > 1 && r.minInSyncReplicas === rf) {
        problems.push(
            `minInSyncReplicas (${r.minInSyncReplicas}) must be below the replication factor (${rf}): otherwise acks=all ` +
                `producers stop whenever MSK restarts a broker for patching; use ${rf - 1}`,
        );
    }
    return problems;
}

/**
 * Broker properties of the cluster configuration. Topics are created deliberately (by their owners'
 * tooling), never by a typo in a consumer; an out-of-sync replica never becomes leader, because that
 * silently loses acknowledged writes.
 */
export function serverProperties(r: KafkaReplication): string {
    return [
        "auto.create.topics.enable=false",
        `default.replication.factor=${r.replicationFactor}`,
        `min.insync.replicas=${r.minInSyncReplicas}`,
        "unclean.leader.election.enable=false",
    ]
        .map((line) => `${line}\n`)
        .join("");
}

/** Kinds of Kafka resources MSK IAM access control names in ARNs. */
export type KafkaResourceKind = "topic" | "group" | "transactional-id";

/**
 * ARN of a topic, consumer group or transactional id of an MSK cluster:
 * `arn:<p>:kafka:<region>:<account>:cluster/<name>/<uuid>` becomes `…:<kind>/<name>/<uuid>/<resource>`.
 */
export function kafkaResourceArn(clusterArn: string, kind: KafkaResourceKind, resource: string): string {
    const m = /^(arn:[^:]+:kafka:[^:]*:[^:]*:)cluster\/([^/]+\/[^/]+)$/.exec(clusterArn);
    if (!m) throw new Error(`not an MSK cluster ARN: ${JSON.stringify(clusterArn)}`);
    return `${m[1]}${kind}/${m[2]}/${resource}`;
}

/**
 * ARN of a consumer group, `arn:<p>:kafka:<region>:<account>:group/<cluster name>/<cluster uuid>/<group>`: the
 * resource `kafka-cluster:DescribeGroup` and `AlterGroup` name (MSK IAM access control, "Authorization
 * policy resources": https://docs.aws.amazon.com/msk/latest/developerguide/kafka-actions.html). A catalog
 * service's consumer group is named after the service.
 */
export function kafkaGroupArn(clusterArn: string, group: string): string {
    return kafkaResourceArn(clusterArn, "group", group);
}

/** Kafka topic names: letters, digits, '.', '_' and '-', at most 249 characters. */
export const KAFKA_TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
