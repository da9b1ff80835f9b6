/**
 * One catalog service on one cluster: its ServiceAccount, Deployments (stable, and canary when set), HPAs,
 * PodDisruptionBudgets, Service, NetworkPolicy and mesh objects.
 *
 * Replicas and the HPA. The Deployments leave `spec.replicas` to the HPA, as Kubernetes recommends
 * (https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling):
 * a count in the manifest would reset the HPA's choice on every update. A cold standby (`replicas: 0`) sets
 * `spec.replicas: 0`, and the HPA leaves it there: when the target's count is 0 and the HPA's minimum is not,
 * the controller does not rescale and sets ScalingActive False, reason ScalingDisabled ("implicit
 * maintenance-mode deactivation" on the same page; kubernetes/kubernetes
 * pkg/controller/podautoscaler/horizontal.go, `scale.Spec.Replicas == 0 && minReplicas != 0`). Failover is
 * `kubectl scale --replicas=N` (the HPA resumes from N) or dropping the override from the entry: server-side
 * apply then releases the field, Kubernetes defaults it to 1, and the HPA scales from there to its minimum.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { canaryRoute, ISTIO_API_VERSIONS, retryingRoute, serviceFqdn } from "../mesh/mesh-policies";
import { localRateLimit } from "../mesh/mesh-rate-limit";
import { resolveWorkload, type ResolvedWorkload, type ServiceWorkloadArgs } from "./workload-args";
import { authorizationPolicySpec, destinationRuleSpec, ingressVirtualServiceSpec } from "./workload-mesh";
import { workloadNetworkPolicySpec } from "./workload-network";
import { deploymentSpec, selectorLabels, type WorkloadTrack } from "./workload-pods";
import { serviceWorkloadProblems } from "./workload-validation";

/** ServiceAccount annotation of each cloud's workload identity. */
export const IDENTITY_ANNOTATIONS = {
    /** IRSA: https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html */
    awsIamRoleArn: "eks.amazonaws.com/role-arn",
    /** GKE Workload Identity: https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity */
    gcpServiceAccountEmail: "iam.gke.io/gcp-service-account",
} as const;

/** Fewest replicas of a canary track: one pod is enough to take its share and be observed. */
export const CANARY_MIN_REPLICAS = 1;

export interface ServiceWorkloadOptions extends pulumi.ComponentResourceOptions {
    /** What the Istio objects wait for (istiod, whose validating webhook admits them). @default none */
    readonly meshDependsOn?: readonly pulumi.Resource[];
}

export class ServiceWorkload extends pulumi.ComponentResource {
    /** The ServiceAccount's name (also the mesh identity callers are admitted by). */
    public readonly serviceAccountName: pulumi.Output<string>;
    /** The Service's name. */
    public readonly serviceName: pulumi.Output<string>;
    /** The Service's in-cluster host, `<name>.<namespace>.svc.cluster.local`. */
    public readonly host: pulumi.Output<string>;
    /** Deployment names by track (`canary` only when a canary is set). */
    public readonly deploymentNames: Readonly<Partial<Record<WorkloadTrack, pulumi.Output<string>>>>;

