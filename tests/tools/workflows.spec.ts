import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";

// The GitHub Actions workflows may only run the project's own commands, use pinned actions from an
// allowlist, reach the clouds through OIDC and hold no credential. `audit` collects every problem of a
// workflow file; the real files must have none, and each case below changes one thing in a real
// workflow and expects the exact complaint.

const ROOT = path.resolve(__dirname, "../..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const PULUMI_VERSION_FILE = ".github/pulumi.version";
const STACKS = ["dev", "prod"] as const;

/** Every action a workflow may use, with the major tag it is pinned to (a commit SHA is accepted too). */
const PINNED_ACTIONS: Readonly<Record<string, string>> = {
    "actions/checkout": "v7",
    "actions/setup-node": "v7",
    "actions/upload-artifact": "v7",
    "aws-actions/configure-aws-credentials": "v6",
    "google-github-actions/auth": "v3",
    "pulumi/actions": "v7",
};

/** Actions that exchange the job's OIDC token for cloud credentials. */
const OIDC_ACTIONS = ["aws-actions/configure-aws-credentials", "google-github-actions/auth"] as const;

/** The only secret a workflow reads: the Pulumi backend token. Cloud access is OIDC, never a stored key. */
const ALLOWED_SECRETS = ["PULUMI_ACCESS_TOKEN"];

/** Action inputs that take a long-lived cloud credential instead of an OIDC exchange. */
const KEY_INPUTS = ["aws-access-key-id", "aws-secret-access-key", "aws-session-token", "credentials_json"];

/** Triggers that run with this repository's secrets and cache for code or input nobody reviewed. */
const UNTRUSTED_TRIGGERS = ["pull_request_target", "workflow_run", "issue_comment", "pull_request_review_comment"];

/** Values that look like a credential, wherever they appear in the file (comments included). */
const CREDENTIAL_PATTERNS: readonly { readonly what: string; readonly pattern: RegExp }[] = [
    { what: "an AWS access key id", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
    { what: "a private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
    { what: "a GCP service account key", pattern: /"type"\s*:\s*"service_account"|\bprivate_key_id\b/ },
    { what: "a Pulumi access token", pattern: /\bpul-[0-9a-f]{40}\b/ },
    { what: "a GitHub token", pattern: /\b(ghp|gho|ghs|ghu|github_pat)_[A-Za-z0-9_]{20,}/ },
    { what: "a password", pattern: /\bpassword\s*[:=]/i },
];

const ALLOWED_COMMANDS = "npm ci, npm test, .ci/run, npm run <script> -- <args>";
const EXPRESSION = /\$\{\{\s*(.*?)\s*\}\}/g;

type Dict = Record<string, unknown>;

interface Step {
    readonly name?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Dict;
    readonly env?: Dict;
    readonly shell?: string;
}

interface Job {
    readonly needs?: string | string[];
    readonly if?: string;
    readonly environment?: string | { readonly name?: string };
    readonly permissions?: string | Dict;
    readonly concurrency?: string | { readonly group?: string; readonly "cancel-in-progress"?: unknown };
    readonly strategy?: { readonly matrix?: Dict };
    readonly steps?: Step[];
    readonly uses?: string;
}

interface Workflow {
    readonly on?: unknown;
    readonly permissions?: string | Dict;
    readonly jobs?: Record<string, Job>;
}

/** One `npm run ci` operation of a job, for one matrix instance: `preview --stack dev`. */
interface CiOperation {
    readonly step: number;
    readonly operation: string;
    readonly stack: string | undefined;
}

// ---------------------------------------------------------------------------------------------------
// Reading workflows

function triggers(wf: Workflow): string[] {
    const on = wf.on;
    if (typeof on === "string") return [on];
    if (Array.isArray(on)) return on.map(String);
    return on && typeof on === "object" ? Object.keys(on) : [];
}

function jobs(wf: Workflow): [string, Job][] {
    return Object.entries(wf.jobs ?? {});
}

function steps(job: Job): Step[] {
    return job.steps ?? [];
}

function runLines(step: Step): string[] {
    return (step.run ?? "")
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== "");
}

function actionName(step: Step): string | undefined {
    return step.uses?.split("@")[0];
}

function findStep(job: Job, action: string): number {
    return steps(job).findIndex((s) => actionName(s) === action);
}

function environmentName(job: Job): string | undefined {
    return typeof job.environment === "string" ? job.environment : job.environment?.name;
}

function needsOf(job: Job): string[] {
    return job.needs === undefined ? [] : ([] as string[]).concat(job.needs);
}

/** The matrix instances of a job: the product of its axes plus its `include` rows; one empty instance without a matrix. */
function matrixInstances(job: Job): Record<string, string>[] {
    const matrix = job.strategy?.matrix;
    if (!matrix) return [{}];
    const axes = Object.entries(matrix).filter(([k, v]) => k !== "include" && k !== "exclude" && Array.isArray(v));
    let product: Record<string, string>[] = axes.length > 0 ? [{}] : [];
    for (const [axis, values] of axes) {
        product = product.flatMap((i) => (values as unknown[]).map((v) => ({ ...i, [axis]: String(v) })));
    }
    const include = Array.isArray(matrix.include) ? (matrix.include as Dict[]) : [];
    const rows = include.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)])));
    const all = [...product, ...rows];
    return all.length > 0 ? all : [{}];
}

