/**
 * Every container says what it needs and how to tell it is healthy: requests let the scheduler place it and
 * the HPA measure utilisation, limits stop one pod starving its node, and probes let Kubernetes restart a
 * hung process, hold traffic until it is ready and give a slow start its time
 * (https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/,
 * https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/).
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import {
    at,
    containersOf,
    exemptNamespacesSchema,
    kindOf,
    label,
    judgedPodSpec,
    RUN_TO_COMPLETION_KINDS,
} from "./pod-spec";

type Config = {
    exemptNamespaces: string[];
    requiredResources: string[];
    requireStartupProbe: boolean;
};

/** What the containers of one pod spec lack. Probes are asked of long-running app containers only. */
export function containerResourceProblems(spec: unknown, longRunning: boolean, config: Config): string[] {
    const problems: string[] = [];
    const probes = ["livenessProbe", "readinessProbe", ...(config.requireStartupProbe ? ["startupProbe"] : [])];
    // Ephemeral containers are debugging sessions added later; the API gives them no resources.
    for (const c of containersOf(spec).filter((c) => c.role !== "ephemeral container")) {
        const missing: string[] = [];
        for (const kind of ["requests", "limits"]) {
            for (const r of config.requiredResources) {
                if (at(c.spec, ["resources", kind, r]) === undefined) missing.push(`${kind}.${r}`);
            }
        }
        if (longRunning && c.role === "container") {
            missing.push(...probes.filter((p) => at(c.spec, [p]) === undefined));
        }
        if (missing.length > 0) problems.push(`${label(c)} has no ${missing.join(", ")}`);
    }
    return problems;
}

export const containerResourcesAndProbes: ResourceValidationPolicy = {
    name: "container-resources-and-probes",
    description:
        "Every container sets cpu and memory requests and limits; long-running ones have liveness, readiness and startup probes.",
    enforcementLevel: "mandatory",
    tags: ["durability"],
    configSchema: {
        properties: {
            exemptNamespaces: exemptNamespacesSchema,
            requiredResources: {
                type: "array",
                items: { type: "string" },
                default: ["cpu", "memory"],
                description: "Resources every container must both request and limit.",
            },
            requireStartupProbe: {
                type: "boolean",
                default: true,
                description: "Require a startupProbe as well as liveness and readiness probes.",
            },
        },
    },
    remediationSteps:
        "Give every container resources.requests and resources.limits for cpu and memory, and every app " +
        "container of a Deployment, StatefulSet, DaemonSet or Pod a livenessProbe, readinessProbe and " +
        "startupProbe on its health endpoints.",
    validateResource: (args, reportViolation) => {
        const config = args.getConfig<Config>();
        const judged = judgedPodSpec(args, config.exemptNamespaces);
        if (!judged) return;
        const { podSpec, namespace } = judged;
        const kind = kindOf(args.type);
        const problems = containerResourceProblems(podSpec, !RUN_TO_COMPLETION_KINDS.includes(kind), config);
        if (problems.length > 0) {
            reportViolation(`${kind} "${args.name}" in namespace "${namespace}": ${problems.join("; ")}.`);
        }
    },
};
