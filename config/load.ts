/**
 * The one place the program reads Pulumi config. Components receive typed args and never read
 * config themselves.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "./schema";
import { drTopicCatalogProblems } from "./rules/messaging";
import { validateStackConfig } from "./validate";

export { projectConfig } from "./rules/namespaces";

// The runtime knows which keys are secret but leaves the check out of its typings.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

/**
 * Invalid stack configuration. A `RunError`, so the Pulumi CLI prints the messages without a stack
 * trace; the offline plan prints them the same way and exits 2.
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

/**
 * Reads every key of the current stack (every namespace: a misspelt one is reported, not ignored),
 * validates them together and returns the typed config, or throws {@link ConfigValidationError} before
 * any resource is registered.
 */
export function loadPlatformConfig(): PlatformConfig {
    const stack = pulumi.getStack();
    const result = validateStackConfig(pulumi.runtime.allConfig(), stack, runtimeConfig.isConfigSecret);
    if (!result.ok) throw new ConfigValidationError(stack, result.problems);
    return result.config;
}

/**
 * Throws {@link ConfigValidationError} when `messaging.drTopics` names a Kafka topic the service catalog
 * does not create: config and catalog are valid on their own, but the bridge would have no source.
 */
export function checkDrTopics(cfg: PlatformConfig, kafkaTopics: readonly string[]): void {
    const problems = drTopicCatalogProblems(cfg.messaging.drTopics, kafkaTopics);
    if (problems.length > 0) throw new ConfigValidationError(cfg.stack, problems);
}
