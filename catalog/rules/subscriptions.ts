/**
 * Who hears what: every SNS subscription names a topic another entry publishes and filters on event
 * types that topic carries; every EventBridge detail type and Kafka topic heard is published, each
 * detail type by one route and each Kafka topic by one owner.
 */
import { FILTER_ATTRIBUTES } from "../../components/catalog";
import { closest, duplicates } from "../../components/shared";
import { isObject, isStringList, list } from "./format";
import { objects, problemOf, section, strings, type Named } from "./graph-helpers";

export function snsProblems(entries: readonly Named[]): string[] {
    const topics = new Map<string, { owner: string; eventTypes: string[] }>();
    const problems: string[] = [];
    for (const { site, name } of entries) {
        objects(section(site.value, "publishes").sns).forEach((p, i) => {
            if (typeof p.topic !== "string") return;
            const owner = topics.get(p.topic)?.owner;
            if (owner)
                problems.push(
                    problemOf(
                        site,
                        `publishes.sns[${i}].topic`,
                        {
                            what: `is already published by ${owner}`,
                            allowed: "one publishing service per domain topic",
                            fix: `publish these event types on a topic ${name} owns`,
                        },
                        p.topic,
                    ),
                );
            else topics.set(p.topic, { owner: name, eventTypes: strings(p.eventTypes) });
        });
    }
    const known = [...topics.keys()];
    for (const { site, name } of entries) {
        const subs = objects(section(site.value, "subscribes").sns);
        const repeated = new Set(duplicates(subs.map((s) => s.topic)));
        subs.forEach((s, i) => {
            const key = `subscribes.sns[${i}]`;
            if (typeof s.topic !== "string") return;
            const topic = topics.get(s.topic);
            if (!topic) {
                const near = closest(s.topic, known);
                problems.push(
                    problemOf(
                        site,
                        `${key}.topic`,
                        {
                            what: "is not a topic any service publishes",
                            allowed: `one of ${list(known)}`,
                            fix: near ? `write '${near}'` : "subscribe to a published topic, or publish it first",
                        },
                        s.topic,
                    ),
                );
                return;
            }
            if (repeated.has(s.topic) && subs.findIndex((o) => o.topic === s.topic) !== i)
                problems.push(
                    problemOf(
                        site,
                        `${key}.topic`,
                        {
                            what: `${name} subscribes to this topic twice`,
                            allowed: "one subscription per topic",
                            fix: "list all its event types in the first subscription",
                        },
                        s.topic,
                    ),
                );
            if (!isObject(s.filter)) return;
            for (const [attribute, values] of Object.entries(s.filter)) {
                const at = `${key}.filter.${attribute}`;
                if (!(FILTER_ATTRIBUTES as readonly string[]).includes(attribute)) {
                    problems.push(
                        problemOf(
                            site,
                            at,
                            {
                                what: "filters on an attribute publishers do not set",
                                allowed: `filters on ${list(FILTER_ATTRIBUTES)}`,
                                fix: `rename '${attribute}' to '${FILTER_ATTRIBUTES[0]}'`,
                            },
                            values,
                        ),
                    );
                    continue;
                }
                if (!isStringList(values) || values.length === 0) {
                    problems.push(
                        problemOf(
                            site,
                            at,
                            {
                                what: "must be a non-empty list of event types",
                                allowed: `a list of ${list(topic.eventTypes)}`,
                                fix: `write '${attribute}: [${topic.eventTypes[0]}]'`,
                            },
                            values,
                        ),
                    );
                    continue;
                }
                values.forEach((v, j) => {
                    if (topic.eventTypes.includes(v)) return;
                    problems.push(
                        problemOf(
                            site,
                            `${at}[${j}]`,
                            {
                                what: `is not an event type ${topic.owner} publishes on ${s.topic}`,
                                allowed: `one of ${list(topic.eventTypes)}`,
                                fix: closest(v, topic.eventTypes)
                                    ? `write '${closest(v, topic.eventTypes)}'`
                                    : `add it to ${topic.owner}'s publishes.sns, or remove it`,
                            },
                            v,
                        ),
                    );
                });
            }
            if (!Object.keys(s.filter).includes(FILTER_ATTRIBUTES[0]))
                problems.push(
                    problemOf(
                        site,
                        `${key}.filter`,
                        {
                            what: `has no ${FILTER_ATTRIBUTES[0]} filter, so it would receive every event of ${s.topic}`,
                            allowed: `a filter on ${FILTER_ATTRIBUTES[0]}`,
                            fix: `add '${FILTER_ATTRIBUTES[0]}: [${topic.eventTypes[0]}]'`,
                        },
                        s.filter,
                    ),
                );
        });
    }
    return problems;
}

/** EventBridge and Kafka: what is heard must be published, and each detail type has one route. */
export function eventProblems(entries: readonly Named[]): string[] {
    const published = new Set(entries.flatMap(({ site }) => strings(section(site.value, "publishes").events)));
    const kafkaOwners = new Map<string, string>();
    const problems: string[] = [];
    for (const { site, name } of entries) {
        objects(section(site.value, "publishes").kafka).forEach((k, i) => {
            if (typeof k.name !== "string") return;
            const owner = kafkaOwners.get(k.name);
            if (owner)
                problems.push(
                    problemOf(
                        site,
                        `publishes.kafka[${i}].name`,
                        {
                            what: `is already owned by ${owner}`,
                            allowed: "one owning service per Kafka topic",
                            fix: `produce to ${owner}'s topic without declaring it, or name a topic of ${name}'s own`,
                        },
                        k.name,
                    ),
                );
            else kafkaOwners.set(k.name, name);
        });
    }
    const routed = new Map<string, string>();
    for (const { site, name } of entries) {
        const subs = section(site.value, "subscribes");
        strings(subs.events).forEach((detailType, i) => {
            const key = `subscribes.events[${i}]`;
            const other = routed.get(detailType);
            if (!published.has(detailType)) {
                const near = closest(detailType, [...published]);
                problems.push(
                    problemOf(
                        site,
                        key,
                        {
                            what: "is not an event any service publishes",
                            allowed: `one of ${list([...published])}`,
                            fix: near ? `write '${near}'` : "add it to the publisher's publishes.events first",
                        },
                        detailType,
                    ),
                );
            } else if (other) {
                problems.push(
                    problemOf(
                        site,
                        key,
                        {
                            what: `is already routed to ${other}`,
                            allowed: "one consuming service per detail type (one rule, one target)",
                            fix: `hear it over SNS instead, or leave it to ${other}`,
                        },
                        detailType,
                    ),
                );
            } else routed.set(detailType, name);
        });
        strings(subs.kafka).forEach((topic, i) => {
            if (kafkaOwners.has(topic)) return;
            const near = closest(topic, [...kafkaOwners.keys()]);
            problems.push(
                problemOf(
                    site,
                    `subscribes.kafka[${i}]`,
                    {
                        what: "is not a Kafka topic any service owns",
                        allowed: `one of ${list([...kafkaOwners.keys()])}`,
                        fix: near ? `write '${near}'` : "declare it in its producer's publishes.kafka",
                    },
                    topic,
                ),
            );
        });
    }
    return problems;
}
