/**
 * Default values of each chart of an Istio install; callers' values are deep-merged over them. Every key
 * here was checked against the pinned charts' values.yaml and templates (Helm ignores unknown keys
 * silently): istio/istio manifests/charts at release-1.31, kiali/helm-charts kiali-server.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { HelmValues } from "../kubernetes/addons/helm-addon";
import { ISTIO_GATEWAYS } from "./istio-charts";
import type { IstioClusterArgs } from "./istio-cluster";
import { EAST_WEST_GATEWAY_PORTS, INTERNAL_LOAD_BALANCER_ANNOTATIONS, type IstioPlatform } from "./istio-settings";

export function baseValues(ns: pulumi.Input<string>): HelmValues {
    return { global: { istioNamespace: ns } };
}

export function cniValues(platform: IstioPlatform): HelmValues {
    // The gke platform profile moves the CNI binaries to /home/kubernetes/bin and adds the quota that
    // lets system-node-critical pods run outside kube-system.
    return platform === "gke" ? { global: { platform: "gke" } } : {};
}

export function istiodValues(
    args: Pick<IstioClusterArgs, "meshId" | "clusterName" | "network" | "platform">,
    ns: pulumi.Input<string>,
): HelmValues {
    return {
        global: {
            istioNamespace: ns,
            meshID: args.meshId,
            multiCluster: { clusterName: args.clusterName },
            network: args.network,
            ...(args.platform === "gke" ? { platform: "gke" } : {}),
        },
        // CNI on every platform, not only where Autopilot demands it: without it each sidecar brings a
        // NET_ADMIN init container, which the restricted Pod Security level of the service
        // namespaces rejects.
        // The istiod chart's own key (it hands `cni` to the injector as `pilot.cni`): `pilot.cni.enabled`
        // here would be ignored, and every sidecar would get istio-init after all.
        cni: { enabled: true },
        meshConfig: {
            defaultConfig: {
                // The sidecar answers DNS for services that exist only in the other cluster.
                proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true" },
            },
        },
    };
}

export function ingressGatewayValues(): HelmValues {
    return {
        labels: { app: ISTIO_GATEWAYS.ingress.releaseName, istio: ISTIO_GATEWAYS.ingress.selector },
        service: { type: "LoadBalancer" },
    };
}

/**
 * Set explicitly rather than through the chart's `networkGateway` shortcut, whose port handling has
 * changed between chart versions; these values mean the same in all of them.
 */
export function eastWestGatewayValues(network: string, platform: IstioPlatform): HelmValues {
    return {
        labels: {
            app: ISTIO_GATEWAYS.eastWest.releaseName,
            istio: ISTIO_GATEWAYS.eastWest.selector,
            "topology.istio.io/network": network,
        },
        env: {
            // Adds the SNI clusters AUTO_PASSTHROUGH routes to.
            ISTIO_META_ROUTER_MODE: "sni-dnat",
            // Route only to endpoints of this network; traffic never hops on to a third network.
            ISTIO_META_REQUESTED_NETWORK_VIEW: network,
        },
        service: {
            type: "LoadBalancer",
            annotations: { ...INTERNAL_LOAD_BALANCER_ANNOTATIONS[platform] },
            ports: EAST_WEST_GATEWAY_PORTS.map((p) => ({ ...p, protocol: "TCP" })),
        },
    };
}

/**
 * No `istio_namespace`: deprecated and ignored since Kiali 2.11 (Kiali finds istiod itself), so setting it
 * would only look like configuration.
 */
export function kialiValues(clusterName: string): HelmValues {
    return {
        // Kiali can change mesh config; anonymous access would hand that to anyone who reaches it.
        auth: { strategy: "token" },
        // The same name istiod uses, so Kiali's multi-cluster views line up with the mesh's.
        kubernetes_config: { cluster_name: clusterName },
    };
}
