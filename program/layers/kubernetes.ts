/** EKS is the primary cluster, GKE Autopilot the DR side; both private. */
import { EksCluster, GkeAutopilot } from "../../components/kubernetes";
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
        },
        { provider: providers.awsPrimary },
    );
    const gke = new GkeAutopilot(
        "gke",
        {
            project: cfg.gcp.project,
            region: cfg.gcp.region,
            network: net.gcp.networkId,
            subnetwork: net.gcp.subnetId,
            podsRangeName: net.gcp.podsRangeName,
            servicesRangeName: net.gcp.servicesRangeName,
            masterIpv4CidrBlock: cfg.network.gkeMasterCidr,
            // The control plane is reachable from the AWS side over the VPN, nowhere else.
            masterAuthorizedCidrs: ranges.aws,
            secretsKmsKeyId: keys.gcp.id("kubernetes"),
            deletionProtection: topology.protect,
        },
        // The GKE service agent must be allowed to use the key before the cluster is created.
        { provider: providers.gcp, dependsOn: [keys.gcp] },
    );
    return { eks, gke };
}
