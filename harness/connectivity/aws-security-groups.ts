/**
 * AWS security groups: a probe leaves if a group the source wears has a matching egress rule, and
 * arrives if a group the destination wears has a matching ingress rule (by CIDR, prefix list or a
 * referenced group the source wears in the same VPC). Security groups are stateful: replies need no rule.
 */
import type { PlanIndex } from "./plan-index";
import {
    admitsSource,
    ANYWHERE,
    covers,
    inPortRange,
    protocolMatches,
    unknownPublic,
    unknownPublicSource,
} from "./ranges";
import type { HopResult, Probe } from "./types";

export interface SgRule {
    /** Resource (or modelled rule) named in messages. */
    readonly label: string;
    readonly group: string;
    readonly direction: "ingress" | "egress";
    readonly protocol: string;
    readonly fromPort?: number;
    readonly toPort?: number;
    readonly cidr?: string;
    readonly prefixList?: string;
    readonly referencedGroup?: string;
}

const ruleCache = new WeakMap<PlanIndex, SgRule[]>();

/**
 * Every rule in the plan, plus the ones EKS puts on the cluster security group it creates, which no
 * resource in the plan declares: all inbound from the group itself, all outbound to 0.0.0.0/0
 * (https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html). A group declared without egress
 * rules has none: the Terraform-based provider deletes the default allow-all egress rule AWS adds
 * (https://www.pulumi.com/registry/packages/aws/api-docs/ec2/securitygroup/, "egress").
 */
export function securityGroupRules(idx: PlanIndex): readonly SgRule[] {
    const cached = ruleCache.get(idx);
    if (cached) return cached;
    const rules: SgRule[] = [];
    for (const dir of ["ingress", "egress"] as const) {
        const type = `aws:vpc/securityGroup${dir === "ingress" ? "Ingress" : "Egress"}Rule:SecurityGroup${dir === "ingress" ? "Ingress" : "Egress"}Rule`;
        for (const r of idx.of(type)) {
            const i = r.inputs;
            rules.push({
                label: r.name,
                group: i.securityGroupId,
                direction: dir,
                protocol: String(i.ipProtocol),
                fromPort: i.fromPort,
                toPort: i.toPort,
                cidr: i.cidrIpv4,
                prefixList: i.prefixListId,
                referencedGroup: i.referencedSecurityGroupId,
            });
        }
    }
    for (const r of idx.of("aws:ec2/securityGroupRule:SecurityGroupRule")) {
        const i = r.inputs;
        const base = { label: r.name, group: i.securityGroupId, direction: i.type, protocol: String(i.protocol) };
        const ports = { fromPort: i.fromPort, toPort: i.toPort };
        for (const cidr of i.cidrBlocks ?? []) rules.push({ ...base, ...ports, cidr });
        if (i.sourceSecurityGroupId) rules.push({ ...base, ...ports, referencedGroup: i.sourceSecurityGroupId });
        if (i.self) rules.push({ ...base, ...ports, referencedGroup: i.securityGroupId });
    }
    for (const sg of idx.of("aws:ec2/securityGroup:SecurityGroup")) {
        for (const dir of ["ingress", "egress"] as const) {
            for (const [n, i] of ((sg.inputs[dir] ?? []) as any[]).entries()) {
                const base = { label: `${sg.name} ${dir}[${n}]`, group: sg.outputs.id, direction: dir };
                const ports = { protocol: String(i.protocol), fromPort: i.fromPort, toPort: i.toPort };
                for (const cidr of i.cidrBlocks ?? []) rules.push({ ...base, ...ports, cidr });
                for (const g of i.securityGroups ?? []) rules.push({ ...base, ...ports, referencedGroup: g });
                if (i.self) rules.push({ ...base, ...ports, referencedGroup: sg.outputs.id });
            }
        }
    }
    for (const c of idx.of("eks:index:Cluster")) {
        const g = c.outputs.clusterSecurityGroupId;
        if (!g) continue;
        const label = `${c.name} cluster security group default rule (created by EKS)`;
        rules.push({ label, group: g, direction: "ingress", protocol: "-1", referencedGroup: g });
        rules.push({ label, group: g, direction: "egress", protocol: "-1", cidr: ANYWHERE });
    }
    ruleCache.set(idx, rules);
    return rules;
}

export function groupLabel(idx: PlanIndex, id: string): string {
    const eks = idx.of("eks:index:Cluster").find((c) => c.outputs.clusterSecurityGroupId === id);
    if (eks) return `the EKS cluster security group of ${eks.name}`;
    return `security group ${idx.securityGroup(id)?.name ?? id}`;
}

