/** Service workloads run under the recording mocks with an explicit Kubernetes provider. */
import * as k8s from "@pulumi/kubernetes";
import { ServiceWorkload, type ServiceWorkloadArgs } from "../../components/catalog";
import type { RecordedResource } from "../../harness/recorder";
import { runStack } from "../../harness/run";

export const DIGEST = "sha256:" + "a".repeat(64);
export const ORDER_ROLE = "arn:aws:iam::123456789012:role/platform-prod-order";

/** The seeds' order service on AWS: called by the gateway and payment, calling product, with a canary. */
export const ORDER: ServiceWorkloadArgs = {
    name: "order",
    namespace: "services-prod",
    team: "checkout",
    image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/order@${DIGEST}`,
    version: "v7",
    port: 8080,
    health: { livenessPath: "/healthz", readinessPath: "/ready" },
    resources: { cpuRequest: "250m", memoryRequest: "256Mi", cpuLimit: "1", memoryLimit: "512Mi" },
    scaling: { minReplicas: 2, maxReplicas: 6, targetCpuPercent: 65 },
    routes: ["/orders"],
    ingress: { gateway: "istio-system/public", hosts: ["api.example.com"] },
    callers: [{ name: "payment", namespace: "services-prod" }],
    callees: [{ name: "product", namespace: "services-prod", port: 8081 }],
    dataStores: [{ store: "aurora", cidrs: ["10.10.32.0/24", "10.10.33.0/24"], ports: [5432] }],
    canary: { image: "ghcr.io/acme/order:1.8.0", version: "v8", stableWeight: 90, canaryWeight: 10 },
    retries: { attempts: 2, timeout: "5s" },
    rateLimit: { maxTokens: 100, fillInterval: "500ms" },
    identity: { awsIamRoleArn: ORDER_ROLE },
    env: { DB_HOST: "order.cluster-abc.us-east-1.rds.amazonaws.com" },
};

/** The user service on GKE as a cold standby: no canary, no callers, no routes. */
export const USER_DR: ServiceWorkloadArgs = {
    name: "user",
    namespace: "services-prod",
    team: "identity",
    image: "us-docker.pkg.dev/acme-dr/services/user:2.3.1",
    replicas: 0,
    identity: { gcpServiceAccountEmail: "svc-user@acme-dr.iam.gserviceaccount.com" },
};

/** The product service on GKE as a warm standby: at least 3 pods, whatever the entry's minimum. */
export const PRODUCT_WARM: ServiceWorkloadArgs = {
    name: "product",
    namespace: "services-prod",
    team: "catalog",
    image: "us-docker.pkg.dev/acme-dr/services/product:4.0.2",
    replicas: 3,
};

/** A worker that never runs more than one pod. */
export const SINGLE: ServiceWorkloadArgs = {
    name: "reports",
    namespace: "services-dev",
    team: "data",
    image: "ghcr.io/acme/reports:0.1.0",
    scaling: { minReplicas: 1, maxReplicas: 1 },
};

export const TYPES = {
    component: "multicloud:catalog:ServiceWorkload",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    deployment: "kubernetes:apps/v1:Deployment",
    service: "kubernetes:core/v1:Service",
    hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    virtualService: "kubernetes:networking.istio.io/v1:VirtualService",
    destinationRule: "kubernetes:networking.istio.io/v1:DestinationRule",
    authorizationPolicy: "kubernetes:security.istio.io/v1:AuthorizationPolicy",
    envoyFilter: "kubernetes:networking.istio.io/v1alpha3:EnvoyFilter",
} as const;

let recorded: Promise<readonly RecordedResource[]> | undefined;

/** ORDER, USER_DR, PRODUCT_WARM and SINGLE, each as a component named after the service, recorded once. */
export function workloadResources(): Promise<readonly RecordedResource[]> {
    recorded ??= runStack({
        stack: "dev",
        program: async () => {
            const provider = new k8s.Provider("k8s", { kubeconfig: `{"apiVersion":"v1","kind":"Config"}` });
            const istiod = new k8s.core.v1.ConfigMap("istiod-ready", { data: {} }, { provider });
            for (const args of [ORDER, USER_DR, PRODUCT_WARM, SINGLE]) {
                new ServiceWorkload(args.name, args, { provider, meshDependsOn: [istiod] });
            }
        },
    }).then((run) => {
        if (run.error) throw run.error;
        return run.resources;
    });
    return recorded;
}
