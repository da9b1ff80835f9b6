/**
 * The platform's messaging data: which domain topics exist, which service hears which event. Data, not
 * code: the program hands it to the messaging components, and the service catalog will grow from it.
 */
import type { EventRoute, ServiceSubscription } from "../components/messaging";

/** Domain topics: one per publishing domain. */
export const PLATFORM_TOPICS = ["user-events", "order-events", "payment-events"] as const;

/** Which service consumes which domain events over SNS. */
export const PLATFORM_SUBSCRIPTIONS: readonly ServiceSubscription[] = [
    { service: "payment", topic: "order-events", eventTypes: ["OrderPlaced", "OrderCancelled"] },
    { service: "product", topic: "order-events", eventTypes: ["OrderPlaced", "OrderCancelled"] },
    { service: "order", topic: "payment-events", eventTypes: ["PaymentFailed", "PaymentRefunded"] },
    { service: "order", topic: "user-events", eventTypes: ["UserDeleted"] },
];

/** The platform's EventBridge routes (issue 6). */
export const PLATFORM_EVENT_ROUTES: readonly EventRoute[] = [
    { detailType: "UserRegistered", service: "product" },
    { detailType: "OrderPlaced", service: "user" },
    { detailType: "PaymentProcessed", service: "order" },
];
