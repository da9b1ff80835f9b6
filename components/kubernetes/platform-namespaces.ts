import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parseCidr } from "../shared/cidr";
import { ISTIOD_CLIENT_PORTS, MESH_METRICS_PORTS, MESH_PORTS } from "../shared/mesh-ports";
import { ISTIO_GATEWAYS, ISTIOD_POD_LABELS } from "../mesh/istio-charts";
import { VERSIONS } from "../versions";
import {
    parseQuantity,
    resolveSizing,
    SERVICE_ENVIRONMENTS,
    type NamespaceSizing,
    type ServiceEnvironment,
} from "./namespace-sizing";

export const PLATFORM_NAMESPACES = [
    "system",
    "istio-system",
    "monitoring",
    "services-dev",
    "services-staging",
    "services-prod",
] as const;
export type PlatformNamespace = (typeof PLATFORM_NAMESPACES)[number];

export const serviceNamespace = (env: ServiceEnvironment): PlatformNamespace => `services-${env}`;

export const POD_SECURITY_LEVELS = ["privileged", "baseline", "restricted"] as const;
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

/**
 * Pod Security Admission per namespace. `warn` and `audit` run one level stricter than `enforce`
 * where enforce is relaxed, so the gap to the next level stays visible in `kubectl` output and the
 * audit log instead of being forgotten.
 */
export const NAMESPACE_POD_SECURITY: Readonly<
    Record<PlatformNamespace, { enforce: PodSecurityLevel; warn: PodSecurityLevel; audit: PodSecurityLevel }>
> = {
    // Platform controllers (DNS, certificates, autoscaling) from upstream charts that often omit a
    // seccomp profile or runAsNonRoot; baseline still forbids host namespaces, hostPath and privilege.
    system: { enforce: "baseline", warn: "restricted", audit: "restricted" },
    // The Istio CNI node agent is a privileged DaemonSet with hostPath mounts; nothing else belongs here.
    "istio-system": { enforce: "privileged", warn: "baseline", audit: "baseline" },
    // Collectors and dashboards run as ordinary pods; node-level exporters (hostPID, hostNetwork) are
    // deliberately not admitted here and need a namespace of their own, by an explicit decision.
    monitoring: { enforce: "baseline", warn: "restricted", audit: "restricted" },
    // Application pods: restricted holds with sidecars because the Istio CNI agent replaces the
    // NET_ADMIN istio-init container; pods must still set `seccompProfile: RuntimeDefault`.
    "services-dev": { enforce: "restricted", warn: "restricted", audit: "restricted" },
    "services-staging": { enforce: "restricted", warn: "restricted", audit: "restricted" },
    "services-prod": { enforce: "restricted", warn: "restricted", audit: "restricted" },
};

/**
 * The PSA policy version pinned to the EKS minor: a Kubernetes upgrade then never tightens admission
 * silently; the policy moves when this module's version does.
 */
export const POD_SECURITY_VERSION = `v${VERSIONS.kubernetes}`;

/** Data stores the service pods may call: where they are and the TCP ports they answer on. */
export interface DataStoreEgress {
    /** What is reached (names nothing; for readers of the policy), such as "aurora". */
    readonly store: string;
    /** The stores' address ranges (their subnets, or the private-services range); never `/0`. */
    readonly cidrs: readonly string[];
    /** TCP ports of the store. */
    readonly ports: readonly number[];
}

