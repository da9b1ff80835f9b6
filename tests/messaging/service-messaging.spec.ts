import * as assert from "assert";
import { PLATFORM_MESSAGING } from "./fixture";
import * as aws from "@pulumi/aws";
import { eventBusSettings } from "../../components/messaging/event-bus";
import { consumingServices, eventRuleArn, eventRuleName, kebab } from "../../components/messaging/messaging-routes";
import { PLATFORM_EVENT_ROUTES, PLATFORM_SUBSCRIPTIONS } from "../../catalog/messaging";
import {
    ServiceMessaging,
    serviceMessagingSettings,
    type ServiceMessagingArgs,
} from "../../components/messaging/service-messaging";
import { one, ofType } from "../../harness/lookup";
import { MOCK_AWS_ACCOUNT } from "../../harness/mocks";
import type { RecordedResource } from "../../harness/recorder";
import { runStack } from "../../harness/run";
import { REGION, MESSAGING_KEY, BUS, TAGS, evaluated, json } from "./fixture";

describe("ServiceMessaging and EventBus", () => {
    const queueByName = (rs: readonly RecordedResource[], name: string) => one(rs, "aws:sqs/queue:Queue", name);
    const SERVICES = ["order", "payment", "product", "user"];

    it("derives one queue per consuming service from the subscriptions and routes", () => {
        assert.deepStrictEqual(consumingServices(PLATFORM_SUBSCRIPTIONS, PLATFORM_EVENT_ROUTES), SERVICES);
    });

    it("encrypts the domain topics and every queue with the messaging key", async () => {
        const rs = await evaluated("prod");
        const topics = ofType(rs, "aws:sns/topic:Topic");
        assert.deepStrictEqual(
            topics.map((t) => [t.name, t.inputs.kmsMasterKeyId]),
            ["user-events", "order-events", "payment-events"].map((t) => [`messaging-${t}`, MESSAGING_KEY]),
        );
        const queues = ofType(rs, "aws:sqs/queue:Queue");
        assert.strictEqual(queues.length, 2 * SERVICES.length);
        for (const q of queues) {
            assert.strictEqual(q.inputs.kmsMasterKeyId, MESSAGING_KEY, q.name);
            assert.strictEqual(q.inputs.kmsDataKeyReusePeriodSeconds, 300, q.name);
        }
    });

    it("gives every queue its own encrypted dead-letter queue that keeps messages longer, and only it may redrive there", async () => {
        const rs = await evaluated("prod");
        for (const service of SERVICES) {
            const queue = queueByName(rs, `messaging-${service}`);
            const dlq = queueByName(rs, `messaging-${service}-dlq`);
            assert.deepStrictEqual(json(queue.inputs.redrivePolicy), {
                deadLetterTargetArn: dlq.outputs.arn,
                maxReceiveCount: 5,
            });
            assert.strictEqual(queue.inputs.messageRetentionSeconds, 345600);
            assert.strictEqual(queue.inputs.receiveWaitTimeSeconds, 20);
            assert.strictEqual(dlq.inputs.messageRetentionSeconds, 1209600);
            assert.strictEqual(dlq.inputs.redrivePolicy, undefined);
            const allow = one(rs, "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy", `messaging-${service}-dlq`);
            assert.strictEqual(allow.inputs.queueUrl, dlq.outputs.url);
            assert.deepStrictEqual(json(allow.inputs.redriveAllowPolicy), {
                redrivePermission: "byQueue",
                sourceQueueArns: [queue.outputs.arn],
            });
        }
    });

    it("subscribes each service with an event_type filter and raw delivery, redriving failures to its DLQ", async () => {
        const rs = await evaluated("prod");
        const subs = ofType(rs, "aws:sns/topicSubscription:TopicSubscription");
        const topicArn = (t: string) => one(rs, "aws:sns/topic:Topic", `messaging-${t}`).outputs.arn;
        assert.deepStrictEqual(
            subs.map((s) => [s.name, s.inputs.topic, s.inputs.endpoint, JSON.parse(s.inputs.filterPolicy)]),
            [
                [
                    "messaging-order-payment-events",
                    topicArn("payment-events"),
                    queueByName(rs, "messaging-order").outputs.arn,
                    { event_type: ["PaymentFailed", "PaymentRefunded"] },
                ],
                [
                    "messaging-order-user-events",
                    topicArn("user-events"),
                    queueByName(rs, "messaging-order").outputs.arn,
                    { event_type: ["UserDeleted"] },
                ],
                [
                    "messaging-payment-order-events",
                    topicArn("order-events"),
                    queueByName(rs, "messaging-payment").outputs.arn,
                    { event_type: ["OrderPlaced", "OrderCancelled"] },
                ],
                [
                    "messaging-product-order-events",
                    topicArn("order-events"),
                    queueByName(rs, "messaging-product").outputs.arn,
                    { event_type: ["OrderPlaced", "OrderCancelled"] },
                ],
            ],
        );
        for (const s of subs) {
            const service = s.name.split("-")[1];
            assert.strictEqual(s.inputs.protocol, "sqs");
            assert.strictEqual(s.inputs.rawMessageDelivery, true);
            assert.strictEqual(s.inputs.filterPolicyScope, "MessageAttributes");
            assert.deepStrictEqual(json(s.inputs.redrivePolicy), {
                deadLetterTargetArn: queueByName(rs, `messaging-${service}-dlq`).outputs.arn,
            });
            const policy = one(rs, "aws:sqs/queuePolicy:QueuePolicy", `messaging-${service}`);
            assert.ok(s.dependencies.includes(policy.urn), `${s.name} waits for the queue policy`);
        }
    });

    it("routes UserRegistered to product, OrderPlaced to user and PaymentProcessed to order, with retries and the service's DLQ", async () => {
        const rs = await evaluated("prod");
        const bus = one(rs, "aws:cloudwatch/eventBus:EventBus", "events-bus");
        const rules = ofType(rs, "aws:cloudwatch/eventRule:EventRule");
        const targets = ofType(rs, "aws:cloudwatch/eventTarget:EventTarget");
        const routed = rules.map((rule) => {
            const target = targets.find((t) => t.inputs.rule === rule.outputs.name)!;
            assert.strictEqual(rule.inputs.eventBusName, BUS);
            assert.strictEqual(target.inputs.eventBusName, BUS);
            assert.deepStrictEqual(target.inputs.retryPolicy, {
                maximumRetryAttempts: 185,
                maximumEventAgeInSeconds: 86400,
            });
            const queue = ofType(rs, "aws:sqs/queue:Queue").find((q) => q.outputs.arn === target.inputs.arn)!;
            assert.deepStrictEqual(target.inputs.deadLetterConfig, {
                arn: queueByName(rs, `${queue.name}-dlq`).outputs.arn,
            });
            return [JSON.parse(rule.inputs.eventPattern), rule.inputs.name, queue.name];
        });
        assert.deepStrictEqual(routed, [
            [{ "detail-type": ["UserRegistered"] }, "platform-events-user-registered", "messaging-product"],
            [{ "detail-type": ["OrderPlaced"] }, "platform-events-order-placed", "messaging-user"],
            [{ "detail-type": ["PaymentProcessed"] }, "platform-events-payment-processed", "messaging-order"],
        ]);
        assert.strictEqual(bus.inputs.kmsKeyIdentifier, MESSAGING_KEY);
        assert.strictEqual(bus.inputs.name, BUS);
    });

    it("archives every event of the bus for replay, encrypted", async () => {
        const rs = await evaluated("prod");
        const bus = one(rs, "aws:cloudwatch/eventBus:EventBus", "events-bus");
        const archive = one(rs, "aws:cloudwatch/eventArchive:EventArchive", "events-archive");
        assert.deepStrictEqual(
            { ...archive.inputs, description: undefined },
            {
                name: "platform-events-archive",
                eventSourceArn: bus.outputs.arn,
                retentionDays: 30,
                kmsKeyIdentifier: MESSAGING_KEY,
                description: undefined,
            },
        );
        assert.strictEqual(archive.inputs.eventPattern, undefined);
    });

    it("each queue policy admits only its topics and the rules that target it, and TLS only", async () => {
        const rs = await evaluated("prod");
        const topicArn = (t: string) => one(rs, "aws:sns/topic:Topic", `messaging-${t}`).outputs.arn;
        const ruleArn = (detailType: string) =>
            one(rs, "aws:cloudwatch/eventRule:EventRule", `events-${kebab(detailType)}`).outputs.arn;
        const expected: Record<string, { sns: string[]; events: string[] }> = {
            order: {
                sns: [topicArn("payment-events"), topicArn("user-events")],
                events: [ruleArn("PaymentProcessed")],
            },
            payment: { sns: [topicArn("order-events")], events: [] },
            product: { sns: [topicArn("order-events")], events: [ruleArn("UserRegistered")] },
            user: { sns: [], events: [ruleArn("OrderPlaced")] },
        };
        for (const [service, sources] of Object.entries(expected)) {
            for (const name of [`messaging-${service}`, `messaging-${service}-dlq`]) {
                const queue = queueByName(rs, name);
                const policy = one(rs, "aws:sqs/queuePolicy:QueuePolicy", name);
                assert.strictEqual(policy.inputs.queueUrl, queue.outputs.url);
                const doc = JSON.parse(policy.inputs.policy);
                const allows = doc.Statement.filter((s: any) => s.Effect === "Allow");
                assert.deepStrictEqual(
                    allows.map((s: any) => [
                        s.Principal.Service,
                        s.Action,
                        s.Resource,
                        s.Condition.ArnEquals["aws:SourceArn"],
                    ]),
                    [
                        ...(sources.sns.length
                            ? [["sns.amazonaws.com", "sqs:SendMessage", queue.outputs.arn, sources.sns]]
                            : []),
                        ...(sources.events.length
                            ? [["events.amazonaws.com", "sqs:SendMessage", queue.outputs.arn, sources.events]]
                            : []),
                    ],
                    name,
                );
                assert.deepStrictEqual(doc.Statement.at(-1), {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "sqs:*",
                    Resource: queue.outputs.arn,
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                });
            }
        }
    });

    it("derives exactly the rule ARNs EventBridge assigns", () => {
        const ctx = { partition: "aws", region: REGION, accountId: MOCK_AWS_ACCOUNT };
        assert.strictEqual(eventRuleName("platform-events", "UserRegistered"), "platform-events-user-registered");
        assert.strictEqual(
            eventRuleArn(ctx, "platform-events", "OrderPlaced"),
            `arn:aws:events:${REGION}:${MOCK_AWS_ACCOUNT}:rule/platform-events/platform-events-order-placed`,
        );
    });

    it("a stack without an event bus gets queue policies without EventBridge", async () => {
        const run = await runStack({
            stack: "dev",
            program: async () => {
                const p = new aws.Provider("aws-primary", { region: REGION, defaultTags: { tags: TAGS } });
                new ServiceMessaging("messaging", { ...PLATFORM_MESSAGING, kmsKeyArn: MESSAGING_KEY }, { provider: p });
            },
        });
        assert.ifError(run.error);
        assert.deepStrictEqual(
            ofType(run.resources, "aws:sqs/queue:Queue")
                .map((q) => q.name)
                .sort(),
            ["order", "payment", "product"].flatMap((s) => [`messaging-${s}`, `messaging-${s}-dlq`]),
        );
        for (const p of ofType(run.resources, "aws:sqs/queuePolicy:QueuePolicy")) {
            assert.ok(!p.inputs.policy.includes("events.amazonaws.com"), p.name);
        }
    });

    describe("validation", () => {
        const messages: [string, ServiceMessagingArgs, string][] = [
            [
                "a subscription to an unknown topic",
                {
                    ...PLATFORM_MESSAGING,
                    kmsKeyArn: MESSAGING_KEY,
                    subscriptions: [{ service: "order", topic: "orders", eventTypes: ["A"] }],
                },
                'ServiceMessaging m: subscription of order names topic "orders", which is not one of the topics (user-events, order-events, payment-events)',
            ],
            [
                "a subscription without a filter",
                {
                    ...PLATFORM_MESSAGING,
                    kmsKeyArn: MESSAGING_KEY,
                    subscriptions: [{ service: "order", topic: "user-events", eventTypes: [] }],
                },
                "ServiceMessaging m: subscription of order to user-events has no eventTypes; without a filter it would receive every event of the topic",
            ],
            [
                "a dead-letter retention not above the queue's",
                { ...PLATFORM_MESSAGING, kmsKeyArn: MESSAGING_KEY, messageRetentionSeconds: 1209600 },
                "ServiceMessaging m: deadLetterRetentionSeconds (1209600) must exceed messageRetentionSeconds (1209600): a dead-lettered message keeps its original enqueue time and would expire on arrival",
            ],
            [
                "a bus name that leaves no room for the archive name",
                { ...PLATFORM_MESSAGING, kmsKeyArn: MESSAGING_KEY, eventBus: { name: "x".repeat(41), routes: [] } },
                `ServiceMessaging m: eventBus.name must be 1 to 40 letters, digits, '.', '_' or '-' and not "default" (the archive is named <bus>-archive, at most 48 characters); received "${"x".repeat(41)}"`,
            ],
        ];
        for (const [what, args, message] of messages) {
            it(`ServiceMessaging rejects ${what}`, () => {
                assert.throws(() => serviceMessagingSettings("m", args), { message });
            });
        }

        it("EventBus rejects a route to a service without a queue", () => {
            const queue = { arn: "a", deadLetterArn: "d" };
            assert.throws(
                () =>
                    eventBusSettings("events", {
                        kmsKeyArn: MESSAGING_KEY,
                        routes: PLATFORM_EVENT_ROUTES,
                        queues: { order: queue, user: queue },
                    }),
                {
                    message:
                        'EventBus events: route UserRegistered targets service "product", which has no queue; queues exist for: order, user',
                },
            );
        });
    });
});
