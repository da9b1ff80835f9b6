/**
 * Each catalog service's cloud identity: on AWS an IRSA role whose policy names exactly its own queue,
 * topics, events, Kafka topics and group, secrets, table and cache user, plus its log group
 * `/aws/microservices/<service>`; on GCP a service account its DR pods assume through Workload Identity,
 * allowed exactly its Cloud SQL replica, its DR subscriptions, the bridged topics it owns and its secret
 * copies. Nothing here needs the private networks, so the bootstrap `up` creates it too.
 */
import {
    gcpServiceAccountId,
    ServiceAwsIdentity,
    ServiceGcpIdentity,
    type ServiceAwsGrants,
    type ServiceCatalog,
    type ServiceEntry,
    type ServiceGcpGrants,
} from "../../components/catalog";
import { kafkaGroupArn } from "../../components/messaging";
import type { PlatformContext } from "../context";
import type { DataLayer } from "./data";
import type { KubernetesLayer } from "./kubernetes";
import type { MessagingLayer } from "./messaging";
import type { SecurityLayer } from "./security";
import type { ServiceDataLayer } from "./service-data";

/** The `source` a service's events carry on the platform bus; its role may put no other. */
export const eventSource = (service: string): string => `platform.${service}`;

export interface ServiceIdentityLayer {
    readonly aws: Readonly<Record<string, ServiceAwsIdentity>>;
    readonly gcp: Readonly<Record<string, ServiceGcpIdentity>>;
}

/** What the identities are scoped to: every other layer's resources of the services. */
export interface ServiceResources {
    readonly clusters: KubernetesLayer;
    readonly stores: DataLayer;
    readonly serviceStores: ServiceDataLayer;
    readonly bus: MessagingLayer;
}

function awsGrants(entry: ServiceEntry, r: ServiceResources): ServiceAwsGrants {
    const { bus, stores } = r;
    const store = r.serviceStores[entry.name];
    const queue = bus.messaging.queues[entry.name];
    const topicArn = (topic: string) => bus.topics.topicArns[topic];
    const produces = entry.publishes.kafka.map((k) => topicArn(k.name));
    const consumes = entry.subscribes.kafka.map(topicArn);
    const usesKafka = produces.length + consumes.length > 0;
    return {
        ...(queue ? { queue: { arn: queue.arn, deadLetterArn: queue.deadLetterArn } } : {}),
        publishTopicArns: entry.publishes.sns.map((p) => bus.messaging.topicArns[p.topic]),
        ...(entry.publishes.events.length > 0
            ? {
                  events: {
                      busArn: bus.events.busArn,
                      detailTypes: entry.publishes.events,
                      source: eventSource(entry.name),
                  },
              }
            : {}),
        ...(usesKafka
            ? {
                  kafka: {
                      clusterArn: bus.kafka.clusterArn,
                      produceTopicArns: produces,
                      consumeTopicArns: consumes,
                      // Its consumer group is named after it (README, "Service catalog").
                      ...(consumes.length > 0
                          ? { groupArn: bus.kafka.clusterArn.apply((arn) => kafkaGroupArn(arn, entry.name)) }
                          : {}),
                  },
              }
            : {}),
        secrets:
            store?.credentialsSecretArn && store.credentialsKmsKeyArn
                ? [{ arn: store.credentialsSecretArn, kmsKeyArn: store.credentialsKmsKeyArn }]
                : [],
        dynamoTableArns: store?.tableArn ? [store.tableArn] : [],
        ...(entry.cache
            ? {
                  cache: {
                      replicationGroupArn: stores.cache.replicationGroupArn,
                      userArn: stores.cache.userArns[entry.name],
                  },
              }
            : {}),
    };
}

function gcpGrants(entry: ServiceEntry, r: ServiceResources): ServiceGcpGrants {
    const { bus, stores } = r;
    const store = r.serviceStores[entry.name];
    const bridged = (topic: string) => bus.bridge.topicIds[topic];
    return {
        // The shared database's DR copy; a dedicated instance or a table has no GCP replica (README).
        ...(entry.store?.kind === "aurora-database"
            ? { cloudSql: { instanceName: stores.drPostgres.instanceName } }
            : {}),
        pubsubSubscriptionIds: Object.values(bus.bridge.serviceSubscriptionIds[entry.name] ?? {}),
        // After failover it publishes its own streams to the DR topics their consumers read.
        pubsubTopicIds: entry.publishes.kafka.map((k) => bridged(k.name)).filter((id) => id !== undefined),
        secretIds: store?.gcpSecretId ? [store.gcpSecretId] : [],
    };
}

export function serviceIdentities(
    ctx: PlatformContext,
    keys: SecurityLayer,
    catalog: ServiceCatalog,
    r: ServiceResources,
): ServiceIdentityLayer {
    const { cfg, providers, prefix, serviceNamespace } = ctx;
    const aws: Record<string, ServiceAwsIdentity> = {};
    const gcp: Record<string, ServiceGcpIdentity> = {};
    for (const entry of catalog.services) {
        aws[entry.name] = new ServiceAwsIdentity(
            `service-${entry.name}-aws`,
            {
                service: entry.name,
                namespace: serviceNamespace,
                oidcProviderArn: r.clusters.eks.oidcProviderArn,
                oidcIssuer: r.clusters.eks.oidcIssuer,
                roleName: `${prefix}-svc-${entry.name}`,
                grants: awsGrants(entry, r),
                logs: { kmsKeyArn: keys.primary.arn("logs"), retentionDays: cfg.sizing.logRetentionDays },
            },
            { provider: providers.awsPrimary },
        );
        gcp[entry.name] = new ServiceGcpIdentity(
            `service-${entry.name}-gcp`,
            {
                service: entry.name,
                namespace: serviceNamespace,
                project: cfg.gcp.project,
                accountId: gcpServiceAccountId(prefix, entry.name),
                grants: gcpGrants(entry, r),
            },
            { provider: providers.gcp },
        );
    }
    return { aws, gcp };
}
