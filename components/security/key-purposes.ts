/**
 * What each customer-managed key is for, and who may use it on each cloud. Pure data and functions:
 * the KMS components and their tests share them.
 */

/** One key per purpose and region, so that a compromised or disabled key has a small blast radius. */
export const KEY_PURPOSES = ["kubernetes", "database", "messaging", "logs", "backups"] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

/**
 * AWS services that may use a key on a caller's behalf (`kms:ViaService`), AWS-managed-key style: any
 * principal of this account may use the key through these services, without a KMS grant in its own IAM
 * policy. What it can reach is then bounded by its permissions on the service (which queue, which table),
 * not on the key; a principal that calls KMS directly still needs its own IAM permission.
 */
export const AWS_VIA_SERVICES: Record<KeyPurpose, readonly string[]> = {
    kubernetes: ["eks", "ec2"],
    database: ["rds", "dynamodb", "elasticache", "secretsmanager"],
    messaging: ["kafka", "sns", "sqs", "events"],
    logs: [],
    backups: ["s3", "backup", "dynamodb"],
};

/**
 * AWS service principals that call KMS directly (not through a caller's grant): SNS and EventBridge
 * publishing to encrypted queues and topics. CloudWatch Logs is handled separately because it needs a
 * regional principal and an encryption-context condition.
 */
export const AWS_SERVICE_PRINCIPALS: Record<KeyPurpose, readonly string[]> = {
    kubernetes: [],
    database: [],
    messaging: ["sns.amazonaws.com", "events.amazonaws.com"],
    logs: [],
    backups: [],
};

/**
 * GCP service agents (`service-<project number>@<domain>`) that must encrypt and decrypt with the key
 * for CMEK to work on the services of each purpose.
 */
export const GCP_SERVICE_AGENT_DOMAINS: Record<KeyPurpose, readonly string[]> = {
    kubernetes: ["container-engine-robot.iam.gserviceaccount.com", "compute-system.iam.gserviceaccount.com"],
    database: [
        "gcp-sa-cloud-sql.iam.gserviceaccount.com",
        "cloud-redis.iam.gserviceaccount.com",
        // The services' credentials copied to Secret Manager (components/data/service-credentials.ts).
        "gcp-sa-secretmanager.iam.gserviceaccount.com",
    ],
    messaging: ["gcp-sa-pubsub.iam.gserviceaccount.com"],
    logs: ["gs-project-accounts.iam.gserviceaccount.com"],
    backups: ["gs-project-accounts.iam.gserviceaccount.com", "gcp-sa-bigtable.iam.gserviceaccount.com"],
};

export interface KeyPolicyContext {
    readonly partition: string;
    readonly accountId: string;
    readonly region: string;
}

const USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

/**
 * The key policy for one purpose. The account root statement keeps the key administrable through IAM
 * (without it a key can become unmanageable); everything else is narrowed to the purpose's services.
 */
export function awsKeyPolicy(purpose: KeyPurpose, ctx: KeyPolicyContext): Record<string, unknown> {
    const { partition, accountId, region } = ctx;
    const statements: Record<string, unknown>[] = [
        {
            Sid: "AccountAdministration",
            Effect: "Allow",
            Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
            Action: "kms:*",
            Resource: "*",
        },
    ];
    const via = AWS_VIA_SERVICES[purpose];
    if (via.length > 0) {
        statements.push({
            Sid: "UseThroughPurposeServices",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: [...USE_ACTIONS, "kms:CreateGrant", "kms:ListGrants"],
            Resource: "*",
            Condition: {
                StringEquals: {
                    "kms:CallerAccount": accountId,
                    "kms:ViaService": via.map((s) => `${s}.${region}.amazonaws.com`),
                },
            },
        });
    }
    const principals = AWS_SERVICE_PRINCIPALS[purpose];
    if (principals.length > 0) {
        statements.push({
            Sid: "ServicePrincipals",
            Effect: "Allow",
            Principal: { Service: [...principals] },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
        });
    }
    if (purpose === "logs") {
        statements.push({
            Sid: "CloudWatchLogs",
            Effect: "Allow",
            Principal: { Service: `logs.${region}.amazonaws.com` },
            Action: USE_ACTIONS,
            Resource: "*",
            Condition: {
                ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${accountId}:*` },
            },
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}

/** Service agent members for a purpose, deduplicated. */
export function gcpServiceAgents(purpose: KeyPurpose, projectNumber: string): string[] {
    return [...new Set(GCP_SERVICE_AGENT_DOMAINS[purpose])].map((d) => `serviceAccount:service-${projectNumber}@${d}`);
}
