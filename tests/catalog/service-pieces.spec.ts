/**
 * Issue 13's acceptance, cloud side: in the dev and prod plans each seed service has its IRSA role whose
 * policy names its own ARNs and no other service's, its data store with its own credentials, its log
 * group, its Kafka topics, its subscriptions, and on GKE its Workload Identity binding; the
 * ServiceAccounts on both clusters carry those identities.
 */
import * as assert from "assert";
import type { RecordedResource } from "../../harness/recorder";
import { evaluated } from "../../harness/stacks";

const SEEDS = ["user", "product", "order", "payment"] as const;
type Seed = (typeof SEEDS)[number];

const find = (rs: readonly RecordedResource[], type: string, name: string) =>
    rs.find((r) => r.type === type && r.name === name);
const one = (rs: readonly RecordedResource[], type: string, name: string) => {
    const r = find(rs, type, name);
    assert.ok(r, `no ${type} ${name}`);
    return r;
};

/** The ARNs only `service` may touch: its queue and DLQ, its secret, its table, its cache user. */
function ownArns(rs: readonly RecordedResource[], service: string): string[] {
    return [
        find(rs, "aws:sqs/queue:Queue", `messaging-${service}`),
        find(rs, "aws:sqs/queue:Queue", `messaging-${service}-dlq`),
        find(rs, "aws:secretsmanager/secret:Secret", `service-${service}-credentials`),
        find(rs, "aws:dynamodb/table:Table", `service-${service}-table`),
        rs.find((r) => r.type === "aws:elasticache/user:User" && r.inputs.userName === `sessions-${service}`),
    ]
        .filter((r): r is RecordedResource => r !== undefined)
        .map((r) => r.outputs.arn as string);
}

/** How many ARNs each seed owns alone (see ownArns). */
const OWN_ARN_COUNTS: Record<Seed, number> = { user: 4, product: 4, order: 4, payment: 3 };

/** Every Resource of every statement of the service's role policy. */
function policyResources(rs: readonly RecordedResource[], service: string): string[] {
    const policy = JSON.parse(one(rs, "aws:iam/rolePolicy:RolePolicy", `service-${service}-aws-grants`).inputs.policy);
    const actions = policy.Statement.flatMap((s: any) => [s.Action].flat());
    assert.ok(!actions.some((a: string) => a.includes("*")), `${service}: ${actions}`);
    return policy.Statement.flatMap((s: any) => [s.Resource].flat());
}

/** What each seed's store is, by the resources that hold it and its credentials. */
const STORES: Record<Seed, (rs: readonly RecordedResource[], stack: string) => void> = {
    user: (rs) => auroraDatabase(rs, "user"),
    order: (rs) => auroraDatabase(rs, "order"),
    product: (rs, stack) => {
        const instance = one(rs, "aws:rds/instance:Instance", "service-product-instance");
        const key = one(rs, "aws:kms/key:Key", "service-product-key");
        assert.strictEqual(instance.inputs.identifier, `platform-${stack}-product`);
        assert.strictEqual(instance.inputs.engine, "mysql");
        // Isolation: its own key, for the instance and for its credentials.
        assert.strictEqual(instance.inputs.kmsKeyId, key.outputs.arn);
        const secret = one(rs, "aws:secretsmanager/secret:Secret", "service-product-credentials");
        assert.strictEqual(secret.inputs.kmsKeyId, key.outputs.arn);
        assert.strictEqual(instance.inputs.multiAz, stack === "prod");
    },
    payment: (rs) => {
        const table = one(rs, "aws:dynamodb/table:Table", "service-payment-table");
        assert.strictEqual(table.inputs.pointInTimeRecovery.enabled, true);
        // IAM is its credential: no password anywhere.
        assert.strictEqual(find(rs, "aws:secretsmanager/secret:Secret", "service-payment-credentials"), undefined);
    },
};

