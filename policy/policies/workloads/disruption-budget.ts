/**
 * A workload that runs more than one replica has a PodDisruptionBudget, so a node drain (an EKS node group
 * update, a GKE Autopilot upgrade) evicts its pods a few at a time instead of all at once
 * (https://kubernetes.io/docs/concepts/workloads/pods/disruptions/). Replicas count from the spec, or from
 * the minReplicas of the HorizontalPodAutoscaler that scales it when that is higher.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { at, exemptNamespacesSchema, kindOf, namespaceOf, objectName } from "./pod-spec";

const REPLICATED = ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet"];
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: any[] };

/** Whether a label selector selects a pod with these labels (an empty selector selects every pod). */
export function selects(selector: Selector | undefined, labels: Record<string, string>): boolean {
    if (!selector) return false;
    const matchLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
    const matchExpressions = (selector.matchExpressions ?? []).every((e) => {
        const values: string[] = e.values ?? [];
        const has = Object.prototype.hasOwnProperty.call(labels, e.key);
        switch (e.operator) {
            case "In":
                return has && values.includes(labels[e.key]);
            case "NotIn":
                return !has || !values.includes(labels[e.key]);
            case "Exists":
                return has;
            case "DoesNotExist":
                return !has;
            default:
                return false;
        }
    });
    return matchLabels && matchExpressions;
}

/** Cluster (provider) and namespace: a budget or autoscaler applies only within its own. */
const scope = (r: PolicyResource) => `${r.provider?.urn ?? ""} ${namespaceOf(r.props)}`;

type Config = { exemptNamespaces: string[] };

export const workloadDisruptionBudget: StackValidationPolicy = {
    name: "workload-disruption-budget",
    description:
        "Every Deployment or StatefulSet with more than one replica (or an HPA minimum above one) has a PodDisruptionBudget selecting its pods.",
    enforcementLevel: "mandatory",
    tags: ["durability"],
    configSchema: { properties: { exemptNamespaces: exemptNamespacesSchema } },
    remediationSteps:
        "Add a policy/v1 PodDisruptionBudget in the workload's namespace whose selector matches its pod " +
        "template labels, with maxUnavailable: 1 (or a minAvailable below the replica count).",
    validateStack: (args, reportViolation) => {
        const { exemptNamespaces } = args.getConfig<Config>();
        // Indexed once: a plan holds hundreds of workloads, each looked up against every HPA and PDB.
        const hpaByTarget = new Map<string, PolicyResource>();
        for (const h of args.resources.filter((r) => r.type === HPA)) {
            const target = `${scope(h)} ${at(h.props, ["spec", "scaleTargetRef", "kind"])}/${at(h.props, ["spec", "scaleTargetRef", "name"])}`;
            if (!hpaByTarget.has(target)) hpaByTarget.set(target, h);
        }
        const pdbSelectors = new Map<string, unknown[]>();
        for (const p of args.resources.filter((r) => r.type === PDB)) {
            const list = pdbSelectors.get(scope(p)) ?? [];
            list.push(at(p.props, ["spec", "selector"]));
            pdbSelectors.set(scope(p), list);
        }
        for (const w of args.resources.filter((r) => REPLICATED.includes(r.type))) {
            const namespace = namespaceOf(w.props);
            if (exemptNamespaces.includes(namespace)) continue;
            const kind = kindOf(w.type);
            const name = objectName(w.props, w.name);
            const hpa = hpaByTarget.get(`${scope(w)} ${kind}/${name}`);
            const specReplicas: number = at(w.props, ["spec", "replicas"]) ?? 1;
            const hpaMin: number = hpa ? (at(hpa.props, ["spec", "minReplicas"]) ?? 1) : 0;
            if (Math.max(specReplicas, hpaMin) <= 1) continue;
            const labels: Record<string, string> = at(w.props, ["spec", "template", "metadata", "labels"]) ?? {};
            if (
                (pdbSelectors.get(scope(w)) ?? []).some((selector) => selects(selector as Selector | undefined, labels))
            )
                continue;
            const replicas =
                hpaMin > specReplicas
                    ? `at least ${hpaMin} replicas (HorizontalPodAutoscaler "${hpa!.name}" minReplicas)`
                    : `${specReplicas} replicas`;
            const shown = Object.entries(labels)
                .map(([k, v]) => `${k}=${v}`)
                .join(",");
            reportViolation(
                `${kind} "${w.name}" in namespace "${namespace}" runs ${replicas}, but no PodDisruptionBudget ` +
                    `in that namespace selects its pods (${shown || "no labels"}), so a node drain may evict ` +
                    "them all at once.",
                w.urn,
            );
        }
    },
};
