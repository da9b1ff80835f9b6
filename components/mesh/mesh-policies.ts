/**
 * Reusable mesh traffic policies: mesh-wide mTLS, a namespace's default DestinationRule (connection
 * limits, circuit breaker, Istio mTLS), retries and weighted canaries (local rate limiting is in
 * mesh-rate-limit.ts). Each is a
 * function that creates Istio custom resources with the caller's options (`provider` or a `parent`
 * that has one, `dependsOn` istiod so its validating webhook is up). Validators are pure and exported.
 *
 * Multi-primary means every cluster reads its own Istio config: create each policy on every cluster.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { deepMerge, type HelmValues } from "../kubernetes/addons/helm-addon";
import {
    canaryProblems,
    requireKubernetesProvider,
    retryPolicyProblems,
    serviceProblems,
} from "./mesh-policy-validation";

/**
 * API versions of the Istio custom resources, as the CRDs of the pinned Istio (1.31, base chart
 * files/crd-all.gen.yaml) serve them. They move with `VERSIONS.istio`, never on their own.
 */
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

/** The in-cluster host of a Service, as routes and DestinationRules name it. */
export const serviceFqdn = (service: string, namespace: pulumi.Input<string>) =>
    pulumi.interpolate`${service}.${namespace}.svc.cluster.local`;

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
    const host = serviceFqdn(args.service, args.namespace);
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
    const host = serviceFqdn(args.service, args.namespace);
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

/** The `timeout` and `retries` fields of a VirtualService HTTP route. */
export function httpRetryFields(p: RetryPolicy) {
    return {
        timeout: p.timeout,
        retries: { attempts: p.attempts, perTryTimeout: p.perTryTimeout, retryOn: p.retryOn },
    };
}
