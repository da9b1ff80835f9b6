/** Command-line parsing for `npm run ci`: pure, so every usage error is tested without a seam. */
import { parseArgs } from "util";

/** The operations the driver runs, as a closed list. */
export const OPERATIONS = ["preview", "up", "refresh", "destroy"] as const;
export type Operation = (typeof OPERATIONS)[number];

/** Operations that run the policy pack; the CLI takes `--policy-pack` only on these. */
export const POLICY_OPERATIONS: readonly Operation[] = ["preview", "up"];

export const USAGE =
    "usage: npm run ci -- <preview|up|refresh|destroy> --stack <name> [--confirm-destroy <name>] [--policy-pack-config <file>] [--summary-markdown <file>]";

/** A parsed command line. */
export interface CiArgs {
    readonly op: Operation;
    /** The stack as given: `prod`, `org/prod` or `org/multicloud-platform/prod`. */
    readonly stack: string;
    /** The stack's short name, which names its file `Pulumi.<stackStem>.yaml`. */
    readonly stackStem: string;
    /** Must equal `stack` for `destroy` of a prod stack. */
    readonly confirmDestroy?: string;
    /** A policy pack config file to use instead of `policy/config/<stackStem>.json`. */
    readonly policyPackConfig?: string;
    /** A file the preview or up summary (changes and policy verdicts) is written to as Markdown, for a PR comment. */
    readonly summaryMarkdown?: string;
}

export type ParsedArgs =
    { readonly ok: true; readonly args: CiArgs } | { readonly ok: false; readonly message: string };

// Pulumi's own rule for stack names; one to three segments (stack, org/stack, org/project/stack).
const STACK_SEGMENT = /^[A-Za-z0-9_.-]+$/;

/** Parses `<op> --stack <name> [...]`; every problem comes back as a message, never a throw. */
export function parseCiArgs(argv: readonly string[]): ParsedArgs {
    let parsed;
    try {
        parsed = parseArgs({
            args: [...argv],
            allowPositionals: true,
            options: {
                stack: { type: "string" },
                "confirm-destroy": { type: "string" },
                "policy-pack-config": { type: "string" },
                "summary-markdown": { type: "string" },
            },
        });
    } catch (e) {
        return { ok: false, message: (e as Error).message };
    }
    const { values, positionals } = parsed;
    const fail = (message: string): ParsedArgs => ({ ok: false, message });

    if (positionals.length !== 1) return fail(`expected one operation (${OPERATIONS.join(", ")})`);
    const op = positionals[0];
    if (!(OPERATIONS as readonly string[]).includes(op))
        return fail(`unknown operation '${op}'; expected one of ${OPERATIONS.join(", ")}`);
    const stack = values.stack;
    if (!stack) return fail("--stack <name> is required");
    const segments = stack.split("/");
    if (segments.length > 3 || !segments.every((s) => STACK_SEGMENT.test(s)))
        return fail(`'${stack}' is not a stack name; expected <stack>, <org>/<stack> or <org>/<project>/<stack>`);
    if (values["confirm-destroy"] !== undefined && op !== "destroy")
        return fail("--confirm-destroy applies to destroy only");
    if (values["policy-pack-config"] !== undefined && !POLICY_OPERATIONS.includes(op as Operation))
        return fail(`--policy-pack-config applies to ${POLICY_OPERATIONS.join(" and ")} only`);
    if (values["summary-markdown"] !== undefined && !POLICY_OPERATIONS.includes(op as Operation))
        return fail(`--summary-markdown applies to ${POLICY_OPERATIONS.join(" and ")} only`);

    return {
        ok: true,
        args: {
            op: op as Operation,
            stack,
            stackStem: segments[segments.length - 1],
            confirmDestroy: values["confirm-destroy"],
            policyPackConfig: values["policy-pack-config"],
            summaryMarkdown: values["summary-markdown"],
        },
    };
}
