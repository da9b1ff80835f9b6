/**
 * What one entry says about the others: whom it calls, which routes it owns, which topics, events and
 * Kafka topics it hears, which cache keys it owns. Run once every entry's own shape is known; entries
 * whose parts are malformed were reported by `entry.ts` and are read here only as far as they are sound.
 */
import { closest, duplicates } from "../../components/shared";
import { list } from "./format";
import { problemOf, section, strings, type Named } from "./graph-helpers";
import { eventProblems, snsProblems } from "./subscriptions";

function nameProblems(entries: readonly Named[]): string[] {
    const first = new Map<string, string>();
    return entries.flatMap(({ site, name }) => {
        const earlier = first.get(name);
        if (!earlier) first.set(name, site.path);
        if (!earlier) return [];
        return [
            problemOf(
                site,
                "name",
                {
                    what: `names the service of ${earlier} again`,
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
