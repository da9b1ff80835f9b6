/** One Istio mesh over both clusters: one root CA, multi-primary, multi-network. */
import { PlatformNamespaces, SERVICE_ENVIRONMENTS } from "../../components/kubernetes";
import {
    connectIstioClusters,
    GKE_SIDECAR_INIT_REQUIREMENTS,
    IstioCluster,
    IstioEksNodeAccess,
    MeshCertificateAuthority,
    namespaceDestinationRule,
} from "../../components/mesh";
import type { PlatformContext } from "../context";
import type { KubernetesLayer } from "./kubernetes";

/** Mesh names of the two clusters; the CA issues one intermediate per name. */
export const MESH_CLUSTERS = { aws: "aws-primary", gcp: "gcp-dr" } as const;

export interface MeshLayer {
    readonly ca: MeshCertificateAuthority;
    readonly namespaces: { readonly aws: PlatformNamespaces; readonly gcp: PlatformNamespaces };
    readonly istio: { readonly aws: IstioCluster; readonly gcp: IstioCluster };
}

export function mesh(ctx: PlatformContext, clusters: KubernetesLayer): MeshLayer {
    const { cfg, providers, prefix, topology } = ctx;
    const net = cfg.network;
    const { eks, gke } = clusters;
    const ca = new MeshCertificateAuthority(
        "mesh-ca",
        { clusterNames: [MESH_CLUSTERS.aws, MESH_CLUSTERS.gcp], protect: topology.protect },
        { provider: providers.tls },
    );
    // istiod's webhook and xDS on the EKS nodes; these rules were EksCluster's children before, hence formerParent.
    new IstioEksNodeAccess(
        "eks-istio",
        { clusterSecurityGroupId: eks.clusterSecurityGroupId, formerParent: eks },
        { provider: providers.awsPrimary },
    );
    const namespaces = {
        aws: new PlatformNamespaces(
            "namespaces-aws",
            {
                meshNetwork: "aws",
                meshPeerCidrs: [net.gcpSubnetCidr],
                // No namespace-wide data stores: each service's own NetworkPolicy opens exactly its stores
                // (catalog/service-egress.ts), so a pod reaches none it does not use.
            },
            { provider: eks.kubernetesProvider },
        ),
        gcp: new PlatformNamespaces(
            "namespaces-gcp",
            {
                meshNetwork: "gcp",
                // No CNI agent on Autopilot: sidecars bring istio-init, which restricted (and baseline) refuse.
                servicePodSecurity: GKE_SIDECAR_INIT_REQUIREMENTS.serviceNamespacePodSecurity,
                meshPeerCidrs: [net.awsPrimaryVpcCidr],
                dnsCidrs: ["169.254.169.254/32"],
            },
            { provider: gke.kubernetesProvider },
        ),
    };
    const istio = {
        aws: new IstioCluster(
            "istio-aws",
            {
                clusterName: MESH_CLUSTERS.aws,
                network: "aws",
                meshId: prefix,
                platform: "eks",
                istioNamespace: namespaces.aws.istioSystemNamespace,
                intermediateCa: ca.intermediateFor(MESH_CLUSTERS.aws),
                apiServerEndpoint: eks.endpoint,
                apiServerCaData: eks.certificateAuthority,
            },
            { provider: eks.kubernetesProvider },
        ),
        gcp: new IstioCluster(
            "istio-gcp",
            {
                clusterName: MESH_CLUSTERS.gcp,
                network: "gcp",
                meshId: prefix,
                platform: "gke",
                istioNamespace: namespaces.gcp.istioSystemNamespace,
                intermediateCa: ca.intermediateFor(MESH_CLUSTERS.gcp),
                apiServerEndpoint: gke.endpoint,
                apiServerCaData: gke.caCertificate,
            },
            { provider: gke.kubernetesProvider },
        ),
    };
    connectIstioClusters("mesh", [istio.aws, istio.gcp]);
    // Each istiod reads only its own cluster's config, so traffic policy is applied on both.
    for (const cloud of ["aws", "gcp"] as const) {
        for (const env of SERVICE_ENVIRONMENTS) {
            namespaceDestinationRule(
                `mesh-${cloud}-${env}`,
                { namespace: namespaces[cloud].serviceNamespaces[env] },
                { parent: istio[cloud], provider: istio[cloud].kubernetesProvider, dependsOn: [istio[cloud].istiod] },
            );
        }
    }
    return { ca, namespaces, istio };
}
