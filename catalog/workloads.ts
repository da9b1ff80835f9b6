/**
 * What the catalog asks of Kubernetes: one {@link ServiceWorkloadArgs} per entry and cluster. Pure data, so
 * the mapping is tested without the Pulumi runtime; `program/layers/services.ts` creates the components.
 * The cloud identity (IRSA role on EKS, Google service account on GKE) is not the catalog's data but
 * resources of the identity layer: the services layer adds it to these arguments.
 */
import type { ServiceCatalog, ServiceEntry, ServiceWorkloadArgs, WorkloadCanary } from "../components/catalog";
import { serviceEgress, type ServiceEgressRanges } from "./service-egress";

export type { ServiceEgressRanges } from "./service-egress";

/**
 * The Istio Gateway the entries' path routes bind to (`<namespace>/<name>`), served by the ingress gateway
 * pods in `istio-system`. The Gateway object itself (hosts and TLS certificate) belongs to the edge work;
 * until it exists the routes are inert, and the services are reached inside the mesh only.
 */
export const INGRESS_GATEWAY = "istio-system/platform-ingress";

/** `version` labels of the two tracks: the stable pods and, when the entry takes a canary share, the canary. */
export const TRACK_VERSIONS = { stable: "v1", canary: "canary" } as const;

/** Which side of the platform a workload is on. */
export type WorkloadSide = "primary" | "dr";

/**
 * The canary of an entry with a canary share: its `canaryImage` (the release under test) under its own
 * `version` label, or the entry's own image until a release sets one.
 */
function canaryOf(entry: ServiceEntry): WorkloadCanary | undefined {
    const weight = entry.canaryWeightPercent;
    if (weight <= 0) return undefined;
    return {
        image: entry.canaryImage ?? entry.image,
        version: TRACK_VERSIONS.canary,
        stableWeight: 100 - weight,
        canaryWeight: weight,
    };
}

/**
 * The workload of `entry` in `namespace`. `primary` (EKS) runs it at the entry's scaling, with its
 * canary; `dr` (GKE) pins the replica floor to the DR posture (cold: 0, warm: N) and runs no canary.
 * Callers are the entries whose `calls` list it; callees its own `calls`, on their HTTP ports. Its data
 * stores are exactly its own store, cache, Kafka and cloud APIs, at `ranges` (service-egress.ts): the
 * namespace opens none, so no other service's pods reach them.
 */
export function serviceWorkloadArgs(
    entry: ServiceEntry,
    catalog: ServiceCatalog,
    namespace: string,
    side: WorkloadSide,
    ranges: ServiceEgressRanges,
): ServiceWorkloadArgs {
    const byName = new Map(catalog.services.map((s) => [s.name, s]));
    const canary = side === "primary" ? canaryOf(entry) : undefined;
    return {
        name: entry.name,
        namespace,
        team: entry.team,
        image: entry.image,
        version: TRACK_VERSIONS.stable,
        port: entry.ports.http,
        health: {
            livenessPath: entry.health.liveness,
            readinessPath: entry.health.readiness,
            startupPath: entry.health.startup,
        },
        resources: {
            cpuRequest: entry.resources.requests.cpu,
            memoryRequest: entry.resources.requests.memory,
            cpuLimit: entry.resources.limits.cpu,
            memoryLimit: entry.resources.limits.memory,
        },
        scaling: {
            minReplicas: entry.scaling.minReplicas,
            maxReplicas: entry.scaling.maxReplicas,
            targetCpuPercent: entry.scaling.targetCpuUtilizationPercent,
        },
        ...(side === "dr" ? { replicas: entry.dr.replicas } : {}),
        routes: entry.routes,
        ...(entry.routes.length > 0 ? { ingress: { gateway: INGRESS_GATEWAY } } : {}),
        callers: catalog.services.filter((s) => s.calls.includes(entry.name)).map((s) => ({ name: s.name, namespace })),
        callees: entry.calls.map((name) => ({ name, namespace, port: byName.get(name)?.ports.http })),
        dataStores: serviceEgress(entry, side, ranges),
        ...(canary ? { canary } : {}),
    };
}
