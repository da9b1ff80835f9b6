/**
 * GCP VPC firewall: rules of the network by priority (lower first; at equal priority a deny wins), the
 * first match decides; ingress is denied and egress allowed when nothing matches (the implied rules,
 * https://cloud.google.com/firewall/docs/firewalls#default_firewall_rules). A rule applies to the
 * instances its target tags or service accounts name (all when it names none) and matches sources by
 * range, tag or service account. Rules apply to VMs (GKE nodes, and pods through their alias ranges),
 * not to Google-owned networks behind a peering.
 */
import { GKE_NODE_TAG, gkeRanges } from "./endpoints-gcp";
import { lastSegment, type PlanIndex } from "./plan-index";
import { admitsSource, ANYWHERE, gcpPortsMatch, protocolMatches, unknownPublic, unknownPublicSource } from "./ranges";
import type { Endpoint, HopResult, Probe } from "./types";

export interface FirewallRule {
    readonly label: string;
    readonly network: string;
    readonly direction: "INGRESS" | "EGRESS";
    readonly priority: number;
    readonly action: "allow" | "deny";
    readonly entries: readonly { protocol: string; ports?: string[] }[];
    readonly sourceRanges: readonly string[];
    readonly sourceTags: readonly string[];
    readonly sourceServiceAccounts: readonly string[];
    readonly destinationRanges: readonly string[];
    readonly targetTags: readonly string[];
    readonly targetServiceAccounts: readonly string[];
}

const cache = new WeakMap<PlanIndex, FirewallRule[]>();

/**
 * The plan's firewall rules, plus the ones GKE creates for a private cluster, which the plan cannot
 * see: from the control-plane range to the nodes on TCP 443 and 10250, and from the node and pod
 * ranges to the nodes on everything. Google's mesh docs name the `gke-<cluster>-<hash>-master` rule and
 * require a separate rule for 15017 (https://cloud.google.com/service-mesh/docs/private-cluster-open-port).
 */
export function firewallRules(idx: PlanIndex): readonly FirewallRule[] {
    const cached = cache.get(idx);
    if (cached) return cached;
    const rules: FirewallRule[] = idx.of("gcp:compute/firewall:Firewall").flatMap((r) => {
        const i = r.inputs;
        if (i.disabled === true) return [];
        const deny = (i.denies ?? []).length > 0;
        const direction = i.direction ?? "INGRESS";
        const hasSource = (i.sourceRanges ?? i.sourceTags ?? i.sourceServiceAccounts ?? []).length > 0;
        return [
            {
                label: r.name,
                network: lastSegment(i.network),
                direction,
                priority: i.priority ?? 1000,
                action: deny ? "deny" : "allow",
                entries: (deny ? i.denies : i.allows) ?? [],
                sourceRanges: i.sourceRanges ?? (direction === "INGRESS" && !hasSource ? [ANYWHERE] : []),
                sourceTags: i.sourceTags ?? [],
                sourceServiceAccounts: i.sourceServiceAccounts ?? [],
                destinationRanges: i.destinationRanges ?? (direction === "EGRESS" ? [ANYWHERE] : []),
                targetTags: i.targetTags ?? [],
                targetServiceAccounts: i.targetServiceAccounts ?? [],
            },
        ];
    });
    const gke = idx.gkeCluster();
    if (gke) {
        const { nodes, pods } = gkeRanges(idx, gke);
        const base = {
            network: lastSegment(gke.inputs.network),
            direction: "INGRESS" as const,
            priority: 1000,
            action: "allow" as const,
            sourceTags: [],
            sourceServiceAccounts: [],
            destinationRanges: [],
            targetTags: [GKE_NODE_TAG],
            targetServiceAccounts: [],
        };
        const master = gke.inputs.privateClusterConfig?.masterIpv4CidrBlock;
        if (master) {
            rules.push({
                ...base,
                label: `gke-${gke.name}-master (created by GKE)`,
                entries: [{ protocol: "tcp", ports: ["443", "10250"] }],
                sourceRanges: [master],
            });
        }
        const everything = [{ protocol: "tcp" }, { protocol: "udp" }, { protocol: "icmp" }];
        rules.push({
            ...base,
            label: `gke-${gke.name}-vms (created by GKE)`,
            entries: everything,
            sourceRanges: [nodes],
        });
        rules.push({
            ...base,
            label: `gke-${gke.name}-all (created by GKE)`,
            entries: everything,
            sourceRanges: [pods],
        });
    }
    cache.set(idx, rules);
    return rules;
}

