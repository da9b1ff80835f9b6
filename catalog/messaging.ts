/**
 * The messaging routes of the default catalog (`catalog/services.yaml`, no stack overrides: they do not
 * touch messaging), for the component tests that build today's platform routes. The
 * program does not read these: it loads and validates the catalog itself (program/main.ts).
 */
import { loadServiceCatalog } from "./load";
import { messagingRoutes } from "./routes";

const routes = messagingRoutes(loadServiceCatalog("default"));

/** Domain topics: one per publishing domain. */
export const PLATFORM_TOPICS = routes.topics;

/** Which service consumes which domain events over SNS. */
export const PLATFORM_SUBSCRIPTIONS = routes.subscriptions;

/** The platform's EventBridge routes. */
export const PLATFORM_EVENT_ROUTES = routes.eventRoutes;

/** Kafka topics the services own, with their partitions and retention. */
export const PLATFORM_KAFKA_TOPICS = routes.kafkaTopics;

/** Which services consume which Kafka topic. */
export const PLATFORM_KAFKA_CONSUMERS = routes.kafkaConsumers;
