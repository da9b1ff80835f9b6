/**
 * The remote secrets that let each cluster's istiod discover the other's endpoints
 * ({@link IstioRemoteSecret}, {@link connectIstioClusters}).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { IstioCluster, IstioRemoteAccess } from "./istio-cluster";
import { isDnsLabel } from "./mesh-ca";
import { remoteSecretKubeconfig } from "./remote-kubeconfig";

export interface IstioRemoteSecretArgs {
    /** The cluster to be read: `IstioCluster.remoteAccess` of the other cluster. */
    readonly remote: IstioRemoteAccess;
    /** Istio's namespace in the cluster that reads (the one this secret is created in). */
    readonly istioNamespace: pulumi.Input<string>;
}

/**
 * The remote secret `istio-remote-secret-<cluster>` that lets this cluster's istiod discover the
 * endpoints of another cluster, in the format `istioctl create-remote-secret` writes. Create it with
 * the Kubernetes provider of the cluster that reads.
 */
export class IstioRemoteSecret extends pulumi.ComponentResource {
    /** Name of the Secret. */
    public readonly secretName: pulumi.Output<string>;

    constructor(name: string, args: IstioRemoteSecretArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:mesh:IstioRemoteSecret", name, {}, opts);
        const cluster = args.remote.clusterName;
        const problems = isDnsLabel(cluster)
            ? []
            : [`remote.clusterName must be a lowercase DNS label; received ${JSON.stringify(cluster)}`];
        if (!this.getProvider("kubernetes:core/v1:Secret")) {
            problems.push("a kubernetes provider is required (the provider of the cluster that reads)");
        }
        if (problems.length > 0) throw new Error(`IstioRemoteSecret ${name}: ${problems.join("; ")}`);

        const kubeconfig = pulumi
            .all([args.remote.server, args.remote.certificateAuthorityData, args.remote.token])
            .apply(([server, certificateAuthorityData, token]) =>
                remoteSecretKubeconfig({ clusterName: cluster, server, certificateAuthorityData, token }),
            );
        const secret = new k8s.core.v1.Secret(
            `${name}-secret`,
            {
                metadata: {
                    name: `istio-remote-secret-${cluster}`,
                    namespace: args.istioNamespace,
                    labels: { "istio/multiCluster": "true" },
                    annotations: { "networking.istio.io/cluster": cluster },
                },
                stringData: { [cluster]: pulumi.secret(kubeconfig) },
            },
            { parent: this },
        );
        this.secretName = secret.metadata.name;
        this.registerOutputs({ secretName: this.secretName });
    }
}

/**
 * Remote secrets between every pair of clusters, both ways: each cluster's istiod then reads all the
 * others. Each secret is created with the provider of the cluster that reads it.
 */
export function connectIstioClusters(
    name: string,
    clusters: readonly IstioCluster[],
    opts?: pulumi.ComponentResourceOptions,
): IstioRemoteSecret[] {
    const names = clusters.map((c) => c.clusterName);
    const dupes = names.filter((n, i) => names.indexOf(n) !== i);
    if (clusters.length < 2 || dupes.length > 0) {
        throw new Error(
            `connectIstioClusters ${name}: needs at least two clusters with distinct names; received ${JSON.stringify(names)}`,
        );
    }
    return clusters.flatMap((reader) =>
        clusters
            .filter((read) => read !== reader)
            .map(
                (read) =>
                    new IstioRemoteSecret(
                        `${name}-${read.clusterName}-in-${reader.clusterName}`,
                        { remote: read.remoteAccess, istioNamespace: reader.istioNamespace },
                        pulumi.mergeOptions(opts, { provider: reader.kubernetesProvider }),
                    ),
            ),
    );
}
