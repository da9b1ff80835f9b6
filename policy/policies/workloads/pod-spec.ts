/** Reading workloads as policies see them: where each kind keeps its pod spec, its containers, its namespace. */
import type { ResourceValidationArgs } from "@pulumi/policy";
import { known } from "../util";

/** Where each workload kind keeps its pod spec (the kinds Pod Security admission judges through their template). */
export const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
    "kubernetes:core/v1:Pod": ["spec"],
    "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
    "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
    "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
    "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
};

/**
 * The pod spec a workload policy judges, with its namespace: undefined for a kind without one. A workload
 * in one of `exemptNamespaces` is marked not applicable (which ends the validation).
 */
export function judgedPodSpec(
    args: ResourceValidationArgs,
    exemptNamespaces: readonly string[],
): { podSpec: unknown; namespace: string } | undefined {
    const path = POD_SPEC_PATHS[args.type];
    if (!path) return undefined;
    const namespace = namespaceOf(args.props);
    if (exemptNamespaces.includes(namespace)) args.notApplicable(`namespace ${namespace} is exempt`);
    return { podSpec: at(args.props, path), namespace };
}

/** Kinds whose pods run to completion: readiness gates no traffic and liveness restarts a finished task. */
export const RUN_TO_COMPLETION_KINDS = ["Job", "CronJob"];

/** A nested value, read without throwing on a missing level or a value unknown during preview (undefined). */
export function at(obj: unknown, path: readonly string[]): any {
    return path.reduce<any>((o, k) => (o === undefined || o === null ? undefined : known(() => o[k])), obj);
}

/** `Deployment` from `kubernetes:apps/v1:Deployment`. */
export const kindOf = (type: string): string => type.split(":").pop() ?? type;

/** The namespace a namespaced object lands in: `default` when its metadata names none. */
export function namespaceOf(props: unknown): string {
    const ns = at(props, ["metadata", "namespace"]);
    return typeof ns === "string" && ns !== "" ? ns : "default";
}

/** The object's name in the cluster, or the resource's name when Pulumi auto-names it. */
export function objectName(props: unknown, resourceName: string): string {
    const name = at(props, ["metadata", "name"]);
    return typeof name === "string" && name !== "" ? name : resourceName;
}

export interface ContainerRef {
    /** `container`, `init container` or `ephemeral container`, for messages. */
    readonly role: string;
    readonly name: string;
    readonly spec: any;
}

const CONTAINER_LISTS = [
    ["containers", "container"],
    ["initContainers", "init container"],
    ["ephemeralContainers", "ephemeral container"],
] as const;

/** Every container the pod spec declares. Sidecars injected at admission (Istio's) are not in it. */
export function containersOf(podSpec: unknown): ContainerRef[] {
    const refs: ContainerRef[] = [];
    for (const [field, role] of CONTAINER_LISTS) {
        const list = at(podSpec, [field]);
        if (!Array.isArray(list)) continue;
        for (const c of list) refs.push({ role, name: String(at(c, ["name"]) ?? "?"), spec: c });
    }
    return refs;
}

/** `container "app"`, for messages. */
export const label = (c: ContainerRef): string => `${c.role} "${c.name}"`;

/** The `exemptNamespaces` option the workload policies share. */
export const exemptNamespacesSchema = {
    type: "array" as const,
    items: { type: "string" as const },
    default: ["kube-system", "istio-system"],
    description: "Namespaces whose workloads are not judged (cluster and mesh infrastructure).",
};
