/**
 * The settings an Istio install on one cluster is made of: platforms, load balancer annotations, gateway
 * ports, Helm timeouts and the reader account remote clusters use. Ports come from the one mesh port table.
 */
import type { HelmValues } from "../kubernetes/addons/helm-addon";
import { MESH_PORTS } from "../shared/mesh-ports";

/** Platforms whose differences the install handles (CNI paths and quotas, load balancer annotations). */
export const ISTIO_PLATFORMS = ["eks", "gke"] as const;
export type IstioPlatform = (typeof ISTIO_PLATFORMS)[number];

/**
 * Annotations that make a gateway's load balancer internal: nothing in the mesh faces the internet until the
 * edge exists, and the other cloud reaches the east-west gateway over the VPN.
 *
 * EKS: the cluster runs no AWS Load Balancer Controller, so EKS's built-in (legacy cloud provider) service
 * controller reconciles every LoadBalancer Service. It makes an NLB for `aws-load-balancer-type: nlb` and an
 * internal one for `aws-load-balancer-internal: "true"`. `aws-load-balancer-type: external` would hand the
 * Service to the AWS Load Balancer Controller instead and, without it, leave it pending; `-scheme` is read
 * only by that controller (kubernetes-sigs.github.io/aws-load-balancer-controller, guide/service/nlb and
 * guide/service/annotations) and is kept so the load balancer stays internal if the controller is adopted.
 * GKE: `networking.gke.io/load-balancer-type: Internal` makes an internal passthrough Network Load Balancer.
 */
export const INTERNAL_LOAD_BALANCER_ANNOTATIONS: Readonly<Record<IstioPlatform, Readonly<Record<string, string>>>> = {
    eks: {
        "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
        "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
    },
    gke: { "networking.gke.io/load-balancer-type": "Internal" },
};

/**
 * Service ports of the ingress gateway: TLS only. The chart's default list (manifests/charts/gateway/values.yaml,
 * release-1.31) also opens `http2` on plain port 80; a list replaces it whole.
 */
export const INGRESS_GATEWAY_PORTS = [
    { name: "status-port", port: MESH_PORTS.status, targetPort: MESH_PORTS.status },
    { name: "https", port: 443, targetPort: 443 },
] as const;

/** Service ports of the east-west gateway (names pick the protocol: `tls` is SNI-routed mTLS). */
export const EAST_WEST_GATEWAY_PORTS = [
    { name: "status-port", port: MESH_PORTS.status, targetPort: MESH_PORTS.status },
    { name: "tls", port: MESH_PORTS.crossNetwork, targetPort: MESH_PORTS.crossNetwork },
    // istiod and its webhook, for remote (primary-remote) clusters or VMs joining later.
    { name: "tls-istiod", port: MESH_PORTS.xds, targetPort: MESH_PORTS.xds },
    { name: "tls-webhook", port: MESH_PORTS.webhook, targetPort: MESH_PORTS.webhook },
] as const;

/**
 * Seconds Helm waits per release. Gateways wait longest: Helm's wait covers the load balancer's
 * address, and a gateway pod created in the window where istiod reports Ready but its injection
 * webhook does not answer yet (istio#61049) is only fixed by the ReplicaSet retrying, within this time.
 */
export const ISTIO_HELM_TIMEOUT_SECONDS = {
    base: 300,
    // A DaemonSet on every node; Autopilot may add nodes first.
    cni: 600,
    istiod: 600,
    gateway: 900,
    kiali: 600,
} as const;

/**
 * The service account other clusters' istiod read this cluster with. Not the chart's
 * `istio-reader-service-account`: the base chart already creates that name, and creating it here too
 * fails one of the two owners. A separate account also keeps the remote-secret token's lifetime out of
 * Helm's hands.
 */
export const ISTIO_REMOTE_READER = "istio-remote-reader";

/**
 * The rules of the istiod chart's `istio-reader-clusterrole`, exactly as Istio 1.31.1 renders them with the
 * values this install sets (istio/istio release-1.31,
 * manifests/charts/istio-control/istio-discovery/templates/reader-clusterrole.yaml: `resourceScope` all,
 * `env.MCS_API_GROUP` unset so `multicluster.x-k8s.io`, `istiodRemote.enabled` false). Matched exactly, as
 * the remote secret `istioctl create-remote-secret` writes would carry them, so the remote istiod has what
 * its upstream tests assume. That includes create/delete on MCS `serviceexports`, which only istiod's MCS
 * auto-export uses (off here: `ENABLE_MCS_AUTO_EXPORT` is unset); narrowing it would be a fork of the chart
 * that every upgrade must re-check.
 */
export const ISTIO_REMOTE_READER_RULES = [
    {
        apiGroups: [
            "config.istio.io",
            "security.istio.io",
            "networking.istio.io",
            "authentication.istio.io",
            "rbac.istio.io",
            "telemetry.istio.io",
            "extensions.istio.io",
        ],
        resources: ["*"],
        verbs: ["get", "list", "watch"],
    },
    {
        apiGroups: [""],
        resources: [
            "endpoints",
            "pods",
            "services",
            "nodes",
            "replicationcontrollers",
            "namespaces",
            "secrets",
            "configmaps",
        ],
        verbs: ["get", "list", "watch"],
    },
    { apiGroups: ["networking.istio.io"], resources: ["workloadentries"], verbs: ["get", "watch", "list"] },
    {
        apiGroups: ["networking.x-k8s.io", "gateway.networking.k8s.io"],
        resources: ["gateways"],
        verbs: ["get", "watch", "list"],
    },
    { apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: ["get", "list", "watch"] },
    { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list", "watch"] },
    {
        apiGroups: ["multicluster.x-k8s.io"],
        resources: ["serviceexports"],
        verbs: ["get", "list", "watch", "create", "delete"],
    },
    { apiGroups: ["multicluster.x-k8s.io"], resources: ["serviceimports"], verbs: ["get", "list", "watch"] },
    { apiGroups: ["apps"], resources: ["replicasets"], verbs: ["get", "list", "watch"] },
    { apiGroups: ["authentication.k8s.io"], resources: ["tokenreviews"], verbs: ["create"] },
    { apiGroups: ["authorization.k8s.io"], resources: ["subjectaccessreviews"], verbs: ["create"] },
] as const;

/** Caller values per chart, deep-merged over the component's defaults. */
export interface IstioChartValues {
    readonly base?: HelmValues;
    readonly cni?: HelmValues;
    readonly istiod?: HelmValues;
    readonly ingressGateway?: HelmValues;
    readonly eastWestGateway?: HelmValues;
    readonly kiali?: HelmValues;
}
