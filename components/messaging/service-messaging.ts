import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    busNameProblems,
    consumingServices,
    type EventRoute,
    eventRuleArn,
    filterPolicy,
    queuePolicyDocument,
    routeProblems,
    type ServiceSubscription,
    subscriptionProblems,
} from "./messaging-routes";

export const SERVICE_MESSAGING_DEFAULTS = {
    /** Five failed receives: enough for transient faults, few enough that a poison message parks quickly. */
    maxReceiveCount: 5,
    /** Four days, SQS's own default. */
    messageRetentionSeconds: 4 * 24 * 3600,
    /**
     * Fourteen days, the SQS maximum. A moved message keeps its original enqueue time, so a dead-letter
     * queue must keep messages longer than its source or they expire on arrival.
     */
    deadLetterRetentionSeconds: 14 * 24 * 3600,
    visibilityTimeoutSeconds: 30,
    /** Five minutes: SQS's default, a fair trade between KMS calls and key-use granularity. */
    kmsDataKeyReusePeriodSeconds: 300,
    /** Long polling: fewer empty receives, lower cost and latency. */
    receiveWaitTimeSeconds: 20,
} as const;

const SQS_RETENTION = { min: 60, max: 1209600 } as const;

/** The EventBridge routes that will deliver into the queues (built by the EventBus component). */
export interface ServiceMessagingEventBus {
    /** Name of the custom bus; must equal the `busName` the EventBus component is given. */
    readonly name: string;
    /** Routes of that bus (the platform's are in `catalog/messaging.ts`). */
    readonly routes: readonly EventRoute[];
}

export interface ServiceMessagingArgs {
    /** Customer-managed KMS key (ARN) of topics and queues: the messaging key, whose policy admits SNS and EventBridge. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Domain topics (the platform's are in `catalog/messaging.ts`). */
    readonly topics: readonly string[];
    /** Service subscriptions to the topics (the platform's are in `catalog/messaging.ts`). */
    readonly subscriptions: readonly ServiceSubscription[];
    /** EventBridge rules that deliver into the queues; their ARNs are admitted by the queue policies. @default none */
    readonly eventBus?: ServiceMessagingEventBus;
    /** Receives before a message moves to the service's dead-letter queue, 1 to 1000. @default 5 */
    readonly maxReceiveCount?: number;
    /** Retention of the service queues, 60 to 1209600 seconds. @default 345600 (4 days) */
    readonly messageRetentionSeconds?: number;
    /** Retention of the dead-letter queues, longer than `messageRetentionSeconds`. @default 1209600 (14 days) */
    readonly deadLetterRetentionSeconds?: number;
    /** Visibility timeout of the service queues, 0 to 43200 seconds. @default 30 */
    readonly visibilityTimeoutSeconds?: number;
}

/** A service's queue and its dead-letter queue. */
export interface ServiceQueue {
    readonly arn: pulumi.Output<string>;
    readonly url: pulumi.Output<string>;
    readonly deadLetterArn: pulumi.Output<string>;
    readonly deadLetterUrl: pulumi.Output<string>;
}

/**
 * SNS domain topics and one SQS queue per consuming service, every queue with its own dead-letter
 * queue, all encrypted with the messaging key. Subscriptions filter on `event_type`. Each queue has
 * exactly one policy, admitting only the topics it subscribes to and the EventBridge rules that target
 * it: SQS keeps one policy per queue, so the component that owns the queue writes the whole policy,
 * and the rules are named up front (`eventBus`) instead of being asked for after they exist.
 */
export class ServiceMessaging extends pulumi.ComponentResource {
    /** Topic ARNs by domain topic name: what publishers need. */
    public readonly topicArns: Readonly<Record<string, pulumi.Output<string>>>;
    /** Queues by consuming service. */
    public readonly queues: Readonly<Record<string, ServiceQueue>>;
    /** Consuming services, sorted. */
    public readonly services: readonly string[];

