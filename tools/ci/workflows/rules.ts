/**
 * What a workflow of this repository may do: the allowlisted actions with their commit pins, no secret,
 * the runner each stack job runs on, the triggers and inputs it must not use, and what looks like a
 * credential. Data for the checks in
 * `checks.ts`; changing a rule here changes the audit and its messages together.
 */

/** The Pulumi CLI version file `pulumi/actions` must install from; it must equal `@pulumi/pulumi`. */
export const PULUMI_VERSION_FILE = ".github/pulumi.version";

/** The stacks every workflow set previews, deploys and checks for drift. */
export const STACKS = ["dev", "prod"] as const;

/** An allowlisted action: the release it is pinned to and that release's commit. */
export interface PinnedAction {
    /** The release tag, which the `uses:` line names in a trailing comment (`# v7.0.1`). */
    readonly version: string;
    /** The full commit SHA the release tag points at: what `uses:` names, since a tag can be moved. */
    readonly sha: string;
}

/**
 * Every action a workflow may use, pinned by commit. Each SHA is what the release tag resolves to in the
 * action's repository (`git rev-parse <tag>^{commit}`), read 2026-12-02; update both fields together.
 */
export const PINNED_ACTIONS: Readonly<Record<string, PinnedAction>> = {
    "actions/checkout": { version: "v7.0.1", sha: "3d3c42e5aac5ba805825da76410c181273ba90b1" },
    "actions/download-artifact": { version: "v8.0.1", sha: "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c" },
    "actions/github-script": { version: "v8.0.0", sha: "ed597411d8f924073f98dfc5c65a23a2325f34cd" },
    "actions/setup-node": { version: "v7.0.0", sha: "820762786026740c76f36085b0efc47a31fe5020" },
    "actions/upload-artifact": { version: "v7.0.0", sha: "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f" },
    "aws-actions/configure-aws-credentials": { version: "v6.2.3", sha: "e6de054238d6b7531b4efff3b6587d9aade6a06c" },
    "google-github-actions/auth": { version: "v3.0.0", sha: "7c6bc770dae815cd3e89ee6cdf493a5fab2cc093" },
    "pulumi/actions": { version: "v7.0.0", sha: "8e5e406f4007fca908480587cb9893c07090f58d" },
    "pulumi/auth-actions": { version: "v2.1.0", sha: "141415910c3beb54e03b48e9057c204c97b956f2" },
};

/**
 * Actions that exchange the job's OIDC token for short-lived credentials: AWS, GCP, and Pulumi Cloud
 * (`pulumi/auth-actions`, which exports a short-lived `PULUMI_ACCESS_TOKEN` to the later steps).
 */
export const OIDC_ACTIONS = [
    "aws-actions/configure-aws-credentials",
    "google-github-actions/auth",
    "pulumi/auth-actions",
] as const;

/** What `pulumi/auth-actions` requests: an organization token (Pulumi Cloud Team edition and above). */
export const PULUMI_TOKEN_TYPE = "urn:pulumi:token-type:access_token:organization";

/** Where the Pulumi organization comes from: a repository variable, not a secret. */
export const PULUMI_ORGANIZATION = "${{ vars.PULUMI_ORGANIZATION }}";

/** The secrets a workflow may read: none. Pulumi Cloud and both clouds are reached through OIDC. */
export const ALLOWED_SECRETS: readonly string[] = [];

/**
 * The `runs-on` label of a job that operates on `stack`: the CodeBuild-hosted runner the stack creates in
 * its primary VPC (program/layers/cicd.ts names the project `platform-<stack>-deployer`), the only place
 * both private cluster APIs are reachable from.
 */
export function runnerLabel(stack: string): string {
    return `codebuild-platform-${stack}-deployer-\${{ github.run_id }}-\${{ github.run_attempt }}`;
}

/** The preview summary a preview job writes for a stack, and the artifact the comment job reads it from. */
export function previewSummary(stack: string): { file: string; artifact: string } {
    return { file: `preview-${stack}.md`, artifact: `preview-${stack}` };
}

/** The only permission a job that comments on the pull request holds. */
export const COMMENT_PERMISSIONS = { "pull-requests": "write" } as const;

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
    {
        what: "a static Pulumi access token; get a short-lived one with pulumi/auth-actions",
        pattern: /PULUMI_ACCESS_TOKEN\s*:/,
    },
    { what: "an AWS access key id", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
    { what: "a private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
    { what: "a GCP service account key", pattern: /"type"\s*:\s*"service_account"|\bprivate_key_id\b/ },
    { what: "a Pulumi access token", pattern: /\bpul-[0-9a-f]{40}\b/ },
    { what: "a GitHub token", pattern: /\b(ghp|gho|ghs|ghu|github_pat)_[A-Za-z0-9_]{20,}/ },
    { what: "a password", pattern: /\bpassword\s*[:=]/i },
];

/** The commands a step may run, as the audit's messages list them. */
export const ALLOWED_COMMANDS = "npm ci, npm test, .ci/run, npm run <script> -- <args>";
