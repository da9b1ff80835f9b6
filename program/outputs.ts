/** The stack outputs: what operators, CI and the DR runbook read after an `up`. */
import type { PlatformContext } from "./context";
import type { CicdLayer } from "./layers/cicd";
import type { DataLayer } from "./layers/data";
import type { KubernetesLayer } from "./layers/kubernetes";
import type { MeshLayer } from "./layers/mesh";
import type { MessagingLayer } from "./layers/messaging";
import type { NetworkLayer } from "./layers/network";
import type { SecurityLayer } from "./layers/security";

export interface PlatformLayers {
    readonly keys: SecurityLayer;
    readonly net: NetworkLayer;
    readonly clusters: KubernetesLayer;
    /** Absent in the bootstrap `up` (`deploy.inClusterLayers: false`). */
    readonly mesh?: MeshLayer;
    readonly data: DataLayer;
    readonly messaging: MessagingLayer;
    readonly runner: CicdLayer;
}

export function stackOutputs({ cfg }: PlatformContext, l: PlatformLayers): Record<string, unknown> {
    return {
        environment: cfg.environment,
        awsPrimaryRegion: cfg.aws.primaryRegion,
        awsSecondaryRegion: cfg.aws.secondaryRegion,
        gcpProject: cfg.gcp.project,
        gcpRegion: cfg.gcp.region,
        kmsKeyArnsPrimary: l.keys.primary.keyArns,
        kmsKeyArnsSecondary: l.keys.secondary.keyArns,
        kmsKeyIdsGcp: l.keys.gcp.keyIds,
        awsPrimaryVpcId: l.net.primary.vpcId,
        awsSecondaryVpcId: l.net.secondary.vpcId,
        gcpNetworkId: l.net.gcp.networkId,
        transitGatewayId: l.net.vpn.transitGatewayId,
        vpnTunnelNames: l.net.vpn.tunnelNames,
        eksClusterName: l.clusters.eks.clusterName,
        eksKubeconfig: l.clusters.eks.kubeconfig,
        gkeClusterName: l.clusters.gke.clusterName,
        gkeKubeconfig: l.clusters.gke.kubeconfig,
        meshRootCertPem: l.mesh?.ca.rootCertPem,
        auroraGlobalClusterId: l.data.aurora.globalClusterId,
        auroraWriterEndpoint: l.data.aurora.writerEndpoint,
        auroraMasterSecretArn: l.data.aurora.masterSecretArn,
        drPostgresConnectionName: l.data.drPostgres.connectionName,
        drMigrationJobName: l.data.drPostgres.migrationJobName,
        drReplicationSecretArn: l.data.drPostgres.replicationSecretArn,
        ordersTableName: l.data.orders.tableName,
        ordersBackupBucket: l.data.ordersBackup.gcsBucketName,
        cachePrimaryEndpoint: l.data.cache.primaryEndpointAddress,
        cacheAuthTokenSecretArn: l.data.cache.authTokenSecretArn,
        drCacheHost: l.data.drCache.host,
        kafkaClusterArn: l.messaging.kafka.clusterArn,
        kafkaBootstrapBrokers: l.messaging.kafka.bootstrapBrokersSaslIam,
        eventBusName: l.messaging.events.busName,
        serviceTopicArns: l.messaging.messaging.topicArns,
        drPubSubTopicIds: l.messaging.bridge.topicIds,
        // The runner's source ranges are the app subnets: what the cluster APIs must admit as the deployer.
        ciRunner: l.runner && {
            project: l.runner.projectName,
            label: l.runner.label,
            securityGroupId: l.runner.securityGroupId,
            sourceCidrs: l.net.primary.subnetCidrs.app,
        },
    };
}
