/**
 * Service namespaces deny by default: with no ALLOW policy on a workload Istio admits every request
 * (https://istio.io/latest/docs/reference/config/security/authorization-policy/), so a namespace-wide
 * allow-nothing policy (an AuthorizationPolicy with an empty spec: ALLOW, no selector, no rules) makes each
 * service's own ALLOW policy the only way in. A DENY-everything policy is not the same: it would also
 * override the services' ALLOW policies, so it does not count. A policy in the mesh root namespace applies
 * to every namespace.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { at, namespaceOf } from "./pod-spec";

const NAMESPACE = "kubernetes:core/v1:Namespace";
const AUTHORIZATION_POLICIES = [
    "kubernetes:security.istio.io/v1:AuthorizationPolicy",
    "kubernetes:security.istio.io/v1beta1:AuthorizationPolicy",
];

type Config = { serviceNamespacePrefixes: string[]; rootNamespace: string };

/** Whether the policy is Istio's allow-nothing form, applying to the whole namespace. */
export function isAllowNothing(props: unknown): boolean {
    const spec = at(props, ["spec"]) ?? {};
    const action = at(spec, ["action"]) ?? "ALLOW";
    const rules = at(spec, ["rules"]);
    const targeted = ["selector", "targetRef", "targetRefs"].some((k) => at(spec, [k]) !== undefined);
    return action === "ALLOW" && !targeted && (rules === undefined || (Array.isArray(rules) && rules.length === 0));
}

/** A namespace for services: sidecar injection on, or a service-namespace name. */
function isServiceNamespace(ns: PolicyResource, prefixes: readonly string[]): boolean {
    const labels: Record<string, string> = at(ns.props, ["metadata", "labels"]) ?? {};
    const name = String(at(ns.props, ["metadata", "name"]) ?? ns.name);
    return (
        labels["istio-injection"] === "enabled" ||
        labels["istio.io/rev"] !== undefined ||
        prefixes.some((p) => name.startsWith(p))
    );
}

export const serviceNamespaceDefaultDeny: StackValidationPolicy = {
    name: "service-namespace-default-deny",
    description:
        "Every service namespace has an Istio allow-nothing AuthorizationPolicy, so only callers a service admits reach it.",
    enforcementLevel: "mandatory",
    tags: ["access"],
    configSchema: {
        properties: {
            serviceNamespacePrefixes: {
                type: "array",
                items: { type: "string" },
                default: ["services-"],
                description: "Name prefixes of service namespaces (besides any with sidecar injection on).",
            },
            rootNamespace: {
                type: "string",
                default: "istio-system",
                description: "The mesh root namespace, whose allow-nothing policy would apply to every namespace.",
            },
        },
    },
    remediationSteps:
        "Create a security.istio.io/v1 AuthorizationPolicy in each service namespace with an empty spec " +
        "(spec: {}), then one ALLOW policy per service naming the principals of the services that call it.",
    validateStack: (args, reportViolation) => {
        const { serviceNamespacePrefixes, rootNamespace } = args.getConfig<Config>();
        const allowNothing = args.resources.filter(
            (r) => AUTHORIZATION_POLICIES.includes(r.type) && isAllowNothing(r.props),
        );
        for (const ns of args.resources.filter((r) => r.type === NAMESPACE)) {
            if (!isServiceNamespace(ns, serviceNamespacePrefixes)) continue;
            const name = String(at(ns.props, ["metadata", "name"]) ?? ns.name);
            const covered = allowNothing.some(
                (p) => p.provider?.urn === ns.provider?.urn && [name, rootNamespace].includes(namespaceOf(p.props)),
            );
            if (covered) continue;
            reportViolation(
                `Namespace "${name}"${ns.provider ? ` on provider "${ns.provider.name}"` : ""} has no ` +
                    "allow-nothing AuthorizationPolicy, so any workload in the mesh may call its services.",
                ns.urn,
            );
        }
    },
};
