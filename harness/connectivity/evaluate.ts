/**
 * Evaluates the connectivity flows over a plan's recorded resources, hop by hop: source egress ->
 * routing -> destination ingress -> exposure. A flow is split into probes (each source range and
 * namespace, each destination range, each port); an `allow` flow needs every probe through, a `deny`
 * flow every probe blocked.
 */
import type { ConnectivityFlow } from "../../catalog/connectivity";
import type { RecordedResource } from "../recorder";
import { awsEgress, awsIngress } from "./aws-security-groups";
import { resolveEndpoint, type ResolveOptions } from "./endpoints";
import { admission, exposure } from "./exposure";
import { gcpEgress, gcpIngress, ownInstance } from "./gcp-firewall";
import { podEgress, podIngress } from "./network-policies";
import { meshAuthorization } from "./mesh-authz";
import { indexPlan, type PlanIndex } from "./plan-index";
import { route } from "./routing";
import { UnresolvedEndpoint, type Endpoint, type HopResult, type PodPlace, type Probe } from "./types";

export type FlowStatus = "pass" | "fail" | "pending" | "pending-passes" | "error";

export interface FlowResult {
    readonly flow: ConnectivityFlow;
    /** `allowed`, or `blocked at <hop>: <reason>`; for an error, the resolution message. */
    readonly verdict: string;
    readonly allowed: boolean;
    readonly status: FlowStatus;
    /** The hops of the deciding probe: the first blocked one, or (all allowed) the first. */
    readonly hops: readonly HopResult[];
    /** The deciding probe, in words. */
    readonly probe: string;
    readonly probes: number;
}

function sourceEgress(idx: PlanIndex, p: Probe): HopResult {
    const s = p.source;
    if (s.egressOutsidePlan) return { hop: "source egress", allowed: true, reason: s.egressOutsidePlan };
    const pods = podEgress(idx, p);
    if (pods && !pods.allowed) return pods;
    const cloud =
        s.cloud === "aws"
            ? awsEgress(idx, p)
            : ownInstance(s)
              ? gcpEgress(idx, p)
              : { hop: "source egress" as const, allowed: true, reason: `${s.label}: no egress filtering` };
    return pods && cloud.allowed ? { ...cloud, reason: `${pods.reason}; ${cloud.reason}` } : cloud;
}

function destinationIngress(idx: PlanIndex, p: Probe): HopResult {
    const d = p.destination;
    const adm = admission(p);
    if (!adm.allowed) return adm;
    const net =
        d.cloud === "aws"
            ? awsIngress(idx, p)
            : ownInstance(d)
              ? gcpIngress(idx, p)
              : {
                    hop: "destination ingress" as const,
                    allowed: true,
                    reason: d.gcp?.peeringLabel
                        ? `behind ${d.gcp.peeringLabel}: the platform's firewall does not apply`
                        : `${d.label} accepts public clients`,
                };
    if (!net.allowed) return net;
    const pods = podIngress(idx, p);
    if (pods && !pods.allowed) return pods;
    const mesh = meshAuthorization(idx, p);
    if (mesh && !mesh.allowed) return mesh;
    return { ...net, reason: [adm.reason, net.reason, pods?.reason, mesh?.reason].filter(Boolean).join("; ") };
}

export function evaluateProbe(idx: PlanIndex, probe: Probe): HopResult[] {
    const hops: HopResult[] = [];
    const egress = sourceEgress(idx, probe);
    hops.push(egress);
    if (!egress.allowed) return hops;
    const routing = route(idx, probe);
    hops.push({ hop: routing.hop, allowed: routing.allowed, reason: routing.reason });
    if (!routing.allowed) return hops;
    const p = { ...probe, natted: routing.natted };
    const ingress = destinationIngress(idx, p);
    hops.push(ingress);
    if (!ingress.allowed) return hops;
    hops.push(exposure(p));
    return hops;
}

