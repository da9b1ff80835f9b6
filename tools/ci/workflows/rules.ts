/**
 * What a workflow of this repository may do: the allowlisted actions with their pins, the only secret,
 * the triggers and inputs it must not use, and what looks like a credential. Data for the checks in
 * `checks.ts`; changing a rule here changes the audit and its messages together.
 */

/** The Pulumi CLI version file `pulumi/actions` must install from; it must equal `@pulumi/pulumi`. */
export const PULUMI_VERSION_FILE = ".github/pulumi.version";

/** The stacks every workflow set previews, deploys and checks for drift. */
export const STACKS = ["dev", "prod"] as const;

/** Every action a workflow may use, with the major tag it is pinned to (a commit SHA is accepted too). */
export const PINNED_ACTIONS: Readonly<Record<string, string>> = {
    "actions/checkout": "v7",
    "actions/setup-node": "v7",
    "actions/upload-artifact": "v7",
    "aws-actions/configure-aws-credentials": "v6",
    "google-github-actions/auth": "v3",
    "pulumi/actions": "v7",
};

/** Actions that exchange the job's OIDC token for cloud credentials. */
export const OIDC_ACTIONS = ["aws-actions/configure-aws-credentials", "google-github-actions/auth"] as const;

/** The only secret a workflow reads: the Pulumi backend token. Cloud access is OIDC, never a stored key. */
export const ALLOWED_SECRETS = ["PULUMI_ACCESS_TOKEN"];

/** Action inputs that take a long-lived cloud credential instead of an OIDC exchange. */
export const KEY_INPUTS = ["aws-access-key-id", "aws-secret-access-key", "aws-session-token", "credentials_json"];

/** Triggers that run with this repository's secrets and cache for code or input nobody reviewed. */
export const UNTRUSTED_TRIGGERS = [
    "pull_request_target",
    "workflow_run",
    "issue_comment",
    "pull_request_review_comment",
];

/** Values that look like a credential, wherever they appear in the file (comments included). */
export const CREDENTIAL_PATTERNS: readonly { readonly what: string; readonly pattern: RegExp }[] = [
    { what: "an AWS access key id", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
    { what: "a private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
    { what: "a GCP service account key", pattern: /"type"\s*:\s*"service_account"|\bprivate_key_id\b/ },
    { what: "a Pulumi access token", pattern: /\bpul-[0-9a-f]{40}\b/ },
    { what: "a GitHub token", pattern: /\b(ghp|gho|ghs|ghu|github_pat)_[A-Za-z0-9_]{20,}/ },
    { what: "a password", pattern: /\bpassword\s*[:=]/i },
];

/** The commands a step may run, as the audit's messages list them. */
export const ALLOWED_COMMANDS = "npm ci, npm test, .ci/run, npm run <script> -- <args>";
