/** A catalog service's AWS identity: an IRSA role for its one ServiceAccount, its grants, and its log group. */
import * as assert from "assert";
import * as aws from "@pulumi/aws";
import {
    serviceAwsIdentityProblems,
    ServiceAwsIdentity,
    type ServiceAwsIdentityArgs,
    serviceRolePolicy,
} from "../../components/catalog";
import { childrenOf, one, ofType } from "../../harness/lookup";
import { runPolicies } from "../../harness/policy-runner";
import type { RecordedResource } from "../../harness/recorder";
import { runStack, type StackRun } from "../../harness/run";
import { LOG_RETENTION_DAYS } from "../../components/shared/log-retention";
import { serviceAccountRolesLeastPrivilege } from "../../policy/policies/workloads";
import { FULL_GRANTS, GRANT_ARNS, LOGS_KEY, OIDC_ISSUER, OIDC_PROVIDER_ARN } from "./service-identity-fixture";

const T = {
    component: "multicloud:catalog:ServiceAwsIdentity",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
} as const;

const ORDER: ServiceAwsIdentityArgs = {
    service: "order",
    namespace: "services-dev",
    oidcProviderArn: OIDC_PROVIDER_ARN,
    oidcIssuer: OIDC_ISSUER,
    roleName: "platform-dev-svc-order",
    grants: FULL_GRANTS,
    logs: { kmsKeyArn: LOGS_KEY, retentionDays: 30 },
};

/** A worker with its own ServiceAccount name and nothing to reach on AWS but its logs. */
const REPORTS: ServiceAwsIdentityArgs = {
    ...ORDER,
    service: "reports",
    serviceAccount: "reports-worker",
    roleName: "platform-dev-svc-reports",
    grants: {},
    logs: { kmsKeyArn: LOGS_KEY, retentionDays: 7 },
};

function run(...identities: [string, ServiceAwsIdentityArgs][]): Promise<StackRun> {
    return runStack({
        stack: "dev",
        program: async () => {
            const provider = new aws.Provider("aws", { region: "us-east-1" });
            const out: Record<string, unknown> = {};
            for (const [name, args] of identities) {
                const id = new ServiceAwsIdentity(name, args, { providers: { aws: provider } });
                out[name] = {
                    roleArn: id.roleArn,
                    roleName: id.roleName,
                    logGroupName: id.logGroupName,
                    logGroupArn: id.logGroupArn,
                };
            }
            return out;
        },
    });
}

let recorded: Promise<StackRun> | undefined;
const both = () => (recorded ??= run(["order", ORDER], ["reports", REPORTS]));

const trustOf = (subject: string) => ({
    Version: "2012-10-17",
    Statement: [
        {
            Effect: "Allow",
            Principal: { Federated: OIDC_PROVIDER_ARN },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
                StringEquals: { [`${OIDC_ISSUER}:sub`]: subject, [`${OIDC_ISSUER}:aud`]: "sts.amazonaws.com" },
            },
        },
    ],
});

describe("ServiceAwsIdentity", () => {
    it("makes a role trusted only by the service's ServiceAccount, through the cluster's OIDC provider", async () => {
        const { resources, error } = await both();
        assert.ifError(error);
        const order = one(resources, T.role, "order-role");
        assert.strictEqual(order.inputs.name, "platform-dev-svc-order");
        assert.deepStrictEqual(
            JSON.parse(order.inputs.assumeRolePolicy),
            trustOf("system:serviceaccount:services-dev:order"),
        );
        const reports = one(resources, T.role, "reports-role");
        assert.deepStrictEqual(
            JSON.parse(reports.inputs.assumeRolePolicy),
            trustOf("system:serviceaccount:services-dev:reports-worker"),
        );
    });

    it("attaches the grants' exact document to that role, and no policy at all when there are no grants", async () => {
        const { resources } = await both();
        const order = one(resources, T.role, "order-role");
        const policy = one(resources, T.rolePolicy, "order-grants");
        assert.deepStrictEqual(JSON.parse(policy.inputs.policy), serviceRolePolicy(FULL_GRANTS));
        assert.strictEqual(policy.inputs.name, "service-grants");
        assert.ok(order.outputs.id, "the role has an id");
        assert.strictEqual(policy.inputs.role, order.outputs.id);
        assert.deepStrictEqual(policy.propertyDependencies.role, [order.urn]);
        assert.deepStrictEqual(
            ofType(resources, T.rolePolicy).map((r) => r.name),
            ["order-grants"],
        );
    });

    it("makes the log group /aws/microservices/<service>, encrypted with the logs key, with the retention asked", async () => {
        const { resources, outputs } = await both();
        assert.deepStrictEqual(one(resources, T.logGroup, "order-logs").inputs, {
            name: "/aws/microservices/order",
            retentionInDays: 30,
            kmsKeyId: LOGS_KEY,
        });
        assert.deepStrictEqual(one(resources, T.logGroup, "reports-logs").inputs, {
            name: "/aws/microservices/reports",
            retentionInDays: 7,
            kmsKeyId: LOGS_KEY,
        });
        const order = outputs.order as Record<string, string>;
        assert.strictEqual(order.roleArn, one(resources, T.role, "order-role").outputs.arn);
        assert.strictEqual(order.roleName, "platform-dev-svc-order");
        assert.strictEqual(order.logGroupName, "/aws/microservices/order");
        assert.strictEqual(order.logGroupArn, one(resources, T.logGroup, "order-logs").outputs.arn);
    });

    it("parents every child on the component: a role, its policy and the log group, nothing else", async () => {
        const { resources } = await both();
        const component = one(resources, T.component, "order");
        assert.deepStrictEqual(
            childrenOf(resources, component)
                .map((r) => `${r.type} ${r.name}`)
                .sort(),
            [`${T.logGroup} order-logs`, `${T.role} order-role`, `${T.rolePolicy} order-grants`],
        );
    });
});