export interface PlatformNamespacesArgs {
    /** Istio network of this cluster, set as `topology.istio.io/network` on `istio-system`. */
    readonly meshNetwork: string;
    /**
     * Istio revision for sidecar injection (`istio.io/rev`). @default none: `istio-injection: enabled`,
     * the default revision
     */
    readonly istioRevision?: string;
    /** Per-environment sizes, merged field by field over {@link NAMESPACE_SIZING_DEFAULTS}. @default those */
    readonly sizing?: Readonly<Partial<Record<ServiceEnvironment, Partial<NamespaceSizing>>>>;
    /**
     * Ranges of the other clusters' east-west gateways. Service pods may reach them on the cross-network
     * port (15443) only;
     * without them cross-network calls are blocked by the default-deny egress. @default none
     */
    readonly meshPeerCidrs?: readonly string[];
    /**
     * Extra DNS servers outside `kube-system` pods (NodeLocal DNSCache, GKE's metadata-server DNS at
     * 169.254.169.254/32) that service pods may query on port 53. @default none
     */
    readonly dnsCidrs?: readonly string[];
    /**
     * Data stores service pods may reach, each on its own ports and ranges only; everything else stays behind
     * the default-deny egress. @default none
     */
    readonly dataStores?: readonly DataStoreEgress[];
    /**
     * Pod Security of the service namespaces when the cluster's mesh cannot keep them `restricted`: where
     * sidecars capture traffic with their own istio-init container (NET_ADMIN, NET_RAW) instead of a CNI
     * agent, as on GKE Autopilot. @default {@link NAMESPACE_POD_SECURITY} (restricted)
     */
    readonly servicePodSecurity?: {
        readonly enforce: PodSecurityLevel;
        readonly warn: PodSecurityLevel;
        readonly audit: PodSecurityLevel;
    };
}

/**
 * The namespaces of one cluster with their guard rails: Pod Security Admission labels, sidecar
 * injection on the service namespaces, the mesh network label on `istio-system`, and per service
 * namespace a default-deny NetworkPolicy with the allows the mesh needs, a ResourceQuota and a
 * LimitRange that gives every container requests and limits. Needs a `kubernetes` provider.
 */
export class PlatformNamespaces extends pulumi.ComponentResource {
    /** Namespace names by namespace; outputs, so dependents wait for the namespace to exist. */
    public readonly namespaceNames: Readonly<Record<PlatformNamespace, pulumi.Output<string>>>;
    /** `istio-system`, for the mesh install. */
    public readonly istioSystemNamespace: pulumi.Output<string>;
    /** Service namespaces by environment. */
    public readonly serviceNamespaces: Readonly<Record<ServiceEnvironment, pulumi.Output<string>>>;

    constructor(name: string, args: PlatformNamespacesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:kubernetes:PlatformNamespaces", name, {}, opts);
        const problems = platformNamespacesProblems(args);
        if (!this.getProvider("kubernetes:core/v1:Namespace")) {
            problems.push("a kubernetes provider is required (pass { provider: <k8s.Provider> })");
        }
        if (problems.length > 0) throw new Error(`PlatformNamespaces ${name}: ${problems.join("; ")}`);
        const sizing = resolveSizing(args.sizing);

        const names = {} as Record<PlatformNamespace, pulumi.Output<string>>;
        for (const ns of PLATFORM_NAMESPACES) {
            names[ns] = new k8s.core.v1.Namespace(
                `${name}-${ns}`,
                { metadata: { name: ns, labels: namespaceLabels(ns, args) } },
                { parent: this },
            ).metadata.name;
        }
        this.namespaceNames = names;
        this.istioSystemNamespace = names["istio-system"];

        const services = {} as Record<ServiceEnvironment, pulumi.Output<string>>;
        for (const env of SERVICE_ENVIRONMENTS) {
            const ns = serviceNamespace(env);
            services[env] = names[ns];
            this.networkPolicies(`${name}-${ns}`, names[ns], args);
            this.budget(`${name}-${ns}`, names[ns], sizing[env]);
        }
        this.serviceNamespaces = services;

        this.registerOutputs({ namespaceNames: this.namespaceNames });
    }

