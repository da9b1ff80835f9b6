/**
 * One benchmark case in this process: load the modules, run the case once cold, then `runs` warm runs
 * from a collected heap, counting registrations, SDK promises and peak RSS.
 */
import { performance } from "perf_hooks";
import type { RecordedResource } from "../../harness/recorder";
import { platformOptions } from "./services";
import { type Sample, TODAYS_SERVICES, type WorkerCase, type WorkerResult } from "./types";

const mib = (kib: number) => Math.round(kib / 1024);
const maxRssKiB = () => process.resourceUsage().maxRSS;

function median(samples: readonly Sample[]): Sample {
    const mid = (xs: number[]) => {
        const s = [...xs].sort((a, b) => a - b);
        return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    };
    return {
        programMs: mid(samples.map((s) => s.programMs)),
        settleMs: mid(samples.map((s) => s.settleMs)),
        policiesMs: mid(samples.map((s) => s.policiesMs)),
        connectivityMs: mid(samples.map((s) => s.connectivityMs)),
        totalMs: mid(samples.map((s) => s.totalMs)),
    };
}

export /** Runs case `c` once cold and `runs` times warm in this process. */
async function worker(c: WorkerCase, runs: number): Promise<WorkerResult> {
    // Loaded here, not at the top: the parent needs none of it, and the load is measured.
    const pulumi = await import("@pulumi/pulumi");
    const { runStack, leanPromisesMade } = await import("../../harness/run");
    // Internal to the SDK, read only to count: it numbers the promises it wraps.
    const debuggable = (await import("@pulumi/pulumi/runtime/debuggable")) as unknown as {
        debuggablePromise(p: Promise<void>, ctx: string): Promise<void>;
    };
    let program: () => Promise<Record<string, unknown>>;
    /** Applies the policy pack; resolves to the number of mandatory violations. */
    let policies: ((resources: readonly RecordedResource[]) => Promise<number>) | undefined;
    /** Checks every connectivity flow; resolves to the number that failed. */
    let connectivity: ((resources: readonly RecordedResource[]) => number) | undefined;
    let stack = "prod";
    if (c.kind === "plan") {
        const { main } = await import("../../program/main");
        const { runPolicies } = await import("../../harness/policy-runner");
        const { allPolicies } = await import("../../policy/policies");
        const options = platformOptions(c.services, c.stack);
        // Today's platform gets no options at all: exactly what Pulumi and `npm run plan` run.
        program = c.services === TODAYS_SERVICES ? () => main() : () => main(options);
        policies = async (resources) =>
            (await runPolicies(resources, allPolicies)).filter((v) => v.level === "mandatory").length;
        const { checkConnectivity, deployerCidrsFrom } = await import("../../harness/connectivity/report");
        const { stackServiceFlows } = await import("../../harness/connectivity/stack-flows");
        const { loadStackConfig } = await import("../../harness/stack-config");
        const { config } = loadStackConfig(c.stack);
        const flowOptions = {
            deployerCidrs: deployerCidrsFrom(config),
            extraFlows: stackServiceFlows(c.stack, { config, catalog: options.catalog }),
        };
        connectivity = (resources) =>
            checkConnectivity(resources, flowOptions).results.filter((r) => r.status === "fail" || r.status === "error")
                .length;
        stack = c.stack;
    } else {
        class Group extends pulumi.ComponentResource {
            constructor(name: string) {
                super("bench:index:Group", name);
                this.registerOutputs({});
            }
        }
        const more = Object.fromEntries(Array.from({ length: c.inputs - 1 }, (_, k) => [`input${k + 1}`, k]));
        class Trivial extends pulumi.CustomResource {
            constructor(name: string, index: number, parent: Group | undefined) {
                super("bench:index:Trivial", name, { index, ...more }, { parent });
            }
        }
        const { customs, components } = c;
        program = async () => {
            const groups = Array.from({ length: components }, (_, i) => new Group(`group-${i}`));
            for (let i = 0; i < customs; i++) new Trivial(`trivial-${i}`, i, groups[i % components]);
            return {};
        };
    }
    const loadMs = performance.now();
    const rssAfterLoadMiB = mib(maxRssKiB());

    // The SDK's own count, plus the promises a run wrapped without its bookkeeping (harness/run.ts).
    const promiseNumber = () => {
        const probe = Promise.resolve();
        void debuggable.debuggablePromise(probe, "bench probe");
        return (probe as unknown as { _debugId: number })._debugId + leanPromisesMade();
    };
    const gc = (globalThis as { gc?: () => void }).gc;
    let counts:
        | Pick<
              WorkerResult,
              "resources" | "customs" | "components" | "mandatoryViolations" | "failedFlows" | "sdkPromises"
          >
        | undefined;
    const once = async (): Promise<Sample> => {
        // Each run starts from a collected heap, as a one-shot `npm run plan` does.
        gc?.();
        const firstPromise = promiseNumber();
        let programEnd = 0;
        const t0 = performance.now();
        const run = await runStack({
            stack,
            program: async () => {
                const outputs = await program();
                programEnd = performance.now();
                return outputs;
            },
        });
        const t1 = performance.now();
        if (run.error) throw run.error;
        const mandatoryViolations = policies ? await policies(run.resources) : 0;
        const t2 = performance.now();
        const failedFlows = connectivity ? connectivity(run.resources) : 0;
        const t3 = performance.now();
        const sdkPromises = promiseNumber() - firstPromise - 1;
        const customs = run.resources.filter((r) => r.custom).length;
        const components = run.resources.length - customs;
        counts = {
            resources: run.resources.length,
            customs,
            components,
            mandatoryViolations,
            failedFlows,
            sdkPromises,
        };
        return {
            programMs: programEnd - t0,
            settleMs: t1 - programEnd,
            policiesMs: t2 - t1,
            connectivityMs: t3 - t2,
            totalMs: t3 - t0,
        };
    };

    const first = await once();
    const peakRssFirstRunMiB = mib(maxRssKiB());
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) samples.push(await once());
    return {
        case: c,
        ...counts!,
        loadMs,
        first,
        samples,
        median: median(samples),
        rssAfterLoadMiB,
        peakRssFirstRunMiB,
        peakRssMiB: mib(maxRssKiB()),
    };
}