function probesOf(flow: ConnectivityFlow, source: Endpoint, destination: Endpoint): Probe[] {
    const out: Probe[] = [];
    const sourcePods: readonly (PodPlace | undefined)[] = source.pods ?? [undefined];
    const destinationPods: readonly (PodPlace | undefined)[] = destination.pods ?? [undefined];
    for (const sp of sourcePods)
        for (const sourceCidr of source.cidrs)
            for (const dp of destinationPods)
                for (const destinationCidr of destination.cidrs)
                    for (const port of flow.ports)
                        out.push({
                            source,
                            destination,
                            sourceCidr,
                            destinationCidr,
                            port,
                            protocol: flow.protocol ?? "tcp",
                            sourcePods: sp,
                            destinationPods: dp,
                        });
    return out;
}

function describeProbe(p: Probe): string {
    const ns = p.sourcePods?.namespace ? ` (${p.sourcePods.namespace})` : "";
    return `${p.source.label}${ns} ${p.sourceCidr} -> ${p.destination.label} ${p.destinationCidr} ${p.protocol}/${p.port}`;
}

const resolved = new WeakMap<PlanIndex, Map<string, Endpoint | UnresolvedEndpoint>>();

/** {@link resolveEndpoint}, once per plan, ref and options: a catalog's flows name the same endpoints many times. */
function resolveOnce(idx: PlanIndex, ref: string, opts: ResolveOptions): Endpoint {
    let cache = resolved.get(idx);
    if (!cache) resolved.set(idx, (cache = new Map()));
    const key = JSON.stringify([ref, opts.viewer ?? null, opts.deployerCidrs ?? null]);
    let hit = cache.get(key);
    if (!hit) {
        try {
            hit = resolveEndpoint(idx, ref, opts);
        } catch (e) {
            if (!(e instanceof UnresolvedEndpoint)) throw e;
            hit = e;
        }
        cache.set(key, hit);
    }
    if (hit instanceof UnresolvedEndpoint) throw hit;
    return hit;
}

export function evaluateFlow(idx: PlanIndex, flow: ConnectivityFlow, opts: ResolveOptions = {}): FlowResult {
    let source: Endpoint;
    let destination: Endpoint;
    try {
        source = resolveOnce(idx, flow.source, opts);
        destination = resolveOnce(idx, flow.destination, {
            ...opts,
            viewer: source.cloud === "internet" ? "internet" : "private",
        });
    } catch (e) {
        if (!(e instanceof UnresolvedEndpoint)) throw e;
        const verdict = `unresolved: ${e.message}`;
        // A pending flow may wait for the very resource that does not exist yet.
        const status: FlowStatus = flow.pending ? "pending" : "error";
        return { flow, verdict, allowed: false, status, hops: [], probe: "", probes: 0 };
    }
    const probes = probesOf(flow, source, destination);
    let decidingHops: HopResult[] | undefined;
    let decidingProbe: Probe | undefined;
    let firstOpen: { hops: HopResult[]; probe: Probe } | undefined;
    for (const probe of probes) {
        const hops = evaluateProbe(idx, probe);
        const open = hops.every((h) => h.allowed);
        if (open && !firstOpen) firstOpen = { hops, probe };
        if (!open && !decidingHops) {
            decidingHops = hops;
            decidingProbe = probe;
        }
    }
    // An allow flow is as good as its worst probe; a deny flow as bad as its most open one.
    const allowed = flow.expect === "allow" ? !decidingHops : !!firstOpen;
    const shown =
        flow.expect === "allow" ? (decidingHops ?? firstOpen?.hops ?? []) : (firstOpen?.hops ?? decidingHops ?? []);
    const shownProbe =
        flow.expect === "allow" ? (decidingProbe ?? firstOpen?.probe) : (firstOpen?.probe ?? decidingProbe);
    const blocked = shown.find((h) => !h.allowed);
    const verdict = allowed || !blocked ? "allowed" : `blocked at ${blocked.hop}: ${blocked.reason}`;
    const met = (flow.expect === "allow") === allowed;
    const status: FlowStatus = flow.pending ? (met ? "pending-passes" : "pending") : met ? "pass" : "fail";
    return {
        flow,
        verdict,
        allowed,
        status,
        hops: shown,
        probe: shownProbe ? describeProbe(shownProbe) : "",
        probes: probes.length,
    };
}

export function evaluateFlows(
    resources: readonly RecordedResource[],
    flows: readonly ConnectivityFlow[],
    opts: ResolveOptions = {},
): FlowResult[] {
    const idx = indexPlan(resources);
    return flows.map((f) => evaluateFlow(idx, f, opts));
}
