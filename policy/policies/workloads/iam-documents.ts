/**
 * Reading IAM policy documents for the service-account role policy: which actions are whole-service
 * wildcards, and whether a web-identity trust is tied to one Kubernetes service account. IRSA's trust form is
 * https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html (StringEquals on
 * `<issuer>:sub` = `system:serviceaccount:<namespace>:<name>` and `<issuer>:aud` = `sts.amazonaws.com`);
 * EKS Pod Identity's is https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html
 * (`pods.eks.amazonaws.com` with `sts:AssumeRole` and `sts:TagSession`).
 */
import { decodeJsonInput } from "../util";

type Statement = Record<string, any>;

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The statements of a document given as a JSON string or an object; none if it is not one. */
export function statementsOf(doc: unknown): Statement[] {
    const parsed = decodeJsonInput(doc);
    return list(parsed?.Statement).filter((s): s is Statement => typeof s === "object" && s !== null);
}

/**
 * What an Allow statement grants too broadly: `*`, a whole service (`s3:*`), or everything but a list
 * (`NotAction`). Partial wildcards such as `kms:GenerateDataKey*` name one operation family and pass.
 */
export function broadGrants(doc: unknown): string[] {
    const found: string[] = [];
    for (const s of statementsOf(doc).filter((s) => s.Effect === "Allow")) {
        for (const a of list(s.Action).map(String)) {
            if (a === "*" || /^[^:]+:\*$/.test(a)) found.push(`action "${a}"`);
        }
        if (s.NotAction !== undefined) found.push(`NotAction ${JSON.stringify(s.NotAction)}`);
    }
    return found;
}

/** `oidc.eks.us-east-1.amazonaws.com/id/X` from an OIDC provider ARN, or the principal itself (`accounts.google.com`). */
export const issuerOf = (federated: string): string => federated.replace(/^arn:[^:]+:iam::\d*:oidc-provider\//, "");

/** The values a condition block gives a key under one operator (keys compare case-insensitively, as IAM does). */
function conditionValues(condition: any, operator: string, key: string): string[] | undefined {
    const block = condition?.[operator];
    if (!block || typeof block !== "object") return undefined;
    const hit = Object.keys(block).find((k) => k.toLowerCase() === key.toLowerCase());
    return hit === undefined ? undefined : list(block[hit]).map(String);
}

const SERVICE_ACCOUNT_SUBJECT = /^system:serviceaccount:[a-z0-9]([-a-z0-9.]*[a-z0-9])?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** The Allow statements that let a web identity assume the role, with the issuer each trusts. */
export function webIdentityStatements(trust: unknown): { issuer: string; statement: Statement }[] {
    return statementsOf(trust)
        .filter((s) => s.Effect === "Allow" && list(s.Action).includes("sts:AssumeRoleWithWebIdentity"))
        .flatMap((s) => list(s.Principal?.Federated).map((f) => ({ issuer: issuerOf(String(f)), statement: s })));
}

/**
 * Why a web-identity trust is not tied to one identity: the subject must be matched exactly; a Kubernetes
 * issuer (an EKS OIDC provider, or a subject naming a service account) must name one service account and
 * the STS audience.
 */
export function webIdentityTrustProblems(trust: unknown): string[] {
    const problems: string[] = [];
    for (const { issuer, statement } of webIdentityStatements(trust)) {
        const sub = `${issuer}:sub`;
        const condition = statement.Condition;
        for (const op of Object.keys(condition ?? {}).filter((op) => op !== "StringEquals")) {
            if (conditionValues(condition, op, sub)) problems.push(`matches "${sub}" with ${op}`);
        }
        const subjects = conditionValues(condition, "StringEquals", sub);
        if (!subjects || subjects.length === 0) {
            problems.push(`has no StringEquals condition on "${sub}"`);
            continue;
        }
        const kubernetes =
            issuer.startsWith("oidc.eks.") || subjects.some((s) => s.startsWith("system:serviceaccount:"));
        if (!kubernetes) continue;
        for (const s of subjects.filter((s) => !SERVICE_ACCOUNT_SUBJECT.test(s))) {
            problems.push(`trusts subject "${s}", not system:serviceaccount:<namespace>:<name>`);
        }
        const audiences = conditionValues(condition, "StringEquals", `${issuer}:aud`);
        if (!audiences || audiences.length !== 1 || audiences[0] !== "sts.amazonaws.com") {
            problems.push(`does not require StringEquals "${issuer}:aud" = "sts.amazonaws.com"`);
        }
    }
    return problems;
}

/** Whether the trust lets EKS Pod Identity assume the role, and what it lacks of the documented form. */
export function podIdentityTrust(trust: unknown): { trusted: boolean; problems: string[] } {
    const statements = statementsOf(trust).filter(
        (s) => s.Effect === "Allow" && list(s.Principal?.Service).includes("pods.eks.amazonaws.com"),
    );
    const actions = new Set(statements.flatMap((s) => list(s.Action).map(String)));
    const missing = ["sts:AssumeRole", "sts:TagSession"].filter((a) => !actions.has(a));
    return {
        trusted: statements.length > 0,
        problems:
            statements.length > 0 && missing.length > 0
                ? [`lets pods.eks.amazonaws.com assume it without ${missing.join(", ")}`]
                : [],
    };
}
