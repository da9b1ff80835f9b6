/**
 * The real {@link AutomationApi}: a thin adapter over `@pulumi/pulumi/automation`. All decisions live in
 * `./driver.ts`; this file only finds the CLI and opens stacks.
 */
import { CommandError, LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import type { AutomationApi, CliStatus } from "./seam";

/**
 * `PulumiCommand.get()` runs `pulumi version` through execa; a missing binary surfaces as a CommandError
 * whose (private) result carries the spawn error with code ENOENT.
 */
function isMissingBinary(e: unknown): boolean {
    if (!(e instanceof CommandError)) return false;
    const spawnError = (e as unknown as { commandResult?: { err?: { code?: unknown } } }).commandResult?.err;
    return spawnError?.code === "ENOENT" || /\bENOENT\b/.test(e.message);
}

/** Creates the Automation API seam backed by the Pulumi CLI on PATH. */
export function createAutomation(): AutomationApi {
    // Found once and handed to every workspace, so `pulumi version` runs once per invocation.
    let command: PulumiCommand | undefined;
    return {
        async checkCli(): Promise<CliStatus> {
            try {
                command = await PulumiCommand.get();
            } catch (e) {
                if (isMissingBinary(e)) return { found: false, detail: "no `pulumi` executable was found on PATH" };
                // A CLI older than the SDK's minimum, or one whose `pulumi version` fails, is as unusable as a
                // missing one, and the SDK's message says what to upgrade.
                return { found: false, detail: (e as Error).message.trim() };
            }
            return { found: true, version: command.version?.toString() ?? "unknown" };
        },
        async stack(name, workDir, mode) {
            const args = { stackName: name, workDir };
            const opts = command ? { pulumiCommand: command } : undefined;
            return mode === "select"
                ? LocalWorkspace.selectStack(args, opts)
                : LocalWorkspace.createOrSelectStack(args, opts);
        },
    };
}
