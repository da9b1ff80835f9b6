/**
 * The GitHub Actions workflows may only run the project's own commands, use pinned actions from an
 * allowlist, reach the clouds through OIDC and hold no credential (the audit in tools/ci/workflows/).
 * The real files must have no problem; workflow-changes.spec.ts changes one thing in a real workflow
 * per case and expects the exact complaint.
 */
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { audit, auditRepository, WORKFLOWS_DIR } from "../../../tools/ci/workflows/audit";
import { EXPECTATIONS } from "../../../tools/ci/workflows/expectations";
import { environmentName, jobs, needsOf, stacksOperated } from "../../../tools/ci/workflows/model";
import { runLineProblem } from "../../../tools/ci/workflows/checks";
import { ALLOWED_COMMANDS, PULUMI_VERSION_FILE } from "../../../tools/ci/workflows/rules";
import { fixture, read, ROOT, SCRIPTS } from "./workflow-fixtures";

/** A copy of the files the repository audit reads, to break one of them. */
function checkout(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workflows-"));
    fs.cpSync(path.join(ROOT, ".github"), path.join(dir, ".github"), { recursive: true });
    fs.copyFileSync(path.join(ROOT, "package.json"), path.join(dir, "package.json"));
    return dir;
}

describe("GitHub Actions workflows", () => {
    it("are exactly the pull-request, deploy and drift workflows", () => {
        assert.deepStrictEqual(fs.readdirSync(path.join(ROOT, WORKFLOWS_DIR)).sort(), [
            "deploy.yml",
            "drift.yml",
            "pull-request.yml",
        ]);
    });

    for (const file of Object.keys(EXPECTATIONS)) {
        it(`${file} has no problem`, () => {
            assert.deepStrictEqual(audit(file, read(file), SCRIPTS), []);
        });
    }

    it(`install the Pulumi CLI of ${PULUMI_VERSION_FILE}, the version of @pulumi/pulumi in package.json`, () => {
        const cli = fs.readFileSync(path.join(ROOT, PULUMI_VERSION_FILE), "utf8").trim();
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        assert.strictEqual(cli, pkg.dependencies["@pulumi/pulumi"]);
    });

    describe("the repository audit", () => {
        it("finds no problem in this checkout", () => {
            assert.deepStrictEqual(auditRepository(ROOT), []);
        });

        it("names a workflow it has no expectations for, and one that is missing", () => {
            const dir = checkout();
            const workflows = path.join(dir, WORKFLOWS_DIR);
            fs.renameSync(path.join(workflows, "drift.yml"), path.join(workflows, "nightly.yml"));
            assert.deepStrictEqual(auditRepository(dir), [
                "nightly.yml is a workflow this audit has no expectations for; add them to tools/ci/workflows/expectations.ts",
                `${path.join(WORKFLOWS_DIR, "drift.yml")} is missing`,
            ]);
        });

        it("names a Pulumi CLI version that differs from @pulumi/pulumi", () => {
            const dir = checkout();
            fs.writeFileSync(path.join(dir, PULUMI_VERSION_FILE), "3.100.0\n");
            const sdk = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).dependencies[
                "@pulumi/pulumi"
            ];
            assert.deepStrictEqual(auditRepository(dir), [
                `${PULUMI_VERSION_FILE} holds 3.100.0; expected ${sdk}, the version of @pulumi/pulumi in package.json`,
            ]);
        });

        it("npm run audit:workflows: exit 0 and no problem on this checkout", async () => {
            const { stdout, stderr } = await promisify(execFile)(
                process.execPath,
                ["--require", "tsx/cjs", "tools/audit-workflows.ts"],
                { cwd: ROOT },
            );
            assert.strictEqual(stderr, "");
            assert.strictEqual(stdout, "Workflows: no problem.\n");
        });
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
});
