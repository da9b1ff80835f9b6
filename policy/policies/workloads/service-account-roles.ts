/**
 * IAM roles that pods assume (IRSA web identity, or EKS Pod Identity) hold no whole-service grants and are
 * tied to their service account: the least privilege a per-service role exists for. Other roles (node
 * roles, service-principal roles) are for other policies.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { known } from "../util";
import { broadGrants, podIdentityTrust, webIdentityStatements, webIdentityTrustProblems } from "./iam-documents";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const POLICY = "aws:iam/policy:Policy";
const POD_IDENTITY = "aws:eks/podIdentityAssociation:PodIdentityAssociation";

/**
 * AWS-managed policies whose documents are not in the plan but are known to grant whole services or
 * everything (their documents: https://docs.aws.amazon.com/aws-managed-policy/latest/reference/).
 */
export const BROAD_MANAGED_POLICIES = [
    "arn:aws:iam::aws:policy/AdministratorAccess",
    "arn:aws:iam::aws:policy/PowerUserAccess",
    "arn:aws:iam::aws:policy/IAMFullAccess",
    "arn:aws:iam::aws:policy/AmazonS3FullAccess",
    "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess",
    "arn:aws:iam::aws:policy/AmazonSQSFullAccess",
    "arn:aws:iam::aws:policy/AmazonSNSFullAccess",
    "arn:aws:iam::aws:policy/SecretsManagerReadWrite",
];

type Config = { broadManagedPolicyArns: string[] };

const prop = (r: PolicyResource, key: string): any => known(() => r.props[key]);

/** A role policy or attachment with what ties it to its role: recorded dependencies, or the role's name. */
interface RoleLink {
    readonly r: PolicyResource;
    readonly roleUrns: ReadonlySet<string>;
    readonly roleName: unknown;
}

/** The plan's role policies, attachments and managed policies, read once for every role. */
interface RoleIndex {
    readonly rolePolicies: readonly RoleLink[];
    readonly attachments: readonly RoleLink[];
    readonly policiesByArn: ReadonlyMap<unknown, PolicyResource>;
}

function roleIndex(resources: readonly PolicyResource[]): RoleIndex {
    const link = (r: PolicyResource): RoleLink => ({
        r,
        roleUrns: new Set((r.propertyDependencies.role ?? []).map((d) => d.urn)),
        roleName: prop(r, "role"),
    });
    return {
        rolePolicies: resources.filter((r) => r.type === ROLE_POLICY).map(link),
        attachments: resources.filter((r) => r.type === ATTACHMENT).map(link),
        policiesByArn: new Map(resources.filter((r) => r.type === POLICY).map((r) => [prop(r, "arn"), r])),
    };
}

/** The links that belong to `role`: by recorded dependency, or by the role's name or id. */
function linksOf(links: readonly RoleLink[], role: PolicyResource): PolicyResource[] {
    const names = [prop(role, "name"), prop(role, "id")].filter((n) => n !== undefined);
    return links.filter((l) => l.roleUrns.has(role.urn) || names.includes(l.roleName)).map((l) => l.r);
}

/** Every whole-service grant in the role's policies, named by where it is. */
function grantProblems(role: PolicyResource, index: RoleIndex, config: Config): string[] {
    const problems: string[] = [];
    const judge = (where: string, doc: unknown) => {
        for (const g of broadGrants(doc)) problems.push(`${where} allows ${g}`);
    };
    for (const p of (prop(role, "inlinePolicies") as any[] | undefined) ?? []) {
        judge(`inline policy "${p?.name ?? "?"}"`, p?.policy);
    }
    for (const rp of linksOf(index.rolePolicies, role)) {
        judge(`role policy "${rp.name}"`, prop(rp, "policy"));
    }
    const attached = [
        ...linksOf(index.attachments, role).map((a) => prop(a, "policyArn")),
        ...((prop(role, "managedPolicyArns") as string[] | undefined) ?? []),
    ];
    for (const arn of attached.filter((a): a is string => typeof a === "string")) {
        const policy = index.policiesByArn.get(arn);
        if (policy) judge(`policy "${policy.name}"`, prop(policy, "policy"));
        else if (config.broadManagedPolicyArns.includes(arn))
            problems.push(`managed policy ${arn} grants whole services`);
    }
    return problems;
}

export const serviceAccountRolesLeastPrivilege: StackValidationPolicy = {
    name: "service-account-roles-least-privilege",
    description:
        "Roles pods assume (IRSA, EKS Pod Identity) grant no * or service:* action, and an IRSA trust names one service account and the STS audience.",
    enforcementLevel: "mandatory",
    tags: ["access"],
    configSchema: {
        properties: {
            broadManagedPolicyArns: {
                type: "array",
                items: { type: "string" },
                default: BROAD_MANAGED_POLICIES,
                description: "AWS-managed policy ARNs refused on such roles (their documents are not in the plan).",
            },
        },
    },
    remediationSteps:
        "Grant each service's role the exact actions on its own ARNs (no '*', no 'service:*', no NotAction). " +
        "For IRSA, condition the trust with StringEquals on '<issuer>:sub' = " +
        "'system:serviceaccount:<namespace>:<name>' and '<issuer>:aud' = 'sts.amazonaws.com'. For EKS Pod " +
        "Identity, trust pods.eks.amazonaws.com with sts:AssumeRole and sts:TagSession.",
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<Config>();
        const associated = new Set(
            args.resources.filter((r) => r.type === POD_IDENTITY).map((a) => prop(a, "roleArn") as unknown),
        );
        const index = roleIndex(args.resources);
        for (const role of args.resources.filter((r) => r.type === ROLE)) {
            const trust = prop(role, "assumeRolePolicy");
            const webIdentity = webIdentityStatements(trust);
            const podIdentity = podIdentityTrust(trust);
            const byPodIdentity = podIdentity.trusted || associated.has(prop(role, "arn"));
            if (webIdentity.length === 0 && !byPodIdentity) continue;
            const how = [
                ...(webIdentity.length > 0
                    ? [`by web identity from ${[...new Set(webIdentity.map((w) => w.issuer))].join(", ")}`]
                    : []),
                ...(byPodIdentity ? ["through EKS Pod Identity"] : []),
            ].join(" and ");
            const problems = [
                ...[...webIdentityTrustProblems(trust), ...podIdentity.problems].map((p) => `its trust ${p}`),
                ...grantProblems(role, index, config),
            ];
            if (problems.length > 0) {
                reportViolation(`IAM role "${role.name}" is assumed ${how}, and ${problems.join("; ")}.`, role.urn);
            }
        }
    },
};
