/** Pure validation of the mesh policies' arguments: every problem at once, exact messages. */
import type * as pulumi from "@pulumi/pulumi";
import { isLabelValue } from "../kubernetes/platform-namespaces";
import { isDnsLabel } from "./mesh-ca";
import type { CanaryTarget, RetryPolicy } from "./mesh-policies";

/** Envoy retry conditions Istio accepts in `retryOn` (besides plain HTTP status codes). */
export const RETRY_CONDITIONS = [
    "5xx",
    "gateway-error",
    "reset",
    "connect-failure",
    "envoy-ratelimited",
    "retriable-4xx",
    "refused-stream",
    "retriable-status-codes",
    "retriable-headers",
    "cancelled",
    "deadline-exceeded",
    "internal",
    "resource-exhausted",
    "unavailable",
] as const;

/** Fails early when there is no Kubernetes provider, instead of at the engine's default-provider check. */
export function requireKubernetesProvider(what: string, opts: pulumi.CustomResourceOptions): void {
    if (!opts.provider && !opts.parent?.getProvider("kubernetes:core/v1:Secret")) {
        throw new Error(`${what}: a kubernetes provider is required (opts.provider, or a parent created with one)`);
    }
}

/** Milliseconds of an Istio duration (`500ms`, `2s`, `1m`, `1h`), or undefined when it is not one. */
export function durationMs(text: string): number | undefined {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
    if (!m) return undefined;
    return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"];
}

/** Problems with a Service name. */
export function serviceProblems(service: string): string[] {
    return isDnsLabel(service)
        ? []
        : [`service must be a Kubernetes Service name (a lowercase DNS label); received ${JSON.stringify(service)}`];
}

/** Problems with the weights and versions of a canary split. */
export function canaryProblems(stable: CanaryTarget, canary: CanaryTarget): string[] {
    const problems: string[] = [];
    for (const [key, target] of [
        ["stable", stable],
        ["canary", canary],
    ] as const) {
        if (!Number.isInteger(target.weight) || target.weight < 0 || target.weight > 100) {
            problems.push(`${key}.weight must be a whole number from 0 to 100; received ${target.weight}`);
        }
        if (!target.version || !isLabelValue(target.version)) {
            problems.push(`${key}.version must be a non-empty label value; received ${JSON.stringify(target.version)}`);
        }
    }
    const sum = stable.weight + canary.weight;
    if (sum !== 100) {
        problems.push(
            `stable.weight + canary.weight must equal 100; received ${stable.weight} + ${canary.weight} = ${sum}`,
        );
    }
    if (stable.version === canary.version) {
        problems.push(`stable.version and canary.version must differ; both are ${JSON.stringify(stable.version)}`);
    }
    return problems;
}

/** Problems with a retry policy. */
export function retryPolicyProblems(p: RetryPolicy): string[] {
    const problems: string[] = [];
    if (!Number.isInteger(p.attempts) || p.attempts < 1 || p.attempts > 10) {
        problems.push(`retries.attempts must be a whole number from 1 to 10; received ${p.attempts}`);
    }
    const perTry = durationMs(p.perTryTimeout);
    const overall = durationMs(p.timeout);
    if (perTry === undefined || perTry <= 0) {
        problems.push(
            `retries.perTryTimeout must be a positive duration such as "2s" or "500ms"; received ${JSON.stringify(p.perTryTimeout)}`,
        );
    }
    if (overall === undefined || overall <= 0) {
        problems.push(
            `retries.timeout must be a positive duration such as "10s"; received ${JSON.stringify(p.timeout)}`,
        );
    }
    if (perTry !== undefined && overall !== undefined && perTry > overall) {
        problems.push(
            `retries.perTryTimeout (${p.perTryTimeout}) must not exceed retries.timeout (${p.timeout}): the overall timeout would cut every retry short`,
        );
    }
    const unknown = p.retryOn
        .split(",")
        .map((c) => c.trim())
        .filter((c) => !(RETRY_CONDITIONS as readonly string[]).includes(c) && !/^[1-5]\d\d$/.test(c));
    if (unknown.length > 0) {
        problems.push(
            `retries.retryOn has unknown conditions ${unknown.map((c) => JSON.stringify(c)).join(", ")}; allowed: ${RETRY_CONDITIONS.join(", ")} or HTTP status codes`,
        );
    }
    return problems;
}
