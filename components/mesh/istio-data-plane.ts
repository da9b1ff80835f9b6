/**
 * How each platform captures sidecar traffic, and what that asks of the cluster around the mesh.
 *
 * EKS: the Istio CNI node agent. Pods then carry no NET_ADMIN init container, so the service namespaces
 * keep the `restricted` Pod Security level.
 *
 * GKE Autopilot (decided 2026-12 for Istio 1.31.1): no CNI agent; each sidecar's own `istio-init`
 * container writes the iptables rules. Why, with the sources:
 * - The istio-cni DaemonSet runs on the host network with writable host paths and adds SYS_ADMIN, NET_ADMIN
 *   and NET_RAW (manifests/charts/istio-cni/templates/daemonset.yaml, release-1.31). Istio's own GKE page
 *   says the CNI node agent is therefore not available on Autopilot and to use istio-init instead
 *   (istio/istio.io content/en/docs/setup/platform-setup/gke/index.md).
 * - Autopilot admits privileged workloads only through an allowlist installed by an `AllowlistSynchronizer`
 *   (https://cloud.google.com/kubernetes-engine/docs/how-to/run-autopilot-partner-workloads). Google's
 *   table of allowlisted open-source workloads does not list Istio, istio-cni or ztunnel
 *   (https://cloud.google.com/kubernetes-engine/docs/concepts/run-autopilot-open-source-workloads), and
 *   istio/istio#57356 (ambient on Autopilot) closed without an answer: no Google-approved path exists.
 *   Customer-owned allowlists in a Cloud Storage bucket need GKE 1.35, an organization policy and
 *   Google's eligibility check (https://cloud.google.com/kubernetes-engine/docs/how-to/autopilot-privileged-allowlists):
 *   not a path this program can take on its own.
 * - istio-init adds NET_ADMIN and NET_RAW and runs as root (istio/istio manifests/charts/istio-control/
 *   istio-discovery/files/injection-template.yaml, release-1.31). GKE Warden's default set of added capabilities holds
 *   NET_RAW but not NET_ADMIN; the cluster setting `allowNetAdmin` (API WorkloadPolicyConfig.allow_net_admin,
 *   gcloud `--workload-policies=allow-net-admin`) admits NET_ADMIN for exactly this use
 *   (https://wdenniss.com/byo-service-mesh-on-gke-autopilot, by GKE's product manager; gcp.container.Cluster
 *   `allowNetAdmin` in @pulumi/gcp 9.37). Warden still refuses privileged containers, host namespaces and
 *   host-path writes, so Autopilot keeps its guard rails.
 * - Pod Security `baseline` does not allow NET_ADMIN or NET_RAW either
 *   (https://istio.io/latest/docs/setup/additional-setup/pod-security-admission/), so on GKE the service
 *   namespaces enforce `privileged`, with Warden as the effective policy, and warn and audit at `baseline`
 *   so that anything beyond the init container's two capabilities stays visible.
 * Managed Cloud Service Mesh was not chosen: its managed data plane does not mix with an open-source
 * istiod on EKS in one multi-primary mesh without moving EKS to Google's distribution too.
 */
import type { IstioPlatform } from "./istio-settings";

/** How sidecars get their traffic redirected on a platform. */
export const TRAFFIC_CAPTURE = {
    /** The istio-cni node agent (a privileged DaemonSet) writes the rules when the pod's network is set up. */
    eks: "cni",
    /** Each pod's istio-init container (NET_ADMIN, NET_RAW) writes them itself. */
    gke: "init-container",
} as const satisfies Record<IstioPlatform, "cni" | "init-container">;

/** Whether the platform runs the istio-cni chart (and istiod's injector leaves istio-init out). */
export function usesIstioCni(platform: IstioPlatform): boolean {
    return TRAFFIC_CAPTURE[platform] === "cni";
}

/**
 * What the cluster and its namespaces must allow for the mesh on GKE: read by the owners of the GKE cluster
 * (`allowNetAdmin` on gcp.container.Cluster) and of the namespaces (the Pod Security labels of the service
 * namespaces). See the file comment for why.
 */
export const GKE_SIDECAR_INIT_REQUIREMENTS = {
    /** gcp.container.Cluster `allowNetAdmin`: Warden admits istio-init's NET_ADMIN only with it. */
    clusterAllowNetAdmin: true,
    /** Capabilities every injected pod's istio-init adds. */
    initContainerCapabilities: ["NET_ADMIN", "NET_RAW"],
    /** Pod Security of the namespaces with sidecar injection, on GKE only. */
    serviceNamespacePodSecurity: { enforce: "privileged", warn: "baseline", audit: "baseline" },
} as const;
