/**
 * Default values of each chart of an Istio install; callers' values are deep-merged over them. Every key
 * here was checked against the pinned charts' values.yaml and templates (Helm ignores unknown keys
 * silently): istio/istio manifests/charts at release-1.31, kiali/helm-charts kiali-server.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { HelmValues } from "../kubernetes/addons/helm-addon";
import { ISTIO_GATEWAYS } from "./istio-charts";
import type { IstioClusterArgs } from "./istio-cluster";
import { usesIstioCni } from "./istio-data-plane";
import {
    EAST_WEST_GATEWAY_PORTS,
    INGRESS_GATEWAY_PORTS,
    INTERNAL_LOAD_BALANCER_ANNOTATIONS,
    type IstioPlatform,
} from "./istio-settings";

export function baseValues(ns: pulumi.Input<string>): HelmValues {
    return { global: { istioNamespace: ns } };
}

/** Values of the istio-cni chart, installed only where {@link usesIstioCni} (EKS). */
export function cniValues(): HelmValues {
    return {};
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
        // Where the CNI agent runs, the injector leaves istio-init out, so the service namespaces keep the
        // restricted Pod Security level; on Autopilot the agent cannot run and istio-init does its work
        // (istio-data-plane.ts says why). The istiod chart's own key (it hands `cni` to the injector as
        // `pilot.cni`): `pilot.cni.enabled` here would be ignored.
        cni: { enabled: usesIstioCni(args.platform) },
        meshConfig: {
            defaultConfig: {
                // The sidecar answers DNS for services that exist only in the other cluster.
                proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true" },
            },
        },
    };
}

/**
 * Internal until the edge (API gateway, DNS failover) exists, and TLS only: the chart's default ports
 * include plain HTTP on 80, so the list is replaced whole.
 */
export function ingressGatewayValues(platform: IstioPlatform): HelmValues {
    return {
        labels: { app: ISTIO_GATEWAYS.ingress.releaseName, istio: ISTIO_GATEWAYS.ingress.selector },
        service: {
            type: "LoadBalancer",
            annotations: { ...INTERNAL_LOAD_BALANCER_ANNOTATIONS[platform] },
            ports: INGRESS_GATEWAY_PORTS.map((p) => ({ ...p, protocol: "TCP" })),
        },
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
