/**
 * The whole stack file, beyond the project's own keys: every key must be in a namespace something reads
 * (a misspelt `multicloud-platfrom:` would otherwise be ignored without a word), and
 * `pulumi:disable-default-providers` must have the one shape the engine and the offline plan take.
 */
import { closest } from "../../components/shared";
import { PROJECT, PROVIDER_NAMESPACES } from "../schema";
import { list, problemAt, setCommand, type RawConfig } from "./rule";

/** Namespaces a stack file may use: the project's, the engine's and the providers' the program creates. */
export const KNOWN_NAMESPACES = [PROJECT, "pulumi", ...PROVIDER_NAMESPACES] as const;

export const DISABLE_DEFAULT_PROVIDERS = "pulumi:disable-default-providers";

/** Package names in `pulumi:disable-default-providers`, or `*` for all. */
const PACKAGE_NAME = /^(\*|[a-z][a-z0-9-]*)$/;

/** Decodes a raw config string the way `config.getObject` would, keeping plain strings as they are. */
export function decode(value: string): unknown {
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

/**
 * The project's keys of a flat `namespace:key -> string` config map (what the runtime holds, and what
 * a stack file flattens to), without the namespace and decoded, ready for `validatePlatformConfig`.
 */
export function projectConfig(all: Readonly<Record<string, string>>): RawConfig {
    const raw: RawConfig = {};
    for (const [key, value] of Object.entries(all)) {
        const sep = key.indexOf(":");
        if (key.slice(0, sep) === PROJECT) raw[key.slice(sep + 1)] = decode(value);
    }
    return raw;
}

function isPackageList(v: unknown): v is string[] {
    return Array.isArray(v) && v.every((p) => typeof p === "string" && PACKAGE_NAME.test(p));
}

/**
 * The packages whose default providers the stack disables; empty when the key is absent or malformed
 * (a malformed value is reported by {@link stackKeyProblems}, which fails the program first).
 */
export function disabledDefaultProviders(all: Readonly<Record<string, string>>): string[] {
    const raw = all[DISABLE_DEFAULT_PROVIDERS];
    const v = raw === undefined ? [] : decode(raw);
    return isPackageList(v) ? v : [];
}

/** Shown instead of a secret value: a problem message ends up in CI logs. */
export const SECRET_VALUE = "[secret]";

/** Problems with the stack's keys outside the project namespace, in the stack file's order. */
export function stackKeyProblems(
    all: Readonly<Record<string, string>>,
    stack: string,
    isSecret: (key: string) => boolean = () => false,
): string[] {
    const problems: string[] = [];
    const file = `Pulumi.${stack}.yaml`;
    for (const [key, value] of Object.entries(all)) {
        const sep = key.indexOf(":");
        const ns = key.slice(0, sep);
        const rest = key.slice(sep + 1);
        if (!(KNOWN_NAMESPACES as readonly string[]).includes(ns)) {
            const near = closest(ns, KNOWN_NAMESPACES);
            problems.push(
                problemAt(
                    key,
                    `unknown config namespace '${ns}', which nothing in this program reads`,
                    isSecret(key) ? SECRET_VALUE : decode(value),
                    `keys in the namespaces ${list(KNOWN_NAMESPACES)}`,
                    near
                        ? `rename the key to '${near}:${rest}' in ${file}`
                        : `remove the key from ${file}, or move it into one of those namespaces`,
                ),
            );
        } else if (key === DISABLE_DEFAULT_PROVIDERS && !isPackageList(decode(value))) {
            problems.push(
                problemAt(
                    key,
                    "must be a list of package names",
                    decode(value),
                    'a list of package names, such as ["*"] (every package; what the stack files use) or ["aws", "gcp"]',
                    `write it as a YAML list in ${file} (${DISABLE_DEFAULT_PROVIDERS}: ["*"]), or ${setCommand(`${DISABLE_DEFAULT_PROVIDERS}[0]`, "'*'")}`,
                ),
            );
        }
    }
    return problems;
}