/** Replaces `${{ matrix.x }}` by the instance's value; other expressions stay as they are. */
function expand(text: string, instance: Record<string, string>): string {
    return text.replace(EXPRESSION, (whole, body: string) => {
        const key = /^matrix\.([\w-]+)$/.exec(body)?.[1];
        return key !== undefined && instance[key] !== undefined ? instance[key] : whole;
    });
}

/** Every `npm run ci` operation of a job, expanded over its matrix. */
function ciOperations(job: Job): CiOperation[] {
    const found: CiOperation[] = [];
    for (const instance of matrixInstances(job)) {
        steps(job).forEach((step, i) => {
            for (const line of runLines(step)) {
                const words = expand(line, instance).split(/\s+/);
                if (words.slice(0, 4).join(" ") !== "npm run ci --") continue;
                const at = words.indexOf("--stack");
                found.push({ step: i, operation: words[4] ?? "", stack: at < 0 ? undefined : words[at + 1] });
            }
        });
    }
    return found;
}

/** Every run line of a job, expanded over its matrix. */
function expandedLines(job: Job): string[] {
    return matrixInstances(job).flatMap((instance) =>
        steps(job).flatMap((s) => runLines(s).map((l) => expand(l, instance))),
    );
}

// ---------------------------------------------------------------------------------------------------
// Checks every workflow must pass

/** Why a run line is not one of the project's commands, or undefined when it is. */
function runLineProblem(line: string, scripts: readonly string[]): string | undefined {
    const expressions: string[] = [];
    const masked = line.replace(EXPRESSION, (_whole, body: string) => {
        expressions.push(body);
        return "x";
    });
    // Only matrix values are interpolated: anything else (a branch name, a PR title) could inject shell.
    const foreign = expressions.find((e) => !/^matrix\.[\w-]+$/.test(e));
    if (foreign !== undefined) return `"${line}" interpolates \${{ ${foreign} }}; a command may only use matrix values`;
    const shell = /[^A-Za-z0-9 ._/=:-]/.exec(masked);
    if (shell) return `"${line}" uses shell syntax (${JSON.stringify(shell[0])}); a step runs one project command`;
    const words = masked.trim().split(/\s+/);
    const command = words.join(" ");
    if (command === "npm ci" || command === "npm test" || command === ".ci/run") return undefined;
    if (words[0] === "npm" && words[1] === "run" && words[2] !== undefined) {
        if (!scripts.includes(words[2])) {
            return `"${line}" runs npm script "${words[2]}", which package.json does not define`;
        }
        if (words.length > 3 && words[3] !== "--") {
            return `"${line}" passes arguments to npm instead of the script; put them after "--"`;
        }
        return undefined;
    }
    return `"${line}" is not a project command (allowed: ${ALLOWED_COMMANDS})`;
}

function checkTriggersAreTrusted(file: string, wf: Workflow): string[] {
    return triggers(wf)
        .filter((t) => UNTRUSTED_TRIGGERS.includes(t))
        .map(
            (t) => `${file} triggers on ${t}, which runs with this repository's secrets and cache for unreviewed code`,
        );
}

function checkCommands(file: string, wf: Workflow, scripts: readonly string[]): string[] {
    const problems: string[] = [];
    for (const [id, job] of jobs(wf)) {
        if (job.uses !== undefined) problems.push(`${file} jobs.${id} calls the reusable workflow "${job.uses}"`);
        steps(job).forEach((step, i) => {
            const where = `${file} jobs.${id}.steps[${i}]`;
            if (step.shell !== undefined) problems.push(`${where} sets shell "${step.shell}"; steps run in bash`);
            if (step.run === undefined && step.uses === undefined) problems.push(`${where} neither runs nor uses`);
            for (const line of runLines(step)) {
                const problem = runLineProblem(line, scripts);
                if (problem) problems.push(`${where}.run: ${problem}`);
            }
        });
    }
    return problems;
}

