/**
 * The routing hop: whether a probe's packets find a path there and back. Within a VPC or network the
 * local and subnet routes carry it; across clouds the source's route tables must send it to the
 * Transit Gateway, the Cloud Router must advertise the GCP range (and AWS must propagate the VPC range
 * back), and a Google-owned network behind a peering needs the custom routes exported to it. A private
 * source dialling a public address leaves through a NAT, and arrives from the NAT's public address.
 */
import { bestRoute, tablesRoute, transitGateway, type TransitGateway } from "./aws-routing";
import { advertised, advertisements, cloudNat, exportsCustomRoutes } from "./gcp-routing";
import type { PlanIndex } from "./plan-index";
import { covers } from "./ranges";
import type { Endpoint, HopResult, Probe } from "./types";

export interface RoutingResult extends HopResult {
    /** The packet arrives from a NAT's public address. */
    readonly natted?: boolean;
}

const ok = (reason: string, natted = false): RoutingResult => ({ hop: "routing", allowed: true, reason, natted });
const blocked = (reason: string): RoutingResult => ({ hop: "routing", allowed: false, reason });

function tgwOf(idx: PlanIndex, tables: readonly string[], cidr: string): TransitGateway | string {
    const miss = tablesRoute(idx, tables, cidr, (t) => t.startsWith("tgw:"));
    if (miss) {
        const has = miss.route ? `sends it to ${miss.route.target} (${miss.route.label})` : "has no route";
        return `route table ${miss.table} ${has} for ${cidr}: no route to the Transit Gateway`;
    }
    const target = bestRoute(idx, tables[0], cidr)!.target.slice("tgw:".length);
    return transitGateway(idx, target) ?? `Transit Gateway ${target} is not in the plan`;
}

/** AWS <-> GCP over the VPN, checked in both directions. */
function acrossVpn(idx: PlanIndex, aws: Endpoint, awsCidr: string, gcp: Endpoint, gcpCidr: string): RoutingResult {
    const tgw = tgwOf(idx, aws.aws!.routeTables, gcpCidr);
    if (typeof tgw === "string") return blocked(tgw);
    if (tgw.bgpVpns.length === 0) return blocked(`Transit Gateway ${tgw.name} has no VPN connection with BGP`);
    if (!tgw.propagation) return blocked(`Transit Gateway ${tgw.name} has defaultRouteTablePropagation disabled`);
    const ads = advertisements(idx, gcp.gcp!.network);
    if (!advertised(ads, gcpCidr)) {
        const what = ads.map((a) => `${a.router} (${a.mode}): ${a.ranges.join(", ") || "nothing"}`).join("; ");
        return blocked(`no Cloud Router advertises ${gcpCidr} to AWS; ${what || "no Cloud Router with BGP peers"}`);
    }
    const vpc = tgw.attachedVpcCidrs.find((a) => covers(a.cidr, awsCidr));
    if (!vpc) return blocked(`Transit Gateway ${tgw.name} propagates no VPC range covering ${awsCidr} to GCP`);
    if (gcp.gcp!.peering) {
        const exp = exportsCustomRoutes(idx, gcp.gcp!);
        if (!exp.ok) return blocked(`${exp.reason}, so ${gcp.label} has no route to ${awsCidr}`);
    }
    return ok(
        `${aws.aws!.routeTables.length} route tables -> ${tgw.name} -> VPN (${tgw.bgpVpns.join(", ")}); ${advertised(ads, gcpCidr)!.router} advertises ${gcpCidr}; ${vpc.label} propagates ${vpc.cidr}`,
    );
}

export function route(idx: PlanIndex, p: Probe): RoutingResult {
    const { source: s, destination: d } = p;
    // The internet reaches whatever public address the destination has; exposure decides whether it has one.
    if (s.cloud === "internet") return ok("from the internet: public addresses only (see exposure)");
    if (d.public) {
        const gw = d.gatewayEndpoint;
        if (s.cloud === "aws" && gw && gw.vpcId === s.aws!.vpcId) {
            const missing = s.aws!.routeTables.filter((t) => !gw.routeTables.includes(t));
            // The endpoint's prefix-list route is more specific than the NAT's default route.
            if (missing.length === 0) return ok(`gateway endpoint ${gw.resource} (its prefix-list route)`);
        }
        if (s.cloud === "aws") {
            const miss = tablesRoute(idx, s.aws!.routeTables, d.cidrs[0], (t) => t === "nat" || t === "igw");
            if (miss)
                return blocked(`route table ${miss.table} has no route to the internet (NAT or internet gateway)`);
            return ok(`route tables send ${p.destinationCidr} to a NAT gateway (awsx default route)`, true);
        }
        const nat = cloudNat(idx, s.gcp!.network);
        if (!nat) return blocked(`network ${s.gcp!.network} has no Cloud NAT for internet egress`);
        return ok(`Cloud NAT ${nat}`, true);
    }
    if (d.cloud === "internet") return blocked(`${d.label} has no address reachable from ${s.label}`);
    if (s.cloud === "aws" && d.cloud === "aws") {
        if (s.aws!.vpcId === d.aws!.vpcId) {
            const miss = tablesRoute(idx, s.aws!.routeTables, p.destinationCidr, (t) => t === "local");
            if (!miss) return ok(`local route of ${s.aws!.vpcId}`);
        }
        return blocked(`no route from ${s.aws!.vpcId} to ${d.aws!.vpcId} for ${p.destinationCidr}`);
    }
    if (s.cloud === "gcp" && d.cloud === "gcp") {
        if (s.gcp!.network !== d.gcp!.network)
            return blocked(`networks ${s.gcp!.network} and ${d.gcp!.network} differ`);
        const peer = s.gcp!.peeringLabel ?? d.gcp!.peeringLabel;
        // VPC peering always exchanges subnet routes (https://cloud.google.com/vpc/docs/using-vpc-peering).
        return ok(
            peer ? `subnet routes of ${d.gcp!.network}, exchanged over ${peer}` : `subnet routes of ${d.gcp!.network}`,
        );
    }
    if (s.cloud === "aws") return acrossVpn(idx, s, p.sourceCidr, d, p.destinationCidr);
    const back = acrossVpn(idx, d, p.destinationCidr, s, p.sourceCidr);
    return back.allowed ? back : blocked(back.reason);
}
