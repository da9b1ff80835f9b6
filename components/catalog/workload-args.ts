/**
 * The arguments of a {@link ServiceWorkload}: the per-service part of a catalog entry, in the entry's
 * own words, with every default named once.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { HelmValues } from "../kubernetes/addons/helm-addon";
import type { DataStoreEgress } from "../kubernetes/platform-namespaces";
import type { RetryPolicy } from "../mesh/mesh-policies";

/** Health endpoints of the container, paths on its HTTP port. */
export interface WorkloadHealth {
    /** Liveness: the process is not stuck; failing it restarts the container. @default "/healthz" */
    readonly livenessPath?: string;
    /** Readiness: the pod may receive requests; failing it takes the pod out of the Service. @default "/readyz" */
    readonly readinessPath?: string;
    /** Startup: liveness and readiness wait until this answers once. @default the liveness path */
    readonly startupPath?: string;
}

/** Requests and limits of the application container (Kubernetes quantities). */
export interface WorkloadResources {
    /** @default "100m" */
    readonly cpuRequest?: string;
    /** @default "128Mi" */
    readonly memoryRequest?: string;
    /** @default "500m" */
    readonly cpuLimit?: string;
    /** @default "256Mi" */
    readonly memoryLimit?: string;
}

/** Horizontal scaling on CPU. */
export interface WorkloadScaling {
    /** Fewest replicas the HPA keeps. @default 2 */
    readonly minReplicas?: number;
    /** Most replicas the HPA makes. @default 6 */
    readonly maxReplicas?: number;
    /** Average CPU utilisation (percent of the request) the HPA aims at. @default 70 */
    readonly targetCpuPercent?: number;
}

/** Another mesh service, by its Service name and namespace. */
export interface ServicePeer {
    /** Service (and ServiceAccount, and `app` label) name. */
    readonly name: string;
    /** Namespace of that service. */
    readonly namespace: string;
}

/** A service this one calls, and the port its pods answer on. */
export interface ServiceCallee extends ServicePeer {
    /** The callee's HTTP (container and Service) port. @default 8080 */
    readonly port?: number;
}

/** A second version taking part of the traffic. The stable version is the workload's `image` and `version`. */
export interface WorkloadCanary {
    /** Image of the canary pods, by digest or immutable tag. */
    readonly image: string;
    /** `version` label of the canary pods; differs from the stable one. */
    readonly version: string;
    /** Percent of requests to the stable subset, 0 to 100. */
    readonly stableWeight: number;
    /** Percent of requests to the canary subset, 0 to 100; the two sum to 100. */
    readonly canaryWeight: number;
}

/** Token bucket of the sidecars' local rate limiter (per pod). */
export interface WorkloadRateLimit {
    /** Burst one pod admits. */
    readonly maxTokens: number;
    /** Tokens added per interval. @default maxTokens */
    readonly tokensPerFill?: number;
    /** Refill interval, at least 50ms. @default "1s" */
    readonly fillInterval?: string;
}

/** The cloud identity the pods assume through their ServiceAccount: exactly one of the two. */
export type WorkloadCloudIdentity =
    | {
          /** IAM role for IRSA (annotation `eks.amazonaws.com/role-arn`). */
          readonly awsIamRoleArn: pulumi.Input<string>;
      }
    | {
          /** Google service account for GKE Workload Identity (annotation `iam.gke.io/gcp-service-account`). */
          readonly gcpServiceAccountEmail: pulumi.Input<string>;
      };

/** Where the path routes enter: an Istio Gateway the service's prefixes are bound to. */
export interface WorkloadIngress {
    /** The Gateway, as `<namespace>/<name>`. */
    readonly gateway: string;
    /** Hosts the routes answer for. @default ["*"] */
    readonly hosts?: readonly string[];
    /** Namespace of the gateway pods, whose ServiceAccount the AuthorizationPolicy admits. @default "istio-system" */
    readonly gatewayNamespace?: string;
    /** ServiceAccount of the gateway pods. @default "istio-ingressgateway" (the gateway chart's release name) */
    readonly gatewayServiceAccount?: string;
}

