/** A catalog service's GCP identity: a Google service account its ServiceAccount becomes, and grants per resource. */
import * as assert from "assert";
import * as gcp from "@pulumi/gcp";
import {
    GCP_SERVICE_ACCOUNT_ID,
    gcpServiceAccountId,
    serviceGcpIdentityProblems,
    ServiceGcpIdentity,
    type ServiceGcpIdentityArgs,
} from "../../components/catalog";
import { childrenOf, one, ofType } from "../../harness/lookup";
import { runStack, type StackRun } from "../../harness/run";

const T = {
    component: "multicloud:catalog:ServiceGcpIdentity",
    account: "gcp:serviceaccount/account:Account",
    accountMember: "gcp:serviceaccount/iAMMember:IAMMember",
    projectMember: "gcp:projects/iAMMember:IAMMember",
    subscriber: "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember",
    publisher: "gcp:pubsub/topicIAMMember:TopicIAMMember",
    secret: "gcp:secretmanager/secretIamMember:SecretIamMember",
} as const;

const PROJECT = "acme-dr";
const SUBSCRIPTIONS = [
    `projects/${PROJECT}/subscriptions/order-payments`,
    `projects/${PROJECT}/subscriptions/order-stock`,
];
const TOPIC = `projects/${PROJECT}/topics/orders`;
const SECRETS = [`projects/${PROJECT}/secrets/order-db`, `projects/${PROJECT}/secrets/order-api-key`];

const ORDER: ServiceGcpIdentityArgs = {
    service: "order",
    namespace: "services-prod",
    project: PROJECT,
    accountId: "svc-order",
    grants: {
        cloudSql: { instanceName: "platform-prod-dr" },
        pubsubSubscriptionIds: SUBSCRIPTIONS,
        pubsubTopicIds: [TOPIC],
        secretIds: SECRETS,
    },
};
/** Its own ServiceAccount name, nothing to reach but what Workload Identity gives. */
const REPORTS: ServiceGcpIdentityArgs = {
    service: "reports",
    namespace: "services-prod",
    serviceAccount: "reports-worker",
    project: PROJECT,
    accountId: "svc-reports",
    grants: {},
};
const MEMBER = `serviceAccount:svc-order@${PROJECT}.iam.gserviceaccount.com`;

function run(...identities: [string, ServiceGcpIdentityArgs][]): Promise<StackRun> {
    return runStack({
        stack: "prod",
        program: async () => {
            const provider = new gcp.Provider("gcp", { project: PROJECT, region: "us-central1" });
            const out: Record<string, unknown> = {};
            for (const [name, args] of identities) {
                const id = new ServiceGcpIdentity(name, args, { providers: { gcp: provider } });
                out[name] = { email: id.email, name: id.name };
            }
            return out;
        },
    });
}
let recorded: Promise<StackRun> | undefined;
const both = () => (recorded ??= run(["order", ORDER], ["reports", REPORTS]));

describe("ServiceGcpIdentity", () => {
    it("makes the service account and lets exactly the service's ServiceAccount act as it (Workload Identity)", async () => {
        const { resources, outputs, error } = await both();
        assert.ifError(error);
        const account = one(resources, T.account, "order-account");
        assert.strictEqual(account.inputs.accountId, "svc-order");
        assert.strictEqual(account.inputs.project, PROJECT);
        const wi = one(resources, T.accountMember, "order-workload-identity");
        assert.deepStrictEqual(wi.inputs, {
            serviceAccountId: account.outputs.name,
            role: "roles/iam.workloadIdentityUser",
            member: "serviceAccount:acme-dr.svc.id.goog[services-prod/order]",
        });
        assert.strictEqual(
            one(resources, T.accountMember, "reports-workload-identity").inputs.member,
            "serviceAccount:acme-dr.svc.id.goog[services-prod/reports-worker]",
        );
        assert.deepStrictEqual(outputs.order, {
            email: `svc-order@${PROJECT}.iam.gserviceaccount.com`,
            name: account.outputs.name,
        });
    });

    it("grants Cloud SQL client on the project only for the service's instance", async () => {
        const { resources } = await both();
        assert.deepStrictEqual(one(resources, T.projectMember, "order-cloudsql-client").inputs, {
            project: PROJECT,
            role: "roles/cloudsql.client",
            member: MEMBER,
            condition: {
                title: "order-cloudsql-instance",
                description: "Only the service's own Cloud SQL instance",
                expression:
                    "resource.name == 'projects/acme-dr/instances/platform-prod-dr' && resource.type == 'sqladmin.googleapis.com/Instance'",
            },
        });
    });

    it("gives one member per subscription, topic and secret, each with its one role", async () => {
        const { resources } = await both();
        const grants = [
            ...ofType(resources, T.subscriber),
            ...ofType(resources, T.publisher),
            ...ofType(resources, T.secret),
        ];
        assert.deepStrictEqual(
            grants.map((g) => [g.name, g.inputs]),
            [
                [
                    "order-subscriber-0",
                    { subscription: SUBSCRIPTIONS[0], role: "roles/pubsub.subscriber", member: MEMBER },
                ],
                [
                    "order-subscriber-1",
                    { subscription: SUBSCRIPTIONS[1], role: "roles/pubsub.subscriber", member: MEMBER },
                ],
                ["order-publisher-0", { topic: TOPIC, role: "roles/pubsub.publisher", member: MEMBER }],
                [
                    "order-secret-0",
                    { secretId: SECRETS[0], role: "roles/secretmanager.secretAccessor", member: MEMBER },
                ],
                [
                    "order-secret-1",
                    { secretId: SECRETS[1], role: "roles/secretmanager.secretAccessor", member: MEMBER },
                ],
            ],
        );
    });

    it("orders every grant after the account it names, and parents all of them on the component", async () => {
        const { resources } = await both();
        const component = one(resources, T.component, "order");
        const account = one(resources, T.account, "order-account");
        const children = childrenOf(resources, component);
        assert.strictEqual(children.length, 8);
        for (const grant of children.filter((c) => c !== account && c.name !== "order-workload-identity")) {
            assert.ok(grant.dependencies.includes(account.urn), `${grant.name} waits for the account`);
        }
    });

    it("makes only the account and its Workload Identity binding when there are no grants", async () => {
        const { resources } = await both();
        const component = one(resources, T.component, "reports");
        assert.deepStrictEqual(
            childrenOf(resources, component).map((r) => `${r.type} ${r.name}`),
            [`${T.account} reports-account`, `${T.accountMember} reports-workload-identity`],
        );
    });
});

