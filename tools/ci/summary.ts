/** What the driver prints after an operation: pure functions from engine events and summaries to lines. */
import type { EngineEvent, OpMap, OpType } from "@pulumi/pulumi/automation";

/** One policy violation reported by the engine. */
export interface PolicyViolation {
    readonly policy: string;
    /** The engine says `warning` for advisory policies. */
    readonly level: "mandatory" | "advisory";
    /** Empty for stack-level policies. */
    readonly urn: string;
    readonly message: string;
}

/** The violation an engine event reports, if it reports one. */
export function violationOf(event: EngineEvent): PolicyViolation | undefined {
    const p = event.policyEvent;
    if (!p) return undefined;
    return {
        policy: p.policyName,
        level: p.enforcementLevel === "mandatory" ? "mandatory" : "advisory",
        urn: p.resourceUrn ?? "",
        message: p.message.trim(),
    };
}

// Most consequential first, "same" last; any op the engine adds later is appended in its own order.
const OP_ORDER: readonly OpType[] = [
    "create",
    "update",
    "replace",
    "delete",
    "create-replacement",
    "delete-replaced",
    "read",
    "read-replacement",
    "import",
    "import-replacement",
    "refresh",
    "discard",
    "discard-replaced",
    "remove-pending-replace",
    "same",
];

/** Non-zero counts of `ops`, in {@link OP_ORDER}. */
export function opCounts(ops: OpMap | undefined): [string, number][] {
    const entries = Object.entries(ops ?? {}).filter(
        (e): e is [string, number] => typeof e[1] === "number" && e[1] > 0,
    );
    const rank = (op: string) => (OP_ORDER.includes(op as OpType) ? OP_ORDER.indexOf(op as OpType) : OP_ORDER.length);
    return entries.sort((a, b) => rank(a[0]) - rank(b[0]));
}

/** `<title>: create 3, update 1, same 40`, or `no resources` for an empty map. */
export function formatChanges(title: string, ops: OpMap | undefined): string {
    const counts = opCounts(ops);
    return `${title}: ${counts.length === 0 ? "no resources" : counts.map(([op, n]) => `${op} ${n}`).join(", ")}`;
}

/** Counts, then every violation with its URN and indented message, mandatory first. */
export function formatViolations(violations: readonly PolicyViolation[]): string[] {
    const mandatory = violations.filter((v) => v.level === "mandatory");
    const advisory = violations.filter((v) => v.level === "advisory");
    const lines = [`Policy violations: ${mandatory.length} mandatory, ${advisory.length} advisory`];
    for (const v of [...mandatory, ...advisory]) {
        lines.push(`  [${v.level}] ${v.policy}: ${v.urn || "(stack)"}`);
        for (const line of v.message.split("\n")) lines.push(`      ${line}`);
    }
    return lines;
}

/** A resource a refresh would change. */
export interface DriftedResource {
    readonly urn: string;
    /** `delete` when the resource is gone, `update` otherwise. */
    readonly change: "update" | "delete";
    /** Properties that differ, when the engine names them. */
    readonly keys: readonly string[];
}

/**
 * The drift a refresh outputs event reports. Refresh steps carry op `refresh` for every resource; the
 * engine signals drift by a missing new state (deleted) or changed keys (`diffs`).
 */
export function driftOf(event: EngineEvent): DriftedResource | undefined {
    const m = event.resOutputsEvent?.metadata;
    if (!m || m.op === "same") return undefined;
    if (m.op !== "refresh") return { urn: m.urn, change: m.op === "delete" ? "delete" : "update", keys: m.diffs ?? [] };
    if (!m.new) return { urn: m.urn, change: "delete", keys: [] };
    return m.diffs && m.diffs.length > 0 ? { urn: m.urn, change: "update", keys: m.diffs } : undefined;
}

/** Ops other than `same` with a non-zero count: what a refresh would write to the state. */
export function driftCounts(ops: OpMap | undefined): [string, number][] {
    return opCounts(ops).filter(([op]) => op !== "same");
}

/** The drift report: counts, then each drifted resource the engine named. */
export function formatDrift(stack: string, ops: OpMap | undefined, resources: readonly DriftedResource[]): string[] {
    const counts = driftCounts(ops);
    if (counts.length === 0) {
        const seen = opCounts(ops).map(([op, n]) => `${op} ${n}`);
        return [`No drift in ${stack}: the cloud matches the state (${seen.join(", ") || "no resources"}).`];
    }
    const lines = [
        `Drift in ${stack}: ${counts.map(([op, n]) => `${op} ${n}`).join(", ")}; the state no longer matches the cloud.`,
    ];
    for (const r of resources)
        lines.push(`  ${r.change.padEnd(6)} ${r.urn}${r.keys.length ? ` (${r.keys.join(", ")})` : ""}`);
    if (resources.length === 0) lines.push("  (the engine named no resources; the refresh output above shows them)");
    lines.push(`Review it, then fix the cloud or adopt the change with \`pulumi refresh --stack ${stack}\`.`);
    return lines;
}

/** The verdict of a preview or up, as the Markdown summary's heading states it. */
export type Verdict = "passed" | "failed";

/**
 * The Markdown a pull request comment shows for one stack: a heading with the operation, stack and
 * verdict, then the very lines the driver printed (change counts and every violation) in a fenced block,
 * so that no policy message is read as Markdown. The fence is longer than any backtick run inside.
 */
export function markdownSummary(op: string, stack: string, verdict: Verdict, lines: readonly string[]): string {
    const longest = Math.max(2, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((r) => r.length))));
    const fence = "`".repeat(longest + 1);
    return [`### \`${op}\` of \`${stack}\`: ${verdict}`, "", fence, ...lines, fence, ""].join("\n");
}