function auroraDatabase(rs: readonly RecordedResource[], service: string): void {
    const role = one(rs, "postgresql:index/role:Role", `service-${service}-role`);
    const db = one(rs, "postgresql:index/database:Database", `service-${service}-database`);
    assert.strictEqual(db.inputs.owner, role.inputs.name);
    assert.strictEqual(role.inputs.login, true);
    const secret = one(rs, "aws:secretsmanager/secret:Secret", `service-${service}-credentials`);
    const version = rs.find(
        (r) => r.type === "aws:secretsmanager/secretVersion:SecretVersion" && r.name === secret.name,
    )!;
    const password = one(rs, "random:index/randomPassword:RandomPassword", `service-${service}-password`);
    assert.strictEqual(JSON.parse(version.inputs.secretString).password, password.outputs.result);
    assert.strictEqual(role.inputs.password, password.outputs.result);
    // The DR side's copy, so GCP can start without AWS.
    one(rs, "gcp:secretmanager/secret:Secret", `service-${service}-credentials`);
}

/** Each seed's Kafka topics (produced) and subscriptions (SNS, EventBridge, DR Pub/Sub). */
const MESSAGING: Record<Seed, { kafka: string[]; sns: string[]; events: string[]; dr: string[] }> = {
    user: { kafka: [], sns: [], events: ["order-placed"], dr: [] },
    product: { kafka: [], sns: ["order-events"], events: ["user-registered"], dr: [] },
    order: { kafka: ["orders"], sns: ["payment-events", "user-events"], events: ["payment-processed"], dr: [] },
    payment: { kafka: ["payments"], sns: ["order-events"], events: [], dr: ["orders"] },
};

