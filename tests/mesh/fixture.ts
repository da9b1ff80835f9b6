/** The two-cluster mesh the mesh specs share, run once under the recording mocks. */
import * as k8s from "@pulumi/kubernetes";
import * as tls from "@pulumi/tls";
import { PlatformNamespaces, SERVICE_ENVIRONMENTS } from "../../components/kubernetes";
import {
    canaryRoute,
    connectIstioClusters,
    IstioCluster,
    localRateLimit,
    MeshCertificateAuthority,
    namespaceDestinationRule,
    retryingRoute,
    type IstioClusterArgs,
} from "../../components/mesh";
import type { RecordedResource } from "../../harness/recorder";
import { runStack } from "../../harness/run";

export const CLUSTERS = {
    "aws-primary": {
        network: "aws",
        platform: "eks",
        endpoint: "https://ABC123.gr7.us-east-1.eks.amazonaws.com",
        caData: "bW9jay1jYQ==",
        peers: ["10.12.0.0/20"],
    },
    "gcp-dr": {
        network: "gcp",
        platform: "gke",
        endpoint: "172.16.0.2",
        caData: "bW9jay1na2UtY2E=",
        peers: ["10.10.0.0/16"],
    },
} as const;
export type ClusterName = keyof typeof CLUSTERS;
export const CLUSTER_NAMES = Object.keys(CLUSTERS) as ClusterName[];
export const MESH_ID = "platform-dev";

export const SECRET = "kubernetes:core/v1:Secret";
export const RELEASE = "kubernetes:helm.sh/v3:Release";
export const NAMESPACE = "kubernetes:core/v1:Namespace";
export const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
export const DESTINATION_RULE = "kubernetes:networking.istio.io/v1:DestinationRule";
export const VIRTUAL_SERVICE = "kubernetes:networking.istio.io/v1:VirtualService";

/** The two clusters wired the way program/main.ts is meant to wire them. */
async function meshProgram(): Promise<void> {
    const tlsProvider = new tls.Provider("tls");
    const ca = new MeshCertificateAuthority("mesh-ca", { clusterNames: CLUSTER_NAMES }, { provider: tlsProvider });
    const istio: IstioCluster[] = [];
    for (const name of CLUSTER_NAMES) {
        const c = CLUSTERS[name];
        const provider = new k8s.Provider(`k8s-${name}`, { kubeconfig: `{"apiVersion":"v1","kind":"Config"}` });
        const namespaces = new PlatformNamespaces(
            `ns-${name}`,
            { meshNetwork: c.network, meshPeerCidrs: c.peers },
            { provider },
        );
        const cluster = new IstioCluster(
            `istio-${name}`,
            {
                clusterName: name,
                network: c.network,
                meshId: MESH_ID,
                platform: c.platform,
                istioNamespace: namespaces.istioSystemNamespace,
                intermediateCa: ca.intermediateFor(name),
                apiServerEndpoint: c.endpoint,
                apiServerCaData: c.caData,
                ...(c.platform === "gke"
                    ? { kiali: false }
                    : { values: { istiod: { env: { PILOT_TRACE_SAMPLING: "1" } } } }),
            },
            { provider },
        );
        istio.push(cluster);
        for (const env of SERVICE_ENVIRONMENTS) {
            namespaceDestinationRule(
                `${name}-${env}-default`,
                { namespace: namespaces.serviceNamespaces[env] },
                { provider, dependsOn: [cluster.istiod] },
            );
        }
        const prod = namespaces.serviceNamespaces.prod;
        canaryRoute(
            `${name}-reviews`,
            {
                service: "reviews",
                namespace: prod,
                stable: { version: "v1", weight: 90 },
                canary: { version: "v2", weight: 10 },
            },
            { provider, dependsOn: [cluster.istiod] },
        );
        retryingRoute(
            `${name}-ratings`,
            { service: "ratings", namespace: prod, retries: { attempts: 2 } },
            { provider, dependsOn: [cluster.istiod] },
        );
        localRateLimit(
            `${name}-ratings-limit`,
            { namespace: prod, workloadLabels: { app: "ratings" }, maxTokens: 50 },
            { provider, dependsOn: [cluster.istiod] },
        );
    }
    connectIstioClusters("mesh", istio);
}

let resources: Promise<readonly RecordedResource[]> | undefined;

/** The resources of {@link meshProgram}, recorded once for every spec that reads them. */
export function meshResources(): Promise<readonly RecordedResource[]> {
    resources ??= runStack({ stack: "dev", program: meshProgram }).then((run) => {
        if (run.error) throw run.error;
        return run.resources;
    });
    return resources;
}

export function validClusterArgs(intermediateCa: IstioClusterArgs["intermediateCa"]): IstioClusterArgs {
    return {
        clusterName: "aws-primary",
        network: "aws",
        meshId: MESH_ID,
        platform: "eks",
        istioNamespace: "istio-system",
        intermediateCa,
        apiServerEndpoint: "https://example",
        apiServerCaData: "Y2E=",
    };
}
