/** The real workflows as mutable fixtures: the valid baseline each workflow case changes one thing in. */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { WORKFLOWS_DIR } from "../../../tools/ci/workflows/audit";

export const ROOT = path.resolve(__dirname, "../../..");

/** The npm scripts of package.json, which are the only `npm run` commands a workflow may use. */
export const SCRIPTS = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts);

/** The text of a real workflow. */
export function read(file: string): string {
    return fs.readFileSync(path.join(ROOT, WORKFLOWS_DIR, file), "utf8");
}

/** A real workflow, parsed into a mutable copy. */
export function fixture(file: string): any {
    return yaml.load(read(file));
}

/** The index of the step a case changes; fails the case when the fixture lost it. */
export function stepIndex(job: any, predicate: (step: any) => boolean): number {
    const i = job.steps.findIndex(predicate);
    assert.ok(i >= 0, "the fixture lost the step this case changes");
    return i;
}

export const isCiRun = (s: any): boolean => typeof s.run === "string" && s.run.startsWith("npm run ci");
