/**
 * Synthetic messaging consumers for the benchmark: today's services plus generated ones, each with one
 * subscription and one EventBridge route like today's average service, passed through `main`'s options.
 */
import type { EventRoute, KafkaTopicSpec, ServiceSubscription } from "../../components/messaging";
import type { PlatformOptions } from "../../program/main";

/** Today's consumers plus synthetic ones up to `services`. */
export function platformOptions(
    services: number,
    base: {
        subscriptions: readonly ServiceSubscription[];
        routes: readonly EventRoute[];
        topics: readonly string[];
        /** Today's Kafka topics: synthetic services consume over SNS only, so these stay as they are. */
        kafkaTopics: readonly KafkaTopicSpec[];
    },
): PlatformOptions {
    const today = new Set([...base.subscriptions.map((s) => s.service), ...base.routes.map((r) => r.service)]);
    if (services < today.size) throw new Error(`--services must be at least ${today.size} (today's consumers)`);
    const extra = Array.from({ length: services - today.size }, (_, i) => `bench-${String(i + 1).padStart(3, "0")}`);
    // bench-001 -> Bench001Happened: event names are letters and digits.
    const event = (service: string, verb: string) =>
        service.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()) + verb;
    return {
        subscriptions: [
            ...base.subscriptions,
            ...extra.map((service, i) => ({
                service,
                topic: base.topics[i % base.topics.length],
                eventTypes: [event(service, "Happened")],
            })),
        ],
        eventRoutes: [
            ...base.routes,
            ...extra.map((service) => ({ detailType: event(service, "Requested"), service })),
        ],
        kafkaTopics: base.kafkaTopics,
    };
}