function checkActions(file: string, wf: Workflow): string[] {
    const problems: string[] = [];
    for (const [id, job] of jobs(wf)) {
        steps(job).forEach((step, i) => {
            if (step.uses === undefined) return;
            const where = `${file} jobs.${id}.steps[${i}]`;
            const [name, ref] = step.uses.split("@");
            const pinned = PINNED_ACTIONS[name];
            if (pinned === undefined) {
                problems.push(
                    `${where} uses "${step.uses}", which is not in the allowlist (${Object.keys(PINNED_ACTIONS).join(", ")})`,
                );
            } else if (ref === undefined) {
                problems.push(`${where} uses "${step.uses}" unpinned; pin it to @${pinned} or a commit SHA`);
            } else if (ref !== pinned && !/^[0-9a-f]{40}$/.test(ref)) {
                problems.push(`${where} uses "${step.uses}"; pin it to @${pinned} or a commit SHA`);
            }
            for (const key of Object.keys(step.with ?? {}).filter((k) => KEY_INPUTS.includes(k))) {
                problems.push(`${where} passes ${key}: a long-lived credential where OIDC is expected`);
            }
            if (name === "pulumi/actions") {
                // With a command the action would run pulumi itself, around tools/ci.ts and its checks.
                for (const key of Object.keys(step.with ?? {}).filter((k) => k !== "pulumi-version-file")) {
                    problems.push(`${where} passes "${key}" to pulumi/actions; it may only install the CLI`);
                }
                if (step.with?.["pulumi-version-file"] !== PULUMI_VERSION_FILE) {
                    problems.push(`${where} installs a Pulumi CLI other than the version in ${PULUMI_VERSION_FILE}`);
                }
            }
        });
    }
    return problems;
}

function checkCredentials(file: string, text: string): string[] {
    const problems: string[] = [];
    text.split("\n").forEach((line, i) => {
        for (const { what, pattern } of CREDENTIAL_PATTERNS) {
            if (pattern.test(line)) problems.push(`${file}:${i + 1} contains what looks like ${what}`);
        }
    });
    const read = new Set<string>();
    for (const [, body] of text.matchAll(EXPRESSION)) {
        for (const ref of body.matchAll(/\bsecrets\b\s*(\.\s*(\w+))?/g)) {
            if (ref[2] === undefined) problems.push(`${file} reads the secrets context as a whole ("${body}")`);
            else read.add(ref[2]);
        }
    }
    for (const name of [...read].filter((n) => !ALLOWED_SECRETS.includes(n))) {
        problems.push(`${file} reads secrets.${name}; expected only ${ALLOWED_SECRETS.join(", ")}`);
    }
    return problems;
}

function permissionProblems(where: string, permissions: string | Dict, allowed: Readonly<Dict>): string[] {
    if (typeof permissions === "string")
        return [`${where} grants "${permissions}"; expected ${listPermissions(allowed)}`];
    return Object.entries(permissions)
        .filter(([k, v]) => allowed[k] !== v)
        .map(([k, v]) => `${where} grants "${k}: ${String(v)}"; expected at most ${listPermissions(allowed)}`);
}

function listPermissions(permissions: Readonly<Dict>): string {
    return Object.entries(permissions)
        .map(([k, v]) => `${k}: ${String(v)}`)
        .join(", ");
}

function checkPermissions(file: string, wf: Workflow): string[] {
    const problems: string[] = [];
    if (wf.permissions === undefined) problems.push(`${file} sets no top-level permissions, so the token may write`);
    else problems.push(...permissionProblems(file, wf.permissions, { contents: "read" }));
    for (const [id, job] of jobs(wf)) {
        const where = `${file} jobs.${id}`;
        if (job.permissions !== undefined) {
            problems.push(...permissionProblems(where, job.permissions, { contents: "read", "id-token": "write" }));
        }
        const effective = job.permissions ?? wf.permissions;
        const idToken = typeof effective === "object" ? effective["id-token"] : undefined;
        const oidc = OIDC_ACTIONS.filter((a) => findStep(job, a) >= 0);
        if (oidc.length > 0 && idToken !== "write")
            problems.push(`${where} uses ${oidc.join(" and ")} but lacks id-token: write`);
        if (oidc.length === 0 && idToken === "write")
            problems.push(`${where} has id-token: write but exchanges no OIDC token`);
    }
    return problems;
}

