/**
 * Issue 12's workflow rules, one change to a real workflow per case with the audit's exact complaints:
 * stack jobs on the in-VPC runner, actions pinned by commit with the release in a comment, Pulumi Cloud
 * through OIDC instead of a stored token, and the previews' verdicts posted on the pull request.
 */
import * as assert from "assert";
import { ofType } from "../../../harness/lookup";
import { evaluated } from "../../../harness/stacks";
import { audit } from "../../../tools/ci/workflows/audit";
import { PINNED_ACTIONS, runnerLabel } from "../../../tools/ci/workflows/rules";
import { dump, fixture, isCiRun, lineOf, SCRIPTS, stepIndex } from "./workflow-fixtures";

const CHECKOUT = PINNED_ACTIONS["actions/checkout"];
const isAuth = (s: any) => typeof s.uses === "string" && s.uses.startsWith("pulumi/auth-actions@");
const comment = (wf: any) => wf.jobs.comment;

describe("GitHub Actions workflows: reach, pins, OIDC and PR comments", () => {
    for (const stack of ["dev", "prod"] as const) {
        it(`the runner label of ${stack} names the CodeBuild project the ${stack} stack creates`, async () => {
            const { run } = await evaluated(stack);
            const projects = ofType(run.resources, "aws:codebuild/project:Project");
            assert.deepStrictEqual(
                projects.map((p) => `codebuild-${p.inputs.name}-\${{ github.run_id }}-\${{ github.run_attempt }}`),
                [runnerLabel(stack)],
            );
            assert.strictEqual((run.outputs.ciRunner as { label: string }).label, runnerLabel(stack));
        });
    }

    const cases: { name: string; file: string; change: (wf: any) => string[]; text?: (text: string) => string }[] = [
        {
            name: "a deploy on a GitHub-hosted runner",
            file: "deploy.yml",
            change: (wf) => {
                wf.jobs["up-prod"]["runs-on"] = "ubuntu-latest";
                return [
                    `deploy.yml jobs.up-prod operates on stack "prod" on [ubuntu-latest]; run it on "${runnerLabel("prod")}", the in-VPC runner that reaches the private cluster APIs`,
                ];
            },
        },
        {
            name: "a deploy of prod on dev's runner",
            file: "deploy.yml",
            change: (wf) => {
                wf.jobs["up-prod"]["runs-on"] = runnerLabel("dev");
                return [
                    `deploy.yml jobs.up-prod operates on stack "prod" on [${runnerLabel("dev")}]; run it on "${runnerLabel("prod")}", the in-VPC runner that reaches the private cluster APIs`,
                ];
            },
        },
        {
            name: "previews on a GitHub-hosted runner, for both matrix stacks",
            file: "pull-request.yml",
            change: (wf) => {
                wf.jobs.preview["runs-on"] = "ubuntu-latest";
                return ["dev", "prod"].map(
                    (s) =>
                        `pull-request.yml jobs.preview operates on stack "${s}" on [ubuntu-latest]; run it on "${runnerLabel(s)}", the in-VPC runner that reaches the private cluster APIs`,
                );
            },
        },
        {
            name: "a drift check with an extra runner label",
            file: "drift.yml",
            change: (wf) => {
                const label = wf.jobs.refresh["runs-on"];
                wf.jobs.refresh["runs-on"] = [label, "instance-size:large"];
                return ["dev", "prod"].map(
                    (s) =>
                        `drift.yml jobs.refresh operates on stack "${s}" on [${runnerLabel(s)}, instance-size:large]; run it on "${runnerLabel(s)}", the in-VPC runner that reaches the private cluster APIs`,
                );
            },
        },
        {
            name: "an action pinned to its release tag instead of the commit",
            file: "drift.yml",
            change: (wf) => {
                wf.jobs.refresh.steps[0].uses = "actions/checkout@v7.0.1";
                return [
                    `drift.yml jobs.refresh.steps[0] uses "actions/checkout@v7.0.1"; pin it to the commit of v7.0.1: actions/checkout@${CHECKOUT.sha} # v7.0.1`,
                ];
            },
        },
        {
            name: "an action pinned to a commit other than the audited release",
            file: "pull-request.yml",
            change: (wf) => {
                const other = "0".repeat(40);
                wf.jobs.test.steps[0].uses = `actions/checkout@${other}`;
                return [
                    `pull-request.yml jobs.test.steps[0] uses "actions/checkout@${other}"; pin it to the commit of v7.0.1: actions/checkout@${CHECKOUT.sha} # v7.0.1`,
                ];
            },
        },
        {
            name: "a commit pin without its version comment",
            file: "deploy.yml",
            change: () => [],
            text: (text) => text.replace(`@${CHECKOUT.sha} # v7.0.1`, `@${CHECKOUT.sha}`),
        },
        {
            name: "a static Pulumi token from secrets instead of the OIDC exchange",
            file: "deploy.yml",
            change: (wf) => {
                const job = wf.jobs["up-dev"];
                job.steps.splice(stepIndex(job, isAuth), 1);
                job.steps[stepIndex(job, isCiRun)].env = { PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}" };
                const line = lineOf(dump(wf), "PULUMI_ACCESS_TOKEN:");
                return [
                    `deploy.yml:${line} contains what looks like a static Pulumi access token; get a short-lived one with pulumi/auth-actions`,
                    `deploy.yml reads secrets.PULUMI_ACCESS_TOKEN; a workflow reads no secret: the clouds and Pulumi Cloud are reached through OIDC`,
                    `deploy.yml jobs.up-dev runs npm run ci without pulumi/auth-actions before it`,
                ];
            },
        },
        {
            name: "a Pulumi token for a personal account",
            file: "drift.yml",
            change: (wf) => {
                const job = wf.jobs.refresh;
                job.steps[stepIndex(job, isAuth)].with["requested-token-type"] =
                    "urn:pulumi:token-type:access_token:personal";
                return [
                    "drift.yml jobs.refresh requests its Pulumi token for something other than organization ${{ vars.PULUMI_ORGANIZATION }} (urn:pulumi:token-type:access_token:organization)",
                ];
            },
        },
        {
            name: "no job posts the previews",
            file: "pull-request.yml",
            change: (wf) => {
                delete wf.jobs.comment;
                return [
                    "pull-request.yml posts no preview summary on the pull request; add a job that needs jobs.preview and comments with actions/github-script",
                ];
            },
        },
        {
            name: "a preview that writes no summary",
            file: "pull-request.yml",
            change: (wf) => {
                const job = wf.jobs.preview;
                job.steps[stepIndex(job, isCiRun)].run = "npm run ci -- preview --stack ${{ matrix.stack }}";
                return ["dev", "prod"].map(
                    (s) =>
                        `pull-request.yml jobs.preview does not write the summary of stack "${s}" (npm run ci -- preview --stack ${s} --summary-markdown preview-${s}.md)`,
                );
            },
        },
        {
            name: "a summary uploaded only when the preview passes",
            file: "pull-request.yml",
            change: (wf) => {
                const job = wf.jobs.preview;
                delete job.steps[stepIndex(job, (s) => s.name === "Upload the preview summary")].if;
                return ["dev", "prod"].map(
                    (s) =>
                        `pull-request.yml jobs.preview uploads preview-${s}.md only when the preview passes; add if: \${{ !cancelled() }}`,
                );
            },
        },
        {
            name: "a comment job that skips failed previews",
            file: "pull-request.yml",
            change: (wf) => {
                comment(wf).if = "needs.preview.result != 'skipped'";
                return [
                    "pull-request.yml jobs.comment comments only when every preview passed; run it with if: ${{ !cancelled() }}",
                ];
            },
        },
        {
            name: "a comment job that may also write the repository",
            file: "pull-request.yml",
            change: (wf) => {
                comment(wf).permissions = { "pull-requests": "write", contents: "write" };
                return [
                    'pull-request.yml jobs.comment grants "contents: write"; expected at most contents: read, pull-requests: write',
                    'pull-request.yml jobs.comment grants {"pull-requests":"write","contents":"write"}; a comment job holds exactly pull-requests: write',
                ];
            },
        },
        {
            name: "a job that runs project code with a token that comments",
            file: "pull-request.yml",
            change: (wf) => {
                wf.jobs.preview.permissions["pull-requests"] = "write";
                return [
                    'pull-request.yml jobs.preview grants "pull-requests: write"; expected at most contents: read, id-token: write',
                ];
            },
        },
        {
            name: "a comment script that interpolates an expression",
            file: "pull-request.yml",
            change: (wf) => {
                const job = comment(wf);
                const i = stepIndex(job, (s) => s.uses?.startsWith("actions/github-script@"));
                job.steps[i].with.script = 'core.info("${{ github.event.pull_request.title }}")';
                return [
                    `pull-request.yml jobs.comment.steps[${i}] interpolates \${{ github.event.pull_request.title }} into its script; read the context object instead`,
                ];
            },
        },
    ];

    for (const { name, file, change, text } of cases) {
        it(name, () => {
            const wf = fixture(file);
            let expected = change(wf);
            let written = dump(wf);
            if (text) {
                written = text(written);
                const line = lineOf(written, `actions/checkout@${CHECKOUT.sha}`);
                expected = [`${file}:${line} pins actions/checkout by commit without the comment "# v7.0.1"`];
                assert.notStrictEqual(written, dump(wf), "the change must alter the text");
            }
            assert.deepStrictEqual(audit(file, written, SCRIPTS), expected);
        });
    }
});
