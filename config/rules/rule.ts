/**
 * Config rules: `{ key, check, message }` entries (components/shared/validation.ts) over one stack's raw
 * config, and the one message format every problem is printed in:
 * `<namespace>:<key>: <what>; received <value>. Allowed: <allowed>. Fix: <fix>.`
 */
import { isWholeInRange, runRules, wholeRangeText, type Rule, type WholeRange } from "../../components/shared";
import {
    DATA_DEFAULTS,
    ENVIRONMENTS,
    MESSAGING_DEFAULTS,
    PROJECT,
    SIZING_DEFAULTS,
    type ConfigKey,
    type Environment,
} from "../schema";

/** Raw values as read from Pulumi config: structured keys already JSON-parsed. */
export type RawConfig = Partial<Record<ConfigKey, unknown>> & Record<string, unknown>;

/** What a rule sees: the raw keys, and the same keys with the per-environment defaults applied. */
export interface ConfigView {
    readonly raw: RawConfig;
    readonly stack: string;
    /** The environment, when it is valid: defaults and prod-only rules depend on it. */
    readonly environment?: Environment;
    /** `raw` with the defaults of `sizing`, `messaging` and `data` merged in (where those keys are objects). */
    readonly resolved: Record<string, unknown>;
}

/** What a failed rule says; `received` defaults to the value at the rule's key. */
export interface Explanation {
    readonly what: string;
    readonly allowed: string;
    readonly fix: string;
    readonly received?: unknown;
}

export type ConfigRule = Rule<ConfigView, Explanation>;

export const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);

export function configView(raw: RawConfig, stack: string): ConfigView {
    const environment = (ENVIRONMENTS as readonly unknown[]).includes(raw.environment)
        ? (raw.environment as Environment)
        : undefined;
    const merge = (defaults: object | undefined, v: unknown) =>
        v === undefined ? defaults : isObject(v) && defaults ? { ...defaults, ...v } : v;
    return {
        raw,
        stack,
        environment,
        resolved: {
            ...raw,
            sizing: merge(environment && SIZING_DEFAULTS[environment], raw.sizing),
            messaging: merge(MESSAGING_DEFAULTS, raw.messaging),
            data: merge(DATA_DEFAULTS, raw.data),
        },
    };
}

/** The value at a dotted path such as `sizing.kubernetesNodeInstanceTypes[1]`, defaults applied. */
export function valueAt(view: ConfigView, path: string): unknown {
    let cur: unknown = view.resolved;
    for (const part of path.split(/\.|(?=\[)/)) {
        const index = /^\[(\d+)\]$/.exec(part);
        if (index) cur = Array.isArray(cur) ? cur[Number(index[1])] : undefined;
        else cur = isObject(cur) ? cur[part] : undefined;
    }
    return cur;
}

export function show(value: unknown): string {
    return value === undefined ? "nothing" : JSON.stringify(value);
}

/** One message for a key of any namespace (`pulumi:disable-default-providers`, a misspelt namespace). */
export function problemAt(fullKey: string, what: string, received: unknown, allowed: string, fix: string): string {
    return `${fullKey}: ${what}; received ${show(received)}. Allowed: ${allowed}. Fix: ${fix}.`;
}

/** One message for a key of the project: `<ns>:<key>: <what>; received <value>. Allowed: <allowed>. Fix: <fix>.` */
export function problem(key: string, what: string, received: unknown, allowed: string, fix: string): string {
    return problemAt(`${PROJECT}:${key}`, what, received, allowed, fix);
}

export function setCommand(path: string, example: string): string {
    return path.includes(".") || path.includes(":")
        ? `pulumi config set --path '${path}' ${example}`
        : `pulumi config set ${path} ${example}`;
}

export function list(values: readonly (string | number)[]): string {
    return values.join(", ");
}

/** Runs `rules` over `view` and prints each failure in the one message format. */
export function configProblems(view: ConfigView, rules: readonly ConfigRule[]): string[] {
    return runRules(view, rules).map(({ key, message: m }) =>
        problem(key, m.what, "received" in m ? m.received : valueAt(view, key), m.allowed, m.fix),
    );
}

/** "required value is missing" when there is no value, else `what`. */
export function missingOr(value: unknown, what: string): string {
    return value === undefined ? "required value is missing" : what;
}

/** A rule about the value at `key`. */
export function valueRule(
    key: string,
    holds: (value: unknown, view: ConfigView) => boolean,
    explain: (value: unknown, view: ConfigView) => Explanation,
): ConfigRule {
    return {
        key,
        check: (view) => holds(valueAt(view, key), view),
        message: (view) => explain(valueAt(view, key), view),
    };
}

/** The value is one of a closed set of strings. */
export function choiceRule(key: string, allowed: readonly string[]): ConfigRule {
    return valueRule(
        key,
        (v) => typeof v === "string" && allowed.includes(v),
        (v) => ({
            what: missingOr(v, "is not an allowed value"),
            allowed: `one of ${list(allowed)}`,
            fix: setCommand(key, allowed[0]),
        }),
    );
}

/** The value is a whole number in a range, which may depend on the stack (prod keeps more backups). */
export function wholeRule(
    key: string,
    range: WholeRange | ((view: ConfigView) => WholeRange),
    example: (view: ConfigView) => number,
): ConfigRule {
    const at = (view: ConfigView) => (typeof range === "function" ? range(view) : range);
    return valueRule(
        key,
        (v, view) => isWholeInRange(v, at(view)),
        (v, view) => ({
            what: missingOr(v, "must be a whole number in range"),
            allowed: wholeRangeText(at(view)),
            fix: setCommand(key, String(example(view))),
        }),
    );
}

/** The value is a string of the given form. */
export function patternRule(key: string, re: RegExp, allowed: string, example: string): ConfigRule {
    return valueRule(
        key,
        (v) => typeof v === "string" && re.test(v),
        (v) => ({ what: missingOr(v, "has the wrong form"), allowed, fix: setCommand(key, example) }),
    );
}

/** The value is `true` or `false`, when set. */
export function booleanRule(key: string): ConfigRule {
    return valueRule(
        key,
        (v) => typeof v === "boolean",
        () => ({ what: "must be true or false", allowed: "true or false", fix: setCommand(key, "true") }),
    );
}

/** A structured top-level key must be an object (or may be absent, when it is optional). */
export function objectRule(key: ConfigKey, example: string, required = true): ConfigRule {
    return {
        key,
        check: (view) => isObject(view.raw[key]) || (!required && view.raw[key] === undefined),
        message: (view) => ({
            what: view.raw[key] === undefined ? "required key is missing" : "must be an object",
            allowed: `an object with ${example}`,
            fix: `add '${PROJECT}:${key}' to Pulumi.${view.stack}.yaml (see README, "Config reference")`,
        }),
    };
}

/** One rule per key of `obj` that the schema does not know: usually a typo that would be silently ignored. */
export function unknownKeyRules(section: string, obj: Record<string, unknown>, known: readonly string[]): ConfigRule[] {
    return Object.keys(obj)
        .filter((k) => !known.includes(k))
        .map((k) => ({
            key: `${section}.${k}`,
            check: () => false,
            message: () => ({
                what: "unknown key",
                received: obj[k],
                allowed: `one of ${list(known)}`,
                fix: `rename or remove '${k}' under '${PROJECT}:${section}'`,
            }),
        }));
}
