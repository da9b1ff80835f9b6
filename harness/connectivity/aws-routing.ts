/**
 * AWS routing: VPC route tables (the ones awsx creates, modelled, plus every route in the plan) and the
 * Transit Gateway that carries the VPN. awsx's own routes are invisible offline: a public subnet's table
 * sends 0.0.0.0/0 to the internet gateway, a private one's to a NAT gateway (unless `natGateways.strategy`
 * is `None`: node_modules/@pulumi/awsx/types/enums/ec2/index.d.ts, NatGatewayStrategy), an isolated one's
 * nowhere (https://www.pulumi.com/docs/reference/pkg/nodejs/pulumi/awsx/types/classic.ec2.VpcSubnetType.html).
 */
import type { PlanIndex } from "./plan-index";
import { ANYWHERE, covers } from "./ranges";

export interface AwsRoute {
    readonly label: string;
    readonly table: string;
    readonly cidr: string;
    /** `local`, `nat`, `igw`, `tgw:<id>`, `pcx:<id>`. */
    readonly target: string;
}

const routeCache = new WeakMap<PlanIndex, AwsRoute[]>();

export function awsRoutes(idx: PlanIndex): readonly AwsRoute[] {
    const cached = routeCache.get(idx);
    if (cached) return cached;
    const routes: AwsRoute[] = [];
    for (const vpc of idx.awsVpcs()) {
        const nat = vpc.resource.inputs.natGateways?.strategy !== "None";
        for (const s of vpc.subnets) {
            routes.push({
                label: `${vpc.resource.name} local route`,
                table: s.routeTable,
                cidr: vpc.cidr,
                target: "local",
            });
            const target = s.kind === "Public" ? "igw" : s.kind === "Private" && nat ? "nat" : undefined;
            if (target) {
                routes.push({
                    label: `${vpc.resource.name} ${s.kind.toLowerCase()} subnet default route (awsx)`,
                    table: s.routeTable,
                    cidr: ANYWHERE,
                    target,
                });
            }
        }
    }
    const prefixLists = new Map(
        idx
            .of("aws:ec2/managedPrefixList:ManagedPrefixList")
            .map((p) => [p.outputs.id, (p.inputs.entries ?? []).map((e: any) => e.cidr as string)]),
    );
    for (const r of idx.of("aws:ec2/route:Route")) {
        const i = r.inputs;
        const target = i.transitGatewayId
            ? `tgw:${i.transitGatewayId}`
            : i.natGatewayId
              ? "nat"
              : i.vpcPeeringConnectionId
                ? `pcx:${i.vpcPeeringConnectionId}`
                : i.gatewayId
                  ? "igw"
                  : "other";
        const cidrs: string[] = i.destinationCidrBlock
            ? [i.destinationCidrBlock]
            : (prefixLists.get(i.destinationPrefixListId) ?? []);
        for (const cidr of cidrs) routes.push({ label: r.name, table: i.routeTableId, cidr, target });
    }
    routeCache.set(idx, routes);
    return routes;
}

/** The most specific route of a table that covers `cidr`. */
export function bestRoute(idx: PlanIndex, table: string, cidr: string): AwsRoute | undefined {
    let best: AwsRoute | undefined;
    for (const r of awsRoutes(idx)) {
        if (r.table !== table || !covers(r.cidr, cidr)) continue;
        if (!best || Number(r.cidr.split("/")[1]) > Number(best.cidr.split("/")[1])) best = r;
    }
    return best;
}

/** Every table must send `cidr` to a target accepted by `ok`; returns the first table that does not. */
export function tablesRoute(
    idx: PlanIndex,
    tables: readonly string[],
    cidr: string,
    ok: (target: string) => boolean,
): { table: string; route?: AwsRoute } | undefined {
    for (const table of tables) {
        const route = bestRoute(idx, table, cidr);
        if (!route || !ok(route.target)) return { table, route };
    }
    return undefined;
}

export interface TransitGateway {
    readonly name: string;
    readonly id: string;
    readonly propagation: boolean;
    /** CIDRs of the VPCs attached (propagated into its route table, and advertised over BGP). */
    readonly attachedVpcCidrs: readonly { cidr: string; label: string }[];
    /** VPN connections with BGP (dynamic routing). */
    readonly bgpVpns: readonly string[];
}

/**
 * A Transit Gateway as its route table sees things: with default route-table propagation every VPC
 * attachment propagates its VPC's CIDR and every dynamic VPN propagates what its BGP peers advertise;
 * a VPN attachment advertises the propagated VPC routes back to its peers
 * (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html).
 */
export function transitGateway(idx: PlanIndex, id: string): TransitGateway | undefined {
    const tgw = idx.of("aws:ec2transitgateway/transitGateway:TransitGateway").find((t) => t.outputs.id === id);
    if (!tgw) return undefined;
    const attachedVpcCidrs = idx
        .of("aws:ec2transitgateway/vpcAttachment:VpcAttachment")
        .filter((a) => a.inputs.transitGatewayId === id)
        .flatMap((a) => {
            const vpc = idx.vpcById(a.inputs.vpcId);
            return vpc ? [{ cidr: vpc.cidr, label: `${a.name} (${vpc.resource.name})` }] : [];
        });
    const bgpVpns = idx
        .of("aws:ec2/vpnConnection:VpnConnection")
        .filter((v) => v.inputs.transitGatewayId === id && v.inputs.staticRoutesOnly !== true)
        .map((v) => v.name);
    return {
        name: tgw.name,
        id,
        propagation: (tgw.inputs.defaultRouteTablePropagation ?? "enable") === "enable",
        attachedVpcCidrs,
        bgpVpns,
    };
}
