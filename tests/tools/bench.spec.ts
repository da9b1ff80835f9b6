/** The benchmark's synthetic services: today's consumers kept as they are, generated ones appended. */
import * as assert from "assert";
import { platformOptions } from "../../tools/bench/services";
import {
    PLATFORM_EVENT_ROUTES,
    PLATFORM_KAFKA_TOPICS,
    PLATFORM_SUBSCRIPTIONS,
    PLATFORM_TOPICS,
} from "../../catalog/messaging";

const BASE = {
    subscriptions: PLATFORM_SUBSCRIPTIONS,
    routes: PLATFORM_EVENT_ROUTES,
    topics: PLATFORM_TOPICS,
    kafkaTopics: PLATFORM_KAFKA_TOPICS,
};

describe("bench: synthetic services", () => {
    it("6 services: today's 4 unchanged, then bench-001 and bench-002 with one subscription and one route each", () => {
        const options = platformOptions(6, BASE);
        assert.deepStrictEqual(options.subscriptions, [
            ...PLATFORM_SUBSCRIPTIONS,
            { service: "bench-001", topic: "user-events", eventTypes: ["Bench001Happened"] },
            { service: "bench-002", topic: "order-events", eventTypes: ["Bench002Happened"] },
        ]);
        assert.deepStrictEqual(options.eventRoutes, [
            ...PLATFORM_EVENT_ROUTES,
            { detailType: "Bench001Requested", service: "bench-001" },
            { detailType: "Bench002Requested", service: "bench-002" },
        ]);
        // Synthetic services consume over SNS only: the Kafka topics are today's.
        assert.deepStrictEqual(options.kafkaTopics, PLATFORM_KAFKA_TOPICS);
    });

    it("fewer services than today's consumers: refused, naming the minimum", () => {
        assert.throws(() => platformOptions(3, BASE), { message: "--services must be at least 4 (today's consumers)" });
    });
});
