/**
 * The default deny of a service namespace: one AuthorizationPolicy with an empty spec, which Istio reads
 * as "allow nothing" (https://istio.io/latest/docs/reference/config/security/authorization-policy/).
 * Each service's own ALLOW policy then admits its callers. The catalog layer creates it once per
 * namespace, on every cluster.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { ISTIO_API_VERSIONS } from "../mesh/mesh-policies";
import { requireKubernetesProvider } from "../mesh/mesh-policy-validation";

/** Name of the policy in the namespace, Istio's own name for it. */
export const DEFAULT_DENY_POLICY_NAME = "allow-nothing";

export interface NamespaceDefaultDenyArgs {
    /** The service namespace. */
    readonly namespace: pulumi.Input<string>;
}

/** `allow-nothing` in `namespace`: every workload there refuses requests no ALLOW policy admits. */
export function namespaceDefaultDeny(
    name: string,
    args: NamespaceDefaultDenyArgs,
    opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource {
    requireKubernetesProvider(`namespaceDefaultDeny ${name}`, opts);
    return new k8s.apiextensions.CustomResource(
        name,
        {
            apiVersion: ISTIO_API_VERSIONS.security,
            kind: "AuthorizationPolicy",
            metadata: { name: DEFAULT_DENY_POLICY_NAME, namespace: args.namespace },
            spec: {},
        },
        opts,
    );
}