function checkNodeSetup(file: string, wf: Workflow): string[] {
    const problems: string[] = [];
    for (const [id, job] of jobs(wf)) {
        if (!steps(job).some((s) => s.run !== undefined)) continue;
        const where = `${file} jobs.${id}`;
        const checkout = steps(job)[0];
        if (actionName(checkout ?? {}) !== "actions/checkout")
            problems.push(`${where} does not start with actions/checkout`);
        else if (checkout.with?.["persist-credentials"] !== false) {
            problems.push(`${where} leaves the GitHub token in .git/config; set persist-credentials: false`);
        }
        const node = steps(job)[findStep(job, "actions/setup-node")];
        if (node === undefined) {
            problems.push(`${where} does not set up Node with actions/setup-node`);
            continue;
        }
        if (node.with?.["node-version-file"] !== ".nvmrc")
            problems.push(`${where} does not take the Node version from .nvmrc`);
        if (node.with?.cache !== "npm") problems.push(`${where} does not cache npm downloads (cache: npm)`);
    }
    return problems;
}

/** Jobs that run `npm run ci` operate on a stack: CLI, both clouds, the backend token, and one operation per stack at a time. */
function checkStackJobs(file: string, wf: Workflow): string[] {
    const problems: string[] = [];
    for (const [id, job] of jobs(wf)) {
        const operations = ciOperations(job);
        if (operations.length === 0) continue;
        const where = `${file} jobs.${id}`;
        const first = Math.min(...operations.map((o) => o.step));
        const install = steps(job).findIndex((s) => runLines(s).includes("npm ci"));
        for (const action of ["pulumi/actions", ...OIDC_ACTIONS]) {
            const at = findStep(job, action);
            if (at < 0 || at > first) problems.push(`${where} runs npm run ci without ${action} before it`);
        }
        const credentials = Math.min(...OIDC_ACTIONS.map((a) => findStep(job, a)).filter((i) => i >= 0));
        if (install < 0 || install > credentials) {
            problems.push(`${where} installs dependencies after cloud credentials exist; run npm ci first`);
        }
        for (const step of new Set(operations.map((o) => o.step))) {
            if (steps(job)[step].env?.PULUMI_ACCESS_TOKEN !== "${{ secrets.PULUMI_ACCESS_TOKEN }}") {
                problems.push(`${where}.steps[${step}] runs npm run ci without PULUMI_ACCESS_TOKEN from secrets`);
            }
        }
        for (const op of operations) {
            if (op.operation === "destroy")
                problems.push(`${where} runs "npm run ci -- destroy"; no workflow destroys a stack`);
            if (op.stack === undefined) problems.push(`${where} runs "npm run ci -- ${op.operation}" without --stack`);
        }
        problems.push(...concurrencyProblems(where, job, operations));
    }
    return [...new Set(problems)];
}

function concurrencyProblems(where: string, job: Job, operations: CiOperation[]): string[] {
    const concurrency = job.concurrency;
    if (concurrency === undefined || typeof concurrency === "string" || concurrency.group === undefined) {
        return [`${where} operates on a stack without a concurrency group and cancel-in-progress: false`];
    }
    const problems: string[] = [];
    if (concurrency["cancel-in-progress"] !== false) {
        problems.push(`${where} may cancel an operation in progress; set cancel-in-progress: false`);
    }
    const groups = matrixInstances(job).map((instance) => expand(concurrency.group ?? "", instance));
    for (const stack of new Set(operations.map((o) => o.stack).filter((s) => s !== undefined))) {
        if (!groups.some((g) => g.split(/[^a-z]+/).includes(stack))) {
            problems.push(
                `${where} operates on stack "${stack}" but its concurrency group "${concurrency.group}" does not name it`,
            );
        }
    }
    return problems;
}

// ---------------------------------------------------------------------------------------------------
// What each workflow is for

function expectTriggers(file: string, wf: Workflow, expected: string[]): string[] {
    const actual = triggers(wf).sort();
    return actual.join() === expected.join()
        ? []
        : [`${file} triggers on [${actual.join(", ")}]; expected [${expected.join(", ")}]`];
}

function stacksOperated(job: Job | undefined, operation: string): string[] {
    return job ? ciOperations(job).flatMap((o) => (o.operation === operation && o.stack ? [o.stack] : [])) : [];
}

