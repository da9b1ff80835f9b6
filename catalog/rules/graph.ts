/**
 * What one entry says about the others: whom it calls, which routes it owns, which topics, events and
 * Kafka topics it hears, which cache keys it owns. Run once every entry's own shape is known; entries
 * whose parts are malformed were reported by `entry.ts` and are read here only as far as they are sound.
 */
import { FILTER_ATTRIBUTES } from "../../components/catalog";
import { closest, duplicates } from "../../components/shared";
import { catalogProblem, isObject, isStringList, list, type Explanation, type Site } from "./format";

interface Named {
    readonly site: Site;
    readonly name: string;
}

const strings = (v: unknown): string[] => (isStringList(v) ? v : []);
const objects = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isObject) : []);
const section = (v: Record<string, unknown>, key: string) => (isObject(v[key]) ? v[key] : {});

function problemOf(site: Site, key: string, e: Explanation, received: unknown): string {
    return catalogProblem(site.file, `${site.path}.${key}`, e, received);
}

function nameProblems(entries: readonly Named[]): string[] {
    const dup = new Set(duplicates(entries.map((e) => e.name)));
    const seen = new Set<string>();
    return entries.flatMap(({ site, name }) => {
        const again = dup.has(name) && seen.has(name);
        seen.add(name);
        if (!again) return [];
        return [
            problemOf(
                site,
                "name",
                {
                    what: "names a service listed earlier",
                    allowed: "one entry per service",
                    fix: "merge the two entries or rename one",
                },
                name,
            ),
        ];
    });
}

function callProblems(entries: readonly Named[]): string[] {
    const names = entries.map((e) => e.name);
    return entries.flatMap(({ site, name }) => {
        const calls = strings(site.value.calls);
        const repeated = new Set(duplicates(calls));
        return calls.flatMap((callee, i) => {
            const key = `calls[${i}]`;
            if (callee === name)
                return [
                    problemOf(
                        site,
                        key,
                        {
                            what: `${name} calls itself`,
                            allowed: "other services of the catalog",
                            fix: `remove '${callee}' from calls: a service reaches itself without the mesh`,
                        },
                        callee,
                    ),
                ];
            if (!names.includes(callee)) {
                const near = closest(callee, names);
                return [
                    problemOf(
                        site,
                        key,
                        {
                            what: "is not a service of the catalog",
                            allowed: `one of ${list(names.filter((n) => n !== name))}`,
                            fix: near ? `write '${near}'` : "add that service's entry first, or remove it from calls",
                        },
                        callee,
                    ),
                ];
            }
            if (repeated.has(callee) && calls.indexOf(callee) !== i)
                return [
                    problemOf(
                        site,
                        key,
                        { what: "is listed twice", allowed: "each callee once", fix: `remove the second '${callee}'` },
                        callee,
                    ),
                ];
            return [];
        });
    });
}

/** True when route `a` is `b` or lies below it: `/users/admin` under `/users`, not `/users-admin`. */
const under = (a: string, b: string) => a === b || a.startsWith(`${b}/`);

function routeProblems(entries: readonly Named[]): string[] {
    const owned: { route: string; owner: string }[] = [];
    const problems: string[] = [];
    for (const { site, name } of entries) {
        strings(site.value.routes).forEach((route, i) => {
            const key = `routes[${i}]`;
            const same = owned.find((o) => o.route === route);
            const clash = owned.find((o) => o.owner !== name && (under(route, o.route) || under(o.route, route)));
            if (same) {
                const whose = same.owner === name ? "listed twice" : `already routed to ${same.owner}`;
                problems.push(
                    problemOf(
                        site,
                        key,
                        {
                            what: `is ${whose}`,
                            allowed: "each route prefix routed to one service",
                            fix: `remove '${route}' here or from ${same.owner}`,
                        },
                        route,
                    ),
                );
            } else if (clash) {
                problems.push(
                    problemOf(
                        site,
                        key,
                        {
                            what: `overlaps ${clash.owner}'s route ${clash.route}`,
                            allowed: "route prefixes that do not lie under another service's prefix",
                            fix: `use a prefix of its own, such as /${name}`,
                        },
                        route,
                    ),
                );
            }
            owned.push({ route, owner: name });
        });
    }
    return problems;
}

function snsProblems(entries: readonly Named[]): string[] {
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
                            fix: `publish on a topic of ${name}'s own, such as ${name}-events`,
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
function eventProblems(entries: readonly Named[]): string[] {
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

function cacheProblems(entries: readonly Named[]): string[] {
    const owned: { prefix: string; owner: string }[] = [];
    const problems: string[] = [];
    for (const { site, name } of entries) {
        const prefix = section(site.value, "cache").keyPrefix;
        if (typeof prefix !== "string") continue;
        const clash = owned.find((o) => o.prefix.startsWith(prefix) || prefix.startsWith(o.prefix));
        if (clash)
            problems.push(
                problemOf(
                    site,
                    "cache.keyPrefix",
                    {
                        what: `overlaps ${clash.owner}'s prefix ${clash.prefix}, so each could read the other's keys`,
                        allowed: "key prefixes that are not prefixes of one another",
                        fix: `use '${name}:'`,
                    },
                    prefix,
                ),
            );
        owned.push({ prefix, owner: name });
    }
    return problems;
}

/** Every problem between entries; `entries` are those with a valid name, in file order. */
export function graphProblems(entries: readonly Named[]): string[] {
    return [
        ...nameProblems(entries),
        ...callProblems(entries),
        ...routeProblems(entries),
        ...snsProblems(entries),
        ...eventProblems(entries),
        ...cacheProblems(entries),
    ];
}
