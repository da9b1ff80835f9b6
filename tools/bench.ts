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
 * Services are the messaging consumers; `--services` adds synthetic ones to today's four (each with one
 * subscription and one EventBridge route, like today's average service) through `main`'s options.
 *
 * A worker can be run alone, e.g. under a profiler:
 *   node --import tsx --cpu-prof tools/bench.ts --worker plan --stack prod --services 4 --runs 3
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { parseArgs } from "util";
import type { EventRoute, ServiceSubscription } from "../components/messaging/messaging-routes";
import type { PlatformOptions } from "../program/main";
import type { RecordedResource } from "../harness/recorder";

const ROOT = path.resolve(__dirname, "..");
const USAGE =
    "usage: npm run bench -- [--runs <n>] [--services <n,n,...>] [--json <file>] [--cpu-prof <dir>]\n" +
    "       node --import tsx tools/bench.ts --worker plan --stack <dev|prod> [--services <n>] [--runs <n>]\n" +
    "       node --import tsx tools/bench.ts --worker floor --customs <n> --components <n> [--inputs <n>] [--runs <n>]";
/** Warm runs per measurement: the whole bench stays under about two minutes on the 2-core machine. */
const DEFAULT_RUNS = 3;
const DEFAULT_SERVICES = [4, 8, 16, 32, 64];
/** Consuming services today (PLATFORM_SUBSCRIPTIONS and PLATFORM_EVENT_ROUTES). */
const TODAYS_SERVICES = 4;
/** The issue's goal: the prod plan within this factor of the floor. */
const GOAL_RATIO = 1.3;
/** Promises the SDK makes per property of a resource: value, known, secret, dependencies. */
const PROMISES_PER_PROPERTY = 4;
const RESULT_MARKER = "BENCH_RESULT ";

/** One timed run; `programMs + settleMs` is the `runStack` call. */
export interface Sample {
    /** From `runStack` until the program's promise resolved (config, mocks set-up, the program). */
    readonly programMs: number;
    /** From there until `runStack` returned: outstanding registrations answered (`waitForRPCs`). */
    readonly settleMs: number;
    /** `runPolicies` with the whole pack (plan only). */
    readonly policiesMs: number;
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
    /** Promises the SDK created in a run (`debuggablePromise`, each with a stack trace captured). */
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

// ---------------------------------------------------------------------------------------------------
// Synthetic services

/** Today's consumers plus synthetic ones up to `services`. */
export function platformOptions(
    services: number,
    base: { subscriptions: readonly ServiceSubscription[]; routes: readonly EventRoute[]; topics: readonly string[] },
): PlatformOptions {
    const today = new Set([...base.subscriptions.map((s) => s.service), ...base.routes.map((r) => r.service)]);
    if (services < today.size) throw new Error(`--services must be at least ${today.size} (today's consumers)`);
    const extra = Array.from({ length: services - today.size }, (_, i) => `bench-${String(i + 1).padStart(3, "0")}`);
    // bench-001 -> Bench001Happened: event names are letters and digits.
    const event = (service: string, verb: string) =>
        service.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()) + verb;
    return {
        subscriptions: [
            ...base.subscriptions,
            ...extra.map((service, i) => ({
                service,
                topic: base.topics[i % base.topics.length],
                eventTypes: [event(service, "Happened")],
            })),
        ],
        eventRoutes: [
            ...base.routes,
            ...extra.map((service) => ({ detailType: event(service, "Requested"), service })),
        ],
    };
}

// ---------------------------------------------------------------------------------------------------
// Worker

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
        totalMs: mid(samples.map((s) => s.totalMs)),
    };
}