    constructor(name: string, args: ServiceMessagingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:messaging:ServiceMessaging", name, {}, opts);
        const s = serviceMessagingSettings(name, args);
        this.services = consumingServices(s.subscriptions, s.routes);

        const topics = Object.fromEntries(
            s.topics.map((topic) => [
                topic,
                new aws.sns.Topic(`${name}-${topic}`, { kmsMasterKeyId: args.kmsKeyArn }, { parent: this }),
            ]),
        );
        this.topicArns = Object.fromEntries(Object.entries(topics).map(([t, topic]) => [t, topic.arn]));

        const ruleArnsOf = this.ruleArns(s);
        const queues: Record<string, ServiceQueue> = {};
        for (const service of this.services) {
            const subscriptions = s.subscriptions.filter((sub) => sub.service === service);
            const sources = {
                topicArns: pulumi.all(subscriptions.map((sub) => topics[sub.topic].arn)),
                ruleArns: ruleArnsOf(service),
            };
            const encryption = {
                kmsMasterKeyId: args.kmsKeyArn,
                kmsDataKeyReusePeriodSeconds: SERVICE_MESSAGING_DEFAULTS.kmsDataKeyReusePeriodSeconds,
            };
            const dlq = new aws.sqs.Queue(
                `${name}-${service}-dlq`,
                { ...encryption, messageRetentionSeconds: s.deadLetterRetentionSeconds },
                { parent: this },
            );
            const queue = new aws.sqs.Queue(
                `${name}-${service}`,
                {
                    ...encryption,
                    messageRetentionSeconds: s.messageRetentionSeconds,
                    visibilityTimeoutSeconds: s.visibilityTimeoutSeconds,
                    receiveWaitTimeSeconds: SERVICE_MESSAGING_DEFAULTS.receiveWaitTimeSeconds,
                    redrivePolicy: pulumi.jsonStringify({
                        deadLetterTargetArn: dlq.arn,
                        maxReceiveCount: s.maxReceiveCount,
                    }),
                },
                { parent: this },
            );
            // Only this service's queue may park messages here, so a redrive always goes back where they came from.
            new aws.sqs.RedriveAllowPolicy(
                `${name}-${service}-dlq`,
                {
                    queueUrl: dlq.url,
                    redriveAllowPolicy: pulumi.jsonStringify({
                        redrivePermission: "byQueue",
                        sourceQueueArns: [queue.arn],
                    }),
                },
                { parent: this },
            );
            // The dead-letter queue takes the same sources: SNS redrives undeliverable messages to it, and
            // EventBridge targets name it as their dead-letter queue.
            const policies = [
                { suffix: "", q: queue },
                { suffix: "-dlq", q: dlq },
            ].map(
                ({ suffix, q }) =>
                    new aws.sqs.QueuePolicy(
                        `${name}-${service}${suffix}`,
                        {
                            queueUrl: q.url,
                            policy: pulumi
                                .all([q.arn, sources.topicArns, sources.ruleArns])
                                .apply(([arn, topicArns, ruleArns]) =>
                                    JSON.stringify(queuePolicyDocument(arn, { topicArns, ruleArns })),
                                ),
                        },
                        { parent: this },
                    ),
            );
            for (const sub of subscriptions) {
                new aws.sns.TopicSubscription(
                    `${name}-${service}-${sub.topic}`,
                    {
                        topic: topics[sub.topic].arn,
                        protocol: "sqs",
                        endpoint: queue.arn,
                        rawMessageDelivery: true,
                        filterPolicy: filterPolicy(sub.eventTypes),
                        filterPolicyScope: "MessageAttributes",
                        redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: dlq.arn }),
                    },
                    // Subscribing before the policy admits the topic would drop the first messages.
                    { parent: this, dependsOn: policies },
                );
            }
            queues[service] = { arn: queue.arn, url: queue.url, deadLetterArn: dlq.arn, deadLetterUrl: dlq.url };
        }
        this.queues = queues;

        this.registerOutputs({ topicArns: this.topicArns, queues: this.queues });
    }

    /** ARNs of the rules that will target each service, derived from the bus name and routes. */
    private ruleArns(s: ServiceMessagingSettings): (service: string) => pulumi.Output<string[]> {
        if (!s.busName) return () => pulumi.output([]);
        const busName = s.busName;
        const invokeOpts = { parent: this };
        const ctx = pulumi
            .all([
                aws.getCallerIdentityOutput({}, invokeOpts).accountId,
                aws.getPartitionOutput({}, invokeOpts).partition,
                aws.getRegionOutput({}, invokeOpts).region,
            ])
            .apply(([accountId, partition, region]) => ({ accountId, partition, region }));
        return (service) =>
            ctx.apply((c) =>
                s.routes.filter((r) => r.service === service).map((r) => eventRuleArn(c, busName, r.detailType)),
            );
    }
}

