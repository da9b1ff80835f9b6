/**
 * What entries say about one another (callees, routes, topics, events, Kafka topics, cache prefixes)
 * and what a stack's overrides may change: one edit per case, the exact messages.
 */
import * as assert from "assert";
import { entryOf, problemsAfter, type EditableDocs } from "./fixture";

const F = "catalog/services.yaml";
const O = "catalog/overrides/prod.yaml";

const cases: { name: string; edit: (d: EditableDocs) => void; expected: string[] }[] = [
    {
        name: "an unknown callee, with the likely name",
        edit: (d) => void entryOf(d, "order").calls.push("usr"),
        expected: [
            `${F}: services[2].calls[3]: is not a service of the catalog; received "usr". Allowed: one of user, product, payment. Fix: write 'user'.`,
        ],
    },
    {
        name: "a service calling itself",
        edit: (d) => void entryOf(d, "order").calls.push("order"),
        expected: [
            `${F}: services[2].calls[3]: order calls itself; received "order". Allowed: other services of the catalog. Fix: remove 'order' from calls: a service reaches itself without the mesh.`,
        ],
    },
    {
        name: "a route another service owns",
        edit: (d) => void entryOf(d, "payment").routes.push("/orders"),
        expected: [
            `${F}: services[3].routes[1]: is already routed to order; received "/orders". Allowed: each route prefix routed to one service. Fix: remove '/orders' here or from order.`,
        ],
    },
    {
        name: "a route under another service's prefix",
        edit: (d) => void entryOf(d, "payment").routes.push("/users/payments"),
        expected: [
            `${F}: services[3].routes[1]: overlaps user's route /users; received "/users/payments". Allowed: route prefixes that do not lie under another service's prefix. Fix: use a prefix of its own, such as /payment.`,
        ],
    },
    {
        name: "a duplicate service name",
        edit: (d) =>
            void d.services.services.push({
                ...entryOf(d, "user"),
                routes: [],
                cache: undefined,
                publishes: undefined,
                subscribes: undefined,
            }),
        expected: [
            `${F}: services[4].name: names the service of services[0] again; received "user". Allowed: one entry per service. Fix: merge the two entries or rename one.`,
        ],
    },
    {
        name: "a subscription to a topic nobody publishes",
        edit: (d) => void (entryOf(d, "product").subscribes.sns[0].topic = "orders-events"),
        expected: [
            `${F}: services[1].subscribes.sns[0].topic: is not a topic any service publishes; received "orders-events". Allowed: one of user-events, order-events, payment-events. Fix: write 'order-events'.`,
        ],
    },
    {
        name: "a filter on an attribute publishers do not set",
        edit: (d) => void (entryOf(d, "product").subscribes.sns[0].filter = { eventType: ["OrderPlaced"] }),
        expected: [
            `${F}: services[1].subscribes.sns[0].filter.eventType: filters on an attribute publishers do not set; received ["OrderPlaced"]. Allowed: filters on event_type. Fix: rename 'eventType' to 'event_type'.`,
            `${F}: services[1].subscribes.sns[0].filter: has no event_type filter, so it would receive every event of order-events; received {"eventType":["OrderPlaced"]}. Allowed: a filter on event_type. Fix: add 'event_type: [OrderPlaced]'.`,
        ],
    },
    {
        name: "a filter on an event type the topic never carries",
        edit: (d) => void entryOf(d, "product").subscribes.sns[0].filter.event_type.push("OrderShipped"),
        expected: [
            `${F}: services[1].subscribes.sns[0].filter.event_type[2]: is not an event type order publishes on order-events; received "OrderShipped". Allowed: one of OrderPlaced, OrderCancelled. Fix: add it to order's publishes.sns, or remove it.`,
        ],
    },
    {
        name: "a second publisher of a domain topic",
        edit: (d) =>
            void entryOf(d, "payment").publishes.sns.push({ topic: "user-events", eventTypes: ["PaymentProcessed"] }),
        expected: [
            `${F}: services[3].publishes.sns[1].topic: is already published by user; received "user-events". Allowed: one publishing service per domain topic. Fix: publish these event types on a topic payment owns.`,
        ],
    },
    {
        name: "an EventBridge event nobody publishes",
        edit: (d) => void (entryOf(d, "product").subscribes.events = ["UserRegisterd"]),
        expected: [
            `${F}: services[1].subscribes.events[0]: is not an event any service publishes; received "UserRegisterd". Allowed: one of UserRegistered, OrderPlaced, PaymentProcessed. Fix: write 'UserRegistered'.`,
        ],
    },
    {
        name: "a second consumer of one detail type",
        edit: (d) => void (entryOf(d, "payment").subscribes.events = ["OrderPlaced"]),
        expected: [
            `${F}: services[3].subscribes.events[0]: is already routed to user; received "OrderPlaced". Allowed: one consuming service per detail type (one rule, one target). Fix: hear it over SNS instead, or leave it to user.`,
        ],
    },
    {
        name: "a Kafka topic nobody owns",
        edit: (d) => void (entryOf(d, "payment").subscribes.kafka = ["order"]),
        expected: [
            `${F}: services[3].subscribes.kafka[0]: is not a Kafka topic any service owns; received "order". Allowed: one of orders, payments. Fix: write 'orders'.`,
        ],
    },
    {
        name: "cache prefixes that overlap",
        edit: (d) => void (entryOf(d, "product").cache.keyPrefix = "user:"),
        expected: [
            `${F}: services[1].cache.keyPrefix: overlaps user's prefix user:, so each could read the other's keys; received "user:". Allowed: key prefixes that are not prefixes of one another. Fix: use 'product:'.`,
        ],
    },
    {
        name: "an override for a service the catalog does not have",
        edit: (d) => void (d.overrides = { services: { ordr: { canaryWeightPercent: 5 } } }),
        expected: [
            `${O}: services.ordr: overrides a service the catalog does not have; received "ordr". Allowed: one of user, product, order, payment. Fix: rename it to 'order'.`,
        ],
    },
    {
        name: "an override of a key a stack may not change",
        edit: (d) => void (d.overrides = { services: { order: { replicas: 3 } } }),
        expected: [
            `${O}: services.order.replicas: unknown key; received 3. Allowed: one of resources, scaling, canaryWeightPercent, canaryImage. Fix: remove 'replicas'.`,
        ],
    },
    {
        name: "an override that puts minReplicas above the catalog's maxReplicas",
        edit: (d) => void (d.overrides = { services: { order: { scaling: { minReplicas: 8 } } } }),
        expected: [
            `${O}: services.order.scaling.minReplicas: is above maxReplicas 6; received 8. Allowed: minReplicas at most maxReplicas. Fix: lower 'scaling.minReplicas' to 6 or raise 'scaling.maxReplicas'.`,
        ],
    },
    {
        name: "a canary weight over 100%",
        edit: (d) => void (d.overrides = { services: { order: { canaryWeightPercent: 150 } } }),
        expected: [
            `${O}: services.order.canaryWeightPercent: must be a whole number in range; received 150. Allowed: a whole number from 0 to 100. Fix: set 'canaryWeightPercent: 10'.`,
        ],
    },
    {
        name: "a canary image by a moving tag",
        edit: (d) =>
            void (d.overrides = {
                services: {
                    order: { canaryImage: "111111111111.dkr.ecr.us-east-1.amazonaws.com/order-service:latest" },
                },
            }),
        expected: [
            `${O}: services.order.canaryImage: uses the moving tag 'latest'; received "111111111111.dkr.ecr.us-east-1.amazonaws.com/order-service:latest". Allowed: an image from *.dkr.ecr.*.amazonaws.com, *-docker.pkg.dev, pinned by digest (@sha256:<64 hex>) or by an immutable tag (1.4.2, v2.0.0-rc.1, a commit id); never latest, stable, main, master, dev, prod. Fix: pin the image by digest (@sha256:...) or by its version tag.`,
        ],
    },
    {
        name: "an override file without its services map",
        edit: (d) => void (d.overrides = { order: { canaryWeightPercent: 5 } } as never),
        expected: [
            `${O}: services: must be a map from service name to its overrides; received nothing. Allowed: services: { <name>: { scaling: {...}, resources: {...}, canaryWeightPercent: n } }. Fix: write the overrides under 'services:'.`,
        ],
    },
];

describe("catalog rules between entries, and overrides", () => {
    for (const c of cases) {
        it(`refuses ${c.name}`, () => assert.deepStrictEqual(problemsAfter(c.edit), c.expected));
    }

    it("a route may extend a word another service's route begins with (/users-admin is not under /users)", () => {
        assert.deepStrictEqual(
            problemsAfter((d) => void entryOf(d, "payment").routes.push("/users-admin")),
            [],
        );
    });
});
