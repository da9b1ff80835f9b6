/**
 * The shape of an entry's `publishes` and `subscribes`: SNS topics with their `event_type` values and
 * filters, EventBridge detail types, Kafka topics with partitions and retention. Whether a subscription
 * names something another entry publishes is `graph.ts`'s business.
 */
import {
    EVENT_NAME,
    KAFKA_PARTITIONS,
    KAFKA_RETENTION_HOURS,
    KAFKA_TOPIC,
    SNS_TOPIC_NAME,
} from "../../components/catalog";
import { isObject, isStringList, missingOr, objectRule, unknownKeyRules, valueRule, type CatalogRule } from "./format";
import { wholeRule } from "./sizing";

const EVENT_TEXT = "event names of letters and digits starting with a capital, such as OrderPlaced";

function listOf(key: string, v: unknown, item: (key: string, value: unknown) => CatalogRule[]): CatalogRule[] {
    if (v === undefined) return [];
    if (!Array.isArray(v))
        return [
            valueRule(
                key,
                () => false,
                () => ({ what: "must be a list", allowed: "a list", fix: `write '${key}' as a YAML list` }),
            ),
        ];
    return v.flatMap((value, i) => item(`${key}[${i}]`, value));
}

function eventNames(key: string, required: boolean): CatalogRule {
    return valueRule(
        key,
        (e) =>
            (!required && e === undefined) || (isStringList(e) && e.length > 0 && e.every((n) => EVENT_NAME.test(n))),
        (e) => ({
            what: missingOr(e, "must be a non-empty list of event names"),
            allowed: `a list of ${EVENT_TEXT}`,
            fix: `write '${key}: [OrderPlaced]'`,
        }),
    );
}

function snsTopicName(key: string): CatalogRule {
    return valueRule(
        key,
        (t) => typeof t === "string" && SNS_TOPIC_NAME.test(t),
        (t) => ({
            what: missingOr(t, "is not a topic name"),
            allowed: "1 to 60 lowercase letters, digits or '-', starting with a letter",
            fix: `set '${key}: <domain>-events'`,
        }),
    );
}

function kafkaTopicName(key: string): CatalogRule {
    return valueRule(
        key,
        (t) => typeof t === "string" && KAFKA_TOPIC.test(t),
        (t) => ({
            what: missingOr(t, "is not a Kafka topic name"),
            allowed:
                "3 to 200 lowercase letters, digits, '.', '_' or '-', starting with a letter (valid in Kafka and Pub/Sub)",
            fix: `set '${key}: orders'`,
        }),
    );
}

function publishRules(p: unknown): CatalogRule[] {
    const rules = [objectRule("publishes", "{ sns: [...], events: [...], kafka: [...] }", false)];
    if (!isObject(p)) return rules;
    return [
        ...rules,
        ...unknownKeyRules("publishes", p, ["sns", "events", "kafka"]),
        ...listOf("publishes.sns", p.sns, (key, t) => [
            objectRule(key, "{ topic: order-events, eventTypes: [OrderPlaced] }"),
            ...unknownKeyRules(key, t, ["topic", "eventTypes"]),
            ...(isObject(t) ? [snsTopicName(`${key}.topic`), eventNames(`${key}.eventTypes`, true)] : []),
        ]),
        eventNames("publishes.events", false),
        ...listOf("publishes.kafka", p.kafka, (key, t) => [
            objectRule(key, "{ name: orders, partitions: 6, retentionHours: 168 }"),
            ...unknownKeyRules(key, t, ["name", "partitions", "retentionHours"]),
            ...(isObject(t)
                ? [
                      kafkaTopicName(`${key}.name`),
                      wholeRule(`${key}.partitions`, KAFKA_PARTITIONS, 6),
                      wholeRule(`${key}.retentionHours`, KAFKA_RETENTION_HOURS, 168),
                  ]
                : []),
        ]),
    ];
}

function subscribeRules(s: unknown): CatalogRule[] {
    const rules = [objectRule("subscribes", "{ sns: [...], events: [...], kafka: [...] }", false)];
    if (!isObject(s)) return rules;
    return [
        ...rules,
        ...unknownKeyRules("subscribes", s, ["sns", "events", "kafka"]),
        ...listOf("subscribes.sns", s.sns, (key, t) => [
            objectRule(key, "{ topic: order-events, filter: { event_type: [OrderPlaced] } }"),
            ...unknownKeyRules(key, t, ["topic", "filter"]),
            ...(isObject(t)
                ? [snsTopicName(`${key}.topic`), objectRule(`${key}.filter`, "{ event_type: [OrderPlaced] }")]
                : []),
        ]),
        eventNames("subscribes.events", false),
        ...listOf("subscribes.kafka", s.kafka, (key) => [kafkaTopicName(key)]),
    ];
}

/** Rules of an entry's `publishes` and `subscribes` sections. */
export function messagingShapeRules(v: Record<string, unknown>): CatalogRule[] {
    return [...publishRules(v.publishes), ...subscribeRules(v.subscribes)];
}
