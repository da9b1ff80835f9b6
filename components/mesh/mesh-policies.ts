/**
 * Reusable mesh traffic policies: mesh-wide mTLS, a namespace's default DestinationRule (connection
 * limits, circuit breaker, Istio mTLS), retries, local rate limiting and weighted canaries. Each is a
 * function that creates Istio custom resources with the caller's options (`provider` or a `parent`
 * that has one, `dependsOn` istiod so its validating webhook is up). Validators are pure and exported.
 *
 * Multi-primary means every cluster reads its own Istio config: create each policy on every cluster.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { isDnsLabel } from "./mesh-ca";
import { deepMerge, type HelmValues } from "./istio-helm";
import { isLabelValue } from "../kubernetes/platform-namespaces";

export const ISTIO_API_VERSIONS = {
    security: "security.istio.io/v1",
    networking: "networking.istio.io/v1",
    /** EnvoyFilter never left alpha. */
    envoyFilter: "networking.istio.io/v1alpha3",
} as const;

export const MTLS_MODES = ["STRICT", "PERMISSIVE"] as const;
export type MtlsMode = (typeof MTLS_MODES)[number];

/**
 * The traffic policy of a namespace's default DestinationRule. Outlier detection is the circuit
 * breaker, and it is also what turns on Istio's locality failover: with it, endpoints in the other
 * cluster take over when the local ones are ejected.
 */
export const MESH_TRAFFIC_POLICY_DEFAULTS = {
    connectionPool: {
        tcp: { maxConnections: 1024, connectTimeout: "5s" },
        http: { http1MaxPendingRequests: 1024, http2MaxRequests: 1024, maxRetries: 3, idleTimeout: "300s" },
    },
    outlierDetection: {
        consecutive5xxErrors: 5,
        interval: "10s",
        baseEjectionTime: "30s",
        // All local endpoints may be ejected, so a fully failed cluster fails over instead of limping on.
        maxEjectionPercent: 100,
    },
    tls: { mode: "ISTIO_MUTUAL" },
} as const;

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

/** Retries and the overall timeout of a route. */
export interface RetryPolicy {
    /** Attempts after the first, 1 to 10. */
    readonly attempts: number;
    /** Timeout of each attempt, such as `2s` or `500ms`. */
    readonly perTryTimeout: string;
    /** Comma-separated Envoy retry conditions or status codes. */
    readonly retryOn: string;
    /** Overall request timeout including retries; at least `perTryTimeout`. */
    readonly timeout: string;
}

/**
 * Conditions where the request never reached the application, so retrying is safe even for
 * non-idempotent calls. Add `5xx` only for services whose handlers are idempotent.
 */
export const RETRY_DEFAULTS: RetryPolicy = {
    attempts: 3,
    perTryTimeout: "2s",
    retryOn: "connect-failure,refused-stream,unavailable,cancelled",
    timeout: "10s",
};

/** Envoy's local rate limiter cannot refill faster than this. */
export const MIN_FILL_INTERVAL_MS = 50;

const fqdn = (service: string, namespace: pulumi.Input<string>) =>
    pulumi.interpolate`${service}.${namespace}.svc.cluster.local`;

/** Fails early when there is no Kubernetes provider, instead of at the engine's default-provider check. */
function requireKubernetesProvider(what: string, opts: pulumi.CustomResourceOptions): void {
    if (!opts.provider && !opts.parent?.getProvider("kubernetes:core/v1:Secret")) {
        throw new Error(`${what}: a kubernetes provider is required (opts.provider, or a parent created with one)`);
    }
}

export interface MeshWideMtlsArgs {
    /** Istio's root namespace, where a PeerAuthentication applies to the whole mesh of the cluster. */
    readonly istioNamespace: pulumi.Input<string>;
    /** mTLS mode. PERMISSIVE only while migrating workloads that have no sidecar yet. @default "STRICT" */
    readonly mode?: MtlsMode;
}