export interface ServiceWorkloadArgs {
    /** Service name: a DNS label; names the Deployment, Service, ServiceAccount and mesh objects. */
    readonly name: string;
    /** Namespace the service runs in (a service namespace with sidecar injection). */
    readonly namespace: string;
    /** Owning team, set as the `team` label. */
    readonly team: string;
    /** Container image, by digest or immutable tag (never `latest`). */
    readonly image: string;
    /** `version` label of the stable pods (Istio subsets and telemetry read it). @default "v1" */
    readonly version?: string;
    /** The container's HTTP port, also the Service port (named `http`). @default 8080 */
    readonly port?: number;
    /** Health endpoints. @default {@link WORKLOAD_DEFAULTS}.health */
    readonly health?: WorkloadHealth;
    /** Requests and limits. @default {@link WORKLOAD_DEFAULTS}.resources */
    readonly resources?: WorkloadResources;
    /** Autoscaling. @default {@link WORKLOAD_DEFAULTS}.scaling */
    readonly scaling?: WorkloadScaling;
    /**
     * Replica override, for DR. `0` is a cold standby: the Deployments are scaled to zero and their HPAs stay
     * idle until someone scales the Deployment up (see `service-workload.ts`). `N >= 1` is a warm standby: the
     * HPA's floor becomes N. @default none: the HPA owns the count, from `scaling.minReplicas`
     */
    readonly replicas?: number;
    /** Path prefixes the service serves through the ingress gateway, such as `/users`. @default none */
    readonly routes?: readonly string[];
    /** The gateway the routes are bound to; required when `routes` are given. @default none */
    readonly ingress?: WorkloadIngress;
    /** Services allowed to call this one (those that list it in `calls`). @default none: only the gateway, if any */
    readonly callers?: readonly ServicePeer[];
    /** Services this one calls; its pods may reach them and nothing else in the mesh. @default none */
    readonly callees?: readonly ServiceCallee[];
    /** Its data stores: the only addresses outside the mesh its pods may reach. @default none */
    readonly dataStores?: readonly DataStoreEgress[];
    /** A canary version with weights. @default none: one stable Deployment */
    readonly canary?: WorkloadCanary;
    /** Timeout and retries of requests to the service. @default {@link RETRY_DEFAULTS} */
    readonly retries?: Partial<RetryPolicy>;
    /** Traffic policy deep-merged over {@link MESH_TRAFFIC_POLICY_DEFAULTS}. @default those */
    readonly trafficPolicy?: HelmValues;
    /** Local rate limit of each pod. @default none */
    readonly rateLimit?: WorkloadRateLimit;
    /** Cloud identity of the ServiceAccount. @default none: the pods get no cloud credentials */
    readonly identity?: WorkloadCloudIdentity;
    /** Environment variables of the application container. @default none */
    readonly env?: Readonly<Record<string, pulumi.Input<string>>>;
    /** User id the container runs as (never 0). @default 65532 (distroless `nonroot`) */
    readonly runAsUser?: number;
}

/** Defaults of the optional arguments, applied in {@link resolveWorkload} only. */
export const WORKLOAD_DEFAULTS = {
    version: "v1",
    port: 8080,
    health: { livenessPath: "/healthz", readinessPath: "/readyz" },
    resources: { cpuRequest: "100m", memoryRequest: "128Mi", cpuLimit: "500m", memoryLimit: "256Mi" },
    scaling: { minReplicas: 2, maxReplicas: 6, targetCpuPercent: 70 },
    runAsUser: 65532,
    ingress: { hosts: ["*"], gatewayNamespace: "istio-system", gatewayServiceAccount: "istio-ingressgateway" },
} as const;

/** The arguments with every default applied. */
export interface ResolvedWorkload {
    readonly args: ServiceWorkloadArgs;
    readonly version: string;
    readonly port: number;
    readonly health: Required<WorkloadHealth>;
    readonly resources: Required<WorkloadResources>;
    readonly scaling: Required<WorkloadScaling>;
    readonly runAsUser: number;
}

export function resolveWorkload(args: ServiceWorkloadArgs): ResolvedWorkload {
    const health = { ...WORKLOAD_DEFAULTS.health, ...args.health };
    return {
        args,
        version: args.version ?? WORKLOAD_DEFAULTS.version,
        port: args.port ?? WORKLOAD_DEFAULTS.port,
        health: { ...health, startupPath: args.health?.startupPath ?? health.livenessPath },
        resources: { ...WORKLOAD_DEFAULTS.resources, ...args.resources },
        scaling: { ...WORKLOAD_DEFAULTS.scaling, ...args.scaling },
        runAsUser: args.runAsUser ?? WORKLOAD_DEFAULTS.runAsUser,
    };
}
