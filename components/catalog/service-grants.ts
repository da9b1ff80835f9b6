/**
 * The IAM policy of one catalog service's role: each action named, each resource an exact ARN, one
 * statement per grant the service has. Pure over resolved strings (`serviceRolePolicy`), with an Output
 * wrapper (`serviceRolePolicyDocument`) for ARNs that come from other resources.
 *
 * Actions and resources are from the Service Authorization Reference
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html):
 * SQS list_amazonsqs.html, SNS list_amazonsns.html, EventBridge list_amazoneventbridge.html, Secrets Manager
 * list_awssecretsmanager.html, DynamoDB list_amazondynamodb.html, ElastiCache list_amazonelasticache.html, MSK
 * list_apachekafkaapisforamazonmskclusters.html.
 *
 * KMS: the queues, topics and tables are encrypted with purpose keys whose key policies already admit this
 * account's principals through those services (`kms:ViaService`, see `security/key-purposes.ts`), so only
 * the secrets' key, which the service decrypts through Secrets Manager, is granted here, as asked.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PolicyDocument } from "../shared/iam";

/** What one service may do on AWS, by resource; `S` is `pulumi.Input<string>` or, resolved, `string`. */
export interface ServiceAwsGrantsOf<S> {
    /** The queue it consumes, and that queue's dead-letter queue. @default none */
    readonly queue?: { readonly arn: S; readonly deadLetterArn: S };
    /** SNS topics it publishes to. @default none */
    readonly publishTopicArns?: readonly S[];
    /** The EventBridge bus it puts events on, only with these detail types and this source. @default none */
    readonly events?: { readonly busArn: S; readonly detailTypes: readonly string[]; readonly source: string };
    /**
     * Its MSK cluster (IAM access control): topics it produces to and consumes from (topic ARNs,
     * `arn:aws:kafka:<region>:<account>:topic/<cluster>/<uuid>/<topic>`), and its consumer group (group ARN,
     * `.../group/<cluster>/<uuid>/<group>`), required when it consumes. @default none
     */
    readonly kafka?: {
        readonly clusterArn: S;
        readonly produceTopicArns?: readonly S[];
        readonly consumeTopicArns?: readonly S[];
        readonly groupArn?: S;
    };
    /** Secrets it reads, each with the KMS key (ARN) that encrypts it. @default none */
    readonly secrets?: readonly { readonly arn: S; readonly kmsKeyArn: S }[];
    /**
     * DynamoDB tables it reads and writes item by item. A global secondary index it queries is a resource of
     * its own (`<table ARN>/index/<name>`): list it here too. @default none
     */
    readonly dynamoTableArns?: readonly S[];
    /** The ElastiCache replication group it connects to with IAM auth, as this ElastiCache user. @default none */
    readonly cache?: { readonly replicationGroupArn: S; readonly userArn: S };
}

export type ServiceAwsGrants = ServiceAwsGrantsOf<pulumi.Input<string>>;
export type ResolvedServiceAwsGrants = ServiceAwsGrantsOf<string>;

/** Every action a service role can be given, by grant: the whole vocabulary of this file. */
export const SERVICE_GRANT_ACTIONS = {
    /** Long-poll, delete after processing, extend the visibility timeout, read the depth. */
    queue: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
    /** Look at parked messages and the depth; deleting or redriving them is an operator's decision. */
    deadLetter: ["sqs:ReceiveMessage", "sqs:GetQueueAttributes"],
    publish: ["sns:Publish"],
    events: ["events:PutEvents"],
    kafkaConnect: ["kafka-cluster:Connect"],
    /**
     * Kafka clients from 3.0.1 are idempotent producers by default, and MSK's IAM authorizer then asks for
     * this cluster action (https://docs.aws.amazon.com/msk/latest/developerguide/kafka-actions.html;
     * https://github.com/tulios/kafkajs/issues/1623).
     */
    kafkaIdempotentWrite: ["kafka-cluster:WriteDataIdempotently"],
    kafkaProduce: ["kafka-cluster:WriteData", "kafka-cluster:DescribeTopic"],
    kafkaConsume: ["kafka-cluster:ReadData", "kafka-cluster:DescribeTopic"],
    kafkaGroup: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"],
    secrets: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
    secretsKey: ["kms:Decrypt"],
    /** Item reads and writes; no Scan: reading a whole table is a batch job's, not a request path's. */
    dynamodb: [
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:ConditionCheckItem",
    ],
    /** https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html: the group and the user, both. */
    cache: ["elasticache:Connect"],
} as const;

const json = (v: unknown) => JSON.stringify(v);
const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** Problems with the shape of the grants, each naming its key; values that are Outputs are not judged. */
export function serviceAwsGrantsProblems(g: ServiceAwsGrants, key = "grants"): string[] {
    const problems: string[] = [];
    if (g.events) {
        if (g.events.detailTypes.length === 0)
            problems.push(`${key}.events.detailTypes must name at least one detail type; received []`);
        if (typeof g.events.source !== "string" || g.events.source.length === 0)
            problems.push(
                `${key}.events.source must be the events' source, such as "platform.order"; received ${json(g.events.source)}`,
            );
    }
    if (g.kafka) {
        const produce = g.kafka.produceTopicArns?.length ?? 0;
        const consume = g.kafka.consumeTopicArns?.length ?? 0;
        if (produce + consume === 0)
            problems.push(`${key}.kafka must produce to or consume from at least one topic; both lists are empty`);
        if (consume > 0 && g.kafka.groupArn === undefined)
            problems.push(
                `${key}.kafka.groupArn is required when consumeTopicArns are given: consumers commit offsets in their group`,
            );
    }
    return problems;
}