    /**
     * Default deny both ways, then only what every meshed service needs: DNS, istiod, the Istio gateways
     * that forward to it, metrics scrapes, and the peer clusters' east-west gateways. Traffic between
     * services is each service's own policy's business.
     */
    private networkPolicies(prefix: string, namespace: pulumi.Output<string>, args: PlatformNamespacesArgs): void {
        const policy = (suffix: string, spec: k8s.types.input.networking.v1.NetworkPolicySpec) =>
            new k8s.networking.v1.NetworkPolicy(
                `${prefix}-${suffix}`,
                { metadata: { name: suffix, namespace }, spec },
                { parent: this },
            );
        const inNamespace = (ns: string) => ({ matchLabels: { "kubernetes.io/metadata.name": ns } });
        const tcp = (ports: readonly number[]) => ports.map((port) => ({ protocol: "TCP", port }));

        policy("default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        policy("allow-dns", {
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [
                {
                    to: [
                        { namespaceSelector: inNamespace("kube-system") },
                        ...(args.dnsCidrs ?? []).map((cidr) => ({ ipBlock: { cidr } })),
                    ],
                    ports: [
                        { protocol: "UDP", port: 53 },
                        { protocol: "TCP", port: 53 },
                    ],
                },
            ],
        });
        policy("allow-istio-control-plane", {
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [
                {
                    to: [
                        {
                            namespaceSelector: inNamespace("istio-system"),
                            podSelector: { matchLabels: ISTIOD_POD_LABELS },
                        },
                    ],
                    ports: tcp(ISTIOD_CLIENT_PORTS),
                },
            ],
        });
        // No namespace-wide allow between pods: each service's own NetworkPolicy admits exactly its callers
        // and reaches exactly its callees (components/catalog/workload-network.ts), so the network refuses a
        // call its entry does not declare, as its AuthorizationPolicy does.
        policy("allow-from-istio-gateways", {
            podSelector: {},
            policyTypes: ["Ingress"],
            ingress: [
                {
                    from: [
                        {
                            namespaceSelector: inNamespace("istio-system"),
                            podSelector: {
                                matchExpressions: [
                                    {
                                        key: "istio",
                                        operator: "In",
                                        values: [ISTIO_GATEWAYS.ingress.selector, ISTIO_GATEWAYS.eastWest.selector],
                                    },
                                ],
                            },
                        },
                    ],
                },
            ],
        });
        policy("allow-metrics-scrape", {
            podSelector: {},
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ namespaceSelector: inNamespace("monitoring") }], ports: tcp(MESH_METRICS_PORTS) }],
        });
        if ((args.dataStores ?? []).length > 0) {
            policy("allow-data-stores", {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: args.dataStores!.map((s) => ({
                    to: s.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
                    ports: tcp(s.ports),
                })),
            });
        }
        if ((args.meshPeerCidrs ?? []).length > 0) {
            policy("allow-mesh-peers", {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [
                    {
                        to: args.meshPeerCidrs!.map((cidr) => ({ ipBlock: { cidr } })),
                        ports: tcp([MESH_PORTS.crossNetwork]),
                    },
                ],
            });
        }
    }

    /** A quota, and container defaults so that every pod has the limits the quota requires. */
    private budget(prefix: string, namespace: pulumi.Output<string>, s: NamespaceSizing): void {
        new k8s.core.v1.ResourceQuota(
            `${prefix}-quota`,
            {
                metadata: { name: "compute", namespace },
                spec: {
                    hard: {
                        pods: String(s.maxPods),
                        "requests.cpu": s.requestsCpu,
                        "requests.memory": s.requestsMemory,
                        "limits.cpu": s.limitsCpu,
                        "limits.memory": s.limitsMemory,
                        // Traffic enters through the Istio gateways; a service's own load balancer or
                        // node port would bypass the mesh and its mTLS.
                        "services.loadbalancers": "0",
                        "services.nodeports": "0",
                    },
                },
            },
            { parent: this },
        );
        new k8s.core.v1.LimitRange(
            `${prefix}-limits`,
            {
                metadata: { name: "container-defaults", namespace },
                spec: {
                    limits: [
                        {
                            type: "Container",
                            defaultRequest: { cpu: s.containerRequestCpu, memory: s.containerRequestMemory },
                            default: { cpu: s.containerLimitCpu, memory: s.containerLimitMemory },
                        },
                    ],
                },
            },
            { parent: this },
        );
    }
}

