/**
 * Each case changes one thing in a real workflow and expects the audit's exact complaints, so every
 * check of tools/ci/workflows/ is shown to fire on the change it exists for.
 */
import * as assert from "assert";
import { audit } from "../../../tools/ci/workflows/audit";
import { ALLOWED_COMMANDS, PINNED_ACTIONS } from "../../../tools/ci/workflows/rules";
import { dump, fixture, isCiRun, lineOf, SCRIPTS, stepIndex } from "./workflow-fixtures";

describe("GitHub Actions workflows: one change to a valid workflow", () => {
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
                    `pull-request.yml jobs.test.steps[0] uses "actions/checkout"; pin it to the commit of v7.0.1: actions/checkout@${PINNED_ACTIONS["actions/checkout"].sha} # v7.0.1`,
                ];
            },
        },
        {
            name: "an action on a branch",
            file: "deploy.yml",
            change: (wf) => {
                wf.jobs["up-prod"].steps[0].uses = "actions/checkout@main";
                return [
                    `deploy.yml jobs.up-prod.steps[0] uses "actions/checkout@main"; pin it to the commit of v7.0.1: actions/checkout@${PINNED_ACTIONS["actions/checkout"].sha} # v7.0.1`,
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
                const line = lineOf(dump(wf), "AKIA");
                return [`deploy.yml:${line} contains what looks like an AWS access key id`];
            },
        },
        {
            name: "a literal password",
            file: "pull-request.yml",
            change: (wf) => {
                wf.jobs.test.steps[1].with.password = "hunter2";
                const line = lineOf(dump(wf), "hunter2");
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
                    `drift.yml reads secrets.AWS_ACCESS_KEY_ID; a workflow reads no secret: the clouds and Pulumi Cloud are reached through OIDC`,
                ];
            },
        },
        {
            name: "an OIDC job without id-token: write",
            file: "pull-request.yml",
            change: (wf) => {
                delete wf.jobs.preview.permissions["id-token"];
                return [
                    `pull-request.yml jobs.preview uses aws-actions/configure-aws-credentials, google-github-actions/auth and pulumi/auth-actions but lacks id-token: write`,
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
                return [`drift.yml jobs.refresh installs dependencies after cloud credentials exist; run npm ci first`];
            },
        },
        {
            name: "a deploy that may be cancelled",
            file: "deploy.yml",
            change: (wf) => {
                wf.jobs["up-prod"].concurrency["cancel-in-progress"] = true;
                return [`deploy.yml jobs.up-prod may cancel an operation in progress; set cancel-in-progress: false`];
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
                return [
                    `pull-request.yml jobs.preview does not preview stack "prod"`,
                    `pull-request.yml jobs.preview does not write the summary of stack "prod" (npm run ci -- preview --stack prod --summary-markdown preview-prod.md)`,
                    `pull-request.yml jobs.preview does not upload preview-prod.md as artifact preview-prod`,
                ];
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
    ];

    for (const { name, file, change } of cases) {
        it(name, () => {
            const wf = fixture(file);
            const expected = change(wf);
            assert.deepStrictEqual(audit(file, dump(wf), SCRIPTS), expected);
        });
    }
});