function expectPullRequest(file: string, wf: Workflow): string[] {
    const problems = expectTriggers(file, wf, ["pull_request"]);
    const { test, "offline-plan": plan, preview } = wf.jobs ?? {};
    const testLines = test ? expandedLines(test) : [];
    if (!testLines.includes(".ci/run") && !(testLines.includes("npm ci") && testLines.includes("npm test"))) {
        problems.push(`${file} jobs.test does not run .ci/run (or npm ci and npm test)`);
    }
    for (const stack of STACKS) {
        const json = `plan-${stack}.json`;
        if (!(plan && expandedLines(plan).includes(`npm run plan -- --stack ${stack} --json ${json}`))) {
            problems.push(`${file} jobs.offline-plan does not plan stack "${stack}" into ${json}`);
        }
        const uploads = plan
            ? matrixInstances(plan).flatMap((instance) =>
                  steps(plan)
                      .filter((s) => actionName(s) === "actions/upload-artifact")
                      .map((s) => expand(String(s.with?.path ?? ""), instance)),
              )
            : [];
        if (!uploads.includes(json)) problems.push(`${file} jobs.offline-plan does not upload ${json}`);
        if (!stacksOperated(preview, "preview").includes(stack)) {
            problems.push(`${file} jobs.preview does not preview stack "${stack}"`);
        }
    }
    const guard = "github.event.pull_request.head.repo.full_name == github.repository";
    if (!(preview?.if ?? "").replace(/\s+/g, " ").includes(guard)) {
        problems.push(`${file} jobs.preview also runs for forks, which get no secrets; guard it with "${guard}"`);
    }
    return problems;
}

function expectDeploy(file: string, wf: Workflow): string[] {
    const problems: string[] = [];
    const on = wf.on as { push?: { branches?: string[] } } | undefined;
    if (triggers(wf).join() !== "push" || on?.push?.branches?.join() !== "main") {
        problems.push(`${file} does not deploy exactly on push to main`);
    }
    const [devId, dev] = jobs(wf).find(([, j]) => stacksOperated(j, "up").includes("dev")) ?? [];
    const [prodId, prod] = jobs(wf).find(([, j]) => stacksOperated(j, "up").includes("prod")) ?? [];
    if (!dev) problems.push(`${file} has no job that runs "up" on stack "dev"`);
    else if (environmentName(dev) !== "dev")
        problems.push(`${file} jobs.${devId} deploys dev outside environment "dev"`);
    if (!prod) problems.push(`${file} has no job that runs "up" on stack "prod"`);
    else {
        if (environmentName(prod) !== "prod")
            problems.push(`${file} jobs.${prodId} deploys prod outside environment "prod"`);
        if (devId !== undefined && !needsOf(prod).includes(devId)) {
            problems.push(`${file} jobs.${prodId} does not need jobs.${devId}, so prod could deploy before dev`);
        }
    }
    return problems;
}

function expectDrift(file: string, wf: Workflow): string[] {
    const problems = expectTriggers(file, wf, ["schedule", "workflow_dispatch"]);
    const schedule = (wf.on as { schedule?: { cron?: string }[] } | undefined)?.schedule ?? [];
    for (const { cron } of schedule) {
        if (!/^\S+ \S+ \S+ \S+ \S+$/.test(cron ?? "")) problems.push(`${file} has the invalid cron "${cron}"`);
    }
    const checked = jobs(wf).flatMap(([, j]) => stacksOperated(j, "refresh"));
    for (const stack of STACKS) {
        if (!checked.includes(stack))
            problems.push(`${file} does not check stack "${stack}" for drift (npm run ci -- refresh)`);
    }
    return problems;
}

const EXPECTATIONS: Readonly<Record<string, (file: string, wf: Workflow) => string[]>> = {
    "pull-request.yml": expectPullRequest,
    "deploy.yml": expectDeploy,
    "drift.yml": expectDrift,
};

/** Every problem of one workflow file: the checks all workflows pass, then what this one is for. */
function audit(file: string, text: string, scripts: readonly string[]): string[] {
    const wf = yaml.load(text) as Workflow;
    const expect = EXPECTATIONS[file];
    return [
        ...checkTriggersAreTrusted(file, wf),
        ...checkCommands(file, wf, scripts),
        ...checkActions(file, wf),
        ...checkCredentials(file, text),
        ...checkPermissions(file, wf),
        ...checkNodeSetup(file, wf),
        ...checkStackJobs(file, wf),
        ...(expect ? expect(file, wf) : [`${file} is a workflow this spec has no expectations for`]),
    ];
}

// ---------------------------------------------------------------------------------------------------

function readJson(file: string): any {
    return JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8"));
}

const SCRIPTS = Object.keys(readJson("package.json").scripts);

function read(file: string): string {
    return fs.readFileSync(path.join(WORKFLOWS, file), "utf8");
}

/** A real workflow, parsed into a mutable copy: the valid baseline each case changes one thing in. */
function fixture(file: string): any {
    return yaml.load(read(file));
}

