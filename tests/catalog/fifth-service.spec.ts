/**
 * Issue 13's acceptance: one catalog entry, and nothing else, gives a fifth service every piece an entry
 * gets on both clouds, and every flow it needs passes over the plan; removing an entry removes them all.
 */
import * as assert from "assert";
import { evaluateFlows } from "../../harness/connectivity/evaluate";
import { deployerCidrsFrom } from "../../harness/connectivity/report";
import { stackServiceFlows } from "../../harness/connectivity/stack-flows";
import type { RecordedResource } from "../../harness/recorder";
import { runStack } from "../../harness/run";
import { loadStackConfig } from "../../harness/stack-config";
import type { CatalogDocuments } from "../../catalog/validate";
import { main } from "../../program/main";
import { entryOf, withoutService, withShipping, type EditableDocs } from "./fixture";

/** Shipping, using everything an entry can: a database, the cache, its own Kafka topic, order's stream. */
function fullShipping(): EditableDocs {
    const docs = withShipping("dev");
    const shipping = entryOf(docs, "shipping");
    shipping.store = { kind: "aurora-database" };
    shipping.cache = { keyPrefix: "shipping:" };
    shipping.publishes.kafka = [{ name: "shipments", partitions: 3, retentionHours: 72 }];
    shipping.subscribes.kafka = ["orders"];
    return docs;
}

async function plan(docs: EditableDocs) {
    const run = await runStack({ stack: "dev", program: () => main({ catalog: docs as CatalogDocuments }) });
    assert.ifError(run.error);
    return run.resources;
}

const named = (rs: readonly RecordedResource[], type: string, name: string) =>
    rs.find((r) => r.type === type && r.name === name);

describe("a fifth service from one catalog entry", function () {
    this.timeout(120_000);

    it("gets its identity, store, credentials, log group, Kafka topic, subscriptions and DR binding", async () => {
        const rs = await plan(fullShipping());
        const has = (type: string, name: string) => assert.ok(named(rs, type, name), `no ${type} ${name}`);
        has("aws:iam/role:Role", "service-shipping-aws-role");
        has("aws:cloudwatch/logGroup:LogGroup", "service-shipping-aws-logs");
        has("postgresql:index/database:Database", "service-shipping-database");
        has("postgresql:index/role:Role", "service-shipping-role");
        has("aws:secretsmanager/secret:Secret", "service-shipping-credentials");
        has("gcp:secretmanager/secret:Secret", "service-shipping-credentials");
        has("aws:msk/topic:Topic", "kafka-topics-shipments");
        has("aws:sns/topicSubscription:TopicSubscription", "messaging-shipping-order-events");
        has("gcp:pubsub/subscription:Subscription", "dr-bridge-orders-shipping");
        has("gcp:serviceaccount/iAMMember:IAMMember", "service-shipping-gcp-workload-identity");
        has("gcp:projects/iAMMember:IAMMember", "service-shipping-gcp-cloudsql-client");
        const cacheUser = rs.find(
            (r) => r.type === "aws:elasticache/user:User" && r.inputs.userName === "sessions-shipping",
        );
        assert.ok(cacheUser);
        assert.match(cacheUser.inputs.accessString, /~shipping:\*/);

        // Its role names its own topic, queue, secret and cache user, and its consumer group on orders.
        const policy = named(rs, "aws:iam/rolePolicy:RolePolicy", "service-shipping-aws-grants")!.inputs.policy;
        for (const arn of [
            named(rs, "aws:msk/topic:Topic", "kafka-topics-shipments")!.outputs.arn,
            named(rs, "aws:sqs/queue:Queue", "messaging-shipping")!.outputs.arn,
            named(rs, "aws:secretsmanager/secret:Secret", "service-shipping-credentials")!.outputs.arn,
            cacheUser.outputs.arn,
        ]) {
            assert.ok(policy.includes(arn), `shipping's policy lacks ${arn}`);
        }
        assert.match(policy, /:group\/[^"]+\/shipping"/);
        for (const cloud of ["aws", "gcp"]) {
            has("multicloud:catalog:ServiceWorkload", `services-${cloud}-shipping`);
        }
    });

    it("and every flow it needs (and none it must not have) holds over the plan", async () => {
        const docs = fullShipping();
        const rs = await plan(docs);
        const config = loadStackConfig("dev").config;
        const flows = stackServiceFlows("dev", { config, catalog: docs as CatalogDocuments }).filter((f) =>
            /(^svc-shipping-|-shipping$)/.test(f.id),
        );
        assert.ok(flows.some((f) => f.expect === "allow" && f.destination === "aurora-writer"));
        assert.ok(flows.some((f) => f.expect === "allow" && f.destination === "msk"));
        assert.ok(flows.some((f) => f.expect === "deny" && f.id.endsWith("-not-shipping")));
        const results = evaluateFlows(rs, flows, { deployerCidrs: deployerCidrsFrom(config) });
        const failed = results.filter((r) => r.status !== "pass").map((r) => `${r.flow.id}: ${r.verdict}`);
        assert.deepStrictEqual(failed, []);
        assert.strictEqual(results.length, flows.length);
    });

    it("removing an entry removes every piece of it, on both clouds", async () => {
        const docs = withoutService("product");
        const rs = await plan(docs);
        const left = rs.filter(
            (r) =>
                /(^|-)product(-|$)/.test(r.name) ||
                r.inputs?.metadata?.labels?.app === "product" ||
                r.inputs?.userName === "sessions-product",
        );
        assert.deepStrictEqual(
            left.map((r) => `${r.type} ${r.name}`),
            [],
        );
    });
});
