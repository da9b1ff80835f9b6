/**
 * The shape of the AWS <-> GCP HA VPN: two AWS VPN connections (one per GCP HA VPN interface), each
 * with two tunnels, so four tunnels, four Cloud Router interfaces and four BGP sessions. Pure, so the
 * wiring can be tested without the runtime.
 */
import { contains, formatCidr, mustParseCidr, overlaps, parseCidr } from "../shared/cidr";

/** Link-local /30s for the four tunnels' BGP sessions. */
export const DEFAULT_TUNNEL_INSIDE_CIDRS = ["169.254.21.0/30", "169.254.21.4/30", "169.254.22.0/30", "169.254.22.4/30"];

/** Private BGP ASNs (RFC 6996): the only ones a Transit Gateway and a Cloud Router accept here. */
export function isPrivateAsn(asn: number): boolean {
    return (asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294);
}

/**
 * Largest ASN `aws.ec2.CustomerGateway.bgpAsn` takes (a signed 32-bit field); larger ones, such as the
 * 4-byte private range, go in `bgpAsnExtended` (2147483648 to 4294967295). Both are in @pulumi/aws 7.48
 * and in EC2's CreateCustomerGateway: "If the ASN is larger than 2,147,483,647, you must use BgpAsnExtended".
 */
export const CUSTOMER_GATEWAY_BGP_ASN_MAX = 2147483647;

/** The customer gateway input that carries `asn`: exactly one of `bgpAsn` and `bgpAsnExtended`. */
export function customerGatewayAsn(asn: number): { bgpAsn: string } | { bgpAsnExtended: string } {
    return asn > CUSTOMER_GATEWAY_BGP_ASN_MAX ? { bgpAsnExtended: String(asn) } : { bgpAsn: String(asn) };
}

const LINK_LOCAL = mustParseCidr("169.254.0.0/16");

/** Inside CIDRs AWS refuses for VPN tunnels. */
export const AWS_RESERVED_INSIDE_CIDRS = [
    "169.254.0.0/30",
    "169.254.1.0/30",
    "169.254.2.0/30",
    "169.254.3.0/30",
    "169.254.4.0/30",
    "169.254.5.0/30",
    "169.254.169.252/30",
];

/** Problems with a list of tunnel inside CIDRs, as sentences; empty when valid. */
export function tunnelInsideCidrProblems(value: unknown): string[] {
    if (!Array.isArray(value) || value.length !== 4)
        return ["must be a list of exactly four /30 blocks, one per tunnel"];
    const problems: string[] = [];
    const parsed = value.map((v) => (typeof v === "string" ? parseCidr(v) : undefined));
    value.forEach((v, i) => {
        const c = parsed[i];
        if (!c || c.prefix !== 30 || !contains(LINK_LOCAL, c)) {
            problems.push(`${JSON.stringify(v)} is not a /30 inside 169.254.0.0/16`);
        } else if (AWS_RESERVED_INSIDE_CIDRS.some((r) => overlaps(mustParseCidr(r), c))) {
            problems.push(`${v} is reserved by AWS (${AWS_RESERVED_INSIDE_CIDRS.join(", ")})`);
        } else if (parsed.slice(0, i).some((p) => p && overlaps(p, c))) {
            problems.push(`${v} overlaps another tunnel's block`);
        }
    });
    return problems;
}

export interface TunnelPlan {
    /** 0 or 1: the AWS VPN connection, which is also the GCP HA VPN interface it terminates on. */
    readonly connection: 0 | 1;
    /** 1 or 2: the tunnel of that connection (`tunnel1*` or `tunnel2*` inputs and outputs). */
    readonly tunnel: 1 | 2;
    /** Interface index on the GCP external VPN gateway (0..3). */
    readonly externalInterface: number;
    readonly insideCidr: string;
}

/** Which inside CIDR, HA interface and external-gateway interface each of the four tunnels uses. */
export function tunnelPlan(insideCidrs: readonly string[] = DEFAULT_TUNNEL_INSIDE_CIDRS): TunnelPlan[] {
    return ([0, 1] as const).flatMap((connection) =>
        ([1, 2] as const).map((tunnel) => {
            const externalInterface = connection * 2 + (tunnel - 1);
            return {
                connection,
                tunnel,
                externalInterface,
                insideCidr: formatCidr(mustParseCidr(insideCidrs[externalInterface])),
            };
        }),
    );
}