async function worker(c: WorkerCase, runs: number): Promise<WorkerResult> {
    // Loaded here, not at the top: the parent needs none of it, and the load is measured.
    const pulumi = await import("@pulumi/pulumi");
    const { runStack } = await import("../harness/run");
    // Internal to the SDK, read only to count: it numbers the promises it wraps.
    const debuggable = (await import("@pulumi/pulumi/runtime/debuggable")) as unknown as {
        debuggablePromise(p: Promise<void>, ctx: string): Promise<void>;
    };
    let program: () => Promise<Record<string, unknown>>;
    /** Applies the policy pack; resolves to the number of mandatory violations. */
    let policies: ((resources: readonly RecordedResource[]) => Promise<number>) | undefined;
    let stack = "prod";
    if (c.kind === "plan") {
        const { main } = await import("../program/main");
        const routes = await import("../catalog/messaging");
        const { runPolicies } = await import("../harness/policy-runner");
        const { allPolicies } = await import("../policy/policies");
        const options = platformOptions(c.services, {
            subscriptions: routes.PLATFORM_SUBSCRIPTIONS,
            routes: routes.PLATFORM_EVENT_ROUTES,
            topics: routes.PLATFORM_TOPICS,
        });
        // Today's platform gets no options at all: exactly what Pulumi and `npm run plan` run.
        program = c.services === TODAYS_SERVICES ? () => main() : () => main(options);
        policies = async (resources) =>
            (await runPolicies(resources, allPolicies)).filter((v) => v.level === "mandatory").length;
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

    const promiseNumber = () => {
        const probe = Promise.resolve();
        void debuggable.debuggablePromise(probe, "bench probe");
        return (probe as unknown as { _debugId: number })._debugId;
    };
    const gc = (globalThis as { gc?: () => void }).gc;
    let counts:
        Pick<WorkerResult, "resources" | "customs" | "components" | "mandatoryViolations" | "sdkPromises"> | undefined;
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
        const sdkPromises = promiseNumber() - firstPromise - 1;
        const customs = run.resources.filter((r) => r.custom).length;
        const components = run.resources.length - customs;
        counts = { resources: run.resources.length, customs, components, mandatoryViolations, sdkPromises };
        return { programMs: programEnd - t0, settleMs: t1 - programEnd, policiesMs: t2 - t1, totalMs: t2 - t0 };
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

// ---------------------------------------------------------------------------------------------------
// Parent

function label(c: WorkerCase): string {
    if (c.kind === "plan") return `plan ${c.stack}${c.services === TODAYS_SERVICES ? "" : ` (${c.services} services)`}`;
    return `floor ${c.customs + c.components + 1}${c.inputs === 1 ? "" : `, ${c.inputs} inputs each`}`;
}

function spawnWorker(c: WorkerCase, runs: number, cpuProfDir: string | undefined): Measurement {
    const caseArgs =
        c.kind === "plan"
            ? ["plan", "--stack", c.stack, "--services", String(c.services)]
            : ["floor", "--customs", String(c.customs), "--components", String(c.components)];
    if (c.kind === "floor") caseArgs.push("--inputs", String(c.inputs));
    const nodeArgs = ["--import", "tsx", "--expose-gc"];
    if (cpuProfDir) nodeArgs.push("--cpu-prof", "--cpu-prof-dir", cpuProfDir);
    process.stderr.write(`  ${label(c)} ...`);
    const t0 = performance.now();
    const child = spawnSync(
        process.execPath,
        [...nodeArgs, __filename, "--worker", ...caseArgs, "--runs", String(runs)],
        { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    );
    const processWallMs = performance.now() - t0;
    const line = child.stdout
        ?.split("\n")
        .reverse()
        .find((l) => l.startsWith(RESULT_MARKER));
    if (child.status !== 0 || !line) {
        process.stderr.write(" failed\n");
        throw new Error(`worker ${label(c)} exited ${child.status ?? child.signal}:\n${child.stderr}${child.stdout}`);
    }
    const result = JSON.parse(line.slice(RESULT_MARKER.length)) as WorkerResult;
    process.stderr.write(` ${result.median.totalMs.toFixed(0)} ms\n`);
    return { ...result, processWallMs };
}

/** The floor of a plan: as many registrations, split the same way (the harness registers the stack). */
function floorOf(plan: WorkerResult, inputs = 1): WorkerCase {
    return { kind: "floor", customs: plan.customs, components: plan.components - 1, inputs };
}

/** Inputs per trivial resource for the floor to create as many SDK promises as the plan did. */
function inputsMatching(plan: WorkerResult, floor: WorkerResult): number {
    const perInput = PROMISES_PER_PROPERTY * floor.customs;
    return 1 + Math.max(0, Math.round((plan.sdkPromises - floor.sdkPromises) / perInput));
}

function machine(): string {
    let cpu = os.cpus()[0]?.model ?? "unknown CPU";
    try {
        const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync("/proc/cpuinfo", "utf8"));
        if (m) cpu = m[1].trim();
    } catch {
        // Not Linux: os.cpus() has the model too.
    }
    const gib = (os.totalmem() / 1024 ** 3).toFixed(1);
    return `${cpu}, ${os.cpus().length} cores, ${gib} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

function revision(): string {
    const git = (...args: string[]) =>
        execFileSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    try {
        const head = git("rev-parse", "--short", "HEAD");
        return git("status", "--porcelain") === "" ? head : `${head} + uncommitted changes`;
    } catch {
        return "unknown";
    }
}

const ms = (v: number) => v.toFixed(0);
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
const perResource = (m: WorkerResult) => (m.median.totalMs / m.resources).toFixed(2);

function table(header: string[], rows: string[][]): string {
    const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
    return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

export function report(
    stacks: readonly Comparison[],
    scaling: readonly { services: number; plan: Measurement; floor: Measurement }[],
    runs: number,
): string {
    const out: string[] = [
        `Offline plan vs. the mock runtime's floor: median of ${runs} warm run(s) after one cold run, ` +
            "each measurement in a fresh process.",
        "",
    ];
    const rows: string[][] = [];
    for (const { plan, floor, sameSdkPromises } of stacks) {
        for (const m of [plan, floor, ...(sameSdkPromises ? [sameSdkPromises] : [])]) {
            const vsFloor = ratio(m.median.totalMs, floor.median.totalMs);
            rows.push([
                label(m.case),
                String(m.resources),
                String(m.sdkPromises),
                (m.processWallMs / 1000).toFixed(1),
                ms(m.loadMs),
                ms(m.first.totalMs),
                ms(m.median.programMs),
                ms(m.median.settleMs),
                m === plan ? ms(m.median.policiesMs) : "-",
                `**${ms(m.median.totalMs)}**`,
                perResource(m),
                m === plan ? `**${vsFloor}**` : vsFloor,
                `${m.rssAfterLoadMiB} / ${m.peakRssFirstRunMiB}`,
            ]);
        }
    }
    out.push(
        table(
            [
                "Measurement",
                "Resources",
                "SDK promises",
                "Process wall (s)",
                "Module load (ms)",
                "Cold run (ms)",
                "Program (ms)",
                "Settle (ms)",
                "Policies (ms)",
                "Warm total (ms)",
                "ms/resource",
                "vs. floor",
                "RSS after load / peak (MiB)",
            ],
            rows,
        ),
        "",
    );
    const prod = stacks.find((s) => s.plan.case.kind === "plan" && s.plan.case.stack === "prod");
    if (prod) {
        const r = prod.plan.median.totalMs / prod.floor.median.totalMs;
        const matched = prod.sameSdkPromises
            ? `; ${ratio(prod.plan.median.totalMs, prod.sameSdkPromises.median.totalMs)} the floor with as many SDK promises`
            : "";
        out.push(
            `Goal: prod plan within ${GOAL_RATIO}x of the floor: ${r <= GOAL_RATIO ? "met" : "NOT met"} ` +
                `(${r.toFixed(2)}x${matched}).`,
            "",
        );
    }
    if (scaling.length > 0) {
        out.push("Prod plan by number of services (messaging consumers):", "");
        out.push(
            table(
                [
                    "Services",
                    "Resources",
                    "SDK promises",
                    "Plan (ms)",
                    "Plan ms/resource",
                    "Floor (ms)",
                    "Floor ms/resource",
                    "Plan / floor",
                    "Peak RSS plan / floor (MiB)",
                ],
                scaling.map(({ services, plan, floor }) => [
                    String(services),
                    String(plan.resources),
                    String(plan.sdkPromises),
                    ms(plan.median.totalMs),
                    perResource(plan),
                    ms(floor.median.totalMs),
                    perResource(floor),
                    ratio(plan.median.totalMs, floor.median.totalMs),
                    `${plan.peakRssFirstRunMiB} / ${floor.peakRssFirstRunMiB}`,
                ]),
            ),
            "",
        );
    }
    for (const m of [...stacks.map((s) => s.plan), ...scaling.map((s) => s.plan)]) {
        if (m.mandatoryViolations > 0)
            out.push(`Note: ${label(m.case)} has ${m.mandatoryViolations} mandatory violations.`);
    }
    out.push(
        "Program: from runStack until the program's promise resolved. Settle: until runStack returned " +
            "(registrations answered). Policies: runPolicies with the whole pack. Cold run: the first run, lazily " +
            "loaded SDK modules included. SDK promises: promises the Pulumi SDK created in one run, each with a " +
            "stack trace captured. Peak RSS: the process's, after its cold run.",
    );
    return out.join("\n");
}

async function parent(argv: string[]): Promise<number> {
    let values: { runs?: string; services?: string; json?: string; "cpu-prof"?: string };
    try {
        ({ values } = parseArgs({
            args: argv,
            options: {
                runs: { type: "string" },
                services: { type: "string" },
                json: { type: "string" },
                "cpu-prof": { type: "string" },
            },
        }));
    } catch (e) {
        console.error(`${(e as Error).message}\n${USAGE}`);
        return 2;
    }
    const runs = Number(values.runs ?? DEFAULT_RUNS);
    const services = values.services ? values.services.split(",").map(Number) : DEFAULT_SERVICES;
    if (!Number.isInteger(runs) || runs < 1 || services.some((n) => !Number.isInteger(n) || n < TODAYS_SERVICES)) {
        console.error(
            `--runs must be a whole number >= 1 and --services whole numbers >= ${TODAYS_SERVICES}\n${USAGE}`,
        );
        return 2;
    }
    const cpuProf = values["cpu-prof"] ? path.resolve(values["cpu-prof"]) : undefined;
    process.stderr.write(`Measuring (${runs} warm runs each, one process per line):\n`);

    const measure = (c: WorkerCase) => spawnWorker(c, runs, cpuProf);
    const stacks: Comparison[] = ["dev", "prod"].map((stack) => {
        const plan = measure({ kind: "plan", stack, services: TODAYS_SERVICES });
        const floor = measure(floorOf(plan));
        return { plan, floor, sameSdkPromises: measure(floorOf(plan, inputsMatching(plan, floor))) };
    });
    const scaling = services.map((n) => {
        const today = n === TODAYS_SERVICES ? stacks[1] : undefined;
        const plan = today?.plan ?? measure({ kind: "plan", stack: "prod", services: n });
        return { services: n, plan, floor: today?.floor ?? measure(floorOf(plan)) };
    });

    const header = [`Machine: ${machine()}`, `Revision: ${revision()}, ${new Date().toISOString()}`];
    console.log([...header, "", report(stacks, scaling, runs)].join("\n"));
    if (values.json) {
        const json = {
            machine: machine(),
            revision: revision(),
            date: new Date().toISOString(),
            runs,
            stacks,
            scaling,
        };
        fs.writeFileSync(values.json, JSON.stringify(json, null, 2) + "\n");
        console.log(`\nWrote ${values.json}`);
    }
    return 0;
}

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
