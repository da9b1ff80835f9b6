/**
 * Istio authorization at the destination's sidecar, the last part of the destination-ingress hop for pods
 * in a namespace with sidecar injection. Istio's order: a CUSTOM policy is not modelled; any matching
 * DENY policy refuses; with no ALLOW policy selecting the workload the request is allowed; otherwise some
 * ALLOW policy must match. An ALLOW policy without rules matches nothing (the namespace's `allow-nothing`).
 * Policies in the root namespace (`istio-system`) apply to every namespace
 * (https://istio.io/latest/docs/reference/config/security/authorization-policy/).
 *
 * A rule matches on the source's principal and namespace and the destination port; the fields a TCP probe
 * cannot decide (methods, paths, request principals, `when`) are taken to match, so a policy that leans on
 * them reads as open and a `deny` flow against it fails instead of passing on a guess.
 */
import type { RecordedResource } from "../recorder";
import { selects } from "./network-policies";
import type { PlanIndex } from "./plan-index";
import type { HopResult, PodPlace, Probe } from "./types";

/** Istio's default trust domain: identities are `cluster.local/ns/<namespace>/sa/<service account>`. */
export const TRUST_DOMAIN = "cluster.local";
export const ROOT_NAMESPACE = "istio-system";

const AUTHZ_TYPES = [
    "kubernetes:security.istio.io/v1:AuthorizationPolicy",
    "kubernetes:security.istio.io/v1beta1:AuthorizationPolicy",
];

function injected(idx: PlanIndex, pod: PodPlace): boolean {
    const ns = idx.namespaceOf(pod.cluster, pod.namespace);
    const labels: Record<string, string> = ns?.inputs.metadata?.labels ?? {};
    return labels["istio-injection"] === "enabled" || !!labels["istio.io/rev"];
}

/** The mesh identity of the probe's source: pods of one service in a namespace with sidecars. */
export function sourcePrincipal(idx: PlanIndex, p: Probe): string | undefined {
    const pod = p.sourcePods;
    if (!pod?.namespace || !pod.serviceAccount || !injected(idx, pod)) return undefined;
    return `${TRUST_DOMAIN}/ns/${pod.namespace}/sa/${pod.serviceAccount}`;
}

/** Istio's string match: exact, `*`, `prefix*` or `*suffix`. */
function matchesValue(pattern: string, value: string | undefined): boolean {
    if (value === undefined) return false;
    if (pattern === "*") return true;
    if (pattern.endsWith("*")) return value.startsWith(pattern.slice(0, -1));
    if (pattern.startsWith("*")) return value.endsWith(pattern.slice(1));
    return pattern === value;
}

const any = (patterns: unknown, value: string | undefined) =>
    ((patterns as string[] | undefined) ?? []).some((x) => matchesValue(x, value));
const listed = (patterns: unknown) => Array.isArray(patterns) && patterns.length > 0;

function sourceMatches(source: any, principal: string | undefined, namespace: string | undefined): boolean {
    if (listed(source.principals) && !any(source.principals, principal)) return false;
    if (listed(source.notPrincipals) && (principal === undefined || any(source.notPrincipals, principal))) return false;
    if (listed(source.namespaces) && !any(source.namespaces, namespace)) return false;
    if (listed(source.notNamespaces) && (namespace === undefined || any(source.notNamespaces, namespace))) return false;
    return true;
}

function operationMatches(operation: any, port: number): boolean {
    if (listed(operation.ports) && !any(operation.ports, String(port))) return false;
    if (listed(operation.notPorts) && any(operation.notPorts, String(port))) return false;
    return true;
}

function ruleMatches(rule: any, principal: string | undefined, port: number): boolean {
    const namespace = principal?.split("/")[2];
    const from: any[] = rule.from ?? [];
    const to: any[] = rule.to ?? [];
    return (
        (from.length === 0 || from.some((f) => sourceMatches(f.source ?? {}, principal, namespace))) &&
        (to.length === 0 || to.some((t) => operationMatches(t.operation ?? {}, port)))
    );
}

function policiesFor(idx: PlanIndex, pod: PodPlace): RecordedResource[] {
    const namespaces = pod.namespace === ROOT_NAMESPACE ? [ROOT_NAMESPACE] : [pod.namespace, ROOT_NAMESPACE];
    return AUTHZ_TYPES.flatMap((t) => namespaces.flatMap((ns) => idx.k8sIn(t, pod.cluster, ns))).filter((ap) =>
        selects(ap.inputs.spec?.selector, pod.labels),
    );
}

const nameOf = (ap: RecordedResource) => `${ap.inputs.metadata?.namespace}/${ap.inputs.metadata?.name}`;

/** The Istio part of the destination-ingress hop; undefined when the destination has no sidecar policy. */
export function meshAuthorization(idx: PlanIndex, p: Probe): HopResult | undefined {
    const pod = p.destinationPods;
    if (!pod?.namespace || !injected(idx, pod)) return undefined;
    const policies = policiesFor(idx, pod);
    if (policies.length === 0) return undefined;
    const principal = sourcePrincipal(idx, p);
    const who = principal ?? "a caller without a mesh identity";
    const hop = "destination ingress" as const;
    const actionOf = (ap: RecordedResource) => String(ap.inputs.spec?.action ?? "ALLOW");
    const matching = (ap: RecordedResource) =>
        ((ap.inputs.spec?.rules ?? []) as any[]).some((r) => ruleMatches(r, principal, p.port));
    const deny = policies.find((ap) => actionOf(ap) === "DENY" && matching(ap));
    if (deny) return { hop, allowed: false, reason: `AuthorizationPolicy ${nameOf(deny)} denies ${who}` };
    const allows = policies.filter((ap) => actionOf(ap) === "ALLOW");
    if (allows.length === 0) return undefined;
    const hit = allows.find(matching);
    if (hit) return { hop, allowed: true, reason: `AuthorizationPolicy ${nameOf(hit)} admits ${who}` };
    return {
        hop,
        allowed: false,
        reason: `AuthorizationPolicies of ${pod.namespace} on ${pod.cluster} (${allows.map(nameOf).join(", ")}) admit no ${principal ?? "caller without a mesh identity"} on ${p.port}`,
    };
}
