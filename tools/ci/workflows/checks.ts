/**
 * The checks every workflow must pass, each a pure function from a parsed workflow (and its text) to
 * the problems it finds, one message per problem naming the file, job and step.
 */
import {
    actionName,
    ciOperations,
    type CiOperation,
    type Dict,
    expand,
    EXPRESSION,
    findStep,
    type Job,
    jobs,
    matrixInstances,
    runLines,
    steps,
    triggers,
    type Workflow,
} from "./model";
import {
    ALLOWED_COMMANDS,
    ALLOWED_SECRETS,
    COMMENT_PERMISSIONS,
    CREDENTIAL_PATTERNS,
    KEY_INPUTS,
    OIDC_ACTIONS,
    PINNED_ACTIONS,
    PULUMI_ORGANIZATION,
    PULUMI_TOKEN_TYPE,
    PULUMI_VERSION_FILE,
    runnerLabel,
    UNTRUSTED_TRIGGERS,
} from "./rules";

/** Why a run line is not one of the project's commands, or undefined when it is. */
export function runLineProblem(line: string, scripts: readonly string[]): string | undefined {
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

export function checkTriggersAreTrusted(file: string, wf: Workflow): string[] {
    return triggers(wf)
        .filter((t) => UNTRUSTED_TRIGGERS.includes(t))
        .map(
            (t) => `${file} triggers on ${t}, which runs with this repository's secrets and cache for unreviewed code`,
        );
}

export function checkCommands(file: string, wf: Workflow, scripts: readonly string[]): string[] {
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

export function checkActions(file: string, wf: Workflow): string[] {
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
            } else if (ref !== pinned.sha) {
                // A tag or branch can be moved to other code; only the audited commit is accepted.
                problems.push(
                    `${where} uses "${step.uses}"; pin it to the commit of ${pinned.version}: ${name}@${pinned.sha} # ${pinned.version}`,
                );
            }
            if (name === "actions/github-script") {
                const script = String(step.with?.script ?? "");
                const found = script.match(EXPRESSION);
                // Expanded before the script runs, so a value such as a PR title would become code.
                if (found)
                    problems.push(`${where} interpolates ${found[0]} into its script; read the context object instead`);
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

/** Each `uses:` line that pins an allowlisted action by commit names the release in a trailing comment. */
export function checkPinComments(file: string, text: string): string[] {
    const problems: string[] = [];
    text.split("\n").forEach((line, i) => {
        const m = /^\s*(?:-\s*)?uses:\s*["']?([^@\s"']+)@([0-9a-f]{40})["']?\s*(?:#\s*(\S+))?/.exec(line);
        const pinned = m ? PINNED_ACTIONS[m[1]] : undefined;
        if (!m || pinned === undefined || m[2] !== pinned.sha || m[3] === pinned.version) return;
        problems.push(`${file}:${i + 1} pins ${m[1]} by commit without the comment "# ${pinned.version}"`);
    });
    return problems;
}

export function checkCredentials(file: string, text: string): string[] {
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
        problems.push(
            `${file} reads secrets.${name}; a workflow reads no secret: the clouds and Pulumi Cloud are reached through OIDC`,
        );
    }
    return problems;
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
    return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
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

/**
 * What a job may be granted: reading code and an OIDC token; or, for a job that runs no command and
 * checks nothing out, commenting on the pull request. Project code never runs with a token that writes.
 */
function allowedPermissions(job: Job): Readonly<Dict> {
    const runsCode = steps(job).some((s) => s.run !== undefined || actionName(s) === "actions/checkout");
    return runsCode ? { contents: "read", "id-token": "write" } : { contents: "read", ...COMMENT_PERMISSIONS };
}

export function checkPermissions(file: string, wf: Workflow): string[] {
    const problems: string[] = [];
    if (wf.permissions === undefined) problems.push(`${file} sets no top-level permissions, so the token may write`);
    else problems.push(...permissionProblems(file, wf.permissions, { contents: "read" }));
    for (const [id, job] of jobs(wf)) {
        const where = `${file} jobs.${id}`;
        if (job.permissions !== undefined) {
            problems.push(...permissionProblems(where, job.permissions, allowedPermissions(job)));
        }
        const effective = job.permissions ?? wf.permissions;
        const idToken = typeof effective === "object" ? effective["id-token"] : undefined;
        const oidc = OIDC_ACTIONS.filter((a) => findStep(job, a) >= 0);
        if (oidc.length > 0 && idToken !== "write")
            problems.push(`${where} uses ${listed(oidc)} but lacks id-token: write`);
        if (oidc.length === 0 && idToken === "write")
            problems.push(`${where} has id-token: write but exchanges no OIDC token`);
    }
    return problems;
}

export function checkNodeSetup(file: string, wf: Workflow): string[] {
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
export function checkStackJobs(file: string, wf: Workflow): string[] {
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
        const auth = steps(job)[findStep(job, "pulumi/auth-actions")];
        if (auth !== undefined) {
            const w = auth.with ?? {};
            if (w.organization !== PULUMI_ORGANIZATION || w["requested-token-type"] !== PULUMI_TOKEN_TYPE) {
                problems.push(
                    `${where} requests its Pulumi token for something other than organization ${PULUMI_ORGANIZATION} (${PULUMI_TOKEN_TYPE})`,
                );
            }
        }
        problems.push(...runnerProblems(where, job));
        for (const op of operations) {
            if (op.operation === "destroy")
                problems.push(`${where} runs "npm run ci -- destroy"; no workflow destroys a stack`);
            if (op.stack === undefined) problems.push(`${where} runs "npm run ci -- ${op.operation}" without --stack`);
        }
        problems.push(...concurrencyProblems(where, job, operations));
    }
    return [...new Set(problems)];
}

/** A job that operates on a stack runs on that stack's in-VPC runner, for every matrix instance. */
function runnerProblems(where: string, job: Job): string[] {
    const problems: string[] = [];
    for (const instance of matrixInstances(job)) {
        const runsOn = ([] as string[]).concat(job["runs-on"] ?? []).map((l) => expand(l, instance));
        for (const stack of new Set(
            ciOperations({ ...job, strategy: { matrix: { include: [instance] } } }).map((o) => o.stack),
        )) {
            if (stack === undefined || (runsOn.length === 1 && runsOn[0] === runnerLabel(stack))) continue;
            problems.push(
                `${where} operates on stack "${stack}" on [${runsOn.join(", ")}]; run it on "${runnerLabel(stack)}", the in-VPC runner that reaches the private cluster APIs`,
            );
        }
    }
    return problems;
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
