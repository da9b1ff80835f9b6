/**
 * What each workflow is for: the pull-request workflow tests, plans and previews both stacks; the
 * deploy workflow deploys dev then prod from main; the drift workflow refreshes both on a schedule.
 */
import {
    actionName,
    environmentName,
    type Job,
    expand,
    expandedLines,
    jobs,
    matrixInstances,
    needsOf,
    stacksOperated,
    steps,
    triggers,
    type Workflow,
} from "./model";
import { COMMENT_PERMISSIONS, previewSummary, STACKS } from "./rules";

function expectTriggers(file: string, wf: Workflow, expected: string[]): string[] {
    const actual = triggers(wf).sort();
    return actual.join() === expected.join()
        ? []
        : [`${file} triggers on [${actual.join(", ")}]; expected [${expected.join(", ")}]`];
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
    problems.push(...expectPreviewComment(file, wf));
    const guard = "github.event.pull_request.head.repo.full_name == github.repository";
    if (!(preview?.if ?? "").replace(/\s+/g, " ").includes(guard)) {
        problems.push(`${file} jobs.preview also runs for forks, which get no secrets; guard it with "${guard}"`);
    }
    return problems;
}

/** Paths an upload-artifact step of `job` uploads, with their artifact names, expanded over its matrix. */
function uploads(job: Job): { name: string; path: string; always: boolean }[] {
    return matrixInstances(job).flatMap((instance) =>
        steps(job)
            .filter((s) => actionName(s) === "actions/upload-artifact")
            .map((s) => ({
                name: expand(String(s.with?.name ?? ""), instance),
                path: expand(String(s.with?.path ?? ""), instance),
                always: /!cancelled\(\)|always\(\)/.test(String(s.if ?? "")),
            })),
    );
}

/**
 * The previews' changes and policy verdicts reach the pull request: each preview writes its summary and
 * uploads it (also when the preview fails), and one job that needs the previews posts them.
 */
function expectPreviewComment(file: string, wf: Workflow): string[] {
    const problems: string[] = [];
    const preview = wf.jobs?.preview;
    for (const stack of STACKS) {
        const { file: md, artifact } = previewSummary(stack);
        const line = `npm run ci -- preview --stack ${stack} --summary-markdown ${md}`;
        if (!(preview && expandedLines(preview).includes(line))) {
            problems.push(`${file} jobs.preview does not write the summary of stack "${stack}" (${line})`);
        }
        const up = preview ? uploads(preview).find((u) => u.path === md && u.name === artifact) : undefined;
        if (!up) problems.push(`${file} jobs.preview does not upload ${md} as artifact ${artifact}`);
        else if (!up.always) {
            problems.push(
                `${file} jobs.preview uploads ${md} only when the preview passes; add if: \${{ !cancelled() }}`,
            );
        }
    }
    const [id, job] = jobs(wf).find(([, j]) => steps(j).some((s) => actionName(s) === "actions/github-script")) ?? [];
    if (!job) {
        return [
            ...problems,
            `${file} posts no preview summary on the pull request; add a job that needs jobs.preview and comments with actions/github-script`,
        ];
    }
    const where = `${file} jobs.${id}`;
    if (!needsOf(job).includes("preview")) problems.push(`${where} comments without needing jobs.preview`);
    if (!/!cancelled\(\)|always\(\)/.test(job.if ?? "")) {
        problems.push(`${where} comments only when every preview passed; run it with if: \${{ !cancelled() }}`);
    }
    const download = steps(job).find((s) => actionName(s) === "actions/download-artifact");
    if (download?.with?.pattern !== "preview-*") problems.push(`${where} does not download the preview-* summaries`);
    const granted = JSON.stringify(job.permissions ?? null);
    if (granted !== JSON.stringify(COMMENT_PERMISSIONS)) {
        problems.push(`${where} grants ${granted}; a comment job holds exactly pull-requests: write`);
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

/** The workflow files of this repository, each with what it must do. */
export const EXPECTATIONS: Readonly<Record<string, (file: string, wf: Workflow) => string[]>> = {
    "pull-request.yml": expectPullRequest,
    "deploy.yml": expectDeploy,
    "drift.yml": expectDrift,
};