/** An instance of the platform's own network (not behind a peering), whose firewall applies. */
export function ownInstance(e: Endpoint): boolean {
    return !!e.gcp && !e.gcp.peering;
}

function targets(rule: FirewallRule, e: Endpoint): boolean {
    if (rule.targetTags.length > 0) return rule.targetTags.some((t) => (e.gcp?.tags ?? []).includes(t));
    if (rule.targetServiceAccounts.length > 0) return rule.targetServiceAccounts.includes(e.gcp?.serviceAccount ?? "");
    return true;
}

function portMatches(rule: FirewallRule, p: Probe): boolean {
    return rule.entries.some((e) => protocolMatches(e.protocol, p.protocol) && gcpPortsMatch(e.ports, p.port));
}

function decide(rules: FirewallRule[], direction: "INGRESS" | "EGRESS", p: Probe, implied: string): HopResult {
    const hop = direction === "INGRESS" ? "destination ingress" : "source egress";
    const sorted = rules.sort((a, b) => a.priority - b.priority || (a.action === "deny" ? -1 : 1));
    const hit = sorted[0];
    if (!hit) return { hop, allowed: direction === "EGRESS", reason: implied };
    const what = `${hit.label} (priority ${hit.priority}, ${hit.action})`;
    return { hop, allowed: hit.action === "allow", reason: `firewall rule ${what} decides ${p.protocol}/${p.port}` };
}

export function gcpIngress(idx: PlanIndex, p: Probe): HopResult {
    const d = p.destination;
    const publicSource = unknownPublicSource(p);
    const srcInstance = ownInstance(p.source) && p.source.gcp!.network === d.gcp!.network;
    const controller = (d.controllerIngress ?? []).map((c): FirewallRule => ({
        label: `firewall rule GKE creates for ${c.resource}`,
        network: d.gcp!.network,
        direction: "INGRESS",
        priority: 1000,
        action: "allow",
        entries: [{ protocol: "tcp", ports: c.ports.map(String) }],
        sourceRanges: c.sourceRanges,
        sourceTags: [],
        sourceServiceAccounts: [],
        destinationRanges: [],
        targetTags: [GKE_NODE_TAG],
        targetServiceAccounts: [],
    }));
    const matching = [...firewallRules(idx), ...controller].filter(
        (r) =>
            r.direction === "INGRESS" &&
            r.network === d.gcp!.network &&
            targets(r, d) &&
            portMatches(r, p) &&
            (r.sourceRanges.some((s) => admitsSource(s, p.sourceCidr, publicSource)) ||
                (srcInstance && r.sourceTags.some((t) => (p.source.gcp!.tags ?? []).includes(t))) ||
                (srcInstance && r.sourceServiceAccounts.includes(p.source.gcp!.serviceAccount ?? ""))),
    );
    return decide(
        matching,
        "INGRESS",
        p,
        `no firewall rule of ${d.gcp!.network} admits ${p.protocol}/${p.port} from ${publicSource ? "a public address" : p.sourceCidr} (implied deny)`,
    );
}

export function gcpEgress(idx: PlanIndex, p: Probe): HopResult {
    const s = p.source;
    const matching = firewallRules(idx).filter(
        (r) =>
            r.direction === "EGRESS" &&
            r.network === s.gcp!.network &&
            targets(r, s) &&
            portMatches(r, p) &&
            r.destinationRanges.some((dr) => admitsSource(dr, p.destinationCidr, unknownPublic(p.destinationCidr))),
    );
    return decide(matching, "EGRESS", p, `no egress rule of ${s.gcp!.network} matches (implied allow)`);
}
