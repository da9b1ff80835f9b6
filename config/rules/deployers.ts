/**
 * `network.deployerCidrs`: where `pulumi up` and the CI runners run from. Both cluster APIs are private,
 * so these ranges are what the EKS cluster security group (443) and the GKE master authorized networks
 * admit. Only the primary AWS VPC is routed to both APIs (the EKS endpoint lives in it, and it is the VPC
 * attached to the Transit Gateway that carries the VPN to GCP), so every range must lie inside it.
 */
import { contains, formatCidr, isPrivate, parseCidr } from "../../components/shared/cidr";
import { setCommand, type ConfigRule } from "./rule";

export const DEPLOYER_CIDRS_PATH = "network.deployerCidrs";

/**
 * At most this many ranges: each becomes a security-group rule and a master authorized network, and
 * the EKS cluster security group holds 60 inbound rules by default.
 */
export const MAX_DEPLOYER_CIDRS = 10;

/** A runner may be one address; a range wider than /16 is no longer "where the deployer is". */
const PREFIX = { min: 16, max: 32 } as const;

/** Every problem of the list, as sentences; empty when valid. */
export function deployerCidrProblems(value: unknown, primaryVpcCidr: unknown): string[] {
    if (!Array.isArray(value) || value.length === 0) return ["must be a non-empty list of CIDR blocks"];
    const vpc = typeof primaryVpcCidr === "string" ? parseCidr(primaryVpcCidr) : undefined;
    const problems: string[] = [];
    if (value.length > MAX_DEPLOYER_CIDRS)
        problems.push(`lists ${value.length} ranges, more than ${MAX_DEPLOYER_CIDRS}`);
    const seen = new Set<string>();
    value.forEach((v, i) => {
        const c = typeof v === "string" ? parseCidr(v) : undefined;
        if (!c) problems.push(`[${i}] ${JSON.stringify(v)} is not a canonical IPv4 CIDR block`);
        else if (!isPrivate(c)) problems.push(`[${i}] ${v} is not in private (RFC 1918) space`);
        else if (c.prefix < PREFIX.min) problems.push(`[${i}] ${v} is wider than /${PREFIX.min}`);
        else if (vpc && !contains(vpc, c))
            problems.push(`[${i}] ${v} is outside network.awsPrimaryVpcCidr (${formatCidr(vpc)})`);
        else if (seen.has(formatCidr(c))) problems.push(`[${i}] ${v} is listed twice`);
        if (c) seen.add(formatCidr(c));
    });
    return problems;
}

export function deployerRules(net: Record<string, unknown>): ConfigRule[] {
    return [
        {
            key: DEPLOYER_CIDRS_PATH,
            check: () => deployerCidrProblems(net.deployerCidrs, net.awsPrimaryVpcCidr).length === 0,
            message: () => ({
                what:
                    net.deployerCidrs === undefined
                        ? "required value is missing"
                        : deployerCidrProblems(net.deployerCidrs, net.awsPrimaryVpcCidr).join("; "),
                allowed:
                    `1 to ${MAX_DEPLOYER_CIDRS} distinct RFC 1918 blocks, /${PREFIX.min} to /${PREFIX.max}, inside ` +
                    "network.awsPrimaryVpcCidr (the only network routed to both private cluster APIs): where the CI " +
                    "runner and any operator host run",
                fix: `${setCommand(`${DEPLOYER_CIDRS_PATH}[0]`, "10.10.0.0/19")} (see README, "Config reference")`,
            }),
        },
    ];
}
