/** A VPC per AWS region, the GCP VPC, and the HA VPN with BGP that joins the primary region to GCP. */
import { AwsNetwork, CrossCloudVpn, GcpNetwork } from "../../components/network";
import type { AwsKmsKeys } from "../../components/security";
import type { PlatformContext } from "../context";
import type { SecurityLayer } from "./security";

export interface NetworkLayer {
    readonly primary: AwsNetwork;
    readonly secondary: AwsNetwork;
    readonly gcp: GcpNetwork;
    readonly vpn: CrossCloudVpn;
}

export function network(ctx: PlatformContext, keys: SecurityLayer): NetworkLayer {
    const { cfg, providers, topology, ranges } = ctx;
    const net = cfg.network;
    const sizing = cfg.sizing;
    const awsNetwork = (
        name: string,
        region: string,
        cidrBlock: string,
        regionKeys: AwsKmsKeys,
        provider: typeof providers.awsPrimary,
        postgresPeerCidrs: readonly string[] = [],
    ) =>
        new AwsNetwork(
            name,
            {
                region,
                cidrBlock,
                availabilityZoneCount: sizing.availabilityZoneCount,
                natGateways: sizing.natGateways,
                logsKmsKeyArn: regionKeys.arn("logs"),
                flowLogRetentionInDays: sizing.logRetentionDays,
                interfaceEndpoints: topology.interfaceEndpoints,
                peerCidrs: ranges.gcp,
                postgresPeerCidrs,
            },
            { provider },
        );
    const primary = awsNetwork(
        "network-primary",
        cfg.aws.primaryRegion,
        net.awsPrimaryVpcCidr,
        keys.primary,
        providers.awsPrimary,
        // Only the DMS feed reaches PostgreSQL from GCP, and only in the region the VPN attaches to.
        ranges.dmsSources,
    );
    const secondary = awsNetwork(
        "network-secondary",
        cfg.aws.secondaryRegion,
        net.awsSecondaryVpcCidr,
        keys.secondary,
        providers.awsSecondary,
    );
    const gcp = new GcpNetwork(
        "network-gcp",
        {
            project: cfg.gcp.project,
            region: cfg.gcp.region,
            subnetCidr: net.gcpSubnetCidr,
            dataSubnetCidr: net.gcpDataSubnetCidr,
            podsCidr: net.gkePodsCidr,
            servicesCidr: net.gkeServicesCidr,
            privateServicesCidr: net.gcpPrivateServicesCidr,
            // Advertised over the VPN (the private GKE API) and admitted to the nodes on istiod's webhook port.
            controlPlaneCidr: net.gkeMasterCidr,
            peerCidrs: ranges.aws,
        },
        { provider: providers.gcp },
    );
    const vpn = new CrossCloudVpn(
        "vpn",
        {
            awsVpcId: primary.vpcId,
            awsAttachmentSubnetIds: primary.appSubnetIds,
            awsRouteTableIds: primary.routeTableIds,
            awsAsn: net.awsBgpAsn,
            gcpNetwork: gcp.networkId,
            gcpProject: cfg.gcp.project,
            gcpRegion: cfg.gcp.region,
            gcpAsn: net.gcpBgpAsn,
            gcpRanges: gcp.advertisedRanges,
            tunnelInsideCidrs: net.vpnTunnelInsideCidrs,
            logsKmsKeyArn: keys.primary.arn("logs"),
            logRetentionInDays: sizing.logRetentionDays,
        },
        { providers: [providers.awsPrimary, providers.gcp, providers.random] },
    );
    return { primary, secondary, gcp, vpn };
}