/** True when the grants give at least one statement (IAM refuses a policy with an empty Statement list). */
export function hasServiceGrants(g: ServiceAwsGrants): boolean {
    return (
        g.queue !== undefined ||
        (g.publishTopicArns?.length ?? 0) > 0 ||
        g.events !== undefined ||
        g.kafka !== undefined ||
        (g.secrets?.length ?? 0) > 0 ||
        (g.dynamoTableArns?.length ?? 0) > 0 ||
        g.cache !== undefined
    );
}

/** The region of a KMS key ARN (`arn:<partition>:kms:<region>:<account>:key/<id>`), or a thrown error naming it. */
export function kmsKeyRegion(keyArn: string): string {
    const m = /^arn:[^:]+:kms:([a-z0-9-]+):\d{12}:key\/.+$/.exec(keyArn);
    if (!m)
        throw new Error(
            `secrets' kmsKeyArn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>); received ${json(keyArn)}`,
        );
    return m[1];
}

type Statement = Record<string, unknown>;

const allow = (
    sid: string,
    actions: readonly string[],
    resources: readonly string[],
    condition?: object,
): Statement => ({
    Sid: sid,
    Effect: "Allow",
    Action: [...actions],
    Resource: unique(resources),
    ...(condition ? { Condition: condition } : {}),
});

/** The statements of the grants, in a fixed order with stable Sids; empty when there is nothing to grant. */
export function serviceRoleStatements(g: ResolvedServiceAwsGrants): Statement[] {
    const a = SERVICE_GRANT_ACTIONS;
    const s: Statement[] = [];
    if (g.queue) {
        s.push(allow("ConsumeQueue", a.queue, [g.queue.arn]));
        s.push(allow("InspectDeadLetterQueue", a.deadLetter, [g.queue.deadLetterArn]));
    }
    if (g.publishTopicArns && g.publishTopicArns.length > 0)
        s.push(allow("PublishTopics", a.publish, g.publishTopicArns));
    if (g.events) {
        // events:source and events:detail-type are PutEvents' own condition keys
        // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-conditions.html): the service can put
        // only its own events on the bus, and cannot pass itself off as another source.
        s.push(
            allow("PutOwnEvents", a.events, [g.events.busArn], {
                StringEquals: {
                    "events:source": [g.events.source],
                    "events:detail-type": unique(g.events.detailTypes),
                },
            }),
        );
    }
    if (g.kafka) {
        const produce = g.kafka.produceTopicArns ?? [];
        const consume = g.kafka.consumeTopicArns ?? [];
        const clusterActions = [...a.kafkaConnect, ...(produce.length > 0 ? a.kafkaIdempotentWrite : [])];
        s.push(allow("KafkaCluster", clusterActions, [g.kafka.clusterArn]));
        if (produce.length > 0) s.push(allow("KafkaProduce", a.kafkaProduce, produce));
        if (consume.length > 0) s.push(allow("KafkaConsume", a.kafkaConsume, consume));
        if (consume.length > 0 && g.kafka.groupArn !== undefined)
            s.push(allow("KafkaConsumerGroup", a.kafkaGroup, [g.kafka.groupArn]));
    }
    if (g.secrets && g.secrets.length > 0) {
        s.push(
            allow(
                "ReadSecrets",
                a.secrets,
                g.secrets.map((x) => x.arn),
            ),
        );
        const keys = unique(g.secrets.map((x) => x.kmsKeyArn));
        // Only through Secrets Manager: the role cannot call Decrypt on the key with ciphertext of its own.
        const via = unique(keys.map((k) => `secretsmanager.${kmsKeyRegion(k)}.amazonaws.com`));
        s.push(allow("DecryptSecrets", a.secretsKey, keys, { StringEquals: { "kms:ViaService": via } }));
    }
    if (g.dynamoTableArns && g.dynamoTableArns.length > 0) s.push(allow("TableItems", a.dynamodb, g.dynamoTableArns));
    if (g.cache) s.push(allow("CacheConnect", a.cache, [g.cache.replicationGroupArn, g.cache.userArn]));
    return s;
}

/** The role policy document, or undefined when the grants give nothing (then no RolePolicy is made). */
export function serviceRolePolicy(g: ResolvedServiceAwsGrants): PolicyDocument | undefined {
    const statements = serviceRoleStatements(g);
    return statements.length === 0 ? undefined : { Version: "2012-10-17", Statement: statements };
}

/**
 * The role policy as JSON once every ARN is known, or undefined when the grants give nothing. Whether there
 * is a policy depends only on which grants are present, so it is decided before any ARN resolves.
 */
export function serviceRolePolicyDocument(g: ServiceAwsGrants): pulumi.Output<string> | undefined {
    if (!hasServiceGrants(g)) return undefined;
    return pulumi
        .output(g)
        .apply((resolved) => JSON.stringify(serviceRolePolicy(resolved as ResolvedServiceAwsGrants)));
}
