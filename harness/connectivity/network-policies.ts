/**
 * Kubernetes NetworkPolicies: a pod selected by a policy of a direction is isolated in that direction
 * and admits only what some selecting policy's rules allow; a pod no policy selects is open
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/). EKS enforces them only
 * with the VPC CNI's network policy agent (`vpcCniOptions.enableNetworkPolicy`); GKE Autopilot always
 * does (GKE Dataplane V2).
 */
import type { RecordedResource } from "../recorder";
import type { PlanIndex } from "./plan-index";
import { admitsSource, covers, unknownPublic, unknownPublicSource } from "./ranges";
import type { HopResult, PodPlace, Probe } from "./types";

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: any[] } | undefined;

export function selects(selector: Selector, labels: Readonly<Record<string, string>>): boolean {
    if (!selector) return true;
    const ml = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
    const me = (selector.matchExpressions ?? []).every((e) => {
        const has = e.key in labels;
        switch (e.operator) {
            case "In":
                return has && e.values.includes(labels[e.key]);
            case "NotIn":
                return !has || !e.values.includes(labels[e.key]);
            case "Exists":
                return has;
            case "DoesNotExist":
                return !has;
        }
        return false;
    });
    return ml && me;
}

function enforced(idx: PlanIndex, cluster: "eks" | "gke"): boolean {
    if (cluster === "gke") return true;
    return idx.eksCluster()?.inputs.vpcCniOptions?.enableNetworkPolicy === true;
}

function namespaceLabels(idx: PlanIndex, cluster: "eks" | "gke", ns: string): Record<string, string> {
    const r = idx.namespaceOf(cluster, ns);
    return { ...(r?.inputs.metadata?.labels ?? {}), "kubernetes.io/metadata.name": ns };
}

const selecting = new WeakMap<PlanIndex, Map<string, RecordedResource[]>>();

/** The policies of the pod's namespace that select it for `type`; remembered per plan, pod and type. */
function policiesFor(idx: PlanIndex, pod: PodPlace, type: "Ingress" | "Egress"): RecordedResource[] {
    let cache = selecting.get(idx);
    if (!cache) selecting.set(idx, (cache = new Map()));
    const key = JSON.stringify([pod.cluster, pod.namespace, pod.labels, type]);
    let hit = cache.get(key);
    if (!hit) {
        hit = idx.k8sIn("kubernetes:networking.k8s.io/v1:NetworkPolicy", pod.cluster, pod.namespace).filter((np) => {
            const spec = np.inputs.spec ?? {};
            const types: string[] = spec.policyTypes ?? ["Ingress", ...(spec.egress ? ["Egress"] : [])];
            return types.includes(type) && selects(spec.podSelector, pod.labels);
        });
        cache.set(key, hit);
    }
    return hit;
}

function portsMatch(ports: any[] | undefined, p: Probe): boolean {
    if (!ports || ports.length === 0) return true;
    return ports.some((x) => {
        const proto = String(x.protocol ?? "TCP").toLowerCase();
        if (proto !== p.protocol) return false;
        if (x.port === undefined) return true;
        const port = Number(x.port);
        // A named port cannot be resolved without the pod spec: it matches nothing here.
        if (Number.isNaN(port)) return false;
        return p.port >= port && p.port <= (x.endPort ?? port);
    });
}

function peerMatches(
    idx: PlanIndex,
    peer: any,
    cidr: string,
    publicPeer: boolean,
    pods: PodPlace | undefined,
    cluster: "eks" | "gke",
    ownNamespace: string,
): boolean {
    if (peer.ipBlock) {
        const except: string[] = peer.ipBlock.except ?? [];
        return admitsSource(peer.ipBlock.cidr, cidr, publicPeer) && !except.some((e) => covers(e, cidr));
    }
    // Pod and namespace selectors match pods of the same cluster only.
    if (!pods || pods.cluster !== cluster || !pods.namespace) return false;
    const nsOk = peer.namespaceSelector
        ? selects(peer.namespaceSelector, namespaceLabels(idx, cluster, pods.namespace))
        : pods.namespace === ownNamespace;
    return nsOk && selects(peer.podSelector, pods.labels);
}

function evaluate(idx: PlanIndex, p: Probe, direction: "Ingress" | "Egress"): HopResult | undefined {
    const hop = direction === "Egress" ? "source egress" : "destination ingress";
    const pod = direction === "Egress" ? p.sourcePods : p.destinationPods;
    if (!pod?.namespace) return undefined;
    if (!enforced(idx, pod.cluster)) return undefined;
    const policies = policiesFor(idx, pod, direction);
    if (policies.length === 0) return undefined;
    const other = direction === "Egress" ? p.destinationPods : p.sourcePods;
    const cidr = direction === "Egress" ? p.destinationCidr : p.sourceCidr;
    const publicPeer = direction === "Egress" ? unknownPublic(p.destinationCidr) : unknownPublicSource(p);
    const key = direction === "Egress" ? "egress" : "ingress";
    const peersKey = direction === "Egress" ? "to" : "from";
    for (const np of policies) {
        for (const rule of (np.inputs.spec?.[key] ?? []) as any[]) {
            const peers: any[] = rule[peersKey] ?? [];
            const peerOk =
                peers.length === 0 ||
                peers.some((x) => peerMatches(idx, x, cidr, publicPeer, other, pod.cluster, pod.namespace!));
            if (peerOk && portsMatch(rule.ports, p)) {
                return {
                    hop,
                    allowed: true,
                    reason: `NetworkPolicy ${pod.namespace}/${np.inputs.metadata?.name} on ${pod.cluster} allows it`,
                };
            }
        }
    }
    const names = policies.map((np) => np.inputs.metadata?.name).join(", ");
    return {
        hop,
        allowed: false,
        reason: `NetworkPolicies of ${pod.namespace} on ${pod.cluster} (${names}) isolate ${key} and none allows ${p.protocol}/${p.port} ${peersKey} ${cidr}`,
    };
}

/** The NetworkPolicy part of the source-egress hop; undefined when no policy applies. */
export function podEgress(idx: PlanIndex, p: Probe): HopResult | undefined {
    return evaluate(idx, p, "Egress");
}

/** The NetworkPolicy part of the destination-ingress hop; undefined when no policy applies. */
export function podIngress(idx: PlanIndex, p: Probe): HopResult | undefined {
    return evaluate(idx, p, "Ingress");
}
