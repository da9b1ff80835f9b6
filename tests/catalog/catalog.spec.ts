/** The repository's catalog as the stacks get it: the seeds' services, their stores and events, the overrides. */
import * as assert from "assert";
import { loadServiceCatalog } from "../../catalog/load";
import { cpuMillicores, memoryMiB, type ServiceEntry } from "../../components/catalog";

const byName = (stack: string) => new Map(loadServiceCatalog(stack).services.map((s) => [s.name, s]));
const entry = (stack: string, name: string): ServiceEntry => byName(stack).get(name)!;

describe("the service catalog", () => {
    it("holds the seeds' four services with their routes, owners and callees", () => {
        const prod = loadServiceCatalog("prod").services;
        assert.deepStrictEqual(
            prod.map((s) => [s.name, s.team, s.routes, s.calls]),
            [
                ["user", "identity", ["/users"], []],
                ["product", "catalog", ["/products"], []],
                ["order", "commerce", ["/orders"], ["user", "product", "payment"]],
                ["payment", "payments", ["/payments"], []],
            ],
        );
    });

    it("gives each service its store: PostgreSQL (Aurora) for user and order, an isolated MySQL instance for product", () => {
        assert.deepStrictEqual(
            [...byName("prod").values()].map((s) => [s.name, s.store]),
            [
                ["user", { kind: "aurora-database" }],
                ["product", { kind: "rds-instance", engine: "mysql" }],
                ["order", { kind: "aurora-database" }],
                ["payment", { kind: "dynamodb-table" }],
            ],
        );
    });

    it("publishes the seeds' events on EventBridge and owns the DR bridge's Kafka topics", () => {
        const prod = loadServiceCatalog("prod").services;
        assert.deepStrictEqual(
            prod.flatMap((s) => s.publishes.events.map((e) => `${s.name}:${e}`)),
            ["user:UserRegistered", "order:OrderPlaced", "payment:PaymentProcessed"],
        );
        // The bridge's default DR topics (config/schema.ts MESSAGING_DEFAULTS.drTopics) each have an owner.
        assert.deepStrictEqual(
            prod.flatMap((s) => s.publishes.kafka.map((k) => [s.name, k.name, k.partitions, k.retentionHours])),
            [
                ["order", "orders", 6, 168],
                ["payment", "payments", 6, 168],
            ],
        );
    });

    it("prod runs the seeds' 2 to 6 replicas and a 10% canary of order; dev shrinks to 1 to 2 and smaller order requests", () => {
        for (const s of byName("prod").values()) {
            assert.deepStrictEqual([s.scaling.minReplicas, s.scaling.maxReplicas], [2, 6], s.name);
        }
        assert.deepStrictEqual(
            [...byName("prod").values()].map((s) => s.canaryWeightPercent),
            [0, 0, 10, 0],
        );
        for (const s of byName("dev").values()) {
            assert.deepStrictEqual(
                [s.scaling.minReplicas, s.scaling.maxReplicas, s.canaryWeightPercent],
                [1, 2, 0],
                s.name,
            );
        }
        // Only the overridden keys change: order's limits and target stay the catalog's.
        const [dev, prod] = [entry("dev", "order"), entry("prod", "order")];
        assert.deepStrictEqual(dev.resources.requests, {
            cpu: "250m",
            memory: "256Mi",
            cpuMillicores: 250,
            memoryMiB: 256,
        });
        assert.deepStrictEqual(dev.resources.limits, prod.resources.limits);
        assert.strictEqual(dev.scaling.targetCpuUtilizationPercent, prod.scaling.targetCpuUtilizationPercent);
    });

    it("a typed entry carries probes, DR posture and SLO as the components will read them", () => {
        assert.deepStrictEqual(entry("prod", "product").dr, { posture: "cold", replicas: 0 });
        assert.deepStrictEqual(entry("prod", "order").dr, { posture: "warm", replicas: 2 });
        assert.deepStrictEqual(entry("prod", "user").health, {
            liveness: "/healthz",
            readiness: "/readyz",
            startup: "/startupz",
        });
        assert.deepStrictEqual(entry("prod", "user").slo, { availabilityPercent: 99.9, latencyP99Ms: 300 });
        assert.deepStrictEqual(entry("prod", "user").cache, { keyPrefix: "user:" });
        assert.strictEqual(entry("prod", "payment").cache, undefined);
        assert.deepStrictEqual(entry("prod", "order").resources.limits, {
            cpu: "2",
            memory: "1Gi",
            cpuMillicores: 2000,
            memoryMiB: 1024,
        });
    });

    it("reads Kubernetes quantities in the forms the catalog admits, and nothing else", () => {
        assert.deepStrictEqual(["250m", "0.5", "2", 1, "1.5m", "2 cores", ""].map(cpuMillicores), [
            250,
            500,
            2000,
            1000,
            undefined,
            undefined,
            undefined,
        ]);
        assert.deepStrictEqual(["256Mi", "1Gi", "512Ki", "256M", "1G", 256].map(memoryMiB), [
            256,
            1024,
            0.5,
            undefined,
            undefined,
            undefined,
        ]);
    });
});