    constructor(name: string, args: ServiceWorkloadArgs, opts?: ServiceWorkloadOptions) {
        const { meshDependsOn, ...componentOpts } = opts ?? {};
        super("multicloud:catalog:ServiceWorkload", name, {}, componentOpts);
        const problems = serviceWorkloadProblems(args);
        if (!this.getProvider("kubernetes:core/v1:Secret")) {
            problems.push("a kubernetes provider is required (pass { provider: <k8s.Provider> })");
        }
        if (problems.length > 0) throw new Error(`ServiceWorkload ${name}: ${problems.join("; ")}`);
        const w = resolveWorkload(args);
        const labels = {
            app: args.name,
            team: args.team,
            "app.kubernetes.io/name": args.name,
            "app.kubernetes.io/managed-by": "pulumi",
        };
        const meta = (objectName: string) => ({ name: objectName, namespace: args.namespace, labels });

        const serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-sa`,
            {
                metadata: { ...meta(args.name), annotations: identityAnnotations(args) },
                automountServiceAccountToken: false,
            },
            { parent: this },
        );
        this.serviceAccountName = serviceAccount.metadata.name;

        const tracks: [WorkloadTrack, string, string][] = [["stable", args.image, w.version]];
        if (args.canary) tracks.push(["canary", args.canary.image, args.canary.version]);
        const deploymentNames: Partial<Record<WorkloadTrack, pulumi.Output<string>>> = {};
        for (const [track, image, version] of tracks) {
            deploymentNames[track] = this.track(name, w, track, image, version, meta, this.serviceAccountName);
        }
        this.deploymentNames = deploymentNames;

        const service = new k8s.core.v1.Service(
            `${name}-service`,
            {
                metadata: meta(args.name),
                spec: {
                    type: "ClusterIP",
                    selector: { app: args.name },
                    // The port name `http` (and appProtocol) is how Istio knows the protocol without sniffing.
                    ports: [{ name: "http", port: w.port, targetPort: "http", protocol: "TCP", appProtocol: "http" }],
                },
            },
            { parent: this },
        );
        this.serviceName = service.metadata.name;
        this.host = serviceFqdn(args.name, args.namespace);

        new k8s.networking.v1.NetworkPolicy(
            `${name}-netpol`,
            { metadata: meta(args.name), spec: workloadNetworkPolicySpec(w) },
            { parent: this },
        );
        this.mesh(name, w, meta, { parent: this, dependsOn: [...(meshDependsOn ?? [])] });

        this.registerOutputs({
            serviceAccountName: this.serviceAccountName,
            serviceName: this.serviceName,
            host: this.host,
        });
    }

    /** One track's Deployment, its HPA, and its PDB when it can run more than one pod. */
    private track(
        name: string,
        w: ResolvedWorkload,
        track: WorkloadTrack,
        image: string,
        version: string,
        meta: (n: string) => object,
        serviceAccountName: pulumi.Output<string>,
    ): pulumi.Output<string> {
        const objectName = track === "stable" ? w.args.name : `${w.args.name}-${track}`;
        const prefix = track === "stable" ? name : `${name}-${track}`;
        const deployment = new k8s.apps.v1.Deployment(
            `${prefix}-deployment`,
            { metadata: meta(objectName), spec: deploymentSpec(w, track, image, version, serviceAccountName) },
            { parent: this },
        );
        const minReplicas = track === "canary" ? CANARY_MIN_REPLICAS : w.args.replicas || w.scaling.minReplicas;
        new k8s.autoscaling.v2.HorizontalPodAutoscaler(
            `${prefix}-hpa`,
            {
                metadata: meta(objectName),
                spec: {
                    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
                    minReplicas,
                    maxReplicas: w.scaling.maxReplicas,
                    metrics: [
                        {
                            type: "Resource",
                            resource: {
                                name: "cpu",
                                target: { type: "Utilization", averageUtilization: w.scaling.targetCpuPercent },
                            },
                        },
                    ],
                },
            },
            { parent: this },
        );
        if (w.scaling.maxReplicas > 1) {
            new k8s.policy.v1.PodDisruptionBudget(
                `${prefix}-pdb`,
                {
                    metadata: meta(objectName),
                    // maxUnavailable, not minAvailable: a track scaled down to one pod can still be drained.
                    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(w.args.name, track) } },
                },
                { parent: this },
            );
        }
        return deployment.metadata.name;
    }

    /** Routing, subsets, rate limit and who may call: created on every cluster the service runs on. */
    private mesh(
        name: string,
        w: ResolvedWorkload,
        meta: (n: string) => object,
        opts: pulumi.CustomResourceOptions,
    ): void {
        const args = w.args;
        // Both branches name the rule `-subsets` and the route `-split`, so adding or ending a canary
        // updates the two objects in place instead of replacing them.
        if (args.canary) {
            canaryRoute(
                name,
                {
                    service: args.name,
                    namespace: args.namespace,
                    stable: { version: w.version, weight: args.canary.stableWeight },
                    canary: { version: args.canary.version, weight: args.canary.canaryWeight },
                    retries: args.retries,
                    trafficPolicy: args.trafficPolicy,
                },
                opts,
            );
        } else {
            const rule = new k8s.apiextensions.CustomResource(
                `${name}-subsets`,
                {
                    apiVersion: ISTIO_API_VERSIONS.networking,
                    kind: "DestinationRule",
                    metadata: meta(args.name),
                    spec: destinationRuleSpec(w),
                },
                opts,
            );
            retryingRoute(
                `${name}-split`,
                { service: args.name, namespace: args.namespace, retries: args.retries },
                pulumi.mergeOptions(opts, { dependsOn: [rule] }),
            );
        }
        if (args.ingress && (args.routes ?? []).length > 0) {
            new k8s.apiextensions.CustomResource(
                `${name}-ingress`,
                {
                    apiVersion: ISTIO_API_VERSIONS.networking,
                    kind: "VirtualService",
                    metadata: meta(`${args.name}-ingress`),
                    spec: ingressVirtualServiceSpec(w),
                },
                opts,
            );
        }
        if (args.rateLimit) {
            localRateLimit(
                `${name}-rate-limit`,
                { namespace: args.namespace, workloadLabels: { app: args.name }, ...args.rateLimit },
                opts,
            );
        }
        new k8s.apiextensions.CustomResource(
            `${name}-authz`,
            {
                apiVersion: ISTIO_API_VERSIONS.security,
                kind: "AuthorizationPolicy",
                metadata: meta(args.name),
                spec: authorizationPolicySpec(w),
            },
            opts,
        );
    }
}

/** The ServiceAccount annotation that binds it to its cloud identity, if any. */
export function identityAnnotations(args: ServiceWorkloadArgs): Record<string, pulumi.Input<string>> {
    const id = args.identity;
    if (!id) return {};
    return "awsIamRoleArn" in id
        ? { [IDENTITY_ANNOTATIONS.awsIamRoleArn]: id.awsIamRoleArn }
        : { [IDENTITY_ANNOTATIONS.gcpServiceAccountEmail]: id.gcpServiceAccountEmail };
}