function stepIndex(job: any, predicate: (step: any) => boolean): number {
    const i = job.steps.findIndex(predicate);
    assert.ok(i >= 0, "the fixture lost the step this case changes");
    return i;
}

const isCiRun = (s: any): boolean => typeof s.run === "string" && s.run.startsWith("npm run ci");

describe("GitHub Actions workflows", () => {
    it("are exactly the pull-request, deploy and drift workflows", () => {
        assert.deepStrictEqual(fs.readdirSync(WORKFLOWS).sort(), ["deploy.yml", "drift.yml", "pull-request.yml"]);
    });

    for (const file of Object.keys(EXPECTATIONS)) {
        it(`${file} has no problem`, () => {
            assert.deepStrictEqual(audit(file, read(file), SCRIPTS), []);
        });
    }

    it(`install the Pulumi CLI of ${PULUMI_VERSION_FILE}, the version of @pulumi/pulumi in package.json`, () => {
        const cli = fs.readFileSync(path.join(ROOT, PULUMI_VERSION_FILE), "utf8").trim();
        assert.strictEqual(cli, readJson("package.json").dependencies["@pulumi/pulumi"]);
    });

    it("preview both stacks, deploy dev then prod, and check both for drift", () => {
        const pr = fixture("pull-request.yml");
        const deploy = fixture("deploy.yml");
        const drift = fixture("drift.yml");
        assert.deepStrictEqual(stacksOperated(pr.jobs.preview, "preview"), ["dev", "prod"]);
        assert.deepStrictEqual(
            jobs(deploy).map(([id, j]) => [id, environmentName(j), needsOf(j), stacksOperated(j, "up")]),
            [
                ["test", undefined, [], []],
                ["up-dev", "dev", ["test"], ["dev"]],
                ["up-prod", "prod", ["up-dev"], ["prod"]],
            ],
        );
        assert.deepStrictEqual(stacksOperated(drift.jobs.refresh, "refresh"), ["dev", "prod"]);
    });

    describe("run lines", () => {
        const cases: [string, string | undefined][] = [
            ["npm ci", undefined],
            [".ci/run", undefined],
            ["npm run plan -- --stack ${{ matrix.stack }} --json plan-${{ matrix.stack }}.json", undefined],
            [
                "pulumi up --yes --stack prod",
                `"pulumi up --yes --stack prod" is not a project command (allowed: ${ALLOWED_COMMANDS})`,
            ],
            [
                "curl -fsSL https://get.pulumi.com | sh",
                `"curl -fsSL https://get.pulumi.com | sh" uses shell syntax ("|"); a step runs one project command`,
            ],
            ["npm ci && npm test", `"npm ci && npm test" uses shell syntax ("&"); a step runs one project command`],
            [
                "npm ci --ignore-scripts",
                `"npm ci --ignore-scripts" is not a project command (allowed: ${ALLOWED_COMMANDS})`,
            ],
            [
                "npm run deploy -- --stack prod",
                `"npm run deploy -- --stack prod" runs npm script "deploy", which package.json does not define`,
            ],
            [
                "npm run plan --stack dev",
                `"npm run plan --stack dev" passes arguments to npm instead of the script; put them after "--"`,
            ],
            [
                "npm run ci -- preview --stack ${{ github.head_ref }}",
                `"npm run ci -- preview --stack \${{ github.head_ref }}" interpolates \${{ github.head_ref }}; a command may only use matrix values`,
            ],
        ];
        for (const [line, expected] of cases) {
            it(expected === undefined ? `accept ${line}` : `reject ${line}`, () => {
                assert.strictEqual(runLineProblem(line, SCRIPTS), expected);
            });
        }
    });

    describe("complain about one change to a valid workflow", () => {
        const cases: { name: string; file: string; change: (wf: any) => string[] }[] = [
            {
                name: "a step that calls pulumi directly",
                file: "pull-request.yml",
                change: (wf) => {
                    const i = wf.jobs.preview.steps.push({ run: "pulumi up --yes --stack prod" }) - 1;
                    return [
                        `pull-request.yml jobs.preview.steps[${i}].run: "pulumi up --yes --stack prod" is not a project command (allowed: ${ALLOWED_COMMANDS})`,
                    ];
                },
            },
            {
                name: "a piped install script",
                file: "drift.yml",
                change: (wf) => {
                    wf.jobs.refresh.steps.splice(1, 0, { run: "curl -fsSL https://get.pulumi.com | sh" });
                    return [
                        `drift.yml jobs.refresh.steps[1].run: "curl -fsSL https://get.pulumi.com | sh" uses shell syntax ("|"); a step runs one project command`,
                    ];
                },
            },
            {
                name: "an action outside the allowlist",
                file: "pull-request.yml",
                change: (wf) => {
                    wf.jobs.test.steps.push({ uses: "someone/setup-pulumi@v1" });
                    return [
                        `pull-request.yml jobs.test.steps[3] uses "someone/setup-pulumi@v1", which is not in the allowlist (${Object.keys(PINNED_ACTIONS).join(", ")})`,
                    ];
                },
            },
            {
                name: "an unpinned action",
                file: "pull-request.yml",
                change: (wf) => {
                    wf.jobs.test.steps[0].uses = "actions/checkout";
                    return [
                        `pull-request.yml jobs.test.steps[0] uses "actions/checkout" unpinned; pin it to @v7 or a commit SHA`,
                    ];
                },
            },
            {
                name: "an action on a branch",
                file: "deploy.yml",
                change: (wf) => {
                    wf.jobs["up-prod"].steps[0].uses = "actions/checkout@main";
                    return [
                        `deploy.yml jobs.up-prod.steps[0] uses "actions/checkout@main"; pin it to @v7 or a commit SHA`,
                    ];
                },
            },
            {
                name: "pulumi/actions running a command",
                file: "deploy.yml",
                change: (wf) => {
                    const i = stepIndex(wf.jobs["up-dev"], (s) => s.uses?.startsWith("pulumi/actions@"));
                    wf.jobs["up-dev"].steps[i].with.command = "up";
                    return [
                        `deploy.yml jobs.up-dev.steps[${i}] passes "command" to pulumi/actions; it may only install the CLI`,
                    ];
                },
            },
            {
                name: "a literal AWS access key id",
                file: "deploy.yml",
                change: (wf) => {
                    wf.jobs.test.env = { AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE" };
                    const line =
                        yaml
                            .dump(wf)
                            .split("\n")
                            .findIndex((l) => l.includes("AKIA")) + 1;
                    return [`deploy.yml:${line} contains what looks like an AWS access key id`];
                },
            },
            {
                name: "a literal password",
                file: "pull-request.yml",
                change: (wf) => {
                    wf.jobs.test.steps[1].with.password = "hunter2";
                    const line =
                        yaml
                            .dump(wf)
                            .split("\n")
                            .findIndex((l) => l.includes("hunter2")) + 1;
                    return [`pull-request.yml:${line} contains what looks like a password`];
                },
            },
            {
                name: "a stored AWS key instead of OIDC",
                file: "drift.yml",
                change: (wf) => {
                    const job = wf.jobs.refresh;
                    const i = stepIndex(job, (s) => s.uses?.startsWith("aws-actions/"));
                    job.steps[i].with = {
                        "aws-access-key-id": "${{ secrets.AWS_ACCESS_KEY_ID }}",
                        "aws-region": "us-east-1",
                    };
                    return [
                        `drift.yml jobs.refresh.steps[${i}] passes aws-access-key-id: a long-lived credential where OIDC is expected`,
                        `drift.yml reads secrets.AWS_ACCESS_KEY_ID; expected only PULUMI_ACCESS_TOKEN`,
                    ];
                },
            },
            {
                name: "an OIDC job without id-token: write",
                file: "pull-request.yml",
                change: (wf) => {
                    delete wf.jobs.preview.permissions["id-token"];
                    return [
                        `pull-request.yml jobs.preview uses aws-actions/configure-aws-credentials and google-github-actions/auth but lacks id-token: write`,
                    ];
                },
            },
            {
                name: "id-token: write for a job without OIDC",
                file: "pull-request.yml",
                change: (wf) => {
                    wf.jobs["offline-plan"].permissions = { contents: "read", "id-token": "write" };
                    return [`pull-request.yml jobs.offline-plan has id-token: write but exchanges no OIDC token`];
                },
            },
            {
                name: "a write-all token",
                file: "drift.yml",
                change: (wf) => {
                    wf.permissions = "write-all";
                    return [`drift.yml grants "write-all"; expected contents: read`];
                },
            },
            {
                name: "Node without the npm cache",
                file: "pull-request.yml",
                change: (wf) => {
                    delete wf.jobs["offline-plan"].steps[1].with.cache;
                    return [`pull-request.yml jobs.offline-plan does not cache npm downloads (cache: npm)`];
                },
            },
            {
                name: "credentials before npm ci",
                file: "drift.yml",
                change: (wf) => {
                    const job = wf.jobs.refresh;
                    const [install] = job.steps.splice(
                        stepIndex(job, (s) => s.run === "npm ci"),
                        1,
                    );
                    job.steps.splice(stepIndex(job, isCiRun), 0, install);
                    return [
                        `drift.yml jobs.refresh installs dependencies after cloud credentials exist; run npm ci first`,
                    ];
                },
            },
            {
                name: "a deploy that may be cancelled",
                file: "deploy.yml",
                change: (wf) => {
                    wf.jobs["up-prod"].concurrency["cancel-in-progress"] = true;
                    return [
                        `deploy.yml jobs.up-prod may cancel an operation in progress; set cancel-in-progress: false`,
                    ];
                },
            },
            {
                name: "a stack operation outside its stack's concurrency group",
                file: "drift.yml",
                change: (wf) => {
                    wf.jobs.refresh.concurrency.group = "drift";
                    return [
                        `drift.yml jobs.refresh operates on stack "dev" but its concurrency group "drift" does not name it`,
                        `drift.yml jobs.refresh operates on stack "prod" but its concurrency group "drift" does not name it`,
                    ];
                },
            },
            {
                name: "a destroy",
                file: "deploy.yml",
                change: (wf) => {
                    const job = wf.jobs["up-dev"];
                    job.steps[stepIndex(job, isCiRun)].run = "npm run ci -- destroy --stack dev";
                    return [
                        `deploy.yml jobs.up-dev runs "npm run ci -- destroy"; no workflow destroys a stack`,
                        `deploy.yml has no job that runs "up" on stack "dev"`,
                    ];
                },
            },
            {
                name: "a trigger that runs unreviewed code with secrets",
                file: "pull-request.yml",
                change: (wf) => {
                    wf.on = { pull_request_target: null };
                    return [
                        `pull-request.yml triggers on pull_request_target, which runs with this repository's secrets and cache for unreviewed code`,
                        `pull-request.yml triggers on [pull_request_target]; expected [pull_request]`,
                    ];
                },
            },
            {
                name: "a preview of dev only",
                file: "pull-request.yml",
                change: (wf) => {
                    wf.jobs.preview.strategy.matrix.include.pop();
                    return [`pull-request.yml jobs.preview does not preview stack "prod"`];
                },
            },
            {
                name: "a preview that also runs for forks",
                file: "pull-request.yml",
                change: (wf) => {
                    delete wf.jobs.preview.if;
                    return [
                        `pull-request.yml jobs.preview also runs for forks, which get no secrets; guard it with "github.event.pull_request.head.repo.full_name == github.repository"`,
                    ];
                },
            },
            {
                name: "an offline plan without its artifact",
                file: "pull-request.yml",
                change: (wf) => {
                    const job = wf.jobs["offline-plan"];
                    job.steps.splice(
                        stepIndex(job, (s) => s.uses?.startsWith("actions/upload-artifact@")),
                        1,
                    );
                    return [
                        `pull-request.yml jobs.offline-plan does not upload plan-dev.json`,
                        `pull-request.yml jobs.offline-plan does not upload plan-prod.json`,
                    ];
                },
            },
            {
                name: "a prod deploy outside the prod environment",
                file: "deploy.yml",
                change: (wf) => {
                    delete wf.jobs["up-prod"].environment;
                    return [`deploy.yml jobs.up-prod deploys prod outside environment "prod"`];
                },
            },
            {
                name: "a prod deploy that does not wait for dev",
                file: "deploy.yml",
                change: (wf) => {
                    wf.jobs["up-prod"].needs = "test";
                    return [`deploy.yml jobs.up-prod does not need jobs.up-dev, so prod could deploy before dev`];
                },
            },
            {
                name: "a drift check that previews instead of refreshing",
                file: "drift.yml",
                change: (wf) => {
                    const job = wf.jobs.refresh;
                    job.steps[stepIndex(job, isCiRun)].run = "npm run ci -- preview --stack ${{ matrix.stack }}";
                    return [
                        `drift.yml does not check stack "dev" for drift (npm run ci -- refresh)`,
                        `drift.yml does not check stack "prod" for drift (npm run ci -- refresh)`,
                    ];
                },
            },
            {
                name: "a stack operation without the Pulumi backend token",
                file: "deploy.yml",
                change: (wf) => {
                    const job = wf.jobs["up-prod"];
                    const i = stepIndex(job, isCiRun);
                    delete job.steps[i].env;
                    return [
                        `deploy.yml jobs.up-prod.steps[${i}] runs npm run ci without PULUMI_ACCESS_TOKEN from secrets`,
                    ];
                },
            },
        ];

        for (const { name, file, change } of cases) {
            it(name, () => {
                const wf = fixture(file);
                const expected = change(wf);
                assert.deepStrictEqual(audit(file, yaml.dump(wf), SCRIPTS), expected);
            });
        }
    });
});
