/** Roles pods assume grant no whole-service action, and an IRSA trust names one service account and the STS audience. */
import * as assert from "assert";
import { serviceAccountRolesLeastPrivilege } from "../../../policy/policies/workloads";
import { evaluated } from "../../../harness/stacks";
import { check, messages, resource } from "../fixtures";

const ISSUER = "oidc.eks.us-east-1.amazonaws.com/id/ABC123";
const OIDC_ARN = `arn:aws:iam::123456789012:oidc-provider/${ISSUER}`;
const SUBJECT = "system:serviceaccount:services-prod:orders";
const ROLE_ARN = "arn:aws:iam::123456789012:role/orders";

const irsaTrust = (change: (s: any) => void = () => {}) => {
    const statement: any = {
        Effect: "Allow",
        Principal: { Federated: OIDC_ARN },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [`${ISSUER}:sub`]: SUBJECT, [`${ISSUER}:aud`]: "sts.amazonaws.com" } },
    };
    change(statement);
    return JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
};
const role = (assumeRolePolicy: string, extra: Record<string, unknown> = {}) =>
    resource(
        "aws:iam/role:Role",
        "orders",
        { assumeRolePolicy, ...extra },
        {
            outputs: { assumeRolePolicy, name: "orders-1a2b", arn: ROLE_ARN, ...extra },
        },
    );
const document = (...actions: string[]) =>
    JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: actions, Resource: "arn:aws:sqs:us-east-1:123456789012:orders" }],
    });
const rolePolicy = (policy: string) =>
    resource("aws:iam/rolePolicy:RolePolicy", "orders-access", { role: "orders-1a2b", policy });
const GOOD = document("sqs:ReceiveMessage", "sqs:DeleteMessage", "kms:GenerateDataKey*");
const IRSA = `IAM role "orders" is assumed by web identity from ${ISSUER}, and `;

