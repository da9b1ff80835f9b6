/**
 * The seam between the CI driver's decisions and the Pulumi Automation API: the driver sees only these
 * types, so tests hand it a recording fake and the real implementation stays a thin adapter
 * (`./automation.ts`).
 */
import type { Stack } from "@pulumi/pulumi/automation";

/** Whether a usable Pulumi CLI was found. */
export type CliStatus =
    | {
          readonly found: true;
          /** The CLI's version as it reports it, e.g. `3.200.0`. */
          readonly version: string;
      }
    | {
          readonly found: false;
          /** Why it cannot be used, in a few words (missing from PATH, too old, ...). */
          readonly detail: string;
      };

/**
 * How to reach the stack: `createOrSelect` for operations that may be a stack's first (preview, up);
 * `select` for those that only make sense on an existing stack (refresh, destroy), so that a typo in the
 * stack name fails instead of creating an empty stack that reports no drift.
 */
export type StackMode = "createOrSelect" | "select";

/** The stack operations the driver uses, with the Automation API's own option and result types. */
export type StackOps = Pick<Stack, "preview" | "up" | "previewRefresh" | "destroy">;

/** What the driver needs from the Automation API. */
export interface AutomationApi {
    /** Finds the Pulumi CLI; reports a missing or unusable one instead of throwing. */
    checkCli(): Promise<CliStatus>;
    /** Opens the stack of the local program in `workDir` on the backend the environment is logged into. */
    stack(name: string, workDir: string, mode: StackMode): Promise<StackOps>;
}
