/**
 * The address plan: canonical RFC 1918 blocks that are pairwise disjoint, two different private BGP ASNs
 * and four link-local tunnel blocks.
 */
import { formatCidr, isPrivate, overlaps, parseCidr } from "../../components/shared/cidr";
import {
    AWS_RESERVED_INSIDE_CIDRS,
    DEFAULT_TUNNEL_INSIDE_CIDRS,
    isPrivateAsn,
    tunnelInsideCidrProblems,
} from "../../components/network/vpn-plan";
import { PROJECT, type NetworkConfig } from "../schema";
import { deployerRules } from "./deployers";
import { isObject, list, objectRule, setCommand, unknownKeyRules, valueRule, type ConfigRule } from "./rule";

export const CIDR_FIELDS = [
    { field: "awsPrimaryVpcCidr", minPrefix: 16, maxPrefix: 20, example: "10.10.0.0/16" },
    { field: "awsSecondaryVpcCidr", minPrefix: 16, maxPrefix: 20, example: "10.20.0.0/16" },
    { field: "gcpSubnetCidr", minPrefix: 16, maxPrefix: 24, example: "10.30.0.0/20" },
    { field: "gcpDataSubnetCidr", minPrefix: 16, maxPrefix: 26, example: "10.30.16.0/24" },
    { field: "gkePodsCidr", minPrefix: 12, maxPrefix: 21, example: "10.32.0.0/14" },
    { field: "gkeServicesCidr", minPrefix: 16, maxPrefix: 24, example: "10.36.0.0/20" },
    { field: "gcpPrivateServicesCidr", minPrefix: 16, maxPrefix: 24, example: "10.37.0.0/20" },
    { field: "gkeMasterCidr", minPrefix: 28, maxPrefix: 28, example: "10.38.0.0/28" },
] as const satisfies readonly { field: keyof NetworkConfig; minPrefix: number; maxPrefix: number; example: string }[];

export const ASN_FIELDS = ["awsBgpAsn", "gcpBgpAsn"] as const;

/**
 * RFC 6996 private ASNs, which the Transit Gateway (`amazonSideAsn`) and the Cloud Router both take; a
 * 4-byte one reaches the customer gateway as `bgpAsnExtended` (components/network/vpn-plan.ts).
 */
const PRIVATE_ASN_TEXT = "a private ASN, 64512 to 65534 or 4200000000 to 4294967294";

const KNOWN = [...CIDR_FIELDS.map((f) => f.field), ...ASN_FIELDS, "deployerCidrs", "vpnTunnelInsideCidrs"];

/** A dotted quad or prefix with a number written with a leading zero (`010.0.0.0/8`, `10.0.0.0/08`). */
const LEADING_ZERO = /(^|[./])0\d/;

/** A block that parses and fits its field, or undefined (another rule reports why). */
function usable(value: unknown, f: (typeof CIDR_FIELDS)[number]) {
    const c = typeof value === "string" ? parseCidr(value) : undefined;
    return c && isPrivate(c) && c.prefix >= f.minPrefix && c.prefix <= f.maxPrefix ? c : undefined;
}

function cidrRule(f: (typeof CIDR_FIELDS)[number]): ConfigRule {
    const path = `network.${f.field}`;
    return valueRule(
        path,
        (v) => usable(v, f) !== undefined,
        (v) => {
            const c = typeof v === "string" ? parseCidr(v) : undefined;
            const what = !c
                ? v === undefined
                    ? "required value is missing"
                    : typeof v === "string" && LEADING_ZERO.test(v)
                      ? "is not a canonical IPv4 CIDR block: a number has a leading zero, which resources would copy verbatim"
                      : "is not a canonical IPv4 CIDR block"
                : !isPrivate(c)
                  ? "is not in private (RFC 1918) space"
                  : "has a prefix length out of range";
            return {
                what,
                allowed: `an RFC 1918 IPv4 block with prefix /${f.minPrefix} to /${f.maxPrefix} and no host bits set, such as ${f.example}`,
                fix: setCommand(path, f.example),
            };
        },
    );
}

/** Every pair, AWS with AWS and AWS with GCP alike: the Transit Gateway and the VPN route between them. */
function overlapRules(net: Record<string, unknown>): ConfigRule[] {
    const rules: ConfigRule[] = [];
    CIDR_FIELDS.forEach((a, i) =>
        CIDR_FIELDS.slice(0, i).forEach((b) => {
            const [ca, cb] = [usable(net[a.field], a), usable(net[b.field], b)];
            if (!ca || !cb || !overlaps(ca, cb)) return;
            const path = `network.${a.field}`;
            rules.push({
                key: path,
                check: () => false,
                message: () => ({
                    what: `overlaps ${PROJECT}:network.${b.field} (${formatCidr(cb)})`,
                    allowed:
                        "a block disjoint from every other range of the address plan, because the VPN and Transit Gateway route between them",
                    fix: `choose a block outside ${formatCidr(cb)} with ${setCommand(path, "<cidr>")}`,
                }),
            });
        }),
    );
    return rules;
}

const validAsn = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && isPrivateAsn(v);

export function networkRules(view: { raw: Record<string, unknown> }): ConfigRule[] {
    const net = view.raw.network;
    const rules: ConfigRule[] = [objectRule("network", `the address plan keys ${list(KNOWN.slice(0, -1))}`)];
    if (!isObject(net)) return rules;
    rules.push(
        ...unknownKeyRules("network", net, KNOWN),
        ...CIDR_FIELDS.map(cidrRule),
        ...overlapRules(net),
        ...deployerRules(net),
    );
    for (const field of ASN_FIELDS) {
        const path = `network.${field}`;
        rules.push(
            valueRule(path, validAsn, (v) => ({
                what: missingOr(v),
                allowed: PRIVATE_ASN_TEXT,
                fix: setCommand(path, field === "awsBgpAsn" ? "64512" : "65010"),
            })),
        );
    }
    rules.push(
        valueRule(
            "network.gcpBgpAsn",
            (v) => !validAsn(v) || v !== net.awsBgpAsn,
            () => ({
                what: "equals network.awsBgpAsn; the two BGP speakers need different ASNs",
                allowed: `${PRIVATE_ASN_TEXT}, different from ${String(net.awsBgpAsn)}`,
                fix: setCommand("network.gcpBgpAsn", net.awsBgpAsn === 65010 ? "65020" : "65010"),
            }),
        ),
        {
            key: "network.vpnTunnelInsideCidrs",
            check: () => tunnelInsideCidrProblems(net.vpnTunnelInsideCidrs ?? DEFAULT_TUNNEL_INSIDE_CIDRS).length === 0,
            message: () => ({
                what: tunnelInsideCidrProblems(net.vpnTunnelInsideCidrs).join("; "),
                allowed: `four distinct /30 blocks inside 169.254.0.0/16, none of ${AWS_RESERVED_INSIDE_CIDRS.join(", ")}`,
                fix: `remove the key to use ${DEFAULT_TUNNEL_INSIDE_CIDRS.join(", ")}, or list four valid blocks`,
            }),
        },
    );
    return rules;
}

function missingOr(v: unknown): string {
    return v === undefined ? "required value is missing" : "is not a private BGP ASN";
}

/** The address plan of a config whose network rules all passed. */
export function networkConfig(net: Record<string, unknown>): NetworkConfig {
    return {
        ...(net as unknown as NetworkConfig),
        vpnTunnelInsideCidrs: (net.vpnTunnelInsideCidrs as string[] | undefined) ?? DEFAULT_TUNNEL_INSIDE_CIDRS,
    };
}
