/**
 * Local rate limiting on the inbound side of a workload's sidecars (an EnvoyFilter), and its validation.
 * Create it on every cluster, like the other mesh policies.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { ISTIO_API_VERSIONS } from "./mesh-policies";
import { durationMs, requireKubernetesProvider } from "./mesh-policy-validation";
import { isLabelValue } from "../kubernetes/platform-namespaces";

/** Envoy's local rate limiter cannot refill faster than this. */
export const MIN_FILL_INTERVAL_MS = 50;

export interface LocalRateLimitArgs {
    /** Namespace of the workload. */
    readonly namespace: pulumi.Input<string>;
    /** Pod labels of the workload to limit. @default none: every workload in the namespace */
    readonly workloadLabels?: Readonly<Record<string, string>>;
    /** Bucket size: the burst a single sidecar admits. */
    readonly maxTokens: number;
    /** Tokens added per interval. @default maxTokens */
    readonly tokensPerFill?: number;
    /** Refill interval, at least 50ms. @default "1s" */
    readonly fillInterval?: string;
}

/**
 * Local rate limiting on the inbound side of a workload's sidecars: an EnvoyFilter inserting
 * `envoy.filters.http.local_ratelimit` with a token bucket. Each replica limits on its own, so the
 * service-wide rate is the per-pod rate times the replica count. Rejected requests get 429 and the
 * `x-local-rate-limit` header.
 */
export function localRateLimit(
    name: string,
    args: LocalRateLimitArgs,
    opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource {
    const problems = localRateLimitProblems(args);
    if (problems.length > 0) throw new Error(`localRateLimit ${name}: ${problems.join("; ")}`);
    requireKubernetesProvider(`localRateLimit ${name}`, opts);
    const percent = (key: string) => ({ runtime_key: key, default_value: { numerator: 100, denominator: "HUNDRED" } });
    return new k8s.apiextensions.CustomResource(
        name,
        {
            apiVersion: ISTIO_API_VERSIONS.envoyFilter,
            kind: "EnvoyFilter",
            metadata: { namespace: args.namespace },
            spec: {
                ...(args.workloadLabels && Object.keys(args.workloadLabels).length > 0
                    ? { workloadSelector: { labels: args.workloadLabels } }
                    : {}),
                configPatches: [
                    {
                        applyTo: "HTTP_FILTER",
                        match: {
                            context: "SIDECAR_INBOUND",
                            listener: {
                                filterChain: { filter: { name: "envoy.filters.network.http_connection_manager" } },
                            },
                        },
                        patch: {
                            operation: "INSERT_BEFORE",
                            value: {
                                name: "envoy.filters.http.local_ratelimit",
                                typed_config: {
                                    "@type": "type.googleapis.com/udpa.type.v1.TypedStruct",
                                    type_url:
                                        "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit",
                                    value: {
                                        stat_prefix: "http_local_rate_limiter",
                                        token_bucket: {
                                            max_tokens: args.maxTokens,
                                            tokens_per_fill: args.tokensPerFill ?? args.maxTokens,
                                            fill_interval: args.fillInterval ?? "1s",
                                        },
                                        // Without these two the filter is installed but neither counts nor rejects.
                                        filter_enabled: percent("local_rate_limit_enabled"),
                                        filter_enforced: percent("local_rate_limit_enforced"),
                                        response_headers_to_add: [
                                            {
                                                append_action: "OVERWRITE_IF_EXISTS_OR_ADD",
                                                header: { key: "x-local-rate-limit", value: "true" },
                                            },
                                        ],
                                    },
                                },
                            },
                        },
                    },
                ],
            },
        },
        opts,
    );
}

/** Problems with a local rate limit. */
export function localRateLimitProblems(args: LocalRateLimitArgs): string[] {
    const problems: string[] = [];
    for (const [key, v] of [
        ["maxTokens", args.maxTokens],
        ["tokensPerFill", args.tokensPerFill ?? args.maxTokens],
    ] as const) {
        if (!Number.isInteger(v) || v < 1) problems.push(`${key} must be a whole number of at least 1; received ${v}`);
    }
    const fill = args.fillInterval ?? "1s";
    const ms = durationMs(fill);
    if (ms === undefined || ms < MIN_FILL_INTERVAL_MS) {
        problems.push(
            `fillInterval must be a duration of at least ${MIN_FILL_INTERVAL_MS}ms; received ${JSON.stringify(fill)}`,
        );
    }
    for (const [k, v] of Object.entries(args.workloadLabels ?? {})) {
        if (!isLabelValue(v)) problems.push(`workloadLabels.${k}: ${JSON.stringify(v)} is not a label value`);
    }
    return problems;
}
