/**
 * The NetworkPolicy of one service, as pure data. The service namespace already denies everything by
 * default and allows DNS, istiod, the Istio gateways and metrics scrapes, and nothing between its pods
 * (components/kubernetes/platform-namespaces.ts); this policy adds only what this service needs: its
 * callers in, and out to its callees and its data stores. NetworkPolicies are additive, so nothing here
 * can narrow the namespace's allows, and a call the entry does not declare finds no allow anywhere.
 */
import type * as k8s from "@pulumi/kubernetes";
import { WORKLOAD_DEFAULTS, type ResolvedWorkload, type ServicePeer } from "./workload-args";

const tcp = (ports: readonly number[]) => ports.map((port) => ({ protocol: "TCP", port }));

/** Pods of service `peer`: its namespace by the name label Kubernetes sets, and its `app` label. */
export function peerSelector(peer: ServicePeer): k8s.types.input.networking.v1.NetworkPolicyPeer {
    return {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": peer.namespace } },
        podSelector: { matchLabels: { app: peer.name } },
    };
}

/** Ingress from exactly the callers on the service's port; egress to exactly its callees and data stores. */
export function workloadNetworkPolicySpec(w: ResolvedWorkload): k8s.types.input.networking.v1.NetworkPolicySpec {
    const callers = w.args.callers ?? [];
    return {
        podSelector: { matchLabels: { app: w.args.name } },
        policyTypes: ["Ingress", "Egress"],
        ingress: callers.length > 0 ? [{ from: callers.map(peerSelector), ports: tcp([w.port]) }] : [],
        egress: [
            ...(w.args.callees ?? []).map((c) => ({
                to: [peerSelector(c)],
                ports: tcp([c.port ?? WORKLOAD_DEFAULTS.port]),
            })),
            ...(w.args.dataStores ?? []).map((s) => ({
                to: s.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
                ports: tcp(s.ports),
            })),
        ],
    };
}
