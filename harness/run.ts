/**
 * Runs the real program (or any program function) under Pulumi's mock runtime with a stack's
 * configuration, and returns every registered resource, the stack outputs and the error, if any.
 * The runtime is process-global, so runs are serialized.
 */
import * as pulumi from "@pulumi/pulumi";
import { PlatformMocks } from "./mocks";
import { RecordingMonitor, type RecordedResource } from "./recorder";
import { loadStackConfig, type LoadOptions } from "./stack-config";
import { usePlainStructs } from "./wire";

// Not in the public typings, but the runtime's own way to wait until every registration is answered.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

export interface StackRun {
    readonly project: string;
    readonly stack: string;
    readonly resources: readonly RecordedResource[];
    readonly outputs: Record<string, unknown>;
    /** Names of outputs that are secrets. */
    readonly secretOutputs: readonly string[];
    /** The error the program failed with, if it failed. */
    readonly error?: Error;
}

export interface RunOptions extends LoadOptions {
    readonly stack: string;
    /**
     * Config changes on top of the stack file, by key (`multicloud-platform:` is implied when the key
     * has no namespace). `undefined` deletes the key; objects are JSON-encoded.
     */
    readonly overrides?: Record<string, unknown>;
    /** Program to run. @default the platform's `main` */
    readonly program?: () => Promise<Record<string, unknown> | void>;
}

// Not in the public typings either: every promise the SDK makes for a registration goes through it, and
// it reads the function off the module's exports at each call, so a run can lend it another.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
    debuggablePromise<T>(p: Promise<T>, ctx: unknown): Promise<T>;
};

let leanPromises = 0;
/**
 * `debuggablePromise` without its debugging: the same chain (so every registration settles in the same
 * tick and the plan is the same to the byte), the same `err.promise` on a rejection, but no id, label
 * and stack on the promise and no entry in the leak-candidate set. Those exist to print the promises
 * still pending when a real deployment's process exits; an offline run waits for every registration
 * (`waitForRPCs`) and fails on what is left. They were 350,000 objects and stack strings, kept alive
 * for as long as the registration was pending, in a prod plan of 200 services.
 */
function leanPromise<T>(p: Promise<T>): Promise<T> {
    leanPromises++;
    return p
        .then((v) => v)
        .catch((err: { promise?: unknown }) => {
            err.promise = p;
            throw err;
        });
}

/** Promises the SDK wrapped during runs without `debuggablePromise`'s bookkeeping (the bench counts them). */
export function leanPromisesMade(): number {
    return leanPromises;
}

let queue: Promise<unknown> = Promise.resolve();

export function runStack(opts: RunOptions): Promise<StackRun> {
    const run = queue.then(() => runNow(opts));
    queue = run.catch(() => undefined);
    return run;
}

async function runNow(opts: RunOptions): Promise<StackRun> {
    const sc = loadStackConfig(opts.stack, opts);
    const config = { ...sc.config };
    for (const [k, v] of Object.entries(opts.overrides ?? {})) {
        const key = k.includes(":") ? k : `${sc.project}:${k}`;
        if (v === undefined) delete config[key];
        else config[key] = typeof v === "string" ? v : JSON.stringify(v);
    }

    const mocks = new PlatformMocks();
    const monitor = new RecordingMonitor(mocks);
    await pulumi.runtime.setMocks(mocks, sc.project, sc.stack, false);
    pulumi.runtime.setMockOptions(monitor, sc.project, sc.stack, false);
    pulumi.runtime.setAllConfig(config, sc.secretKeys);

    // Failures inside apply callbacks surface as unhandled rejections; the real runtime fails the
    // deployment on them, so the run does too.
    const stray: Error[] = [];
    const onStray = (e: unknown) => stray.push(e instanceof Error ? e : new Error(String(e)));
    process.on("unhandledRejection", onStray);
    let outputs: Record<string, unknown> = {};
    let error: Error | undefined;
    // The SDK captures a stack trace for every promise it makes, four per property of every resource
    // (31,000 for prod), to print them should one leak: three quarters of a plan's time. Errors made while
    // the program runs keep their messages but carry no frames; PLAN_STACK_TRACES=1 keeps the frames.
    const stackTraceLimit = Error.stackTraceLimit;
    // Likewise, every resource's constructor walks the whole stack (limit lifted, frames mapped through
    // tsx's source maps) to tell the engine where it was declared; nothing offline reads the position.
    // `callsites` is private in the SDK's typings, public in its JavaScript.
    const sdkResource = pulumi.Resource as unknown as { callsites: () => unknown[] };
    const callsites = sdkResource.callsites;
    if (!process.env.PLAN_STACK_TRACES) sdkResource.callsites = () => [];
    const debuggablePromise = debuggable.debuggablePromise;
    if (!process.env.PLAN_STACK_TRACES && !process.env.PULUMI_DEBUG_PROMISE_LEAKS) {
        debuggable.debuggablePromise = leanPromise;
    }
    const restoreStructs = usePlainStructs();
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const program = opts.program ?? (require("../program/main") as typeof import("../program/main")).main;
        if (!process.env.PLAN_STACK_TRACES) Error.stackTraceLimit = 0;
        outputs = ((await pulumi.runtime.runInPulumiStack(async () => (await program()) ?? {})) ?? {}) as Record<
            string,
            unknown
        >;
    } catch (e) {
        error = e instanceof Error ? e : new Error(String(e));
    }
    try {
        await settings.waitForRPCs();
    } catch (e) {
        error ??= e instanceof Error ? e : new Error(String(e));
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
        sdkResource.callsites = callsites;
        debuggable.debuggablePromise = debuggablePromise;
        restoreStructs();
    }
    // Let rejections queued by the last registrations be reported before the listener goes.
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", onStray);
    error ??= stray[0];
    return {
        project: sc.project,
        stack: sc.stack,
        resources: monitor.recorded,
        outputs,
        secretOutputs: [...monitor.secretStackOutputs],
        error,
    };
}