/** The labels of one namespace. */
export function namespaceLabels(ns: PlatformNamespace, args: PlatformNamespacesArgs): Record<string, string> {
    const psa = (ns.startsWith("services-") && args.servicePodSecurity) || NAMESPACE_POD_SECURITY[ns];
    const labels: Record<string, string> = {
        "app.kubernetes.io/managed-by": "pulumi",
        "pod-security.kubernetes.io/enforce": psa.enforce,
        "pod-security.kubernetes.io/enforce-version": POD_SECURITY_VERSION,
        "pod-security.kubernetes.io/warn": psa.warn,
        "pod-security.kubernetes.io/warn-version": POD_SECURITY_VERSION,
        "pod-security.kubernetes.io/audit": psa.audit,
        "pod-security.kubernetes.io/audit-version": POD_SECURITY_VERSION,
    };
    if (ns.startsWith("services-")) {
        if (args.istioRevision) labels["istio.io/rev"] = args.istioRevision;
        else labels["istio-injection"] = "enabled";
    } else if (ns === "istio-system") {
        // No injection label here: the gateway pods are injected through their own
        // `sidecar.istio.io/inject` label, which `istio-injection: disabled` would override.
        labels["topology.istio.io/network"] = args.meshNetwork;
    } else {
        labels["istio-injection"] = "disabled";
    }
    return labels;
}

/** A valid Kubernetes label value (63 characters at most, alphanumeric at both ends). */
export const isLabelValue = (v: string): boolean => /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/.test(v);

/** Every problem with the arguments, without the Pulumi runtime. */
export function platformNamespacesProblems(args: PlatformNamespacesArgs): string[] {
    const problems: string[] = [];
    if (!args.meshNetwork || !isLabelValue(args.meshNetwork)) {
        problems.push(
            `meshNetwork must be a non-empty Kubernetes label value (letters, digits, '-', '_', '.'); received ${JSON.stringify(args.meshNetwork)}`,
        );
    }
    if (args.istioRevision !== undefined && (!args.istioRevision || !isLabelValue(args.istioRevision))) {
        problems.push(`istioRevision must be a Kubernetes label value; received ${JSON.stringify(args.istioRevision)}`);
    }
    for (const key of ["meshPeerCidrs", "dnsCidrs"] as const) {
        for (const cidr of args[key] ?? []) {
            if (!parseCidr(cidr)) problems.push(`${key}: ${JSON.stringify(cidr)} is not an IPv4 CIDR`);
        }
    }
    (args.dataStores ?? []).forEach((s, i) => {
        const key = `dataStores[${i}] (${s.store})`;
        if (s.cidrs.length === 0) problems.push(`${key}.cidrs must list at least one range`);
        for (const cidr of s.cidrs) {
            const c = parseCidr(cidr);
            if (!c || c.prefix === 0)
                problems.push(`${key}.cidrs: ${JSON.stringify(cidr)} is not an IPv4 CIDR narrower than /0`);
        }
        if (s.ports.length === 0 || s.ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
            problems.push(`${key}.ports must list TCP ports from 1 to 65535; received ${JSON.stringify(s.ports)}`);
        }
    });
    for (const k of Object.keys(args.sizing ?? {})) {
        if (!(SERVICE_ENVIRONMENTS as readonly string[]).includes(k)) {
            problems.push(`sizing.${k} is not an environment; allowed: ${SERVICE_ENVIRONMENTS.join(", ")}`);
        }
    }
    const sizing = resolveSizing(args.sizing);
    for (const env of SERVICE_ENVIRONMENTS) {
        const s = sizing[env];
        if (!Number.isInteger(s.maxPods) || s.maxPods < 1) {
            problems.push(`sizing.${env}.maxPods must be a whole number of at least 1; received ${s.maxPods}`);
        }
        const quantities = Object.entries(s).filter(([k]) => k !== "maxPods") as [string, string][];
        for (const [k, v] of quantities) {
            if (parseQuantity(v) === undefined) {
                problems.push(
                    `sizing.${env}.${k} must be a Kubernetes quantity such as "500m", "2" or "4Gi"; received ${JSON.stringify(v)}`,
                );
            }
        }
        for (const [request, limit] of [
            ["containerRequestCpu", "containerLimitCpu"],
            ["containerRequestMemory", "containerLimitMemory"],
            ["requestsCpu", "limitsCpu"],
            ["requestsMemory", "limitsMemory"],
        ] as const) {
            const r = parseQuantity(s[request]);
            const l = parseQuantity(s[limit]);
            if (r !== undefined && l !== undefined && r > l) {
                problems.push(`sizing.${env}.${request} (${s[request]}) must not exceed ${limit} (${s[limit]})`);
            }
        }
    }
    return problems;
}
