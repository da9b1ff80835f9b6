/**
 * Who hears which event: the shapes of subscriptions and EventBridge routes (the platform's own live
 * in `catalog/messaging.ts`), and the names, ARNs and queue policies derived from them. ServiceMessaging and EventBus both build from these, which is what lets the queue policies
 * name the exact EventBridge rules before the rules exist.
 */

/** One service's subscription to one domain topic, narrowed to the event types it handles. */
export interface ServiceSubscription {
    /** Consuming service (its queue is `<component>-<service>`). */
    readonly service: string;
    /** Domain topic, one of the component's topics. */
    readonly topic: string;
    /** Values of the `event_type` message attribute the service receives. */
    readonly eventTypes: readonly string[];
}

/** An EventBridge rule on the platform bus: events of one `detail-type` go to one service's queue. */
export interface EventRoute {
    readonly detailType: string;
    readonly service: string;
}

/** The message attribute publishers set and subscriptions filter on. */
export const EVENT_TYPE_ATTRIBUTE = "event_type";

const SERVICE_NAME = /^[a-z][a-z0-9-]{0,29}$/;
const TOPIC_NAME = /^[a-z][a-z0-9-]{0,59}$/;
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
/** Custom bus names are more permissive; this is what the derived archive and rule names can carry. */
const BUS_NAME = /^[A-Za-z0-9._-]+$/;
/** Archive names are at most 48 characters and the archive is `<bus>-archive`. */
export const MAX_BUS_NAME_LENGTH = 40;
const MAX_RULE_NAME_LENGTH = 64;

/** Consuming services: every service with a subscription or a route, sorted for stable child order. */
export function consumingServices(
    subscriptions: readonly ServiceSubscription[],
    routes: readonly EventRoute[],
): string[] {
    return [...new Set([...subscriptions.map((s) => s.service), ...routes.map((r) => r.service)])].sort();
}

/** SNS subscription filter on the `event_type` message attribute. */
export function filterPolicy(eventTypes: readonly string[]): string {
    return JSON.stringify({ [EVENT_TYPE_ATTRIBUTE]: [...eventTypes] });
}

/** EventBridge pattern that matches one `detail-type`. */
export function eventPattern(detailType: string): string {
    return JSON.stringify({ "detail-type": [detailType] });
}

/** `OrderPlaced` -> `order-placed`. */
export function kebab(s: string): string {
    return s
        .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
        .replace(/[^A-Za-z0-9]+/g, "-")
        .toLowerCase();
}

/** Rule names are explicit so that queue policies can name a rule's ARN before it exists. */
export function eventRuleName(busName: string, detailType: string): string {
    return `${busName}-${kebab(detailType)}`;
}

export interface AwsAccountContext {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
}

/** ARN of a rule on a custom bus: the bus name is part of it. */
export function eventRuleArn(ctx: AwsAccountContext, busName: string, detailType: string): string {
    return `arn:${ctx.partition}:events:${ctx.region}:${ctx.accountId}:rule/${busName}/${eventRuleName(busName, detailType)}`;
}

export interface QueueSources {
    /** SNS topics that deliver to the queue (subscriptions, or their redrive to a dead-letter queue). */
    readonly topicArns: readonly string[];
    /** EventBridge rules that target the queue (or use it as their target's dead-letter queue). */
    readonly ruleArns: readonly string[];
}

/**
 * Queue policy that admits exactly the given topics and rules, each service principal only with its
 * own source ARNs, and refuses any request without TLS.
 */
export function queuePolicyDocument(queueArn: string, sources: QueueSources): Record<string, unknown> {
    const allow = (sid: string, service: string, arns: readonly string[]) =>
        arns.length === 0
            ? []
            : [
                  {
                      Sid: sid,
                      Effect: "Allow",
                      Principal: { Service: service },
                      Action: "sqs:SendMessage",
                      Resource: queueArn,
                      Condition: { ArnEquals: { "aws:SourceArn": [...arns] } },
                  },
              ];
    return {
        Version: "2012-10-17",
        Statement: [
            ...allow("AllowSnsTopics", "sns.amazonaws.com", sources.topicArns),
            ...allow("AllowEventBridgeRules", "events.amazonaws.com", sources.ruleArns),
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "sqs:*",
                Resource: queueArn,
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}

/** Problems with an event bus name (used by both components, which must agree on it). */
export function busNameProblems(key: string, busName: string): string[] {
    if (BUS_NAME.test(busName) && busName.length <= MAX_BUS_NAME_LENGTH && busName !== "default") return [];
    return [
        `${key} must be 1 to ${MAX_BUS_NAME_LENGTH} letters, digits, '.', '_' or '-' and not "default" ` +
            `(the archive is named <bus>-archive, at most 48 characters); received ${JSON.stringify(busName)}`,
    ];
}

/** Problems with a route list: names, duplicates, rule-name length. */
export function routeProblems(busName: string, routes: readonly EventRoute[]): string[] {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const r of routes) {
        if (!EVENT_TYPE.test(r.detailType)) {
            problems.push(
                `route detailType must be an event name of letters and digits such as OrderPlaced; received ${JSON.stringify(r.detailType)}`,
            );
            continue;
        }
        if (!SERVICE_NAME.test(r.service)) problems.push(serviceNameProblem(r.service));
        if (seen.has(r.detailType))
            problems.push(`route ${r.detailType} is listed twice; give each detail-type one route`);
        seen.add(r.detailType);
        const rule = eventRuleName(busName, r.detailType);
        if (rule.length > MAX_RULE_NAME_LENGTH) {
            problems.push(
                `rule name ${rule} for route ${r.detailType} is ${rule.length} characters, over EventBridge's ${MAX_RULE_NAME_LENGTH}; use a shorter bus name`,
            );
        }
    }
    return problems;
}

export function serviceNameProblem(service: string): string {
    return `service names must be 1 to 30 lowercase letters, digits or '-', starting with a letter; received ${JSON.stringify(service)}`;
}

/** Problems with topics and subscriptions. */
export function subscriptionProblems(
    topics: readonly string[],
    subscriptions: readonly ServiceSubscription[],
): string[] {
    const problems: string[] = [];
    for (const t of topics) {
        if (!TOPIC_NAME.test(t)) {
            problems.push(
                `topic names must be 1 to 60 lowercase letters, digits or '-', starting with a letter; received ${JSON.stringify(t)}`,
            );
        }
    }
    if (new Set(topics).size !== topics.length) problems.push(`topics must be unique; received ${topics.join(", ")}`);
    const pairs = new Set<string>();
    for (const s of subscriptions) {
        if (!SERVICE_NAME.test(s.service)) problems.push(serviceNameProblem(s.service));
        if (!topics.includes(s.topic)) {
            problems.push(
                `subscription of ${s.service} names topic ${JSON.stringify(s.topic)}, which is not one of the topics (${topics.join(", ")})`,
            );
        }
        if (s.eventTypes.length === 0) {
            problems.push(
                `subscription of ${s.service} to ${s.topic} has no eventTypes; without a filter it would receive every event of the topic`,
            );
        }
        for (const e of s.eventTypes) {
            if (!EVENT_TYPE.test(e)) {
                problems.push(
                    `subscription of ${s.service} to ${s.topic}: event types must be names of letters and digits such as OrderPlaced; received ${JSON.stringify(e)}`,
                );
            }
        }
        const pair = `${s.service}/${s.topic}`;
        if (pairs.has(pair)) {
            problems.push(`${s.service} subscribes to ${s.topic} twice; list all its event types in one subscription`);
        }
        pairs.add(pair);
    }
    return problems;
}
