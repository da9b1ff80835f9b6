/**
 * The platform program: read and validate config once, build providers, then the components in
 * dependency order. `index.ts` hands this function to Pulumi; the offline plan and the tests run the
 * very same function under the mock runtime.
 */
import { loadPlatformConfig } from "../config/load";
import { AwsKmsKeys } from "../components/aws-kms-keys";
import { AuroraGlobal } from "../components/aurora-global";
import { AwsNetwork, PROD_INTERFACE_ENDPOINTS } from "../components/aws-network";
import { CloudSqlReplica } from "../components/cloudsql-replica";
import { DynamoDbGlobal } from "../components/dynamodb-global";
import { ElastiCache } from "../components/elasticache";
import { Memorystore } from "../components/memorystore";
import { CrossCloudVpn } from "../components/cross-cloud-vpn";
import { GcpKmsKeys } from "../components/gcp-kms-keys";
import { EksCluster } from "../components/eks-cluster";
import { EventBus } from "../components/event-bus";
import { GkeAutopilot } from "../components/gke-autopilot";
import { connectIstioClusters, IstioCluster } from "../components/istio-mesh";
import { MeshCertificateAuthority } from "../components/mesh-ca";
import { namespaceDestinationRule } from "../components/mesh-policies";
import { PlatformNamespaces, SERVICE_ENVIRONMENTS } from "../components/platform-namespaces";
import { GcpNetwork } from "../components/gcp-network";
import {
    type EventRoute,
    PLATFORM_EVENT_ROUTES,
    PLATFORM_SUBSCRIPTIONS,
    type ServiceSubscription,
} from "../components/messaging-routes";
import { MskCluster } from "../components/msk-cluster";
import { PubSubBridge } from "../components/pubsub-bridge";
import { ServiceMessaging } from "../components/service-messaging";
import { createProviders } from "./providers";

/**
 * What the program builds beyond the stack's configuration. Pulumi calls `main()` without arguments, so
 * a deployment always gets the defaults; tools (the benchmark) pass other values to vary the platform.
 */
export interface PlatformOptions {
    /** Service subscriptions to the domain topics. @default {@link PLATFORM_SUBSCRIPTIONS} */
    readonly subscriptions?: readonly ServiceSubscription[];
    /** EventBridge routes of the platform bus, given to both messaging components. @default {@link PLATFORM_EVENT_ROUTES} */
    readonly eventRoutes?: readonly EventRoute[];
}

