/**
 * A GitHub Actions workflow as the audit reads it: the typed shape of the parts it checks, and readers
 * that expand matrices and find the project commands and `npm run ci` operations of each job.
 */

export type Dict = Record<string, unknown>;

export interface Step {
    readonly name?: string;
    readonly if?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Dict;
    readonly env?: Dict;
    readonly shell?: string;
}

export interface Job {
    readonly needs?: string | string[];
    readonly if?: string;
    readonly environment?: string | { readonly name?: string };
    readonly permissions?: string | Dict;
    readonly concurrency?: string | { readonly group?: string; readonly "cancel-in-progress"?: unknown };
    readonly strategy?: { readonly matrix?: Dict };
    readonly steps?: Step[];
    readonly uses?: string;
    readonly "runs-on"?: string | string[];
}

export interface Workflow {
    readonly on?: unknown;
    readonly permissions?: string | Dict;
    readonly jobs?: Record<string, Job>;
}

/** One `npm run ci` operation of a job, for one matrix instance: `preview --stack dev`. */
export interface CiOperation {
    readonly step: number;
    readonly operation: string;
    readonly stack: string | undefined;
}

/** A `${{ ... }}` expression; group 1 is its body. */
export const EXPRESSION = /\$\{\{\s*(.*?)\s*\}\}/g;

export function triggers(wf: Workflow): string[] {
    const on = wf.on;
    if (typeof on === "string") return [on];
    if (Array.isArray(on)) return on.map(String);
    return on && typeof on === "object" ? Object.keys(on) : [];
}

export function jobs(wf: Workflow): [string, Job][] {
    return Object.entries(wf.jobs ?? {});
}

export function steps(job: Job): Step[] {
    return job.steps ?? [];
}

export function runLines(step: Step): string[] {
    return (step.run ?? "")
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== "");
}

export function actionName(step: Step): string | undefined {
    return step.uses?.split("@")[0];
}

export function findStep(job: Job, action: string): number {
    return steps(job).findIndex((s) => actionName(s) === action);
}

export function environmentName(job: Job): string | undefined {
    return typeof job.environment === "string" ? job.environment : job.environment?.name;
}

export function needsOf(job: Job): string[] {
    return job.needs === undefined ? [] : ([] as string[]).concat(job.needs);
}

/** The matrix instances of a job: the product of its axes plus its `include` rows; one empty instance without a matrix. */
export function matrixInstances(job: Job): Record<string, string>[] {
    const matrix = job.strategy?.matrix;
    if (!matrix) return [{}];
    const axes = Object.entries(matrix).filter(([k, v]) => k !== "include" && k !== "exclude" && Array.isArray(v));
    let product: Record<string, string>[] = axes.length > 0 ? [{}] : [];
    for (const [axis, values] of axes) {
        product = product.flatMap((i) => (values as unknown[]).map((v) => ({ ...i, [axis]: String(v) })));
    }
    const include = Array.isArray(matrix.include) ? (matrix.include as Dict[]) : [];
    const rows = include.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)])));
    const all = [...product, ...rows];
    return all.length > 0 ? all : [{}];
}

/** Replaces `${{ matrix.x }}` by the instance's value; other expressions stay as they are. */
export function expand(text: string, instance: Record<string, string>): string {
    return text.replace(EXPRESSION, (whole, body: string) => {
        const key = /^matrix\.([\w-]+)$/.exec(body)?.[1];
        return key !== undefined && instance[key] !== undefined ? instance[key] : whole;
    });
}

/** Every `npm run ci` operation of a job, expanded over its matrix. */
export function ciOperations(job: Job): CiOperation[] {
    const found: CiOperation[] = [];
    for (const instance of matrixInstances(job)) {
        steps(job).forEach((step, i) => {
            for (const line of runLines(step)) {
                const words = expand(line, instance).split(/\s+/);
                if (words.slice(0, 4).join(" ") !== "npm run ci --") continue;
                const at = words.indexOf("--stack");
                found.push({ step: i, operation: words[4] ?? "", stack: at < 0 ? undefined : words[at + 1] });
            }
        });
    }
    return found;
}

/** Every run line of a job, expanded over its matrix. */
export function expandedLines(job: Job): string[] {
    return matrixInstances(job).flatMap((instance) =>
        steps(job).flatMap((s) => runLines(s).map((l) => expand(l, instance))),
    );
}

/** The stacks a job runs `npm run ci -- <operation>` on. */
export function stacksOperated(job: Job | undefined, operation: string): string[] {
    return job ? ciOperations(job).flatMap((o) => (o.operation === operation && o.stack ? [o.stack] : [])) : [];
}
