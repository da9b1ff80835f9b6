/**
 * The pods of a service workload as pure data: labels, the `restricted` security context, probes,
 * topology spread and the Deployment spec of one track (stable or canary).
 */
import type * as k8s from "@pulumi/kubernetes";
import type { ResolvedWorkload } from "./workload-args";

/** The two tracks a workload can run; one Deployment, HPA and PDB each. */
export const WORKLOAD_TRACKS = ["stable", "canary"] as const;
export type WorkloadTrack = (typeof WORKLOAD_TRACKS)[number];

/** Where the writable scratch space is mounted, since the root filesystem is read-only. */
export const TMP_MOUNT_PATH = "/tmp";

/** Probe timings. Startup allows 30 x 5 s = 150 s before the container is restarted. */
export const PROBE_TIMINGS = {
    startup: { periodSeconds: 5, failureThreshold: 30, timeoutSeconds: 2 },
    liveness: { periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2 },
    readiness: { periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 2 },
} as const;

/**
 * Labels that select one track's pods. `track` (not `version`) is in the Deployment's immutable selector,
 * so promoting a new version changes the pod template and rolls, instead of forcing a replacement.
 */
export function selectorLabels(name: string, track: WorkloadTrack): Record<string, string> {
    return { app: name, track };
}

/** Every label of a track's pods: Istio's `app` and `version`, the selector, and the recommended `app.kubernetes.io/*`. */
export function podLabels(w: ResolvedWorkload, track: WorkloadTrack, version: string): Record<string, string> {
    return {
        ...selectorLabels(w.args.name, track),
        version,
        team: w.args.team,
        "app.kubernetes.io/name": w.args.name,
        "app.kubernetes.io/instance": `${w.args.name}-${track}`,
        "app.kubernetes.io/version": version,
        "app.kubernetes.io/component": "service",
        "app.kubernetes.io/managed-by": "pulumi",
    };
}

/**
 * Pod-level security of the `restricted` Pod Security Standard
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted).
 */
export function podSecurityContext(w: ResolvedWorkload): k8s.types.input.core.v1.PodSecurityContext {
    return {
        runAsNonRoot: true,
        runAsUser: w.runAsUser,
        runAsGroup: w.runAsUser,
        fsGroup: w.runAsUser,
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/** Container-level security of `restricted`, plus a read-only root filesystem. */
export function containerSecurityContext(): k8s.types.input.core.v1.SecurityContext {
    return {
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    };
}

function probe(path: string, timing: (typeof PROBE_TIMINGS)[keyof typeof PROBE_TIMINGS]) {
    return { httpGet: { path, port: "http" }, ...timing };
}

/** The Deployment spec of one track. `replicas` is left to the HPA unless the workload is a cold standby. */
export function deploymentSpec(
    w: ResolvedWorkload,
    track: WorkloadTrack,
    image: string,
    version: string,
    serviceAccountName: k8s.types.input.core.v1.PodSpec["serviceAccountName"],
): k8s.types.input.apps.v1.DeploymentSpec {
    const selector = selectorLabels(w.args.name, track);
    return {
        ...(w.args.replicas === 0 ? { replicas: 0 } : {}),
        selector: { matchLabels: selector },
        // A new pod is ready before an old one goes, so a rollout never dips below the count.
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
            metadata: { labels: podLabels(w, track, version) },
            spec: {
                serviceAccountName,
                // The app calls no Kubernetes API. IRSA and the Istio sidecar mount their own projected tokens.
                automountServiceAccountToken: false,
                securityContext: podSecurityContext(w),
                topologySpreadConstraints: [
                    // Zones: losing one never takes more than its share.
                    spread("topology.kubernetes.io/zone", "DoNotSchedule", selector),
                    // Nodes: best effort, so a small cluster still schedules.
                    spread("kubernetes.io/hostname", "ScheduleAnyway", selector),
                ],
                containers: [
                    {
                        name: w.args.name,
                        image,
                        ports: [{ name: "http", containerPort: w.port, protocol: "TCP" }],
                        env: Object.entries(w.args.env ?? {}).map(([name, value]) => ({ name, value })),
                        resources: {
                            requests: { cpu: w.resources.cpuRequest, memory: w.resources.memoryRequest },
                            limits: { cpu: w.resources.cpuLimit, memory: w.resources.memoryLimit },
                        },
                        startupProbe: probe(w.health.startupPath, PROBE_TIMINGS.startup),
                        livenessProbe: probe(w.health.livenessPath, PROBE_TIMINGS.liveness),
                        readinessProbe: probe(w.health.readinessPath, PROBE_TIMINGS.readiness),
                        securityContext: containerSecurityContext(),
                        volumeMounts: [{ name: "tmp", mountPath: TMP_MOUNT_PATH }],
                    },
                ],
                volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
            },
        },
    };
}

function spread(topologyKey: string, whenUnsatisfiable: string, matchLabels: Record<string, string>) {
    // matchLabelKeys: old and new ReplicaSets are spread separately, so a rollout does not skew the zones
    // (KEP-3243, on by default since Kubernetes 1.27).
    return {
        maxSkew: 1,
        topologyKey,
        whenUnsatisfiable,
        labelSelector: { matchLabels },
        matchLabelKeys: ["pod-template-hash"],
    };
}
