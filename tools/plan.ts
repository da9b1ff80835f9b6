/**
 * The offline plan: evaluates the real program for a stack under Pulumi's mock runtime, applies the
 * policy pack to every registered resource, prints a summary and optionally writes the whole plan as
 * JSON. No credentials, no Pulumi CLI, no network.
 *
 *   npm run plan -- --stack dev [--json dev.json] [--stack-file path/to/Pulumi.dev.yaml]
 *
 * Exit codes: 0 clean; 1 mandatory policy violations or a failed program; 2 bad usage, unreadable stack
 * file or invalid configuration.
 */
import * as fs from "fs";
import { parseArgs } from "util";
import { disabledDefaultProviders } from "../config/rules/namespaces";
import { loadPolicyPackConfig } from "../policy/pack-config";
import { allPolicies } from "../policy/policies";
import { checkConnectivity, deployerCidrsFrom, type ConnectivityJson } from "../harness/connectivity/report";
import { stackServiceFlows } from "../harness/connectivity/stack-flows";
import type { RecordedResource } from "../harness/recorder";
import { runPolicies, type Violation } from "../harness/policy-runner";
import { runStack, type StackRun } from "../harness/run";
import { loadStackConfig, StackFileError } from "../harness/stack-config";
import { versionWarningLines, versionWarnings, type VersionWarning } from "./version-support";

export interface PlanJson {
    project: string;
    stack: string;
    resources: {
        urn: string;
        type: string;
        name: string;
        custom: boolean;
        parent: string | null;
        provider: string | null;
        dependencies: readonly string[];
        propertyDependencies: Readonly<Record<string, readonly string[]>>;
        protect: boolean;
        retainOnDelete: boolean;
        /** Former URNs this resource answers to; a move or split keeps state through these. */
        aliases: readonly string[];
        inputs: Record<string, unknown>;
    }[];
    violations: Violation[];
    /** Pinned versions within 90 days of the end of their upstream support, or past it. */
    versionWarnings: VersionWarning[];
    /** Every connectivity flow with its verdict and hops (catalog/connectivity.ts). */
    connectivity?: ConnectivityJson;
    outputs: Record<string, unknown>;
}

export const SECRET_MASK = "[secret]";

/** Inputs as they may be written to disk: secret values masked. */
function maskedInputs(r: RecordedResource): Record<string, unknown> {
    const out = { ...r.inputs };
    for (const k of r.secretInputs) out[k] = SECRET_MASK;
    return out;
}

export function toPlanJson(
    run: StackRun,
    violations: Violation[],
    warnings: VersionWarning[] = [],
    connectivity?: ConnectivityJson,
): PlanJson {
    return {
        project: run.project,
        stack: run.stack,
        resources: run.resources.map((r) => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            custom: r.custom,
            parent: r.parent ?? null,
            provider: r.provider ?? null,
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
            protect: r.protect,
            retainOnDelete: r.retainOnDelete,
            aliases: r.aliases,
            inputs: maskedInputs(r),
        })),
        violations,
        versionWarnings: warnings,
        ...(connectivity ? { connectivity } : {}),
        outputs: Object.fromEntries(
            Object.entries(run.outputs).map(([k, v]) => [k, run.secretOutputs.includes(k) ? SECRET_MASK : v]),
        ),
    };
}

/**
 * What the engine does with `pulumi:disable-default-providers`: a custom resource without an explicit
 * provider, of a disabled package, is an error.
 */
export function defaultProviderErrors(resources: readonly RecordedResource[], disabled: readonly string[]): string[] {
    const isDisabled = (pkg: string) => disabled.includes("*") || disabled.includes(pkg);
    const custom = resources
        .filter((r) => r.custom && !r.type.startsWith("pulumi:providers:") && !r.provider)
        .filter((r) => isDisabled(r.type.split(":")[0]))
        .map(
            (r) =>
                `${r.urn}: uses a default provider, which pulumi:disable-default-providers forbids; pass { provider } explicitly`,
        );
    // A multi-language component's children are built by its own plugin with only the providers it was
    // handed; offline they are invisible, so check the hand-over instead.
    const remote = resources
        .filter((r) => r.remote)
        .flatMap((r) =>
            (REMOTE_COMPONENT_PACKAGES[r.type.split(":")[0]] ?? [])
                .filter((pkg) => isDisabled(pkg) && !r.providers[pkg])
                .map(
                    (pkg) =>
                        `${r.urn}: its ${pkg} children would use a default provider; pass { providers: { ${pkg}: ... } }`,
                ),
        );
    return [...custom, ...remote];
}

/** Packages whose resources each multi-language component package creates. */
export const REMOTE_COMPONENT_PACKAGES: Record<string, readonly string[]> = { awsx: ["aws"], eks: ["aws"] };

