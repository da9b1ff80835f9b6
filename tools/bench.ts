/**
 * Benchmark of the offline plan against the mock runtime's own floor.
 *
 *   npm run bench [-- --runs 3] [--services 4,8,16,32,64] [--json bench.json] [--cpu-prof <dir>]
 *
 * Every measurement runs in a fresh Node process (a worker: this file with `--worker`), so that peak RSS
 * and timings owe nothing to an earlier case. A worker loads its modules, runs its case once (cold: the
 * SDK modules that load lazily load here) and then `--runs` more times; the headline is the median of
 * those warm runs, each started from a collected heap.
 *
 * - plan: what `npm run plan` does, `runStack` (the program under the mock runtime, through the recorder
 *   and the mocks) then `runPolicies` with the whole pack.
 * - floor: the same `runStack` path with a program of trivial resources, as many as the plan registered
 *   and split the same way into components and custom resources (each custom resource with one input and
 *   a component parent, each component calling `registerOutputs`). It is what the runtime, the recorder
 *   and the mocks cost per registration, without anything of the program's: no Outputs passed between
 *   resources, no applies, no invokes, no policy pass (policies are plan cost).
 * - floor with as many SDK promises: the same trivial program, with enough inputs per custom resource
 *   that the SDK creates as many promises as for the plan. The SDK makes an Output and four promises for
 *   every property a resource declares, and real resources declare dozens; this floor separates that
 *   per-property cost from what is the program's own.
 *
 * Services are catalog entries; `--services` adds generated ones to the catalog's four (each a whole
 * entry like today's average service: data store, cache, subscription, event, callee, route) through
 * `main`'s options, so each gets every piece a real entry gets.
 *
 * A worker can be run alone, e.g. under a profiler:
 *   node --import tsx --cpu-prof tools/bench.ts --worker plan --stack prod --services 4 --runs 3
 *
 * The pieces are in tools/bench/: types, services (the generated entries), worker, parent, report.
 */
import { parseArgs } from "util";
import { parent } from "./bench/parent";
import { DEFAULT_RUNS, RESULT_MARKER, TODAYS_SERVICES, USAGE, type WorkerCase } from "./bench/types";
import { worker } from "./bench/worker";

async function workerCli(argv: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
            worker: { type: "boolean" },
            stack: { type: "string" },
            services: { type: "string" },
            customs: { type: "string" },
            components: { type: "string" },
            inputs: { type: "string" },
            runs: { type: "string" },
        },
    });
    const runs = Number(values.runs ?? DEFAULT_RUNS);
    const kind = positionals[0];
    let c: WorkerCase;
    if (kind === "plan" && values.stack) {
        c = { kind, stack: values.stack, services: Number(values.services ?? TODAYS_SERVICES) };
    } else if (kind === "floor" && values.customs && values.components) {
        c = {
            kind,
            customs: Number(values.customs),
            components: Number(values.components),
            inputs: Number(values.inputs ?? 1),
        };
    } else {
        console.error(USAGE);
        return 2;
    }
    const numbers = c.kind === "plan" ? [c.services] : [c.customs, c.components, c.inputs - 1];
    if (!Number.isInteger(runs) || runs < 1 || numbers.some((n) => !Number.isInteger(n) || n < 0)) {
        console.error(USAGE);
        return 2;
    }
    const result = await worker(c, runs);
    console.log(RESULT_MARKER + JSON.stringify(result));
    return 0;
}

if (require.main === module) {
    const argv = process.argv.slice(2);
    (argv.includes("--worker") ? workerCli(argv) : parent(argv)).then(
        (code) => process.exit(code),
        (e) => {
            console.error(`error: ${(e as Error).stack ?? e}`);
            process.exit(1);
        },
    );
}
