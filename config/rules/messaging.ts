/**
 * Messaging: the connector jar, the sink key's rotation period and the DR topics. Each DR topic becomes a Kafka topic name, a Pub/Sub
 * topic with a `-dead-letter` twin and an MSK Connect connector, so it must be valid for all of them and
 * stay distinct in each.
 */
import { KAFKA_TOPIC_NAME } from "../../components/messaging/kafka-settings";
import { connectorNameFor } from "../../components/messaging/pubsub-bridge-settings";
import { KEY_ROTATION_DAYS, pubsubTopicProblems } from "../../components/messaging/pubsub-federation";
import { closest, duplicates } from "../../components/shared";
import { MESSAGING_DEFAULTS } from "../schema";
import {
    isObject,
    list,
    objectRule,
    patternRule,
    problem,
    setCommand,
    unknownKeyRules,
    valueRule,
    wholeRule,
    type ConfigRule,
    type ConfigView,
} from "./rule";

const TOPIC_TEXT =
    "3 to 200 characters that start with a letter, then letters, digits, '.', '_' or '-', not starting with \"goog\" (Kafka and Pub/Sub both accept them)";

/** Where two DR topics would collide: in Pub/Sub (with the dead-letter twins) or in connector names. */
function collisions(topics: readonly string[]): string[] {
    const pubsub = duplicates(topics.flatMap((t) => [t, `${t}-dead-letter`]));
    const connectors = duplicates(topics.map((t) => connectorNameFor("", t)));
    return [
        ...pubsub.map((n) => `Pub/Sub topic ${n} would be created twice`),
        ...connectors.map((c) => `two topics share the connector name suffix ${c.slice(1)}`),
    ];
}

export function messagingRules(view: ConfigView): ConfigRule[] {
    const rules = [objectRule("messaging", "optional messaging settings", false)];
    const raw = view.raw.messaging;
    if (raw !== undefined && !isObject(raw)) return rules;
    rules.push(
        ...unknownKeyRules("messaging", raw ?? {}, Object.keys(MESSAGING_DEFAULTS)),
        patternRule(
            "messaging.pubsubConnectorJarPath",
            /^[^\s]+\.jar$/,
            "a path to a .jar file",
            MESSAGING_DEFAULTS.pubsubConnectorJarPath,
        ),
        wholeRule("messaging.pubsubKeyRotationDays", KEY_ROTATION_DAYS, () => MESSAGING_DEFAULTS.pubsubKeyRotationDays),
    );
    const topics = (view.resolved.messaging as Record<string, unknown>).drTopics;
    const key = "messaging.drTopics";
    const shape = valueRule(
        key,
        (v) => Array.isArray(v) && v.length > 0 && v.every((t) => typeof t === "string"),
        () => ({
            what: "must be a non-empty list of topic names",
            allowed: `a list of names of ${TOPIC_TEXT}`,
            fix: setCommand(`${key}[0]`, "orders"),
        }),
    );
    if (!Array.isArray(topics) || !topics.every((t) => typeof t === "string")) return [...rules, shape];
    rules.push(
        shape,
        ...topics.map((t, i) =>
            valueRule(
                `${key}[${i}]`,
                () => KAFKA_TOPIC_NAME.test(t) && pubsubTopicProblems(t).length === 0,
                () => ({
                    what: "is not a name both Kafka and Pub/Sub accept",
                    allowed: TOPIC_TEXT,
                    fix: setCommand(`${key}[${i}]`, "orders"),
                }),
            ),
        ),
        valueRule(
            key,
            () => duplicates(topics).length === 0 && collisions(topics).length === 0,
            () => ({
                what:
                    duplicates(topics).length > 0
                        ? `names ${list(duplicates(topics))} more than once`
                        : collisions(topics).join("; "),
                allowed:
                    "distinct topics whose Pub/Sub names (with their -dead-letter twins) and connector names stay distinct",
                fix: `rename or remove the colliding entries of '${key}'`,
            }),
        ),
    );
    return rules;
}

/**
 * DR topics the service catalog does not create. The bridge mirrors Kafka topics, which exist only when a
 * catalog entry publishes them (`publishes.kafka`): a DR topic of no entry would start a connector on a
 * topic nobody creates. Checked once config and catalog are both valid, before anything is registered.
 */
export function drTopicCatalogProblems(drTopics: readonly string[], kafkaTopics: readonly string[]): string[] {
    const key = "messaging.drTopics";
    const allowed =
        kafkaTopics.length > 0
            ? `one of ${list(kafkaTopics)} (the Kafka topics the entries of catalog/services.yaml publish)`
            : "none: no entry of catalog/services.yaml publishes a Kafka topic";
    return drTopics.flatMap((topic, i) => {
        if (kafkaTopics.includes(topic)) return [];
        const near = closest(topic, kafkaTopics);
        const publish = `add it to the publishes.kafka of the service that produces it in catalog/services.yaml, or remove it from '${key}'`;
        return [
            problem(
                `${key}[${i}]`,
                "is not a Kafka topic of the service catalog, so the bridge would read a topic nobody creates",
                topic,
                allowed,
                near ? `${setCommand(`${key}[${i}]`, near)}, or ${publish}` : publish,
            ),
        ];
    });
}
