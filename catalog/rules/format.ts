/**
 * Catalog rules: `{ key, check, message }` entries (components/shared/validation.ts) over one part of
 * the catalog, printed in the stack config's message format with the file in front:
 * `catalog/services.yaml: services[2].image: <what>; received <value>. Allowed: <allowed>. Fix: <fix>.`
 */
import { closest, runRules, type Rule } from "../../components/shared";
import { list, problemAt } from "../../config/rules/rule";

export { list };

/** What a failed rule says; `received` defaults to the value at the rule's key. */
export interface Explanation {
    readonly what: string;
    readonly allowed: string;
    readonly fix: string;
    readonly received?: unknown;
}

/** What a rule sees: one object of a catalog file and where it sits. */
export interface Site {
    /** The file, relative to the repository: `catalog/services.yaml`. */
    readonly file: string;
    /** The object's path in that file: `services[2]`. */
    readonly path: string;
    readonly value: Record<string, unknown>;
}

/** A rule about the key path below `Site.path` (`scaling.minReplicas`). */
export type CatalogRule = Rule<Site, Explanation>;

export const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);

export const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");

/** The value at a dotted path such as `resources.limits.cpu` or `calls[1]`. */
export function valueAt(root: unknown, path: string): unknown {
    let cur = root;
    for (const part of path.split(/\.|(?=\[)/).filter(Boolean)) {
        const index = /^\[(\d+)\]$/.exec(part);
        if (index) cur = Array.isArray(cur) ? cur[Number(index[1])] : undefined;
        else cur = isObject(cur) ? cur[part] : undefined;
    }
    return cur;
}

/** `services[2]` + `scaling.minReplicas`; a key of `[0]` joins without a dot. */
export function join(path: string, key: string): string {
    if (!path) return key;
    if (!key) return path;
    return key.startsWith("[") ? `${path}${key}` : `${path}.${key}`;
}

/** One message in the catalog's format. */
export function catalogProblem(file: string, path: string, e: Explanation, received: unknown): string {
    return problemAt(`${file}: ${path}`, e.what, "received" in e ? e.received : received, e.allowed, e.fix);
}

/** Runs `rules` over `site` and prints each failure. */
export function siteProblems(site: Site, rules: readonly CatalogRule[]): string[] {
    return runRules(site, rules).map(({ key, message }) =>
        catalogProblem(site.file, join(site.path, key), message, valueAt(site.value, key)),
    );
}

/** "required value is missing" when there is no value, else `what`. */
export function missingOr(value: unknown, what: string): string {
    return value === undefined ? "required value is missing" : what;
}

/** A rule about the value at `key` of the site's object. */
export function valueRule(
    key: string,
    holds: (value: unknown, site: Site) => boolean,
    explain: (value: unknown, site: Site) => Explanation,
): CatalogRule {
    return {
        key,
        check: (site) => holds(valueAt(site.value, key), site),
        message: (site) => explain(valueAt(site.value, key), site),
    };
}

/** One rule per key of the object at `key` that is not in `known`: a typo would otherwise be ignored. */
export function unknownKeyRules(key: string, obj: unknown, known: readonly string[]): CatalogRule[] {
    if (!isObject(obj)) return [];
    return Object.keys(obj)
        .filter((k) => !known.includes(k))
        .map((k) => {
            const near = closest(k, known);
            return {
                key: join(key, k),
                check: () => false,
                message: () => ({
                    what: "unknown key",
                    allowed: `one of ${list(known)}`,
                    fix: near ? `rename '${k}' to '${near}'` : `remove '${k}'`,
                }),
            };
        });
}

/** The object at `key` must be an object (or absent, when optional). */
export function objectRule(key: string, example: string, required = true): CatalogRule {
    return valueRule(
        key,
        (v) => isObject(v) || (!required && v === undefined),
        (v) => ({
            what: missingOr(v, "must be an object"),
            allowed: `an object such as ${example}`,
            fix: `write '${key}: ${example}'`,
        }),
    );
}

/** The value at `key` must be a list of strings (or absent, meaning none). */
export function stringListRule(key: string, example: string): CatalogRule {
    return valueRule(
        key,
        (v) => v === undefined || isStringList(v),
        () => ({
            what: "must be a list of names",
            allowed: `a list such as ${example}`,
            fix: `write '${key}: ${example}'`,
        }),
    );
}
