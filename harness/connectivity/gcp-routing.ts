/**
 * GCP routing: what the Cloud Routers of the VPN advertise, whether a peering to a Google-owned network
 * exports the network's custom (VPN-learned) routes, and Cloud NAT for internet egress.
 */
import type { PlanIndex } from "./plan-index";
import { lastSegment } from "./plan-index";
import { covers } from "./ranges";
import type { GcpPlace } from "./types";

export interface Advertisement {
    readonly router: string;
    readonly mode: string;
    readonly ranges: readonly string[];
}

/**
 * What each Cloud Router with BGP peers advertises. `DEFAULT` mode advertises the network's subnet
 * ranges (primary and secondary; with `routingMode: GLOBAL`, every region's); `CUSTOM` mode only
 * `advertisedIpRanges`, plus the subnets when `advertisedGroups` holds `ALL_SUBNETS`
 * (https://cloud.google.com/router/docs/how-to/advertising-custom-ip).
 */
export function advertisements(idx: PlanIndex, network: string): Advertisement[] {
    const peered = new Set(idx.of("gcp:compute/routerPeer:RouterPeer").map((p) => lastSegment(p.inputs.router)));
    const subnetRanges = idx
        .of("gcp:compute/subnetwork:Subnetwork")
        .filter((s) => lastSegment(s.inputs.network) === network)
        .flatMap((s) => [
            s.inputs.ipCidrRange as string,
            ...(s.inputs.secondaryIpRanges ?? []).map((r: any) => r.ipCidrRange as string),
        ]);
    return idx
        .of("gcp:compute/router:Router")
        .filter((r) => lastSegment(r.inputs.network) === network)
        .filter((r) => peered.has(lastSegment(r.outputs.id)) || peered.has(r.inputs.name ?? r.name))
        .map((r) => {
            const bgp = r.inputs.bgp ?? {};
            const mode = bgp.advertiseMode ?? "DEFAULT";
            const custom: string[] = (bgp.advertisedIpRanges ?? []).map((a: any) => a.range);
            const groups: string[] = bgp.advertisedGroups ?? [];
            const ranges =
                mode === "CUSTOM" ? [...custom, ...(groups.includes("ALL_SUBNETS") ? subnetRanges : [])] : subnetRanges;
            return { router: r.name, mode, ranges };
        });
}

export function advertised(ads: readonly Advertisement[], cidr: string): Advertisement | undefined {
    return ads.find((a) => a.ranges.some((r) => covers(r, cidr)));
}

/**
 * Whether the network exports its custom routes (the VPN-learned ones) over a place's peering, so the
 * Google-owned network behind it can reach, and answer, the other cloud
 * (https://cloud.google.com/vpc/docs/using-vpc-peering; for the GKE control plane over a VPN,
 * https://cloud.google.com/architecture/creating-kubernetes-engine-private-clusters-with-net-proxies). The GKE control-plane
 * peering's name is an output; a routes config that takes it from the cluster matches too.
 */
export function exportsCustomRoutes(idx: PlanIndex, place: GcpPlace): { ok: boolean; reason: string } {
    const configs = idx
        .of("gcp:compute/networkPeeringRoutesConfig:NetworkPeeringRoutesConfig")
        .filter((c) => lastSegment(c.inputs.network) === place.network)
        .filter(
            (c) =>
                c.inputs.peering === place.peering ||
                (!!place.peeringOwner && (c.propertyDependencies.peering ?? []).includes(place.peeringOwner)),
        );
    const exporting = configs.find((c) => c.inputs.exportCustomRoutes === true);
    if (exporting) return { ok: true, reason: `${exporting.name} exports custom routes to ${place.peeringLabel}` };
    return {
        ok: false,
        reason:
            configs.length > 0
                ? `${configs[0].name} has exportCustomRoutes: false on ${place.peeringLabel}`
                : `no NetworkPeeringRoutesConfig exports custom routes on ${place.peeringLabel} (${place.peering})`,
    };
}

/** The Cloud NAT that gives a network's subnets internet egress, if any. */
export function cloudNat(idx: PlanIndex, network: string): string | undefined {
    const routers = new Set(
        idx
            .of("gcp:compute/router:Router")
            .filter((r) => lastSegment(r.inputs.network) === network)
            .map((r) => lastSegment(r.outputs.id)),
    );
    return idx.of("gcp:compute/routerNat:RouterNat").find((n) => routers.has(lastSegment(n.inputs.router)))?.name;
}