describe("ServiceAwsIdentity under the service-account-roles-least-privilege policy", () => {
    it("passes: one service account in the trust, exact actions in the policy", async () => {
        const { resources } = await both();
        assert.deepStrictEqual(await runPolicies(resources, [serviceAccountRolesLeastPrivilege]), []);
    });

    it("fails once a grant is broadened to a whole service, naming the role and the action", async () => {
        const { resources } = await both();
        const broadened = resources.map((r): RecordedResource => {
            if (r.type !== T.rolePolicy || r.name !== "order-grants") return r;
            const doc = JSON.parse(r.inputs.policy);
            doc.Statement[0].Action = ["sqs:*"];
            const policy = JSON.stringify(doc);
            return { ...r, inputs: { ...r.inputs, policy }, outputs: { ...r.outputs, policy } };
        });
        const violations = await runPolicies(broadened, [serviceAccountRolesLeastPrivilege]);
        assert.deepStrictEqual(
            violations.map((v) => [v.urn, v.message]),
            [
                [
                    one(resources, T.role, "order-role").urn,
                    `IAM role "order-role" is assumed by web identity from ${OIDC_ISSUER}, and role policy "order-grants" allows action "sqs:*".`,
                ],
            ],
        );
    });
});

describe("serviceAwsIdentityProblems", () => {
    it("accepts the fixtures", () => {
        assert.deepStrictEqual(serviceAwsIdentityProblems(ORDER), []);
        assert.deepStrictEqual(serviceAwsIdentityProblems(REPORTS), []);
    });

    const tooLong = `platform-production-eu-central-1-svc-${"recommendations".repeat(2)}`;
    const cases: [string, Partial<ServiceAwsIdentityArgs>, string[]][] = [
        [
            "a role name over IAM's 64 characters",
            { roleName: tooLong },
            [
                `roleName must be 1 to 64 letters, digits or '+=,.@_-'; received "${tooLong}" (${tooLong.length} characters). Fix: shorten the prefix or the service name`,
            ],
        ],
        [
            "a role name with a character IAM refuses",
            { roleName: "platform/dev/order" },
            [
                `roleName must be 1 to 64 letters, digits or '+=,.@_-'; received "platform/dev/order" (18 characters). Fix: shorten the prefix or the service name`,
            ],
        ],
        [
            "names that are not DNS labels",
            { service: "Order", namespace: "services_dev", serviceAccount: "" },
            [
                'service must be a lowercase DNS label; received "Order"',
                'namespace must be a lowercase DNS label; received "services_dev"',
                'serviceAccount must be a lowercase DNS label; received ""',
            ],
        ],
        [
            "a retention CloudWatch Logs does not offer",
            { logs: { kmsKeyArn: LOGS_KEY, retentionDays: 31 } },
            [`logs.retentionDays must be a CloudWatch Logs retention (${LOG_RETENTION_DAYS.join(", ")}); received 31`],
        ],
        [
            "a Kafka consumer without its group",
            {
                grants: {
                    kafka: { clusterArn: GRANT_ARNS.kafkaCluster, consumeTopicArns: [GRANT_ARNS.kafkaPayments] },
                },
            },
            [
                "grants.kafka.groupArn is required when consumeTopicArns are given: consumers commit offsets in their group",
            ],
        ],
    ];
    for (const [what, change, expected] of cases) {
        it(`refuses ${what}`, () => {
            assert.deepStrictEqual(serviceAwsIdentityProblems({ ...ORDER, ...change }), expected);
        });
    }

    it("throws every problem at once, naming the component, before registering any child", async () => {
        const r = await run(["order", { ...ORDER, roleName: tooLong, service: "Order" }]);
        assert.strictEqual(
            r.error?.message,
            `ServiceAwsIdentity order: service must be a lowercase DNS label; received "Order"; roleName must be 1 to 64 letters, digits or '+=,.@_-'; received "${tooLong}" (${tooLong.length} characters). Fix: shorten the prefix or the service name`,
        );
        assert.deepStrictEqual(ofType(r.resources, T.role), []);
        assert.deepStrictEqual(ofType(r.resources, T.logGroup), []);
    });
});