export interface ServiceMessagingSettings {
    readonly topics: readonly string[];
    readonly subscriptions: readonly ServiceSubscription[];
    readonly busName?: string;
    readonly routes: readonly EventRoute[];
    readonly maxReceiveCount: number;
    readonly messageRetentionSeconds: number;
    readonly deadLetterRetentionSeconds: number;
    readonly visibilityTimeoutSeconds: number;
}

/** Validates every argument at once and applies the defaults; throws one error naming every problem. */
export function serviceMessagingSettings(name: string, args: ServiceMessagingArgs): ServiceMessagingSettings {
    const d = SERVICE_MESSAGING_DEFAULTS;
    const s: ServiceMessagingSettings = {
        topics: args.topics,
        subscriptions: args.subscriptions,
        busName: args.eventBus?.name,
        routes: args.eventBus?.routes ?? [],
        maxReceiveCount: args.maxReceiveCount ?? d.maxReceiveCount,
        messageRetentionSeconds: args.messageRetentionSeconds ?? d.messageRetentionSeconds,
        deadLetterRetentionSeconds: args.deadLetterRetentionSeconds ?? d.deadLetterRetentionSeconds,
        visibilityTimeoutSeconds: args.visibilityTimeoutSeconds ?? d.visibilityTimeoutSeconds,
    };
    const problems = subscriptionProblems(s.topics, s.subscriptions);
    if (s.busName !== undefined) {
        problems.push(...busNameProblems("eventBus.name", s.busName), ...routeProblems(s.busName, s.routes));
    }
    if (s.subscriptions.length === 0 && s.routes.length === 0) {
        problems.push("there is no subscription and no event route, so there would be no queue; add subscriptions");
    }
    const whole = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;
    if (!whole(s.maxReceiveCount, 1, 1000)) {
        problems.push(`maxReceiveCount must be a whole number from 1 to 1000; received ${s.maxReceiveCount}`);
    }
    for (const [key, v] of [
        ["messageRetentionSeconds", s.messageRetentionSeconds],
        ["deadLetterRetentionSeconds", s.deadLetterRetentionSeconds],
    ] as const) {
        if (!whole(v, SQS_RETENTION.min, SQS_RETENTION.max)) {
            problems.push(
                `${key} must be a whole number from ${SQS_RETENTION.min} to ${SQS_RETENTION.max}; received ${v}`,
            );
        }
    }
    if (s.deadLetterRetentionSeconds <= s.messageRetentionSeconds) {
        problems.push(
            `deadLetterRetentionSeconds (${s.deadLetterRetentionSeconds}) must exceed messageRetentionSeconds ` +
                `(${s.messageRetentionSeconds}): a dead-lettered message keeps its original enqueue time and would expire on arrival`,
        );
    }
    if (!whole(s.visibilityTimeoutSeconds, 0, 43200)) {
        problems.push(
            `visibilityTimeoutSeconds must be a whole number from 0 to 43200; received ${s.visibilityTimeoutSeconds}`,
        );
    }
    if (problems.length > 0) throw new Error(`ServiceMessaging ${name}: ${problems.join("; ")}`);
    return s;
}