export async function main(options: PlatformOptions = {}): Promise<Record<string, unknown>> {
    // Throws a ConfigValidationError (all problems at once) before anything is registered.
    const cfg = loadPlatformConfig();
    const providers = createProviders(cfg);
    const prefix = `platform-${cfg.environment}`;
    const protect = cfg.protectStatefulResources;
    // Topology (HA, second region, endpoints) follows the environment; protection follows protectStatefulResources.
    const prod = cfg.environment === "prod";

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
                interfaceEndpoints: prod ? PROD_INTERFACE_ENDPOINTS : [],
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

    // Kubernetes: EKS is the primary, GKE Autopilot the DR side; one Istio mesh spans both.
    const eks = new EksCluster(
        "eks",
        {
            vpcId: networkPrimary.vpcId,
            privateSubnetIds: networkPrimary.appSubnetIds,
            secretsKmsKeyArn: keysPrimary.keyArns.kubernetes!,
            nodeVolumeKmsKeyArn: keysPrimary.keyArns.kubernetes!,
            workloadNodeInstanceTypes: sizing.kubernetesNodeInstanceTypes,
            // Spot is cheap for dev; prod keeps an on-demand floor beside spot capacity.
            workloadCapacityType: prod ? "MIXED" : "SPOT",
            deletionProtection: protect,
        },
        { provider: providers.awsPrimary },
    );
    const gke = new GkeAutopilot(
        "gke",
        {
            project: cfg.gcp.project,
            region: cfg.gcp.region,
            network: networkGcp.networkId,
            subnetwork: networkGcp.subnetId,
            podsRangeName: networkGcp.podsRangeName,
            servicesRangeName: networkGcp.servicesRangeName,
            masterIpv4CidrBlock: net.gkeMasterCidr,
            // The control plane is reachable from the AWS side over the VPN, nowhere else.
            masterAuthorizedCidrs: awsRanges,
            secretsKmsKeyId: keysGcp.keyIds.kubernetes!,
            deletionProtection: protect,
        },
        // The GKE service agent must be allowed to use the key before the cluster is created.
        { provider: providers.gcp, dependsOn: [keysGcp] },
    );

    const meshId = prefix;
    const ca = new MeshCertificateAuthority(
        "mesh-ca",
        { clusterNames: ["aws-primary", "gcp-dr"], protect },
        { provider: providers.tls },
    );
    const nsAws = new PlatformNamespaces(
        "namespaces-aws",
        { meshNetwork: "aws", meshPeerCidrs: [net.gcpSubnetCidr] },
        { provider: eks.kubernetesProvider },
    );
    const nsGcp = new PlatformNamespaces(
        "namespaces-gcp",
        { meshNetwork: "gcp", meshPeerCidrs: [net.awsPrimaryVpcCidr], dnsCidrs: ["169.254.169.254/32"] },
        { provider: gke.kubernetesProvider },
    );
    const istioAws = new IstioCluster(
        "istio-aws",
        {
            clusterName: "aws-primary",
            network: "aws",
            meshId,
            platform: "eks",
            istioNamespace: nsAws.istioSystemNamespace,
            intermediateCa: ca.intermediateFor("aws-primary"),
            apiServerEndpoint: eks.endpoint,
            apiServerCaData: eks.certificateAuthority,
        },
        { provider: eks.kubernetesProvider },
    );
    const istioGcp = new IstioCluster(
        "istio-gcp",
        {
            clusterName: "gcp-dr",
            network: "gcp",
            meshId,
            platform: "gke",
            istioNamespace: nsGcp.istioSystemNamespace,
            intermediateCa: ca.intermediateFor("gcp-dr"),
            apiServerEndpoint: gke.endpoint,
            apiServerCaData: gke.caCertificate,
        },
        { provider: gke.kubernetesProvider },
    );
    connectIstioClusters("mesh", [istioAws, istioGcp]);
    // Each istiod reads only its own cluster's config, so traffic policy is applied on both.
    for (const [cloud, ns, istio] of [
        ["aws", nsAws, istioAws],
        ["gcp", nsGcp, istioGcp],
    ] as const) {
        for (const env of SERVICE_ENVIRONMENTS) {
            namespaceDestinationRule(
                `mesh-${cloud}-${env}`,
                { namespace: ns.serviceNamespaces[env] },
                { parent: istio, provider: istio.kubernetesProvider, dependsOn: [istio.istiod] },
            );
        }
    }

    // Data layer. Prod adds the secondary AWS region to Aurora and DynamoDB; the DR copies in GCP exist
    // in every stack so the replication paths are exercised in dev too.
    const aurora = new AuroraGlobal(
        "aurora",
        {
            identifier: `${prefix}-aurora`,
            primary: {
                region: cfg.aws.primaryRegion,
                vpcId: networkPrimary.vpcId,
                dbSubnetGroupName: networkPrimary.dbSubnetGroupName,
                kmsKeyArn: keysPrimary.keyArns.database!,
                logsKmsKeyArn: keysPrimary.keyArns.logs!,
                appSecurityGroupId: networkPrimary.appSecurityGroupId,
                // The DMS feed reads from GCP over the VPN; nothing else outside the app tier gets in.
                allowedCidrs: gcpRanges,
                availabilityZoneCount: sizing.availabilityZoneCount,
            },
            secondary: prod
                ? {
                      provider: providers.awsSecondary,
                      region: cfg.aws.secondaryRegion,
                      vpcId: networkSecondary.vpcId,
                      dbSubnetGroupName: networkSecondary.dbSubnetGroupName,
                      kmsKeyArn: keysSecondary.keyArns.database!,
                      logsKmsKeyArn: keysSecondary.keyArns.logs!,
                      appSecurityGroupId: networkSecondary.appSecurityGroupId,
                      availabilityZoneCount: sizing.availabilityZoneCount,
                  }
                : undefined,
            instanceClass: sizing.databaseInstanceClass,
            readerCount: sizing.databaseReaderCount,
            backupRetentionDays: sizing.backupRetentionDays,
            logRetentionDays: sizing.logRetentionDays,
            protect,
        },
        { providers: [providers.awsPrimary, providers.random] },
    );
    const drPostgres = new CloudSqlReplica(
        "dr-postgres",
        {
            project: cfg.gcp.project,
            region: cfg.gcp.region,
            network: networkGcp.networkId,
            privateServicesConnection: networkGcp.privateServicesConnection,
            kmsKeyName: keysGcp.keyIds.database!,
            sourceHost: aurora.writerEndpoint,
            awsSecretKmsKeyArn: keysPrimary.keyArns.database!,
            highAvailability: prod,
            backupRetentionDays: sizing.backupRetentionDays,
            protect,
        },
        // The CMEK bindings and the VPN must exist before the instance and the migration job.
        { providers: [providers.gcp, providers.awsPrimary, providers.random], dependsOn: [keysGcp, vpn] },
    );
    const table = new DynamoDbGlobal(
        "orders",
        {
            region: cfg.aws.primaryRegion,
            hashKey: { name: "pk", type: "S" },
            rangeKey: { name: "sk", type: "S" },
            kmsKeyArn: keysPrimary.keyArns.database!,
            replicas: prod ? [{ region: cfg.aws.secondaryRegion, kmsKeyArn: keysSecondary.keyArns.database! }] : [],
            backupsKmsKeyArn: keysPrimary.keyArns.backups!,
            gcpProject: cfg.gcp.project,
            gcpRegion: cfg.gcp.region,
            gcpBackupsKmsKeyName: keysGcp.keyIds.backups!,
            protect,
        },
        { providers: [providers.awsPrimary, providers.gcp], dependsOn: [keysGcp] },
    );
    const cache = new ElastiCache(
        "sessions",
        {
            subnetGroupName: networkPrimary.cacheSubnetGroupName,
            securityGroupIds: [networkPrimary.dataSecurityGroupId],
            kmsKeyArn: keysPrimary.keyArns.database!,
            nodeType: sizing.cacheNodeType,
            numCacheClusters: prod ? 2 : 1,
            snapshotRetentionDays: sizing.backupRetentionDays,
            protect,
        },
        { providers: [providers.awsPrimary, providers.random] },
    );
    const drCache = new Memorystore(
        "dr-sessions",
        {
            project: cfg.gcp.project,
            region: cfg.gcp.region,
            authorizedNetwork: networkGcp.networkId,
            privateServicesConnection: networkGcp.privateServicesConnection,
            kmsKeyName: keysGcp.keyIds.database!,
            highAvailability: prod,
            protect,
        },
        { provider: providers.gcp, dependsOn: [keysGcp] },
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
    // Both components must agree on the bus name and the routes: queue policies name the rules before they exist.
    const busName = `${prefix}-events`;
    const routes = options.eventRoutes ?? PLATFORM_EVENT_ROUTES;
    const messaging = new ServiceMessaging(
        "messaging",
        {
            kmsKeyArn: messagingKey,
            subscriptions: options.subscriptions ?? PLATFORM_SUBSCRIPTIONS,
            eventBus: { name: busName, routes },
        },
        onPrimary,
    );
    const events = new EventBus(
        "events",
        { busName, kmsKeyArn: messagingKey, routes, queues: messaging.queues },
        onPrimary,
    );
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
        eksClusterName: eks.clusterName,
        eksKubeconfig: eks.kubeconfig,
        gkeClusterName: gke.clusterName,
        gkeKubeconfig: gke.kubeconfig,
        meshRootCertPem: ca.rootCertPem,
        auroraGlobalClusterId: aurora.globalClusterId,
        auroraWriterEndpoint: aurora.writerEndpoint,
        auroraMasterSecretArn: aurora.masterSecretArn,
        drPostgresConnectionName: drPostgres.connectionName,
        drMigrationJobName: drPostgres.migrationJobName,
        drReplicationSecretArn: drPostgres.replicationSecretArn,
        ordersTableName: table.tableName,
        ordersBackupBucket: table.gcsBucketName,
        cachePrimaryEndpoint: cache.primaryEndpointAddress,
        cacheAuthTokenSecretArn: cache.authTokenSecretArn,
        drCacheHost: drCache.host,
        kafkaClusterArn: kafka.clusterArn,
        kafkaBootstrapBrokers: kafka.bootstrapBrokersSaslIam,
        eventBusName: events.busName,
        serviceTopicArns: messaging.topicArns,
        drPubSubTopicIds: bridge.topicIds,
    };
}
