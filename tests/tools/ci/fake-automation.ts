/**
 * The CI driver's test double: a recording Automation API seam, engine events as the CLI emits them, and
 * a runner that captures the driver's exit code and output. Shared by the tests/tools/ci specs.
 */
import * as assert from "assert";
import * as path from "path";
import { CommandError, type EngineEvent, type OpMap, type UpdateSummary } from "@pulumi/pulumi/automation";
import { runCi } from "../../../tools/ci/driver";
import type { AutomationApi, CliStatus, StackMode, StackOps } from "../../../tools/ci/seam";

export const ROOT = path.resolve(__dirname, "../../..");
export const POLICY = path.join(ROOT, "policy");
export const PROD_POLICY_CONFIG = path.join(POLICY, "config", "prod.json");
export const STREAMED = "engine output chunk\n";

type Call =
    | { method: "checkCli" }
    | { method: "stack"; name: string; workDir: string; mode: StackMode }
    | {
          method: "preview" | "up" | "previewRefresh" | "destroy";
          options: Record<string, unknown>;
          callbacks: string[];
      };

/** What one fake operation does: the events it emits, then the changes it reports or the error it throws. */
interface Behaviour {
    events?: EngineEvent[];
    result?: OpMap | Error;
}

/** A recording AutomationApi: every call in order, options without their callbacks, callbacks by name. */
export class FakeAutomation implements AutomationApi {
    readonly calls: Call[] = [];
    cli: CliStatus = { found: true, version: "3.200.0" };
    stackError?: Error;
    preview: Behaviour = { result: { create: 3, same: 2 } };
    up: Behaviour = { result: { create: 3, same: 2 } };
    previewRefresh: Behaviour = { result: { same: 5 } };
    destroy: Behaviour = { result: { delete: 5 } };

    async checkCli(): Promise<CliStatus> {
        this.calls.push({ method: "checkCli" });
        return this.cli;
    }

    async stack(name: string, workDir: string, mode: StackMode): Promise<StackOps> {
        this.calls.push({ method: "stack", name, workDir, mode });
        if (this.stackError) throw this.stackError;
        const op = (method: "preview" | "up" | "previewRefresh" | "destroy") => async (opts: any) => {
            const entries = Object.entries(opts ?? {});
            this.calls.push({
                method,
                options: Object.fromEntries(entries.filter(([, v]) => typeof v !== "function")),
                callbacks: entries.filter(([, v]) => typeof v === "function").map(([k]) => k),
            });
            opts.onOutput?.(STREAMED);
            for (const e of this[method].events ?? []) opts.onEvent?.(e);
            const result = this[method].result;
            if (result instanceof Error) throw result;
            return { stdout: "", stderr: "", changeSummary: result, outputs: {}, summary: summaryOf(result) };
        };
        return {
            preview: op("preview") as StackOps["preview"],
            up: op("up") as StackOps["up"],
            previewRefresh: op("previewRefresh") as StackOps["previewRefresh"],
            destroy: op("destroy") as StackOps["destroy"],
        };
    }

    methods(): string[] {
        return this.calls.map((c) => c.method);
    }

    options(method: string): Record<string, unknown> {
        const call = this.calls.find((c) => c.method === method);
        assert.ok(call && "options" in call, `${method} was not called`);
        return call.options;
    }
}

function summaryOf(resourceChanges: OpMap | undefined): UpdateSummary {
    const now = new Date(0);
    const base = { message: "", environment: {}, config: {}, startTime: now, endTime: now, version: 1 };
    return { ...base, kind: "update", result: "succeeded", resourceChanges };
}

export function event(fields: Partial<EngineEvent>): EngineEvent {
    return { sequence: 1, timestamp: 0, ...fields };
}

export const URN = "urn:pulumi:dev::multicloud-platform::aws:kms/key:Key::platform-key";

export function policyEvent(name: string, level: "mandatory" | "warning", message: string): EngineEvent {
    return event({
        policyEvent: {
            policyName: name,
            enforcementLevel: level,
            message,
            resourceUrn: URN,
            color: "never",
            policyPackName: "multicloud-platform-policies",
            policyPackVersion: "0.0.1",
            policyPackVersionTag: "0.0.1",
        },
    });
}

/** A CommandError as `pulumi preview` throws it: its message is the CLI's whole result. */
export function commandError(stderr: string): CommandError {
    return new CommandError(`code: 255\n stdout: \n stderr: ${stderr}\n err?: \n`);
}

/** Runs the driver on `argv` against `fake`, capturing its exit code and output. */
export async function run(argv: string[], fake = new FakeAutomation(), workDir?: string) {
    let stdout = "";
    let stderr = "";
    const output = { stdout: (s: string) => void (stdout += s), stderr: (s: string) => void (stderr += s) };
    const code = await runCi(argv, { automation: fake, output, workDir });
    return { code, stdout, stderr, fake };
}
