/**
 * What GKE Autopilot's admission (GKE Warden) would refuse, caught in the plan instead of half-way through
 * a deploy. Autopilot rejects privileged containers, host namespaces, writable host paths and capabilities
 * beyond its default set unless a Google-approved allowlist is installed through an `AllowlistSynchronizer`
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/autopilot-security,
 * https://cloud.google.com/kubernetes-engine/docs/how-to/run-autopilot-partner-workloads).
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { known } from "./util";
import { at, kindOf, POD_SPEC_PATHS } from "./workloads/pod-spec";

const GKE_CLUSTER = "gcp:container/cluster:Cluster";
const K8S_PROVIDER = "pulumi:providers:kubernetes";
const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
const ALLOWLIST_SYNCHRONIZER = "kubernetes:auto.gke.io/v1:AllowlistSynchronizer";

/**
 * Capabilities Warden lets a container add by default, as its own rejection message lists them
 * (autogke-default-linux-capabilities, quoted at https://wdenniss.com/byo-service-mesh-on-gke-autopilot).
 * NET_ADMIN is added to the set on clusters with `allowNetAdmin`.
 */
export const AUTOPILOT_DEFAULT_CAPABILITIES = [
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "NET_RAW",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
    "SYS_PTRACE",
];

/**
 * Charts whose workloads Autopilot refuses without an allowlist. Helm releases are opaque to the plan, so
 * they are known by name: Istio's `cni` (host network, writable host paths, SYS_ADMIN; istio/istio
 * manifests/charts/istio-cni/templates/daemonset.yaml) and `ztunnel` (the ambient node proxy, NET_ADMIN and
 * SYS_ADMIN), and the Prometheus node exporter (host network and PID namespace, host paths).
 */
export const DEFAULT_ALLOWLIST_CHARTS = ["cni", "istio-cni", "ztunnel", "prometheus-node-exporter"];

type Config = { allowlistCharts: string[]; defaultCapabilities: string[] };

/** The chart's own name, without a repository alias or an OCI path (`istio/cni`, `oci://…/cni`). */
const chartName = (chart: unknown): string => (typeof chart === "string" ? (chart.split("/").pop() ?? "") : "");

/** Every way the pod spec breaks Autopilot's default constraints, described for the message. */
export function autopilotPodProblems(spec: unknown, allowedCapabilities: readonly string[]): string[] {
    const problems: string[] = [];
    for (const ns of ["hostNetwork", "hostPID", "hostIPC"]) {
        if (at(spec, [ns]) === true) problems.push(`${ns} is true`);
    }
    const hostPathVolumes = new Set<string>(
        ((at(spec, ["volumes"]) as any[] | undefined) ?? [])
            .filter((v) => at(v, ["hostPath"]) !== undefined)
            .map((v) => String(at(v, ["name"]))),
    );
    for (const kind of ["initContainers", "containers", "ephemeralContainers"]) {
        for (const c of (at(spec, [kind]) as any[] | undefined) ?? []) {
            const name = String(at(c, ["name"]) ?? "?");
            if (at(c, ["securityContext", "privileged"]) === true) problems.push(`container "${name}" is privileged`);
            const added = ((at(c, ["securityContext", "capabilities", "add"]) as unknown[] | undefined) ?? []).map(
                String,
            );
            const refused = added.filter((cap) => !allowedCapabilities.includes(cap.replace(/^CAP_/, "")));
            if (refused.length > 0) problems.push(`container "${name}" adds ${refused.join(", ")}`);
            for (const m of (at(c, ["volumeMounts"]) as any[] | undefined) ?? []) {
                if (hostPathVolumes.has(String(at(m, ["name"]))) && at(m, ["readOnly"]) !== true) {
                    problems.push(`container "${name}" mounts host path volume "${at(m, ["name"])}" writable`);
                }
            }
        }
    }
    return problems;
}

