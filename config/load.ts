/**
 * The one place the program reads Pulumi config. Components receive typed args and never read
 * config themselves.
 */
import * as pulumi from "@pulumi/pulumi";
import { PROJECT, type PlatformConfig } from "./schema";
import { validatePlatformConfig, type RawConfig } from "./validate";

/**
 * Invalid stack configuration. A `RunError`, so the Pulumi CLI prints the messages without a stack
 * trace; the offline plan prints them the same way.
 */
export class ConfigValidationError extends pulumi.RunError {
    constructor(
        readonly stack: string,
        readonly problems: readonly string[],
    ) {
        super(
            `Stack '${stack}' has ${problems.length} configuration problem${problems.length === 1 ? "" : "s"}:\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
        this.name = "ConfigValidationError";
    }
}

/** Decodes a raw config string the way `config.getObject` would, keeping plain strings as they are. */
function decode(value: string): unknown {
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

/**
 * Reads every `multicloud-platform:*` key of the current stack, validates them together and returns
 * the typed config, or throws {@link ConfigValidationError} before any resource is registered.
 */
export function loadPlatformConfig(): PlatformConfig {
    const stack = pulumi.getStack();
    const result = validatePlatformConfig(projectConfig(pulumi.runtime.allConfig()), stack);
    if (!result.ok) throw new ConfigValidationError(stack, result.problems);
    return result.config;
}
