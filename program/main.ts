/**
 * The platform program: read and validate config once, build providers, then the components in
 * dependency order. `index.ts` hands this function to Pulumi; the offline plan and the tests run the
 * very same function under the mock runtime.
 */
import { loadPlatformConfig } from "../config/load";
import { AwsKmsKeys } from "../components/aws-kms-keys";
import { AwsNetwork, PROD_INTERFACE_ENDPOINTS } from "../components/aws-network";
import { CrossCloudVpn } from "../components/cross-cloud-vpn";
import { GcpKmsKeys } from "../components/gcp-kms-keys";
import { EventBus } from "../components/event-bus";
import { GcpNetwork } from "../components/gcp-network";
import { MskCluster } from "../components/msk-cluster";
import { PubSubBridge } from "../components/pubsub-bridge";
import { ServiceMessaging } from "../components/service-messaging";
import { createProviders } from "./providers";

export async function main(): Promise<Record<string, unknown>> {
    // Throws a ConfigValidationError (all problems at once) before anything is registered.
    const cfg = loadPlatformConfig();
    const providers = createProviders(cfg);
    const prefix = `platform-${cfg.environment}`;
    const protect = cfg.protectStatefulResources;

    const keysPrimary = new AwsKmsKeys(
        "kms-primary",
        { region: cfg.aws.primaryRegion, aliasPrefix: prefix, protect, deletionWindowInDays: protect ? 30 : 7 },
        { provider: providers.awsPrimary },
    );
    const keysSecondary = new AwsKmsKeys(
        "kms-secondary",
        { region: cfg.aws.secondaryRegion, aliasPrefix: prefix, protect, deletionWindowInDays: protect ? 30 : 7 },
        { provider: providers.awsSecondary },
    );
    const keysGcp = new GcpKmsKeys(
        "kms-gcp",
        { project: cfg.gcp.project, location: cfg.gcp.region, keyRingName: prefix, protect },
        { provider: providers.gcp },
    );

    const net = cfg.network;
    const sizing = cfg.sizing;
    const gcpRanges = [
        net.gcpSubnetCidr,
        net.gcpDataSubnetCidr,
        net.gkePodsCidr,
        net.gkeServicesCidr,
        net.gcpPrivateServicesCidr,
    ];
    const awsRanges = [net.awsPrimaryVpcCidr, net.awsSecondaryVpcCidr];
    const awsNetwork = (
        name: string,
        region: string,
        cidrBlock: string,
        keys: AwsKmsKeys,
        provider: typeof providers.awsPrimary,
    ) =>
        new AwsNetwork(
            name,
            {
                region,
                cidrBlock,
                availabilityZoneCount: sizing.availabilityZoneCount,
                natGateways: sizing.natGateways,
                logsKmsKeyArn: keys.keyArns.logs!,
                flowLogRetentionInDays: sizing.logRetentionDays,
                interfaceEndpoints: cfg.environment === "prod" ? PROD_INTERFACE_ENDPOINTS : [],
                peerCidrs: gcpRanges,
            },
            { provider },
        );
    const networkPrimary = awsNetwork(
        "network-primary",
        cfg.aws.primaryRegion,
        net.awsPrimaryVpcCidr,
        keysPrimary,
        providers.awsPrimary,
    );
    const networkSecondary = awsNetwork(
        "network-secondary",
        cfg.aws.secondaryRegion,
        net.awsSecondaryVpcCidr,
        keysSecondary,
        providers.awsSecondary,
    );
    const networkGcp = new GcpNetwork(
        "network-gcp",
        {
            project: cfg.gcp.project,
            region: cfg.gcp.region,
            subnetCidr: net.gcpSubnetCidr,
            dataSubnetCidr: net.gcpDataSubnetCidr,
            podsCidr: net.gkePodsCidr,
            servicesCidr: net.gkeServicesCidr,
            privateServicesCidr: net.gcpPrivateServicesCidr,
            peerCidrs: awsRanges,
        },
        { provider: providers.gcp },
    );
    const vpn = new CrossCloudVpn(
        "vpn",
        {
            awsVpcId: networkPrimary.vpcId,
            awsAttachmentSubnetIds: networkPrimary.appSubnetIds,
            awsRouteTableIds: networkPrimary.routeTableIds,
            awsAsn: net.awsBgpAsn,
            gcpNetwork: networkGcp.networkId,
            gcpProject: cfg.gcp.project,
            gcpRegion: cfg.gcp.region,
            gcpAsn: net.gcpBgpAsn,
            gcpRanges: networkGcp.advertisedRanges,
            tunnelInsideCidrs: net.vpnTunnelInsideCidrs,
            logsKmsKeyArn: keysPrimary.keyArns.logs!,
            logRetentionInDays: sizing.logRetentionDays,
        },
        { providers: [providers.awsPrimary, providers.gcp, providers.random] },
    );

    // Messaging (primary region): Kafka for streams, SNS/SQS and EventBridge between services, and the
    // Pub/Sub bridge that carries the DR streams to GCP.
    const onPrimary = { provider: providers.awsPrimary };
    const messagingKey = keysPrimary.keyArns.messaging!;
    const kafka = new MskCluster(
        "kafka",
        {
            vpcId: networkPrimary.vpcId,
            subnetIds: networkPrimary.dataSubnetIds,
            availabilityZoneCount: sizing.availabilityZoneCount,
            instanceType: sizing.kafkaBrokerInstanceType,
            clientSecurityGroupIds: [networkPrimary.appSecurityGroupId],
            kmsKeyArn: messagingKey,
            logsKmsKeyArn: keysPrimary.keyArns.logs!,
            logRetentionInDays: sizing.logRetentionDays,
            protect,
        },
        onPrimary,
    );
    // Both components must agree on the bus name: queue policies name the rules before they exist.
    const busName = `${prefix}-events`;
    const messaging = new ServiceMessaging(
        "messaging",
        { kmsKeyArn: messagingKey, eventBus: { name: busName } },
        onPrimary,
    );
    const events = new EventBus("events", { busName, kmsKeyArn: messagingKey, queues: messaging.queues }, onPrimary);
    const bridge = new PubSubBridge(
        "dr-bridge",
        {
            topics: cfg.messaging.drTopics.map((name) => ({ name })),
            mskClusterArn: kafka.clusterArn,
            bootstrapBrokersSaslIam: kafka.bootstrapBrokersSaslIam,
            subnetIds: networkPrimary.appSubnetIds,
            securityGroupIds: [networkPrimary.appSecurityGroupId],
            connectorJarPath: cfg.messaging.pubsubConnectorJarPath,
            pluginKmsKeyArn: keysPrimary.keyArns.backups!,
            logsKmsKeyArn: keysPrimary.keyArns.logs!,
            logRetentionInDays: sizing.logRetentionDays,
            connectorRoleName: `${prefix}-pubsub-sink`,
            gcpProject: cfg.gcp.project,
            gcpRegion: cfg.gcp.region,
            gcpKmsKeyId: keysGcp.keyIds.messaging!,
            protect,
        },
        { providers: [providers.awsPrimary, providers.gcp] },
    );

    return {
        environment: cfg.environment,
        awsPrimaryRegion: cfg.aws.primaryRegion,
        awsSecondaryRegion: cfg.aws.secondaryRegion,
        gcpProject: cfg.gcp.project,
        gcpRegion: cfg.gcp.region,
        kmsKeyArnsPrimary: keysPrimary.keyArns,
        kmsKeyArnsSecondary: keysSecondary.keyArns,
        kmsKeyIdsGcp: keysGcp.keyIds,
        awsPrimaryVpcId: networkPrimary.vpcId,
        awsSecondaryVpcId: networkSecondary.vpcId,
        gcpNetworkId: networkGcp.networkId,
        transitGatewayId: vpn.transitGatewayId,
        vpnTunnelNames: vpn.tunnelNames,
        kafkaClusterArn: kafka.clusterArn,
        kafkaBootstrapBrokers: kafka.bootstrapBrokersSaslIam,
        eventBusName: events.busName,
        serviceTopicArns: messaging.topicArns,
        drPubSubTopicIds: bridge.topicIds,
    };
}
