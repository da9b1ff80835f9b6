/**
 * The AWS subnet address plan: three tiers per availability zone, carved from the VPC block by
 * fixed slot indexes. A subnet's CIDR depends only on the VPC block, its tier and its AZ slot, never on
 * how many AZs the stack uses, so growing from two AZs to three adds subnets without moving any.
 */
import { formatCidr, mustParseCidr, subnet } from "../shared/cidr";

export const SUBNET_TIERS = ["public", "app", "data"] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];

/** AZ slots the plan reserves room for; more than any stack uses today. */
export const MAX_AZ_SLOTS = 4;

/**
 * Layout, in units of the VPC prefix P:
 * - app (private, NAT egress): /(P+3) blocks 0..3, the first half of the VPC, where the pods live;
 * - data (isolated): /(P+5) blocks 16..19, the start of the third quarter;
 * - public: /(P+5) blocks 24..27, the start of the fourth quarter.
 * The rest of the third and fourth quarters stays free for later tiers.
 */
const LAYOUT: Record<SubnetTier, { extraBits: number; firstIndex: number }> = {
    app: { extraBits: 3, firstIndex: 0 },
    data: { extraBits: 5, firstIndex: 16 },
    public: { extraBits: 5, firstIndex: 24 },
};

/** CIDR of one subnet. */
export function subnetCidr(vpcCidr: string, tier: SubnetTier, azSlot: number): string {
    if (!Number.isInteger(azSlot) || azSlot < 0 || azSlot >= MAX_AZ_SLOTS) {
        throw new Error(`AZ slot ${azSlot} is outside 0..${MAX_AZ_SLOTS - 1}`);
    }
    const vpc = mustParseCidr(vpcCidr);
    const { extraBits, firstIndex } = LAYOUT[tier];
    return formatCidr(subnet(vpc, vpc.prefix + extraBits, firstIndex + azSlot));
}

/** The CIDRs of every tier for the first `azCount` AZ slots. */
export function awsSubnetPlan(vpcCidr: string, azCount: number): Record<SubnetTier, string[]> {
    const slots = Array.from({ length: azCount }, (_, i) => i);
    return {
        public: slots.map((i) => subnetCidr(vpcCidr, "public", i)),
        app: slots.map((i) => subnetCidr(vpcCidr, "app", i)),
        data: slots.map((i) => subnetCidr(vpcCidr, "data", i)),
    };
}
