/**
 * The CI driver's decisions: argument checks, the prod destroy guard, config and policy preflight, then
 * one Automation API operation through the {@link AutomationApi} seam, a summary and an exit code.
 */
import type { EngineEvent, OpMap } from "@pulumi/pulumi/automation";
import { CommandError } from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as path from "path";
import { parseCiArgs, USAGE, type CiArgs, type Operation } from "./args";
import { policyOptions, stackConfigProblems, type PolicyOptions } from "./preflight";
import type { AutomationApi, StackOps } from "./seam";
import {
    driftCounts,
    driftOf,
    formatChanges,
    formatDrift,
    formatViolations,
    markdownSummary,
    violationOf,
    type DriftedResource,
    type PolicyViolation,
} from "./summary";

/** Exit codes of `npm run ci`. */
export const ExitCode = {
    /** The operation succeeded; for refresh, no drift. */
    ok: 0,
    /** The operation failed, or the policy pack reported a mandatory violation. */
    failed: 1,
    /** Bad usage, a missing or invalid stack file or policy config, or a refused destroy. */
    usage: 2,
    /** refresh found resources whose cloud state differs from the stack's state. */
    drift: 3,
    /** No usable Pulumi CLI. */
    noCli: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Where the driver writes: engine output is passed through in chunks as it arrives. */
export interface CiOutput {
    stdout(chunk: string): void;
    stderr(chunk: string): void;
}

/** What {@link runCi} depends on. */
export interface CiDeps {
    readonly automation: AutomationApi;
    readonly output: CiOutput;
    /** The Pulumi project folder: holds Pulumi.yaml, the stack files and `policy/`. @default the repository root */
    readonly workDir?: string;
    /** Resolves a relative `--policy-pack-config` or `--summary-markdown`. @default process.cwd() */
    readonly cwd?: string;
    /** Writes the `--summary-markdown` file. @default fs.writeFileSync */
    readonly writeFile?: (file: string, text: string) => void;
}

const REPO_ROOT = path.resolve(__dirname, "../..");

/** Stacks whose destroy needs `--confirm-destroy <stack>`, by their short name. */
export const GUARDED_STACKS: readonly string[] = ["prod"];

/** Runs `npm run ci -- <argv>` and returns its exit code; never throws for an operation's failure. */
export async function runCi(argv: readonly string[], deps: CiDeps): Promise<ExitCode> {
    const out = (line: string) => deps.output.stdout(`${line}\n`);
    const err = (line: string) => deps.output.stderr(`${line}\n`);
    const workDir = deps.workDir ?? REPO_ROOT;

    const parsed = parseCiArgs(argv);
    if (!parsed.ok) {
        err(`error: ${parsed.message}\n${USAGE}`);
        return ExitCode.usage;
    }
    const args = parsed.args;

    const refusal = args.op === "destroy" ? destroyRefusal(args) : undefined;
    if (refusal) {
        err(refusal);
        return ExitCode.usage;
    }
    const configProblems = stackConfigProblems(args.stackStem, workDir);
    if (configProblems) {
        err(configProblems);
        return ExitCode.usage;
    }
    let policy: PolicyOptions | undefined;
    if (args.op === "preview" || args.op === "up") {
        const resolved = policyOptions(args.stackStem, workDir, args.policyPackConfig, deps.cwd ?? process.cwd());
        if (!resolved.ok) {
            err(resolved.message);
            return ExitCode.usage;
        }
        policy = resolved.options;
    }

    const cli = await deps.automation.checkCli();
    if (!cli.found) {
        err(noCliMessage(args, cli.detail));
        return ExitCode.noCli;
    }
    out(`Pulumi CLI ${cli.version}: ${args.op} of stack ${args.stack}`);
    if (policy)
        out(`Policy pack ${policy.policyPacks[0]}, config ${policy.policyPackConfigs?.[0] ?? "(pack defaults)"}`);

    let stack: StackOps;
    try {
        const mode = args.op === "preview" || args.op === "up" ? "createOrSelect" : "select";
        stack = await deps.automation.stack(args.stack, workDir, mode);
    } catch (e) {
        // Selecting runs the CLI without streaming, so its whole result (login problems, unknown stack) is the message.
        err(`error: cannot open stack ${args.stack}: ${(e as Error).message.trim()}`);
        return ExitCode.failed;
    }

    const summaries: Summary[] = [];
    const io: Io = { out, err, output: deps.output, summary: (s) => summaries.push(s) };
    // policy is resolved above for exactly the two operations that take it.
    switch (args.op) {
        case "preview":
            return written(await preview(stack, policy!, io));
        case "up":
            return written(await up(stack, policy!, io));
        case "refresh":
            return refresh(stack, args, io);
        case "destroy":
            return destroy(stack, args, io);
    }

    /** Writes the last summary (an up's, or the preview that stopped it) to `--summary-markdown`, if asked. */
    function written(code: ExitCode): ExitCode {
        const last = summaries[summaries.length - 1];
        if (args.summaryMarkdown === undefined || last === undefined) return code;
        const file = path.resolve(deps.cwd ?? process.cwd(), args.summaryMarkdown);
        const verdict = code === ExitCode.ok ? "passed" : "failed";
        (deps.writeFile ?? fs.writeFileSync)(file, markdownSummary(last.op, args.stack, verdict, last.lines));
        out(`Summary written to ${file}`);
        return code;
    }
}

/** What one operation concluded with: the lines printed after the engine's output. */
interface Summary {
    readonly op: Operation;
    readonly lines: readonly string[];
}

interface Io {
    out(line: string): void;
    err(line: string): void;
    output: CiOutput;
    summary?(s: Summary): void;
}

/** The refusal message for destroying a guarded stack without the matching confirmation, if any. */
export function destroyRefusal(args: CiArgs): string | undefined {
    const guarded = GUARDED_STACKS.includes(args.stackStem);
    if (args.confirmDestroy === args.stack || (!guarded && args.confirmDestroy === undefined)) return undefined;
    const got = args.confirmDestroy === undefined ? "" : ` (got --confirm-destroy ${args.confirmDestroy})`;
    return [
        `error: refusing to destroy ${args.stack} without confirmation${got}.`,
        `To destroy it, pass the same stack name: npm run ci -- destroy --stack ${args.stack} --confirm-destroy ${args.stack}`,
        ...(guarded
            ? [
                  "Prod also marks its keys and stateful resources `protect`, so the destroy fails on them until each is",
                  `released with \`pulumi state unprotect --stack ${args.stack} <urn>\`.`,
              ]
            : []),
    ].join("\n");
}

function noCliMessage(args: CiArgs, detail: string): string {
    return [
        `error: the Pulumi CLI is required for \`npm run ci -- ${args.op}\`, and none is usable: ${detail}.`,
        "Install it from https://www.pulumi.com/docs/install/ or with `curl -fsSL https://get.pulumi.com | sh`;",
        "in GitHub Actions, add the pulumi/actions setup step before this one.",
        `Without a CLI or a cloud account, \`npm run plan -- --stack ${args.stackStem}\` evaluates the program offline`,
        "and applies the same policy pack.",
    ].join("\n");
}

/** Streams engine output and collects what the summaries need from engine events. */
function streaming(io: Io, violations: PolicyViolation[], drift?: DriftedResource[]) {
    return {
        onOutput: (chunk: string) => io.output.stdout(chunk),
        onError: (chunk: string) => io.output.stderr(chunk),
        onEvent: (event: EngineEvent) => {
            const v = violationOf(event);
            if (v) violations.push(v);
            const d = drift && driftOf(event);
            if (d) drift.push(d);
        },
    };
}

/** The line for a failed operation; a CommandError's output has already been streamed, so no dump of it. */
function failure(op: string, e: unknown, mandatory: number): string {
    if (mandatory > 0) return `error: pulumi ${op} failed: ${mandatory} mandatory policy violation(s), listed above.`;
    if (e instanceof CommandError) return `error: pulumi ${op} failed; the engine's output above says why.`;
    return `error: pulumi ${op} failed: ${(e as Error).message}`;
}

/** Summary lines, then the exit code: mandatory violations or an error fail the operation. */
function conclude(io: Io, op: Operation, changes: string, violations: PolicyViolation[], error: unknown): ExitCode {
    const mandatory = violations.filter((v) => v.level === "mandatory").length;
    const lines = [changes, ...formatViolations(violations)];
    io.out("");
    io.out(lines.join("\n"));
    io.summary?.({ op, lines });
    if (error !== undefined || mandatory > 0) {
        io.err(failure(op, error, mandatory));
        return ExitCode.failed;
    }
    return ExitCode.ok;
}

async function preview(stack: StackOps, policy: PolicyOptions, io: Io): Promise<ExitCode> {
    const violations: PolicyViolation[] = [];
    let changes: OpMap | undefined;
    let error: unknown;
    try {
        ({ changeSummary: changes } = await stack.preview({ ...policy, ...streaming(io, violations) }));
    } catch (e) {
        // The CLI exits non-zero on a mandatory violation; the events have been delivered by then.
        error = e;
    }
    const line = changes ? formatChanges("Preview", changes) : "Preview: did not complete";
    return conclude(io, "preview", line, violations, error);
}

async function up(stack: StackOps, policy: PolicyOptions, io: Io): Promise<ExitCode> {
    // Stack.up runs `pulumi up --skip-preview`; this preview is the gate that keeps violations out of the cloud.
    const gate = await preview(stack, policy, io);
    if (gate !== ExitCode.ok) {
        io.err("Not running up: the preview must pass first.");
        return gate;
    }
    const violations: PolicyViolation[] = [];
    let changes: OpMap | undefined;
    let error: unknown;
    try {
        ({
            summary: { resourceChanges: changes },
        } = await stack.up({ ...policy, ...streaming(io, violations) }));
    } catch (e) {
        error = e;
    }
    const line = error === undefined ? formatChanges("Update", changes) : "Update: failed";
    return conclude(io, "up", line, violations, error);
}

async function refresh(stack: StackOps, args: CiArgs, io: Io): Promise<ExitCode> {
    const drifted: DriftedResource[] = [];
    let changes: OpMap;
    try {
        // previewRefresh is `pulumi refresh --preview-only`: it reads the cloud and never writes the state.
        ({ changeSummary: changes } = await stack.previewRefresh(streaming(io, [], drifted)));
    } catch (e) {
        io.err(failure("refresh --preview-only", e, 0));
        return ExitCode.failed;
    }
    io.out("");
    io.out(formatDrift(args.stack, changes, drifted).join("\n"));
    return driftCounts(changes).length > 0 ? ExitCode.drift : ExitCode.ok;
}

async function destroy(stack: StackOps, args: CiArgs, io: Io): Promise<ExitCode> {
    try {
        const { summary } = await stack.destroy(streaming(io, []));
        io.out("");
        io.out(formatChanges("Destroy", summary.resourceChanges));
        return ExitCode.ok;
    } catch (e) {
        io.err(failure("destroy", e, 0));
        if (GUARDED_STACKS.includes(args.stackStem))
            io.err(
                `Protected resources stop a destroy: release them with \`pulumi state unprotect --stack ${args.stack} <urn>\`.`,
            );
        return ExitCode.failed;
    }
}