describe("policy service-account-roles-least-privilege", () => {
    it("passes an IRSA role trusting one service account, with scoped actions", async () => {
        assert.deepStrictEqual(
            await check(serviceAccountRolesLeastPrivilege, [role(irsaTrust()), rolePolicy(GOOD)]),
            [],
        );
    });

    const trustCases: [string, (s: any) => void, string][] = [
        ["no condition", (s) => delete s.Condition, `its trust has no StringEquals condition on "${ISSUER}:sub"`],
        [
            "a StringLike subject wildcard",
            (s) => {
                delete s.Condition.StringEquals[`${ISSUER}:sub`];
                s.Condition.StringLike = { [`${ISSUER}:sub`]: "system:serviceaccount:services-prod:*" };
            },
            `its trust matches "${ISSUER}:sub" with StringLike; its trust has no StringEquals condition on "${ISSUER}:sub"`,
        ],
        [
            "a subject that is not one service account",
            (s) => (s.Condition.StringEquals[`${ISSUER}:sub`] = "system:serviceaccount:services-prod:*"),
            `its trust trusts subject "system:serviceaccount:services-prod:*", not system:serviceaccount:<namespace>:<name>`,
        ],
        [
            "no audience condition",
            (s) => delete s.Condition.StringEquals[`${ISSUER}:aud`],
            `its trust does not require StringEquals "${ISSUER}:aud" = "sts.amazonaws.com"`,
        ],
    ];
    for (const [what, change, problem] of trustCases) {
        it(`catches an IRSA trust with ${what}`, async () => {
            const r = role(irsaTrust(change));
            const vs = await check(serviceAccountRolesLeastPrivilege, [r, rolePolicy(GOOD)]);
            assert.deepStrictEqual(
                vs.map((v) => [v.urn, v.message]),
                [[r.urn, `${IRSA}${problem}.`]],
            );
        });
    }

    const grantCases: [string, string, string][] = [
        ["*", document("*"), 'role policy "orders-access" allows action "*"'],
        ["a whole service", document("sqs:ReceiveMessage", "s3:*"), 'role policy "orders-access" allows action "s3:*"'],
        [
            "NotAction",
            JSON.stringify({ Statement: [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }] }),
            'role policy "orders-access" allows NotAction "iam:*"',
        ],
    ];
    for (const [what, policy, problem] of grantCases) {
        it(`catches a role policy granting ${what}`, async () => {
            const vs = await check(serviceAccountRolesLeastPrivilege, [role(irsaTrust()), rolePolicy(policy)]);
            assert.deepStrictEqual(messages(vs), [`${IRSA}${problem}.`]);
        });
    }

    it("ignores a Deny of a whole service, and judges inline policies, customer policies and broad managed policies", async () => {
        const deny = JSON.stringify({ Statement: [{ Effect: "Deny", Action: "s3:*", Resource: "*" }] });
        assert.deepStrictEqual(
            await check(serviceAccountRolesLeastPrivilege, [role(irsaTrust()), rolePolicy(deny)]),
            [],
        );
        const inline = role(irsaTrust(), { inlinePolicies: [{ name: "inline", policy: document("sqs:*") }] });
        assert.deepStrictEqual(messages(await check(serviceAccountRolesLeastPrivilege, [inline])), [
            `${IRSA}inline policy "inline" allows action "sqs:*".`,
        ]);
        const policyArn = "arn:aws:iam::123456789012:policy/orders";
        const customer = resource(
            "aws:iam/policy:Policy",
            "orders-policy",
            { policy: document("dynamodb:*") },
            {
                outputs: { policy: document("dynamodb:*"), arn: policyArn },
            },
        );
        const attach = (arn: string) =>
            resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "orders-attach", {
                role: "orders-1a2b",
                policyArn: arn,
            });
        assert.deepStrictEqual(
            messages(await check(serviceAccountRolesLeastPrivilege, [role(irsaTrust()), customer, attach(policyArn)])),
            [`${IRSA}policy "orders-policy" allows action "dynamodb:*".`],
        );
        const admin = "arn:aws:iam::aws:policy/AdministratorAccess";
        assert.deepStrictEqual(
            messages(await check(serviceAccountRolesLeastPrivilege, [role(irsaTrust()), attach(admin)])),
            [`${IRSA}managed policy ${admin} grants whole services.`],
        );
    });

    it("judges EKS Pod Identity roles: the trust's two actions, and the grants", async () => {
        const podTrust = (actions: string[]) =>
            JSON.stringify({
                Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: actions }],
            });
        const good = role(podTrust(["sts:AssumeRole", "sts:TagSession"]));
        assert.deepStrictEqual(await check(serviceAccountRolesLeastPrivilege, [good, rolePolicy(GOOD)]), []);
        assert.deepStrictEqual(
            messages(await check(serviceAccountRolesLeastPrivilege, [good, rolePolicy(document("sqs:*"))])),
            [
                'IAM role "orders" is assumed through EKS Pod Identity, and role policy "orders-access" allows action "sqs:*".',
            ],
        );
        assert.deepStrictEqual(
            messages(await check(serviceAccountRolesLeastPrivilege, [role(podTrust(["sts:AssumeRole"]))])),
            [
                'IAM role "orders" is assumed through EKS Pod Identity, and its trust lets pods.eks.amazonaws.com assume it without sts:TagSession.',
            ],
        );
        // A role named by an association is a Pod Identity role whatever its trust says.
        const ec2 = JSON.stringify({
            Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
        });
        const association = resource("aws:eks/podIdentityAssociation:PodIdentityAssociation", "orders", {
            clusterName: "eks",
            namespace: "services-prod",
            serviceAccount: "orders",
            roleArn: ROLE_ARN,
        });
        assert.deepStrictEqual(
            messages(
                await check(serviceAccountRolesLeastPrivilege, [role(ec2), association, rolePolicy(document("*"))]),
            ),
            [
                'IAM role "orders" is assumed through EKS Pod Identity, and role policy "orders-access" allows action "*".',
            ],
        );
        assert.deepStrictEqual(
            await check(serviceAccountRolesLeastPrivilege, [role(ec2), rolePolicy(document("*"))]),
            [],
        );
    });

    it("passes today's platform roles, and does judge the EBS CSI driver's IRSA role and its KMS policy", async () => {
        const { run, violations } = await evaluated("prod");
        assert.deepStrictEqual(
            violations.filter((v) => v.policy === serviceAccountRolesLeastPrivilege.name),
            [],
        );
        const widened = run.resources.map((r) =>
            r.name === "eks-ebs-csi-kms" ? { ...r, outputs: { ...r.outputs, policy: document("kms:*") } } : r,
        );
        // The issuer's id is the mock's resource counter: read it from the plan, not from a count of resources.
        const issuer = run.resources.find((r) => r.type === "eks:index:Cluster" && r.name === "eks-cluster")!.outputs
            .oidcIssuer;
        assert.match(issuer, /^oidc\.eks\.unknown-region\.amazonaws\.com\/id\/EKS-CLUSTER-[0-9A-F]{6}$/);
        assert.deepStrictEqual(messages(await check(serviceAccountRolesLeastPrivilege, widened)), [
            `IAM role "eks-ebs-csi" is assumed by web identity from ${issuer}, ` +
                'and role policy "eks-ebs-csi-kms" allows action "kms:*".',
        ]);
    });
});
