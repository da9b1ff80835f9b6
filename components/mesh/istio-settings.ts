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
 * Annotations that make the east-west gateway's load balancer internal: the other cloud reaches it
 * over the VPN, never over the internet. EKS carries both spellings because the in-tree controller
 * reads `-internal` and the AWS Load Balancer Controller reads `-scheme`; which one runs is decided
 * by the cluster, not here.
 */
export const INTERNAL_LOAD_BALANCER_ANNOTATIONS: Readonly<Record<IstioPlatform, Readonly<Record<string, string>>>> = {
    eks: {
        "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
        "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
    },
    gke: { "networking.gke.io/load-balancer-type": "Internal" },
};

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
 * What a remote istiod reads: the read rules of the istiod chart's own `istio-reader-clusterrole`
 * (templates/reader-clusterrole.yaml of the pinned 1.31). Read-only on purpose: the chart also grants
 * create/delete on MCS `serviceexports`, which only istiod's MCS auto-export uses, and this mesh does not
 * enable it; a token in another cloud should not be able to change this cluster.
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
        resources: ["serviceexports", "serviceimports"],
        verbs: ["get", "list", "watch"],
    },
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
