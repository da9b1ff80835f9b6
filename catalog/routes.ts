/**
 * The messaging routes of a catalog: the domain topics its services publish, each service's SNS
 * subscriptions and the EventBridge routes to its queue. What the messaging layer builds from.
 */
import type { ServiceCatalog } from "../components/catalog";
import type { EventRoute, ServiceSubscription } from "../components/messaging";

export interface CatalogMessaging {
    readonly topics: readonly string[];
    readonly subscriptions: readonly ServiceSubscription[];
    readonly eventRoutes: readonly EventRoute[];
}

/**
 * Topics in the order their publishers appear, subscriptions in entry order, routes in the order their
 * detail types are published (a rule per detail type, like a topic per domain).
 */
export function messagingRoutes(catalog: ServiceCatalog): CatalogMessaging {
    const { services } = catalog;
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
    };
}
