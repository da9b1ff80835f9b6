/** The benchmark's report: Markdown tables of each plan against its floors and of the prod plan by services. */
import {
    GOAL_RATIO,
    type Comparison,
    type Measurement,
    TODAYS_SERVICES,
    CATALOG_GOAL_MS,
    type WorkerCase,
    type WorkerResult,
} from "./types";

export function label(c: WorkerCase): string {
    if (c.kind === "plan") return `plan ${c.stack}${c.services === TODAYS_SERVICES ? "" : ` (${c.services} services)`}`;
    return `floor ${c.customs + c.components + 1}${c.inputs === 1 ? "" : `, ${c.inputs} inputs each`}`;
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
                m === plan ? ms(m.median.connectivityMs) : "-",
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
                "Connectivity (ms)",
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
        out.push("Prod plan by number of catalog services:", "");
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
    const goal = scaling.find((s) => s.services === 200)?.plan;
    if (goal) {
        const met = goal.first.totalMs < CATALOG_GOAL_MS;
        out.push(
            `Goal: a cold prod plan with 200 catalog services under ${CATALOG_GOAL_MS / 1000} s: ${met ? "met" : "NOT met"} ` +
                `(first run ${ms(goal.first.totalMs)} ms with policies and connectivity, ${goal.resources} resources; ` +
                `whole process ${ms(goal.processWallMs)} ms ` +
                `with Node start-up and module loading).`,
            "",
        );
    }
    for (const m of [...stacks.map((s) => s.plan), ...scaling.map((s) => s.plan)]) {
        if (m.mandatoryViolations > 0)
            out.push(`Note: ${label(m.case)} has ${m.mandatoryViolations} mandatory violations.`);
        if (m.failedFlows > 0) out.push(`Note: ${label(m.case)} has ${m.failedFlows} failing connectivity flows.`);
    }
    out.push(
        "Program: from runStack until the program's promise resolved. Settle: until runStack returned " +
            "(registrations answered). Policies: runPolicies with the whole pack. Connectivity: every platform and " +
            "catalog flow evaluated over the plan, as npm run plan does. Cold run: the first run, lazily " +
            "loaded SDK modules included. SDK promises: promises the Pulumi SDK wrapped in one run (offline runs " +
            "keep no stack trace or leak record for them, harness/run.ts). Peak RSS: the process's, after its cold run.",
    );
    return out.join("\n");
}