/** The Autopilot clusters by the URN of each Kubernetes provider built from one of them. */
function autopilotProviders(resources: readonly PolicyResource[]): Map<string, PolicyResource> {
    const clusters = resources.filter((r) => r.type === GKE_CLUSTER && known(() => r.props.enableAutopilot) === true);
    const byProvider = new Map<string, PolicyResource>();
    for (const p of resources.filter((r) => r.type === K8S_PROVIDER)) {
        // The provider's kubeconfig is built from the cluster's outputs, which makes the cluster its dependency.
        const deps = [...p.dependencies, ...(p.propertyDependencies.kubeconfig ?? [])];
        const cluster = clusters.find((c) => deps.some((d) => d.urn === c.urn));
        if (cluster) byProvider.set(p.urn, cluster);
    }
    return byProvider;
}

export const gkeAutopilotAdmission: StackValidationPolicy = {
    name: "gke-autopilot-admission",
    description:
        "Nothing on GKE Autopilot needs what it refuses without an allowlist: node-agent charts need an AllowlistSynchronizer; pods get no privilege, host access or added caps.",
    enforcementLevel: "mandatory",
    tags: ["access"],
    configSchema: {
        properties: {
            allowlistCharts: {
                type: "array",
                items: { type: "string" },
                default: DEFAULT_ALLOWLIST_CHARTS,
                description:
                    "Chart names whose workloads Autopilot admits only with a Google-approved allowlist installed.",
            },
            defaultCapabilities: {
                type: "array",
                items: { type: "string" },
                default: AUTOPILOT_DEFAULT_CAPABILITIES,
                description:
                    "Capabilities Autopilot lets a container add by default; NET_ADMIN is added where the cluster sets allowNetAdmin.",
            },
        },
    },
    remediationSteps:
        "Do not install node agents that need host access on Autopilot: use the workload's Autopilot mode (for " +
        "Istio, no CNI chart and the sidecar's istio-init, with allowNetAdmin on the cluster). If the vendor has a " +
        "Google-approved allowlist, create a kubernetes auto.gke.io/v1 AllowlistSynchronizer with its path on the " +
        "same provider and make the release depend on it. Remove privileged, hostNetwork/hostPID/hostIPC, writable " +
        "hostPath mounts and capabilities outside Autopilot's set from raw workloads.",
    validateStack: (args, reportViolation) => {
        const { allowlistCharts, defaultCapabilities } = args.getConfig<Config>();
        const providers = autopilotProviders(args.resources);
        if (providers.size === 0) return;
        const withAllowlist = new Set(
            args.resources.filter((r) => r.type === ALLOWLIST_SYNCHRONIZER).map((r) => r.provider?.urn),
        );
        for (const r of args.resources) {
            const cluster = r.provider ? providers.get(r.provider.urn) : undefined;
            if (!cluster) continue;
            if (r.type === HELM_RELEASE) {
                const chart = chartName(known(() => r.props.chart));
                if (allowlistCharts.includes(chart) && !withAllowlist.has(r.provider!.urn)) {
                    reportViolation(
                        `Helm release "${r.name}" installs chart "${chart}" on GKE Autopilot cluster "${cluster.name}", ` +
                            "whose admission refuses that chart's workloads without a Google-approved allowlist, and no " +
                            "AllowlistSynchronizer is installed on that cluster. Install the allowlist, or do not run the chart there.",
                        r.urn,
                    );
                }
                continue;
            }
            const path = POD_SPEC_PATHS[r.type];
            if (!path) continue;
            const allowed =
                known(() => cluster.props.allowNetAdmin) === true
                    ? [...defaultCapabilities, "NET_ADMIN"]
                    : defaultCapabilities;
            const problems = autopilotPodProblems(at(r.props, path), allowed);
            if (problems.length > 0) {
                reportViolation(
                    `${kindOf(r.type)} "${r.name}" would be refused by GKE Autopilot cluster "${cluster.name}": ` +
                        `${problems.join("; ")}. Autopilot allows added capabilities ${allowed.join(", ")} only.`,
                    r.urn,
                );
            }
        }
    },
};
