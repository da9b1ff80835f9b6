/**
 * Messaging in the primary region: Kafka for streams, SNS/SQS and EventBridge between services, and the
 * Pub/Sub bridge that carries the DR streams to GCP.
 */
import { EventBus, KafkaTopics, MskCluster, PubSubBridge, ServiceMessaging } from "../../components/messaging";
import type { CatalogMessaging } from "../../catalog/routes";
import type { PlatformContext } from "../context";
import type { NetworkLayer } from "./network";
import type { SecurityLayer } from "./security";

export interface MessagingLayer {
    readonly kafka: MskCluster;
    readonly topics: KafkaTopics;
    readonly messaging: ServiceMessaging;
    readonly events: EventBus;
    readonly bridge: PubSubBridge;
}

export function messaging(
    ctx: PlatformContext,
    keys: SecurityLayer,
    net: NetworkLayer,
    routes: CatalogMessaging,
): MessagingLayer {
    const { cfg, providers, prefix, topology } = ctx;
    const { sizing } = cfg;
    const onPrimary = { provider: providers.awsPrimary };
    const messagingKey = keys.primary.arn("messaging");
    const logs = { logsKmsKeyArn: keys.primary.arn("logs"), logRetentionInDays: sizing.logRetentionDays };
    const kafka = new MskCluster(
        "kafka",
        {
            vpcId: net.primary.vpcId,
            subnetIds: net.primary.dataSubnetIds,
            availabilityZoneCount: sizing.availabilityZoneCount,
            instanceType: sizing.kafkaBrokerInstanceType,
            clientSecurityGroupIds: [net.primary.appSecurityGroupId],
            kmsKeyArn: messagingKey,
            ...logs,
            protect: topology.protect,
        },
        onPrimary,
    );
    // Topics replicate as the broker configuration says; every client and connector waits for its topics.
    const kafkaTopics = new KafkaTopics(
        "kafka-topics",
        {
            clusterArn: kafka.clusterArn,
            topics: routes.kafkaTopics,
            brokerCount: kafka.numberOfBrokerNodes,
            replicationFactor: kafka.replication.replicationFactor,
            minInSyncReplicas: kafka.replication.minInSyncReplicas,
            protect: topology.protect,
        },
        onPrimary,
    );
    // Both components must agree on the bus name and the routes: queue policies name the rules before they exist.
    const busName = `${prefix}-events`;
    const service = new ServiceMessaging(
        "messaging",
        {
            kmsKeyArn: messagingKey,
            topics: routes.topics,
            subscriptions: routes.subscriptions,
            eventBus: { name: busName, routes: routes.eventRoutes },
        },
        onPrimary,
    );
    const events = new EventBus(
        "events",
        { busName, kmsKeyArn: messagingKey, routes: routes.eventRoutes, queues: service.queues },
        onPrimary,
    );
    const bridge = new PubSubBridge(
        "dr-bridge",
        {
            topics: cfg.messaging.drTopics.map((name) => ({ name })),
            sourceTopics: kafkaTopics.topics,
            consumers: Object.fromEntries(cfg.messaging.drTopics.map((t) => [t, routes.kafkaConsumers[t] ?? []])),
            mskClusterArn: kafka.clusterArn,
            bootstrapBrokersSaslIam: kafka.bootstrapBrokersSaslIam,
            subnetIds: net.primary.appSubnetIds,
            securityGroupIds: [net.primary.appSecurityGroupId],
            connectorJarPath: cfg.messaging.pubsubConnectorJarPath,
            pluginKmsKeyArn: keys.primary.arn("backups"),
            credentialsKmsKeyArn: messagingKey,
            keyRotationDays: cfg.messaging.pubsubKeyRotationDays,
            ...logs,
            connectorRoleName: `${prefix}-pubsub-sink`,
            gcpProject: cfg.gcp.project,
            gcpRegion: cfg.gcp.region,
            gcpKmsKeyId: keys.gcp.id("messaging"),
            protect: topology.protect,
        },
        { providers: [providers.awsPrimary, providers.gcp] },
    );
    return { kafka, topics: kafkaTopics, messaging: service, events, bridge };
}