describe("each catalog service's cloud pieces", () => {
    for (const stack of ["dev", "prod"] as const) {
        const namespace = `services-${stack}`;

        it(`${stack}: an IRSA role per service whose policy names its own ARNs and no other service's`, async () => {
            const rs = (await evaluated(stack)).run.resources;
            for (const service of SEEDS) {
                const role = one(rs, "aws:iam/role:Role", `service-${service}-aws-role`);
                const trust = JSON.parse(role.inputs.assumeRolePolicy);
                const conditions = trust.Statement[0].Condition.StringEquals;
                assert.deepStrictEqual(
                    Object.entries(conditions)
                        .map(([k, v]) => `${k.split(":").pop()}=${String(v)}`)
                        .sort(),
                    ["aud=sts.amazonaws.com", `sub=system:serviceaccount:${namespace}:${service}`],
                );
                const resources = policyResources(rs, service);
                // Queue and DLQ, then a secret (databases), a table (payment) and a cache user (all but payment):
                // found by name, so a renamed piece fails here instead of leaving nothing to compare.
                assert.strictEqual(ownArns(rs, service).length, OWN_ARN_COUNTS[service], service);
                for (const arn of ownArns(rs, service)) assert.ok(resources.includes(arn), `${service} lacks ${arn}`);
                for (const other of SEEDS.filter((s) => s !== service)) {
                    const leaked = ownArns(rs, other).filter((arn) => resources.includes(arn));
                    assert.deepStrictEqual(leaked, [], `${service}'s role reaches ${other}'s resources`);
                }
                const sa = rs.find(
                    (r) => r.type === "kubernetes:core/v1:ServiceAccount" && r.name === `services-aws-${service}-sa`,
                )!;
                assert.strictEqual(sa.inputs.metadata.annotations["eks.amazonaws.com/role-arn"], role.outputs.arn);
            }
        });

        it(`${stack}: each service's data store with its own credentials`, async () => {
            const rs = (await evaluated(stack)).run.resources;
            for (const service of SEEDS) STORES[service](rs, stack);
        });

        it(`${stack}: each service's log group /aws/microservices/<service>, encrypted, with retention`, async () => {
            const rs = (await evaluated(stack)).run.resources;
            const logsKey = one(rs, "aws:kms/key:Key", "kms-primary-logs");
            for (const service of SEEDS) {
                const group = one(rs, "aws:cloudwatch/logGroup:LogGroup", `service-${service}-aws-logs`);
                assert.strictEqual(group.inputs.name, `/aws/microservices/${service}`);
                assert.strictEqual(group.inputs.kmsKeyId, logsKey.outputs.arn);
                assert.ok(group.inputs.retentionInDays > 0);
            }
        });

        it(`${stack}: each service's Kafka topics and subscriptions`, async () => {
            const rs = (await evaluated(stack)).run.resources;
            for (const service of SEEDS) {
                const m = MESSAGING[service];
                for (const topic of m.kafka) one(rs, "aws:msk/topic:Topic", `kafka-topics-${topic}`);
                for (const topic of m.sns) {
                    const sub = one(rs, "aws:sns/topicSubscription:TopicSubscription", `messaging-${service}-${topic}`);
                    assert.strictEqual(
                        sub.inputs.endpoint,
                        one(rs, "aws:sqs/queue:Queue", `messaging-${service}`).outputs.arn,
                    );
                }
                for (const rule of m.events) one(rs, "aws:cloudwatch/eventTarget:EventTarget", `events-${rule}`);
                for (const topic of m.dr)
                    one(rs, "gcp:pubsub/subscription:Subscription", `dr-bridge-${topic}-${service}`);
            }
        });

        it(`${stack}: a service's pods wait for its Kafka topics and its role's policy`, async () => {
            const rs = (await evaluated(stack)).run.resources;
            const deps = (name: string) =>
                one(rs, "multicloud:catalog:ServiceWorkload", name).dependencies as readonly string[];
            const urn = (type: string, name: string) => one(rs, type, name).urn;
            // payment produces `payments` and consumes `orders`; order produces `orders`.
            for (const [service, topics] of [
                ["payment", ["orders", "payments"]],
                ["order", ["orders"]],
            ] as const) {
                for (const cloud of ["aws", "gcp"]) {
                    const d = deps(`services-${cloud}-${service}`);
                    for (const topic of topics)
                        assert.ok(
                            d.includes(urn("aws:msk/topic:Topic", `kafka-topics-${topic}`)),
                            `${cloud} ${service} ${topic}`,
                        );
                }
                assert.ok(
                    deps(`services-aws-${service}`).includes(
                        urn("aws:iam/rolePolicy:RolePolicy", `service-${service}-aws-grants`),
                    ),
                );
                assert.ok(
                    deps(`services-gcp-${service}`).includes(
                        urn("gcp:serviceaccount/iAMMember:IAMMember", `service-${service}-gcp-workload-identity`),
                    ),
                );
            }
            // user uses no Kafka: it waits for no topic.
            assert.ok(!deps("services-aws-user").some((u) => u.includes("aws:msk/topic:Topic")));
        });

        it(`${stack}: on GKE each service's pods assume its Google service account through Workload Identity`, async () => {
            const rs = (await evaluated(stack)).run.resources;
            const project = `acme-platform-${stack}`; // gcp.project in Pulumi.<stack>.yaml
            for (const service of SEEDS) {
                const account = one(rs, "gcp:serviceaccount/account:Account", `service-${service}-gcp-account`);
                const binding = one(
                    rs,
                    "gcp:serviceaccount/iAMMember:IAMMember",
                    `service-${service}-gcp-workload-identity`,
                );
                assert.strictEqual(binding.inputs.role, "roles/iam.workloadIdentityUser");
                assert.strictEqual(
                    binding.inputs.member,
                    `serviceAccount:${project}.svc.id.goog[${namespace}/${service}]`,
                );
                assert.strictEqual(binding.inputs.serviceAccountId, account.outputs.name);
                const sa = rs.find(
                    (r) => r.type === "kubernetes:core/v1:ServiceAccount" && r.name === `services-gcp-${service}-sa`,
                )!;
                // The account's email, as Google forms it from its id and project.
                assert.strictEqual(
                    sa.inputs.metadata.annotations["iam.gke.io/gcp-service-account"],
                    `${account.inputs.accountId}@${project}.iam.gserviceaccount.com`,
                );
            }
        });
    }
});
