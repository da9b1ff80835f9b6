/**
 * The workflow audit: GitHub Actions workflows may only run the project's own commands, use actions
 * from an allowlist pinned by commit, reach the clouds and Pulumi Cloud through OIDC and hold no
 * credential, operate on a stack only from its in-VPC runner, and each workflow does what it is for. `audit` collects every problem of one workflow file; `auditRepository` audits
 * every workflow of a checkout together with the files they depend on. Pure reads, no process exit:
 * `tools/audit-workflows.ts` is the command line, `tests/tools/ci/workflow*.spec.ts` the tests.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import {
    checkActions,
    checkCommands,
    checkCredentials,
    checkNodeSetup,
    checkPermissions,
    checkPinComments,
    checkStackJobs,
    checkTriggersAreTrusted,
} from "./checks";
import { EXPECTATIONS } from "./expectations";
import type { Workflow } from "./model";
import { PULUMI_VERSION_FILE } from "./rules";

/** Where a checkout keeps its workflows, relative to its root. */
export const WORKFLOWS_DIR = path.join(".github", "workflows");

/** Every problem of one workflow file: the checks all workflows pass, then what this one is for. */
export function audit(file: string, text: string, scripts: readonly string[]): string[] {
    const wf = yaml.load(text) as Workflow;
    const expect = EXPECTATIONS[file];
    return [
        ...checkTriggersAreTrusted(file, wf),
        ...checkCommands(file, wf, scripts),
        ...checkActions(file, wf),
        ...checkPinComments(file, text),
        ...checkCredentials(file, text),
        ...checkPermissions(file, wf),
        ...checkNodeSetup(file, wf),
        ...checkStackJobs(file, wf),
        ...(expect
            ? expect(file, wf)
            : [
                  `${file} is a workflow this audit has no expectations for; add them to tools/ci/workflows/expectations.ts`,
              ]),
    ];
}

/**
 * Every problem of the workflows of the checkout at `root`: each file under `.github/workflows`, the
 * workflows the audit expects and did not find, and a Pulumi CLI version that differs from the SDK's.
 */
export function auditRepository(root: string): string[] {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    const scripts = Object.keys(pkg.scripts ?? {});
    const dir = path.join(root, WORKFLOWS_DIR);
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
    const problems = files.flatMap((file) => audit(file, fs.readFileSync(path.join(dir, file), "utf8"), scripts));
    for (const file of Object.keys(EXPECTATIONS).filter((f) => !files.includes(f))) {
        problems.push(`${path.join(WORKFLOWS_DIR, file)} is missing`);
    }
    const versionFile = path.join(root, PULUMI_VERSION_FILE);
    const cli = fs.existsSync(versionFile) ? fs.readFileSync(versionFile, "utf8").trim() : undefined;
    const sdk = pkg.dependencies?.["@pulumi/pulumi"];
    if (cli !== sdk) {
        problems.push(
            cli === undefined
                ? `${PULUMI_VERSION_FILE} is missing; it holds the Pulumi CLI version, ${sdk} like @pulumi/pulumi in package.json`
                : `${PULUMI_VERSION_FILE} holds ${cli}; expected ${sdk}, the version of @pulumi/pulumi in package.json`,
        );
    }
    return problems;
}
