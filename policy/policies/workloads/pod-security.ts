/**
 * Pods meet the `restricted` Pod Security Standard, judged on the spec the program declares. Source: the
 * Baseline and Restricted controls of https://kubernetes.io/docs/concepts/security/pod-security-standards/
 * (host namespaces, privileged, capabilities, hostPath and host ports, /proc mount, seccomp, volume types,
 * privilege escalation, running as non-root, non-root user). Istio's sidecar and istio-init are injected at
 * admission and are not in the declared spec, so they are not judged here; on GKE the service namespaces
 * enforce `privileged` admission for istio-init's sake, while the workload's own spec stays restricted.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { at, containersOf, exemptNamespacesSchema, kindOf, label, judgedPodSpec } from "./pod-spec";

/** Volume types the restricted level admits. */
export const RESTRICTED_VOLUME_TYPES = [
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

/** The only capability a restricted container may add back after dropping ALL. */
const ADDABLE_CAPABILITY = "NET_BIND_SERVICE";
const SECCOMP_TYPES = ["RuntimeDefault", "Localhost"];

type Config = { exemptNamespaces: string[]; requireReadOnlyRootFilesystem: boolean };

/** Every way the pod spec falls short of `restricted` (plus a read-only root filesystem if asked), for the message. */
export function restrictedPodProblems(spec: unknown, requireReadOnlyRootFilesystem: boolean): string[] {
    const problems: string[] = [];
    for (const ns of ["hostNetwork", "hostPID", "hostIPC"]) {
        if (at(spec, [ns]) === true) problems.push(`${ns} is true`);
    }
    for (const v of (at(spec, ["volumes"]) as any[] | undefined) ?? []) {
        const kind = Object.keys(v ?? {}).find((k) => k !== "name");
        if (kind && !RESTRICTED_VOLUME_TYPES.includes(kind)) {
            problems.push(`volume "${at(v, ["name"])}" is of type ${kind}`);
        }
    }
    const pod = at(spec, ["securityContext"]);
    if (at(pod, ["runAsUser"]) === 0) problems.push("the pod runs as user 0");
    for (const c of containersOf(spec)) {
        const sc = at(c.spec, ["securityContext"]);
        const who = label(c);
        if (at(sc, ["privileged"]) === true) problems.push(`${who} is privileged`);
        if (at(sc, ["allowPrivilegeEscalation"]) !== false) {
            problems.push(`${who} does not set allowPrivilegeEscalation: false`);
        }
        const drop = ((at(sc, ["capabilities", "drop"]) as unknown[] | undefined) ?? []).map(String);
        if (!drop.includes("ALL")) problems.push(`${who} does not drop ALL capabilities`);
        const added = ((at(sc, ["capabilities", "add"]) as unknown[] | undefined) ?? []).map(String);
        const refused = added.filter((cap) => cap !== ADDABLE_CAPABILITY);
        if (refused.length > 0) problems.push(`${who} adds ${refused.join(", ")}`);
        const nonRoot = at(sc, ["runAsNonRoot"]) ?? at(pod, ["runAsNonRoot"]);
        if (nonRoot !== true) problems.push(`${who} may run as root (runAsNonRoot is not true)`);
        if (at(sc, ["runAsUser"]) === 0) problems.push(`${who} runs as user 0`);
        const seccomp = at(sc, ["seccompProfile", "type"]) ?? at(pod, ["seccompProfile", "type"]);
        if (!SECCOMP_TYPES.includes(seccomp)) problems.push(`${who} has seccomp profile ${seccomp ?? "unset"}`);
        const procMount = at(sc, ["procMount"]);
        if (procMount !== undefined && procMount !== "Default") problems.push(`${who} sets procMount ${procMount}`);
        for (const p of (at(c.spec, ["ports"]) as any[] | undefined) ?? []) {
            const hostPort = at(p, ["hostPort"]);
            if (hostPort !== undefined && hostPort !== 0) problems.push(`${who} uses host port ${hostPort}`);
        }
        if (requireReadOnlyRootFilesystem && at(sc, ["readOnlyRootFilesystem"]) !== true) {
            problems.push(`${who} has a writable root filesystem`);
        }
    }
    return problems;
}

export const podSecurityRestricted: ResourceValidationPolicy = {
    name: "pod-security-restricted",
    description:
        "Workload pods meet the restricted Pod Security Standard as declared (non-root, no escalation, caps dropped, seccomp, no host access) with a read-only root filesystem.",
    enforcementLevel: "mandatory",
    tags: ["access"],
    configSchema: {
        properties: {
            exemptNamespaces: exemptNamespacesSchema,
            requireReadOnlyRootFilesystem: {
                type: "boolean",
                default: true,
                description:
                    "Also require readOnlyRootFilesystem: true on every container (beyond the standard itself).",
            },
        },
    },
    remediationSteps:
        "Set on the pod securityContext runAsNonRoot: true and seccompProfile.type: RuntimeDefault; on every " +
        "container allowPrivilegeEscalation: false, capabilities.drop: [ALL] (add back NET_BIND_SERVICE only), " +
        "readOnlyRootFilesystem: true (mount an emptyDir where the process writes); remove privileged, host " +
        "namespaces, host ports and hostPath volumes.",
    validateResource: (args, reportViolation) => {
        const { exemptNamespaces, requireReadOnlyRootFilesystem } = args.getConfig<Config>();
        const judged = judgedPodSpec(args, exemptNamespaces);
        if (!judged) return;
        const { podSpec, namespace } = judged;
        const problems = restrictedPodProblems(podSpec, requireReadOnlyRootFilesystem);
        if (problems.length > 0) {
            reportViolation(
                `${kindOf(args.type)} "${args.name}" in namespace "${namespace}" does not meet the restricted Pod ` +
                    `Security Standard: ${problems.join("; ")}.`,
            );
        }
    },
};