/** Mesh-wide mTLS: the PeerAuthentication `default` in the root namespace. */
export function meshWideMtls(
    name: string,
    args: MeshWideMtlsArgs,
    opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource {
    requireKubernetesProvider(`meshWideMtls ${name}`, opts);
    const mode = args.mode ?? "STRICT";
    if (!MTLS_MODES.includes(mode)) {
        throw new Error(`meshWideMtls ${name}: mode must be one of ${MTLS_MODES.join(", ")}; received ${mode}`);
    }
    return new k8s.apiextensions.CustomResource(
        name,
        {
            apiVersion: ISTIO_API_VERSIONS.security,
            kind: "PeerAuthentication",
            metadata: { name: "default", namespace: args.istioNamespace },
            spec: { mtls: { mode } },
        },
        opts,
    );
}

export interface NamespaceDestinationRuleArgs {
    /** The service namespace; the rule covers every service in it. */
    readonly namespace: pulumi.Input<string>;
    /** Traffic policy deep-merged over {@link MESH_TRAFFIC_POLICY_DEFAULTS}. @default those */
    readonly trafficPolicy?: HelmValues;
}

/**
 * The default DestinationRule of a namespace (`*.<ns>.svc.cluster.local`). Istio does not merge
 * DestinationRules: a service-specific rule (a canary's) replaces this one for that host, which is
 * why {@link canaryRoute} repeats the same policy.
 */
export function namespaceDestinationRule(
    name: string,
    args: NamespaceDestinationRuleArgs,
    opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource {
    requireKubernetesProvider(`namespaceDestinationRule ${name}`, opts);
    return new k8s.apiextensions.CustomResource(
        name,
        {
            apiVersion: ISTIO_API_VERSIONS.networking,
            kind: "DestinationRule",
            metadata: { name: "default", namespace: args.namespace },
            spec: {
                host: pulumi.interpolate`*.${args.namespace}.svc.cluster.local`,
                trafficPolicy: deepMerge(MESH_TRAFFIC_POLICY_DEFAULTS, args.trafficPolicy ?? {}),
            },
        },
        opts,
    );
}

export interface RetryingRouteArgs {
    /** Service name (the Kubernetes Service), a DNS label. */
    readonly service: string;
    /** Namespace of the service. */
    readonly namespace: pulumi.Input<string>;
    /** Retry policy fields over {@link RETRY_DEFAULTS}. @default those */
    readonly retries?: Partial<RetryPolicy>;
}

/**
 * A VirtualService (named after the service) with retries and an overall timeout. Istio allows one
 * VirtualService per host for sidecars, so a service with a canary gets its retries from
 * {@link canaryRoute} instead.
 */
export function retryingRoute(
    name: string,
    args: RetryingRouteArgs,
    opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource {
    const retries = { ...RETRY_DEFAULTS, ...(args.retries ?? {}) };
    const problems = [...serviceProblems(args.service), ...retryPolicyProblems(retries)];
    if (problems.length > 0) throw new Error(`retryingRoute ${name}: ${problems.join("; ")}`);
    requireKubernetesProvider(`retryingRoute ${name}`, opts);
    const host = fqdn(args.service, args.namespace);
    return new k8s.apiextensions.CustomResource(
        name,
        {
            apiVersion: ISTIO_API_VERSIONS.networking,
            kind: "VirtualService",
            metadata: { name: args.service, namespace: args.namespace },
            spec: { hosts: [host], http: [{ route: [{ destination: { host } }], ...httpRetryFields(retries) }] },
        },
        opts,
    );
}

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

/** One side of a canary split. */
export interface CanaryTarget {
    /** Value of the pods' `version` label. */
    readonly version: string;
    /** Percent of requests, a whole number from 0 to 100. */
    readonly weight: number;
}

export interface CanaryRouteArgs {
    /** Service name (the Kubernetes Service), a DNS label. */
    readonly service: string;
    /** Namespace of the service. */
    readonly namespace: pulumi.Input<string>;
    readonly stable: CanaryTarget;
    readonly canary: CanaryTarget;
    /** Retry policy fields over {@link RETRY_DEFAULTS}. @default those */
    readonly retries?: Partial<RetryPolicy>;
    /** Traffic policy deep-merged over {@link MESH_TRAFFIC_POLICY_DEFAULTS}. @default those */
    readonly trafficPolicy?: HelmValues;
}

export interface CanaryRoute {
    readonly destinationRule: k8s.apiextensions.CustomResource;
    readonly virtualService: k8s.apiextensions.CustomResource;
}

/**
 * A weighted canary: a DestinationRule with `stable` and `canary` subsets selected by the pods'
 * `version` label, and a VirtualService splitting requests between them. Both are named after the
 * service. Subsets are named by role, so promoting a version changes labels and weights, never routes.
 */
export function canaryRoute(name: string, args: CanaryRouteArgs, opts: pulumi.CustomResourceOptions): CanaryRoute {
    const retries = { ...RETRY_DEFAULTS, ...(args.retries ?? {}) };
    const problems = [
        ...serviceProblems(args.service),
        ...canaryProblems(args.stable, args.canary),
        ...retryPolicyProblems(retries),
    ];
    if (problems.length > 0) throw new Error(`canaryRoute ${name}: ${problems.join("; ")}`);
    requireKubernetesProvider(`canaryRoute ${name}`, opts);
    const host = fqdn(args.service, args.namespace);
    const metadata = { name: args.service, namespace: args.namespace };
    const destinationRule = new k8s.apiextensions.CustomResource(
        `${name}-subsets`,
        {
            apiVersion: ISTIO_API_VERSIONS.networking,
            kind: "DestinationRule",
            metadata,
            spec: {
                host,
                trafficPolicy: deepMerge(MESH_TRAFFIC_POLICY_DEFAULTS, args.trafficPolicy ?? {}),
                subsets: [
                    { name: "stable", labels: { version: args.stable.version } },
                    { name: "canary", labels: { version: args.canary.version } },
                ],
            },
        },
        opts,
    );
    const virtualService = new k8s.apiextensions.CustomResource(
        `${name}-split`,
        {
            apiVersion: ISTIO_API_VERSIONS.networking,
            kind: "VirtualService",
            metadata,
            spec: {
                hosts: [host],
                http: [
                    {
                        route: [
                            { destination: { host, subset: "stable" }, weight: args.stable.weight },
                            { destination: { host, subset: "canary" }, weight: args.canary.weight },
                        ],
                        ...httpRetryFields(retries),
                    },
                ],
            },
        },
        // The split names subsets the rule defines; routing to a subset that does not exist yet 503s.
        pulumi.mergeOptions(opts, { dependsOn: [destinationRule] }),
    );
    return { destinationRule, virtualService };
}

function httpRetryFields(p: RetryPolicy) {
    return {
        timeout: p.timeout,
        retries: { attempts: p.attempts, perTryTimeout: p.perTryTimeout, retryOn: p.retryOn },
    };
}

/** Milliseconds of an Istio duration (`500ms`, `2s`, `1m`, `1h`), or undefined when it is not one. */
export function durationMs(text: string): number | undefined {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
    if (!m) return undefined;
    return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"];
}

function serviceProblems(service: string): string[] {
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
