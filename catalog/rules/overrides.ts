/**
 * A stack's overrides (`catalog/overrides/<stack>.yaml`): per service, new resources, scaling or canary
 * weight. They name services of the catalog, set only the keys a stack may change, and the entry they
 * produce passes the same sizing rules as the catalog's own.
 */
import { closest } from "../../components/shared";
import { catalogProblem, isObject, list, siteProblems, unknownKeyRules, type Site } from "./format";
import { OVERRIDABLE_KEYS, sizingRules } from "./sizing";

/** `b` merged into `a`: objects key by key, anything else replaced. */
export function deepMerge(a: unknown, b: unknown): unknown {
    if (!isObject(a) || !isObject(b)) return b === undefined ? a : b;
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = deepMerge(a[k], v);
    return out;
}

export interface OverrideResult {
    readonly problems: string[];
    /** Raw entries by service name with the overrides merged in. */
    readonly merged: ReadonlyMap<string, Record<string, unknown>>;
}

/**
 * Checks `doc` against the catalog's `entries` (raw, by name) and merges it in. The merged sections are
 * checked again and reported at the override's key, so a stack cannot size a service out of bounds.
 */
export function applyOverrides(
    file: string,
    doc: unknown,
    entries: ReadonlyMap<string, Record<string, unknown>>,
): OverrideResult {
    const merged = new Map(entries);
    if (doc === undefined || doc === null) return { problems: [], merged };
    const root: Site = { file, path: "", value: isObject(doc) ? doc : {} };
    if (!isObject(doc) || !isObject(doc.services)) {
        const problem = catalogProblem(
            file,
            "services",
            {
                what: "must be a map from service name to its overrides",
                allowed: "services: { <name>: { scaling: {...}, resources: {...}, canaryWeightPercent: n } }",
                fix: "write the overrides under 'services:'",
            },
            isObject(doc) ? doc.services : doc,
        );
        return { problems: [problem], merged };
    }
    const problems = siteProblems(root, unknownKeyRules("", doc, ["services"]));
    const names = [...entries.keys()];
    for (const [name, override] of Object.entries(doc.services)) {
        const path = `services.${name}`;
        const base = entries.get(name);
        if (!base) {
            const near = closest(name, names);
            problems.push(
                catalogProblem(
                    file,
                    path,
                    {
                        what: "overrides a service the catalog does not have",
                        allowed: `one of ${list(names)}`,
                        fix: near ? `rename it to '${near}'` : "remove it, or add the service to catalog/services.yaml",
                    },
                    name,
                ),
            );
            continue;
        }
        if (!isObject(override)) {
            problems.push(
                catalogProblem(
                    file,
                    path,
                    {
                        what: "must be an object",
                        allowed: `an object with ${list(OVERRIDABLE_KEYS)}`,
                        fix: `write '${name}: { scaling: { minReplicas: 2 } }'`,
                    },
                    override,
                ),
            );
            continue;
        }
        const unknown = siteProblems({ file, path, value: override }, unknownKeyRules("", override, OVERRIDABLE_KEYS));
        const entry = deepMerge(base, override) as Record<string, unknown>;
        const touched = Object.keys(override).filter((k) => (OVERRIDABLE_KEYS as readonly string[]).includes(k));
        problems.push(...unknown, ...siteProblems({ file, path, value: entry }, sizingRules(entry, touched)));
        merged.set(name, entry);
    }
    return { problems, merged };
}