function prefixListCidrs(idx: PlanIndex, id: string): string[] {
    const pl = idx.of("aws:ec2/managedPrefixList:ManagedPrefixList").find((p) => p.outputs.id === id);
    return (pl?.inputs.entries ?? []).map((e: any) => e.cidr);
}

function describe(rule: SgRule): string {
    const proto = rule.protocol === "-1" ? "all" : `${rule.protocol}/${rule.fromPort}-${rule.toPort}`;
    const peer =
        rule.cidr ?? (rule.referencedGroup ? `group ${rule.referencedGroup}` : `prefix list ${rule.prefixList}`);
    return `${proto} ${rule.direction === "ingress" ? "from" : "to"} ${peer} (${rule.label})`;
}

function peerMatches(
    idx: PlanIndex,
    rule: SgRule,
    cidr: string,
    publicPeer: boolean,
    peerGroups: readonly string[] | undefined,
    sameVpc: boolean,
): boolean {
    if (rule.cidr) return admitsSource(rule.cidr, cidr, publicPeer);
    if (rule.prefixList) return prefixListCidrs(idx, rule.prefixList).some((c) => admitsSource(c, cidr, publicPeer));
    // A group reference matches only traffic from the same VPC (or a peered one), by private address.
    return !!rule.referencedGroup && sameVpc && !publicPeer && (peerGroups ?? []).includes(rule.referencedGroup);
}

export function awsEgress(idx: PlanIndex, p: Probe): HopResult {
    const groups = p.source.aws?.securityGroups;
    if (!groups)
        return { hop: "source egress", allowed: true, reason: `${p.source.label}: security groups outside the plan` };
    const sameVpc = p.destination.aws?.vpcId === p.source.aws?.vpcId;
    const candidates = securityGroupRules(idx).filter((r) => r.direction === "egress" && groups.includes(r.group));
    const hit = candidates.find(
        (r) =>
            protocolMatches(r.protocol, p.protocol) &&
            inPortRange(p.port, r.fromPort, r.toPort) &&
            peerMatches(
                idx,
                r,
                p.destinationCidr,
                unknownPublic(p.destinationCidr),
                p.destination.aws?.securityGroups,
                sameVpc,
            ),
    );
    if (hit) return { hop: "source egress", allowed: true, reason: `${groupLabel(idx, hit.group)}: ${describe(hit)}` };
    return {
        hop: "source egress",
        allowed: false,
        reason: `${groups.map((g) => groupLabel(idx, g)).join(" and ")} allow no ${p.protocol}/${p.port} to ${p.destinationCidr}`,
    };
}

export function awsIngress(idx: PlanIndex, p: Probe): HopResult {
    const groups = p.destination.aws?.securityGroups ?? [];
    const publicSource = unknownPublicSource(p);
    const sameVpc = p.destination.aws?.vpcId === p.source.aws?.vpcId;
    const rules = securityGroupRules(idx).filter((r) => r.direction === "ingress" && groups.includes(r.group));
    const hit = rules.find(
        (r) =>
            protocolMatches(r.protocol, p.protocol) &&
            inPortRange(p.port, r.fromPort, r.toPort) &&
            peerMatches(idx, r, p.sourceCidr, publicSource, p.source.aws?.securityGroups, sameVpc),
    );
    if (hit)
        return { hop: "destination ingress", allowed: true, reason: `${groupLabel(idx, hit.group)}: ${describe(hit)}` };
    const controller = (p.destination.controllerIngress ?? []).find(
        (c) => c.ports.includes(p.port) && c.sourceRanges.some((s) => admitsSource(s, p.sourceCidr, publicSource)),
    );
    if (controller) {
        return {
            hop: "destination ingress",
            allowed: true,
            reason: `rule the load balancer controller adds for ${controller.resource}: ${controller.sourceRanges.join(", ")} on ${controller.ports.join(", ")}`,
        };
    }
    const from = publicSource ? `public address (${p.natted ? "NAT of " : ""}${p.sourceCidr})` : p.sourceCidr;
    const shown = rules.slice(0, 4).map(describe);
    return {
        hop: "destination ingress",
        allowed: false,
        reason:
            `${groups.map((g) => groupLabel(idx, g)).join(" and ") || "no security group"} admits no ${p.protocol}/${p.port} from ${from}` +
            (shown.length
                ? `; its ingress: ${shown.join("; ")}${rules.length > 4 ? `; +${rules.length - 4} more` : ""}`
                : ""),
    };
}

/** Whether a destination range lies in a VPC's own range (the VPC's local route). */
export function inVpc(vpcCidr: string, cidr: string): boolean {
    return covers(vpcCidr, cidr);
}