export function cloudOf(type: string): string {
    if (type.startsWith("pulumi:providers:")) return "providers";
    const pkg = type.split(":")[0];
    if (pkg === "aws" || pkg === "awsx" || pkg === "eks") return "aws";
    if (pkg === "gcp") return "gcp";
    if (pkg === "kubernetes") return "kubernetes";
    if (pkg === "pulumi" || pkg === "multicloud") return "components";
    return "other";
}

/** Top-level component (child of the stack) a resource belongs to, by name. */
function componentOf(r: RecordedResource, byUrn: Map<string, RecordedResource>): string {
    let cur = r;
    for (;;) {
        const parent = cur.parent ? byUrn.get(cur.parent) : undefined;
        if (!parent || parent.type === "pulumi:pulumi:Stack")
            return cur === r && r.type.startsWith("pulumi:") ? "(stack)" : `${cur.type.split(":").pop()} ${cur.name}`;
        cur = parent;
    }
}

function countBy<T>(items: readonly T[], key: (t: T) => string): [string, number][] {
    const m = new Map<string, number>();
    for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
    return [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

export function summary(run: StackRun, violations: Violation[]): string {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const lines = [`Offline plan of ${run.project}/${run.stack}: ${run.resources.length} resources`, "", "By cloud:"];
    for (const [k, n] of countBy(run.resources, (r) => cloudOf(r.type))) lines.push(`  ${k.padEnd(12)} ${n}`);
    lines.push("", "By component:");
    for (const [k, n] of countBy(run.resources, (r) => componentOf(r, byUrn))) lines.push(`  ${k.padEnd(40)} ${n}`);
    const mandatory = violations.filter((v) => v.level === "mandatory").length;
    lines.push("", `Policy violations: ${mandatory} mandatory, ${violations.length - mandatory} advisory`);
    for (const v of violations) lines.push(`  [${v.level}] ${v.policy}: ${v.urn || "(stack)"}`, `      ${v.message}`);
    return lines.join("\n");
}

async function cli(argv: string[]): Promise<number> {
    let values: { stack?: string; json?: string; "stack-file"?: string };
    try {
        ({ values } = parseArgs({
            args: argv,
            options: { stack: { type: "string" }, json: { type: "string" }, "stack-file": { type: "string" } },
        }));
    } catch (e) {
        console.error(
            `${(e as Error).message}\nusage: npm run plan -- --stack <dev|prod> [--json <file>] [--stack-file <file>]`,
        );
        return 2;
    }
    if (!values.stack) {
        console.error("usage: npm run plan -- --stack <dev|prod> [--json <file>] [--stack-file <file>]");
        return 2;
    }
    const load = { stackFile: values["stack-file"] };
    let disabled: string[];
    let deployerCidrs: string[] | undefined;
    let config: Record<string, string>;
    try {
        config = loadStackConfig(values.stack, load).config;
        // Any other shape than a list of package names fails the program's config validation (exit 2).
        disabled = disabledDefaultProviders(config);
        deployerCidrs = deployerCidrsFrom(config);
    } catch (e) {
        if (e instanceof StackFileError) {
            console.error(`error: ${e.message}`);
            return 2;
        }
        throw e;
    }

    const run = await runStack({ stack: values.stack, ...load });
    if (run.error) {
        // Config problems are the operator's to fix: show the messages, not a trace into the program.
        if (run.error.name === "ConfigValidationError") {
            console.error(run.error.message);
            return 2;
        }
        console.error(`error: the program failed: ${run.error.message}`);
        return 1;
    }
    const providerErrors = defaultProviderErrors(run.resources, disabled);
    // The stack's pack configuration (policy/config/<stack>.json), exactly what `npm run ci` hands the CLI.
    const violations = await runPolicies(run.resources, allPolicies, { config: loadPolicyPackConfig(values.stack) });
    const warnings = versionWarnings(new Date());
    // The program ran, so the stack's catalog and environment are valid: its service flows resolve.
    const extraFlows = stackServiceFlows(values.stack, { config });
    const connectivity = checkConnectivity(run.resources, { deployerCidrs, extraFlows });
    console.log([summary(run, violations), "", ...versionWarningLines(warnings), "", ...connectivity.lines].join("\n"));
    if (values.json) {
        const json = toPlanJson(run, violations, warnings, connectivity.json);
        fs.writeFileSync(values.json, JSON.stringify(json, null, 2) + "\n");
        console.log(`\nWrote ${values.json}`);
    }
    if (providerErrors.length > 0) {
        console.error(`\n${providerErrors.join("\n")}`);
        return 1;
    }
    return violations.some((v) => v.level === "mandatory") || connectivity.failed ? 1 : 0;
}

if (require.main === module) {
    cli(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (e) => {
            console.error(`error: ${(e as Error).message}`);
            process.exit(1);
        },
    );
}
