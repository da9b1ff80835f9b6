/** EKS is the primary cluster, GKE Autopilot the DR side; both private. */
import { EksCluster, GkeAutopilot } from "../../components/kubernetes";
import { GKE_SIDECAR_INIT_REQUIREMENTS } from "../../components/mesh";
import type { PlatformContext } from "../context";
import type { NetworkLayer } from "./network";
import type { SecurityLayer } from "./security";

export interface KubernetesLayer {
    readonly eks: EksCluster;
    readonly gke: GkeAutopilot;
}

export function kubernetes(ctx: PlatformContext, keys: SecurityLayer, net: NetworkLayer): KubernetesLayer {
    const { cfg, providers, topology, ranges } = ctx;
    const eks = new EksCluster(
        "eks",
        {
            vpcId: net.primary.vpcId,
            privateSubnetIds: net.primary.appSubnetIds,
            secretsKmsKeyArn: keys.primary.arn("kubernetes"),
            nodeVolumeKmsKeyArn: keys.primary.arn("kubernetes"),
            workloadNodeInstanceTypes: cfg.sizing.kubernetesNodeInstanceTypes,
            workloadCapacityType: topology.workloadCapacityType,
            deletionProtection: topology.protect,
            // Both APIs are private: 443 from the deployers and the GKE istiod, nothing else from outside.
            apiClientCidrs: ranges.eksApiClients,
            // Pods use their node's security groups (no security groups for pods): the app tier is what the
            // data stores admit.
            nodeSecurityGroupIds: [net.primary.appSecurityGroupId],
        },
        { provider: providers.awsPrimary },
    );
    const gke = new GkeAutopilot(
        "gke",
        {
            project: cfg.gcp.project,
            region: cfg.gcp.region,
            network: net.gcp.networkId,
            networkName: net.gcp.networkName,
            subnetwork: net.gcp.subnetId,
            podsRangeName: net.gcp.podsRangeName,
            servicesRangeName: net.gcp.servicesRangeName,
            masterIpv4CidrBlock: cfg.network.gkeMasterCidr,
            // The private endpoint, over the VPN, for the deployers and the EKS pods (the AWS istiod) only.
            masterAuthorizedCidrs: ranges.gkeApiClients,
            secretsKmsKeyId: keys.gcp.id("kubernetes"),
            deletionProtection: topology.protect,
            // Sidecars on Autopilot capture traffic with istio-init (NET_ADMIN); see components/mesh/istio-data-plane.ts.
            allowNetAdmin: GKE_SIDECAR_INIT_REQUIREMENTS.clusterAllowNetAdmin,
        },
        // The GKE service agent must be allowed to use the key before the cluster is created.
        { provider: providers.gcp, dependsOn: [keys.gcp] },
    );
    return { eks, gke };
}
