/**
 * The program on the catalog: the messaging routes it derives are today's, a fifth entry (data only)
 * gets its queue, subscriptions and EventBridge rule, and a bad catalog stops the program before any
 * resource is registered, with the same error as bad stack config.
 */
import * as assert from "assert";
import { loadServiceCatalog } from "../../catalog/load";
import { messagingRoutes } from "../../catalog/routes";
import type { CatalogDocuments } from "../../catalog/validate";
import { one, ofType } from "../../harness/lookup";
import { runStack } from "../../harness/run";
import { evaluated } from "../../harness/stacks";
import { main } from "../../program/main";
import { entryOf, repositoryDocs, withoutService, withShipping } from "./fixture";

const run = (stack: string, docs: unknown) =>
    runStack({ stack, program: () => main({ catalog: docs as CatalogDocuments }) });

describe("the program on the service catalog", () => {
    it("derives exactly the messaging routes the platform had before the catalog", () => {
        assert.deepStrictEqual(messagingRoutes(loadServiceCatalog("prod")), {
            topics: ["user-events", "order-events", "payment-events"],
            subscriptions: [
                { service: "product", topic: "order-events", eventTypes: ["OrderPlaced", "OrderCancelled"] },
                { service: "order", topic: "payment-events", eventTypes: ["PaymentFailed", "PaymentRefunded"] },
                { service: "order", topic: "user-events", eventTypes: ["UserDeleted"] },
                { service: "payment", topic: "order-events", eventTypes: ["OrderPlaced", "OrderCancelled"] },
            ],
            eventRoutes: [
                { detailType: "UserRegistered", service: "product" },
                { detailType: "OrderPlaced", service: "user" },
                { detailType: "PaymentProcessed", service: "order" },
            ],
            kafkaTopics: [
                { name: "orders", partitions: 6, retentionHours: 168 },
                { name: "payments", partitions: 6, retentionHours: 168 },
            ],
            kafkaConsumers: { orders: ["payment"] },
        });
    });

    it("a fifth entry added as data gets its queue, DLQ, filtered subscriptions, EventBridge rule and table; nothing else changes but its workloads", async () => {
        const base = (await evaluated("dev")).run;
        const withFifth = await run("dev", withShipping("dev"));
        assert.ifError(withFifth.error);
        const rs = withFifth.resources;
        const queue = one(rs, "aws:sqs/queue:Queue", "messaging-shipping");
        const dlq = one(rs, "aws:sqs/queue:Queue", "messaging-shipping-dlq");
        const subs = ofType(rs, "aws:sns/topicSubscription:TopicSubscription").filter(
            (s) => s.inputs.endpoint === queue.outputs.arn,
        );
        assert.deepStrictEqual(
            subs.map((s) => [s.name, s.inputs.filterPolicy]),
            [
                ["messaging-shipping-order-events", JSON.stringify({ event_type: ["OrderPlaced"] })],
                ["messaging-shipping-payment-events", JSON.stringify({ event_type: ["PaymentProcessed"] })],
            ],
        );
        const rule = one(rs, "aws:cloudwatch/eventRule:EventRule", "events-shipment-requested");
        assert.strictEqual(rule.inputs.eventPattern, JSON.stringify({ "detail-type": ["ShipmentRequested"] }));
        const target = ofType(rs, "aws:cloudwatch/eventTarget:EventTarget").find(
            (t) => t.inputs.rule === rule.outputs.name,
        )!;
        assert.strictEqual(target.inputs.arn, queue.outputs.arn);
        assert.deepStrictEqual(target.inputs.deadLetterConfig, { arn: dlq.outputs.arn });

        // Exactly the shipping pieces are new (its workloads: tests/catalog/services-layer.spec.ts); every
        // resource of the plan without it is still there.
        const before = new Set(base.resources.map((r) => r.urn));
        const added = rs
            .filter((r) => !before.has(r.urn) && !/^services-(aws|gcp)-shipping(-|$)/.test(r.name))
            .map((r) => `${r.type.split(":").pop()} ${r.name}`);
        assert.deepStrictEqual(added.sort(), [
            // Its Workload Identity on GKE (no grants: a table has no GCP copy, it consumes no bridged topic).
            "Account service-shipping-gcp-account",
            // Its own store (store.kind: dynamodb-table): a table of its own.
            "DynamoDbGlobal service-shipping",
            "EventRule events-shipment-requested",
            "EventTarget events-shipment-requested",
            "IAMMember service-shipping-gcp-workload-identity",
            // Its log group /aws/microservices/shipping.
            "LogGroup service-shipping-aws-logs",
            "Queue messaging-shipping",
            "Queue messaging-shipping-dlq",
            "QueuePolicy messaging-shipping",
            "QueuePolicy messaging-shipping-dlq",
            "RedriveAllowPolicy messaging-shipping-dlq",
            // Its IRSA role: its queues, its events, its table.
            "Role service-shipping-aws-role",
            "RolePolicy service-shipping-aws-grants",
            "ServiceAwsIdentity service-shipping-aws",
            "ServiceGcpIdentity service-shipping-gcp",
            "Table service-shipping-table",
            "TopicSubscription messaging-shipping-order-events",
            "TopicSubscription messaging-shipping-payment-events",
        ]);
        assert.deepStrictEqual(
            base.resources.filter((r) => !rs.some((n) => n.urn === r.urn)),
            [],
        );
    });

    it("removing a consumer's entry takes its queue and subscriptions away", async () => {
        const docs = withoutService("product");
        const without = await run("dev", docs);
        assert.ifError(without.error);
        const names = without.resources.map((r) => r.name);
        assert.deepStrictEqual(
            names.filter((n) => n.includes("product") || n === "events-user-registered"),
            [],
        );
        assert.ok(names.includes("messaging-payment"));
    });

    it("a bad catalog stops the program before any resource, with every problem, as a ConfigValidationError", async () => {
        const docs = repositoryDocs("prod");
        entryOf(docs, "order").calls.push("order");
        entryOf(docs, "user").scaling.minReplicas = 9;
        const failed = await run("prod", docs);
        assert.strictEqual(failed.error?.name, "ConfigValidationError");
        assert.strictEqual(
            failed.error?.message,
            [
                "Stack 'prod' has 2 configuration problems:",
                "  - catalog/services.yaml: services[0].scaling.minReplicas: is above maxReplicas 6; received 9. Allowed: minReplicas at most maxReplicas. Fix: lower 'scaling.minReplicas' to 6 or raise 'scaling.maxReplicas'.",
                "  - catalog/services.yaml: services[2].calls[3]: order calls itself; received \"order\". Allowed: other services of the catalog. Fix: remove 'order' from calls: a service reaches itself without the mesh.",
            ].join("\n"),
        );
        assert.deepStrictEqual(
            failed.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.urn),
            [],
        );
    });
});
