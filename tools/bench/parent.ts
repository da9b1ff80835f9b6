/**
 * The benchmark's parent process: one fresh worker process per measurement (tools/bench.ts --worker),
 * the floors derived from each plan's counts, then the report.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { parseArgs } from "util";
import { label, report } from "./report";
import {
    type Comparison,
    DEFAULT_RUNS,
    DEFAULT_SERVICES,
    type Measurement,
    PLAN_NODE_FLAGS,
    PROMISES_PER_PROPERTY,
    RESULT_MARKER,
    TODAYS_SERVICES,
    USAGE,
    type WorkerCase,
    type WorkerResult,
} from "./types";

const ROOT = path.resolve(__dirname, "../..");
/** The entry point a worker process runs, with `--worker`. */
const ENTRY = path.join(ROOT, "tools", "bench.ts");

function spawnWorker(c: WorkerCase, runs: number, cpuProfDir: string | undefined): Measurement {
    const caseArgs =
        c.kind === "plan"
            ? ["plan", "--stack", c.stack, "--services", String(c.services)]
            : ["floor", "--customs", String(c.customs), "--components", String(c.components)];
    if (c.kind === "floor") caseArgs.push("--inputs", String(c.inputs));
    const nodeArgs = [...PLAN_NODE_FLAGS, "--import", "tsx", "--expose-gc"];
    if (cpuProfDir) nodeArgs.push("--cpu-prof", "--cpu-prof-dir", cpuProfDir);
    process.stderr.write(`  ${label(c)} ...`);
    const t0 = performance.now();
    const child = spawnSync(process.execPath, [...nodeArgs, ENTRY, "--worker", ...caseArgs, "--runs", String(runs)], {
        cwd: ROOT,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
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

export /** `npm run bench`: measures every case and prints the report; resolves to the exit code. */
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
