/**
 * Pure validation of raw stack configuration into a {@link PlatformConfig}. The checks are rules
 * (`config/rules/*`), one file per section, run by the shared runner: it never stops at the first
 * problem, so an operator fixes a stack file in one pass. Each message names the key, the value
 * received, what is allowed and how to fix it.
 */
import {
    CONFIG_KEYS,
    DATA_DEFAULTS,
    MESSAGING_DEFAULTS,
    PROJECT,
    type Environment,
    type PlatformConfig,
} from "./schema";
import { dataRules } from "./rules/data";
import { deployConfig, deployRules } from "./rules/deploy";
import { messagingRules } from "./rules/messaging";
import { projectConfig, stackKeyProblems } from "./rules/namespaces";
import { networkConfig, networkRules } from "./rules/network";
import { placementRules, unknownTopLevelRules } from "./rules/placement";
import { configProblems, configView, type ConfigView, type RawConfig } from "./rules/rule";
import { sizingRules } from "./rules/sizing";
import { tagsConfig, tagsRules } from "./rules/tags";

export { problem } from "./rules/rule";
export type { RawConfig } from "./rules/rule";

export type ValidationResult = { ok: true; config: PlatformConfig } | { ok: false; problems: string[] };

/** Every rule of the project's keys, in the order the stack file lists its sections. */
function platformRules(view: ConfigView) {
    return [
        ...unknownTopLevelRules(view, CONFIG_KEYS),
        ...placementRules(view),
        ...networkRules(view),
        ...tagsRules(view),
        ...sizingRules(view),
        ...messagingRules(view),
        ...dataRules(view),
        ...deployRules(view),
    ];
}

/** The typed config of a view whose rules all passed. */
function platformConfig(view: ConfigView): PlatformConfig {
    const r = view.resolved as Record<string, Record<string, unknown>>;
    const environment = view.environment as Environment;
    return {
        project: PROJECT,
        stack: view.stack,
        environment,
        aws: r.aws as unknown as PlatformConfig["aws"],
        gcp: r.gcp as unknown as PlatformConfig["gcp"],
        network: networkConfig(r.network),
        tags: tagsConfig(r.tags, environment),
        sizing: r.sizing as unknown as PlatformConfig["sizing"],
        messaging: (r.messaging ?? MESSAGING_DEFAULTS) as unknown as PlatformConfig["messaging"],
        data: (r.data ?? DATA_DEFAULTS) as unknown as PlatformConfig["data"],
        deploy: deployConfig(r.deploy),
        protectStatefulResources: environment === "prod",
    };
}

/**
 * Validates raw config for `stack`. `raw` holds the project-namespace keys without their namespace,
 * structured values already parsed from JSON.
 */
export function validatePlatformConfig(raw: RawConfig, stack: string): ValidationResult {
    const view = configView(raw, stack);
    const problems = configProblems(view, platformRules(view));
    return problems.length > 0 ? { ok: false, problems } : { ok: true, config: platformConfig(view) };
}

/**
 * Validates a whole stack's config, the flat `namespace:key -> string` map the runtime holds: the
 * namespaces and `pulumi:` keys first, then the project's keys.
 */
export function validateStackConfig(
    all: Readonly<Record<string, string>>,
    stack: string,
    isSecret?: (key: string) => boolean,
): ValidationResult {
    const stackProblems = stackKeyProblems(all, stack, isSecret);
    const result = validatePlatformConfig(projectConfig(all), stack);
    if (stackProblems.length === 0) return result;
    return { ok: false, problems: [...stackProblems, ...(result.ok ? [] : result.problems)] };
}
