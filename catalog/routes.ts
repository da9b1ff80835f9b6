/**
 * The messaging routes of a catalog: the domain topics its services publish, each service's SNS
 * subscriptions and the EventBridge routes to its queue, and the Kafka topics its services own and
 * consume. What the messaging layer builds from.
 */
import type { ServiceCatalog } from "../components/catalog";
import type { EventRoute, KafkaTopicSpec, ServiceSubscription } from "../components/messaging";

export interface CatalogMessaging {
    readonly topics: readonly string[];
    readonly subscriptions: readonly ServiceSubscription[];
    readonly eventRoutes: readonly EventRoute[];
    /** Kafka topics the services publish (`publishes.kafka`): the platform creates each before any client. */
    readonly kafkaTopics: readonly KafkaTopicSpec[];
    /** Services that consume each Kafka topic (`subscribes.kafka`), by topic name. */
    readonly kafkaConsumers: Readonly<Record<string, readonly string[]>>;
}

/**
 * Topics in the order their publishers appear, subscriptions in entry order, routes in the order their
 * detail types are published (a rule per detail type, like a topic per domain), Kafka topics and their
 * consumers in entry order.
 */
export function messagingRoutes(catalog: ServiceCatalog): CatalogMessaging {
    const { services } = catalog;
    const kafkaConsumers: Record<string, string[]> = {};
    for (const s of services) for (const topic of s.subscribes.kafka) (kafkaConsumers[topic] ??= []).push(s.name);
    return {
        topics: services.flatMap((s) => s.publishes.sns.map((p) => p.topic)),
        subscriptions: services.flatMap((s) =>
            s.subscribes.sns.map((sub) => ({ service: s.name, topic: sub.topic, eventTypes: [...sub.eventTypes] })),
        ),
        eventRoutes: services
            .flatMap((s) => s.publishes.events)
            .filter((detailType, i, all) => all.indexOf(detailType) === i)
            .flatMap((detailType) =>
                services
                    .filter((s) => s.subscribes.events.includes(detailType))
                    .map((s) => ({ detailType, service: s.name })),
            ),
        kafkaTopics: services.flatMap((s) =>
            s.publishes.kafka.map((k) => ({
                name: k.name,
                partitions: k.partitions,
                retentionHours: k.retentionHours,
            })),
        ),
        kafkaConsumers,
    };
}
