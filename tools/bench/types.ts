/**
 * The benchmark's vocabulary: what a worker measures, what it reports, and the constants both sides of
 * the process boundary share. See tools/bench.ts for what is measured and why.
 */

export const USAGE =
    "usage: npm run bench -- [--runs <n>] [--services <n,n,...>] [--json <file>] [--cpu-prof <dir>]\n" +
    "       node --import tsx tools/bench.ts --worker plan --stack <dev|prod> [--services <n>] [--runs <n>]\n" +
    "       node --import tsx tools/bench.ts --worker floor --customs <n> --components <n> [--inputs <n>] [--runs <n>]";
/** Warm runs per measurement: the whole bench stays under about two minutes on the 2-core machine. */
export const DEFAULT_RUNS = 3;
/** Catalog sizes of the prod plan; 200 is issue 13's goal (a cold prod plan under {@link CATALOG_GOAL_MS}). */
export const DEFAULT_SERVICES = [4, 16, 64, 200];
/** The cold prod plan with 200 catalog services must take less than this (issue 13). */
export const CATALOG_GOAL_MS = 10_000;
/** Entries of the repository's catalog (`catalog/services.yaml`). */
export const TODAYS_SERVICES = 4;
/** The goal: the prod plan within this factor of the floor. */
export const GOAL_RATIO = 1.3;
/** Promises the SDK makes per property of a resource: value, known, secret, dependencies. */
export const PROMISES_PER_PROPERTY = 4;
export const RESULT_MARKER = "BENCH_RESULT ";
/**
 * V8 flags of every process that runs plans (bench workers here; `npm run plan` and mocha carry the same
 * in package.json and .mocharc.json). A registration keeps its promises and closures alive until the
 * whole program has been declared, so at the default 16 MiB young generation nearly everything survives
 * two scavenges and is copied into the old space: half of a 200-service plan was scavenging. 128 MiB
 * lets most of it die young (measured: first run 13-17 s -> 9-12 s on the 2-core machine).
 */
export const PLAN_NODE_FLAGS = ["--max-semi-space-size=128"];

/** One timed run; `programMs + settleMs` is the `runStack` call. */
export interface Sample {
    /** From `runStack` until the program's promise resolved (config, mocks set-up, the program). */
    readonly programMs: number;
    /** From there until `runStack` returned: outstanding registrations answered (`waitForRPCs`). */
    readonly settleMs: number;
    /** `runPolicies` with the whole pack (plan only). */
    readonly policiesMs: number;
    /** The connectivity check over every platform and catalog flow, as `npm run plan` runs it (plan only). */
    readonly connectivityMs: number;
    readonly totalMs: number;
}

export type WorkerCase =
    | { readonly kind: "plan"; readonly stack: string; readonly services: number }
    | { readonly kind: "floor"; readonly customs: number; readonly components: number; readonly inputs: number };

export interface WorkerResult {
    readonly case: WorkerCase;
    readonly resources: number;
    /** Registered custom resources (providers included) and components (the stack included). */
    readonly customs: number;
    readonly components: number;
    readonly mandatoryViolations: number;
    /** Connectivity flows that did not meet their expectation (plan only). */
    readonly failedFlows: number;
    /** Promises the SDK wrapped in a run (`debuggablePromise`, or the run's lean stand-in for it). */
    readonly sdkPromises: number;
    /** Process start until the modules are loaded (Node and tsx start-up included). */
    readonly loadMs: number;
    /** The first run, which also loads the SDK modules that are loaded lazily. */
    readonly first: Sample;
    readonly samples: readonly Sample[];
    readonly median: Sample;
    /** Peak RSS once the modules were loaded, after the first run, and at the end, in MiB. */
    readonly rssAfterLoadMiB: number;
    readonly peakRssFirstRunMiB: number;
    readonly peakRssMiB: number;
}

export interface Measurement extends WorkerResult {
    /** Wall time of the whole worker process, as seen by the parent. */
    readonly processWallMs: number;
}

/** A plan and its floors. */
export interface Comparison {
    readonly plan: Measurement;
    readonly floor: Measurement;
    readonly sameSdkPromises?: Measurement;
}
