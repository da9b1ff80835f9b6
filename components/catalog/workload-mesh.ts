/**
 * The mesh objects of one service as pure data: who may call it (AuthorizationPolicy), its DestinationRule
 * without a canary, and its ingress routes. Retries, canary subsets and rate limits come from the builders
 * in components/mesh, so there is one copy of each.
 */
import { deepMerge } from "../kubernetes/addons/helm-addon";
import { httpRetryFields, MESH_TRAFFIC_POLICY_DEFAULTS, RETRY_DEFAULTS, serviceFqdn } from "../mesh/mesh-policies";
import { WORKLOAD_DEFAULTS, type ResolvedWorkload, type ServicePeer } from "./workload-args";

/**
 * Istio's default trust domain; istiod is installed without `meshConfig.trustDomain`, so every cluster of
 * the mesh issues identities in it (https://istio.io/latest/docs/reference/config/security/authorization-policy/).
 */
export const MESH_TRUST_DOMAIN = "cluster.local";

/** The SPIFFE-style principal of a service's pods: `cluster.local/ns/<ns>/sa/<service account>`. */
export function principalOf(peer: ServicePeer): string {
    return `${MESH_TRUST_DOMAIN}/ns/${peer.namespace}/sa/${peer.name}`;
}

/** Principals admitted: every caller, plus the ingress gateway when the service has routes. */
export function admittedPrincipals(w: ResolvedWorkload): string[] {
    const principals = (w.args.callers ?? []).map(principalOf);
    const ingress = w.args.ingress;
    if (ingress && (w.args.routes ?? []).length > 0) {
        principals.push(
            principalOf({
                namespace: ingress.gatewayNamespace ?? WORKLOAD_DEFAULTS.ingress.gatewayNamespace,
                name: ingress.gatewayServiceAccount ?? WORKLOAD_DEFAULTS.ingress.gatewayServiceAccount,
            }),
        );
    }
    return principals;
}

/**
 * ALLOW for the admitted principals only. With no principal the policy has no rule, and an ALLOW policy
 * without rules matches nothing: the service then admits nobody, the same as the namespace's default deny.
 */
export function authorizationPolicySpec(w: ResolvedWorkload) {
    const principals = admittedPrincipals(w);
    return {
        selector: { matchLabels: { app: w.args.name } },
        action: "ALLOW",
        rules: principals.length > 0 ? [{ from: [{ source: { principals } }] }] : [],
    };
}

/** The service's own DestinationRule without a canary: the namespace's traffic policy, one `stable` subset. */
export function destinationRuleSpec(w: ResolvedWorkload) {
    return {
        host: serviceFqdn(w.args.name, w.args.namespace),
        trafficPolicy: deepMerge(MESH_TRAFFIC_POLICY_DEFAULTS, w.args.trafficPolicy ?? {}),
        subsets: [{ name: "stable", labels: { version: w.version } }],
    };
}

/**
 * Routes from the ingress gateway: each prefix to the service, split like in-mesh traffic when there is a
 * canary, with the same timeout and retries. Gateway-bound VirtualServices for one host are merged by Istio,
 * so each service can own its own.
 */
export function ingressVirtualServiceSpec(w: ResolvedWorkload) {
    const ingress = w.args.ingress!;
    const host = serviceFqdn(w.args.name, w.args.namespace);
    const canary = w.args.canary;
    const route = canary
        ? [
              { destination: { host, subset: "stable", port: { number: w.port } }, weight: canary.stableWeight },
              { destination: { host, subset: "canary", port: { number: w.port } }, weight: canary.canaryWeight },
          ]
        : [{ destination: { host, port: { number: w.port } } }];
    return {
        hosts: [...(ingress.hosts ?? WORKLOAD_DEFAULTS.ingress.hosts)],
        gateways: [ingress.gateway],
        http: [
            {
                match: (w.args.routes ?? []).map((prefix) => ({ uri: { prefix } })),
                route,
                ...httpRetryFields({ ...RETRY_DEFAULTS, ...w.args.retries }),
            },
        ],
    };
}
