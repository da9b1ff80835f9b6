/**
 * Where the pack lives and which per-stack configuration goes with it: the same files for
 * `pulumi preview --policy-pack policy --policy-pack-config policy/config/<stack>.json`, the CI driver
 * (`npm run ci`) and the offline plan, so all three judge a stack alike.
 */
import type { PolicyPackConfig } from "@pulumi/policy";
import * as fs from "fs";
import * as path from "path";

/** The pack's directory, as `--policy-pack` takes it. */
export const POLICY_PACK_DIR = __dirname;

/** The stack's short name: `org/project/prod` and `prod` both read `policy/config/prod.json`. */
const shortName = (stack: string) => stack.split("/").pop() ?? stack;

/**
 * Path of the stack's pack configuration (`<packDir>/config/<stack>.json`), or undefined when the stack
 * runs on the policies' own defaults.
 */
export function policyPackConfigPath(stack: string, packDir: string = POLICY_PACK_DIR): string | undefined {
    const file = path.join(packDir, "config", `${shortName(stack)}.json`);
    return fs.existsSync(file) ? file : undefined;
}

/** The stack's pack configuration (`{}` when it has none). */
export function loadPolicyPackConfig(stack: string): PolicyPackConfig {
    const file = policyPackConfigPath(stack);
    return file ? (JSON.parse(fs.readFileSync(file, "utf8")) as PolicyPackConfig) : {};
}