describe("gcpServiceAccountId", () => {
    it("keeps a legal id as it is, normalising case and characters", () => {
        assert.strictEqual(gcpServiceAccountId("svc", "order"), "svc-order");
        assert.strictEqual(gcpServiceAccountId("Platform_Prod", "Order"), "platform-prod-order");
    });

    it("lengthens an id under 6 characters with a hash, the same every time", () => {
        const id = gcpServiceAccountId("sv", "a");
        assert.match(id, /^sv-a-[0-9a-f]{6}$/);
        assert.strictEqual(gcpServiceAccountId("sv", "a"), id);
        assert.match(id, GCP_SERVICE_ACCOUNT_ID);
    });

    it("shortens an id over 30 characters to 30, with a hash that keeps names sharing a start apart", () => {
        const a = gcpServiceAccountId("platform-prod-dr", "recommendations-engine");
        const b = gcpServiceAccountId("platform-prod-dr", "recommendations-ranker");
        assert.match(a, /^platform-prod-dr-recomm-[0-9a-f]{6}$/);
        assert.strictEqual(a.length, 30);
        assert.notStrictEqual(a, b);
        assert.strictEqual(gcpServiceAccountId("platform-prod-dr", "recommendations-engine"), a);
        for (const id of [a, b]) assert.match(id, GCP_SERVICE_ACCOUNT_ID);
    });

    it("does not end the shortened head with a hyphen", () => {
        // 23 characters of head end on the hyphen after "platform-production-eu".
        const id = gcpServiceAccountId("platform-production-eu", "order-service");
        assert.match(id, /^platform-production-eu-[0-9a-f]{6}$/);
        assert.match(id, GCP_SERVICE_ACCOUNT_ID);
    });

    it("refuses a prefix that does not start with a letter", () => {
        assert.throws(() => gcpServiceAccountId("1svc", "order"), {
            message: 'gcpServiceAccountId: the prefix must start with a letter; received "1svc"',
        });
    });
});

describe("serviceGcpIdentityProblems", () => {
    it("accepts the fixtures", () => {
        assert.deepStrictEqual(serviceGcpIdentityProblems(ORDER), []);
        assert.deepStrictEqual(serviceGcpIdentityProblems(REPORTS), []);
    });

    const accountIdMessage = (id: string) =>
        `accountId must be 6 to 30 lowercase letters, digits or '-', starting with a letter and not ending with '-'; received "${id}". Fix: derive it with gcpServiceAccountId(prefix, service)`;
    const cases: [string, Partial<ServiceGcpIdentityArgs>, string[]][] = [
        ["an account id with an underscore", { accountId: "svc_order" }, [accountIdMessage("svc_order")]],
        ["an account id under 6 characters", { accountId: "svc" }, [accountIdMessage("svc")]],
        [
            "an account id over 30 characters",
            { accountId: "svc-" + "a".repeat(27) },
            [accountIdMessage("svc-" + "a".repeat(27))],
        ],
        ["an account id ending with a hyphen", { accountId: "svc-order-" }, [accountIdMessage("svc-order-")]],
        ["an account id starting with a digit", { accountId: "1svc-order" }, [accountIdMessage("1svc-order")]],
        [
            "a namespace and ServiceAccount that are not DNS labels",
            { namespace: "Services", serviceAccount: "order_sa" },
            [
                'namespace must be a lowercase DNS label; received "Services"',
                'serviceAccount must be a lowercase DNS label; received "order_sa"',
            ],
        ],
        [
            "a project that is not a project id",
            { project: "Acme DR" },
            [`project must be a project id (6 to 30 lowercase letters, digits or '-'); received "Acme DR"`],
        ],
    ];
    for (const [what, change, expected] of cases) {
        it(`refuses ${what}`, () => {
            assert.deepStrictEqual(serviceGcpIdentityProblems({ ...ORDER, ...change }), expected);
        });
    }

    it("throws before registering any child", async () => {
        const r = await run(["order", { ...ORDER, accountId: "svc_order" }]);
        assert.strictEqual(r.error?.message, `ServiceGcpIdentity order: ${accountIdMessage("svc_order")}`);
        assert.deepStrictEqual(ofType(r.resources, T.account), []);
    });
});
