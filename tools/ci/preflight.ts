/**
 * Checks made before the Pulumi CLI is touched: the stack file exists and its config passes the
 * program's own validator, and the policy pack files are where they should be. All pure file reads.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigValidationError } from "../../config/load";
import { validateStackConfig } from "../../config/validate";
import { policyPackConfigPath } from "../../policy/pack-config";
import { loadStackConfig, StackFileError } from "../../harness/stack-config";

/**
 * Validates `Pulumi.<stackStem>.yaml` in `workDir` with the program's validator and returns the messages
 * an operator needs, or `undefined` when the config is valid. The CLI later reads the same file, because
 * the workspace's workDir is the folder that holds it; nothing here writes it.
 */
export function stackConfigProblems(stackStem: string, workDir: string): string | undefined {
    let config: Record<string, string>;
    try {
        ({ config } = loadStackConfig(stackStem, { projectDir: workDir }));
    } catch (e) {
        if (e instanceof StackFileError)
            return `error: ${e.message}; the driver takes a stack's config only from Pulumi.${stackStem}.yaml in ${workDir}`;
        throw e;
    }
    const result = validateStackConfig(config, stackStem);
    return result.ok ? undefined : new ConfigValidationError(stackStem, result.problems).message;
}

/** The policy options preview and up share. */
export interface PolicyOptions {
    readonly policyPacks: string[];
    readonly policyPackConfigs?: string[];
}

/**
 * The policy pack in `<workDir>/policy`, with `explicitConfig` (resolved against `cwd`) or else
 * `policy/config/<stackStem>.json` when that exists. A named config file that does not exist is an error
 * message, not a silent fallback to the pack's defaults.
 */
export function policyOptions(
    stackStem: string,
    workDir: string,
    explicitConfig: string | undefined,
    cwd: string,
): { ok: true; options: PolicyOptions } | { ok: false; message: string } {
    const pack = path.join(workDir, "policy");
    if (explicitConfig !== undefined) {
        const file = path.resolve(cwd, explicitConfig);
        if (!fs.existsSync(file)) return { ok: false, message: `error: policy pack config ${file} does not exist` };
        return { ok: true, options: { policyPacks: [pack], policyPackConfigs: [file] } };
    }
    const stackDefault = policyPackConfigPath(stackStem, pack);
    return stackDefault
        ? { ok: true, options: { policyPacks: [pack], policyPackConfigs: [stackDefault] } }
        : { ok: true, options: { policyPacks: [pack] } };
}
