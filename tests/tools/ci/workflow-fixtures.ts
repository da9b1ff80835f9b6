/** The real workflows as mutable fixtures: the valid baseline each workflow case changes one thing in. */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { WORKFLOWS_DIR } from "../../../tools/ci/workflows/audit";
import { PINNED_ACTIONS } from "../../../tools/ci/workflows/rules";

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

/**
 * A changed fixture as workflow text. YAML drops comments, so the version comment of every action pinned
 * to its audited commit is written back, as the real files carry it; a case about the comment removes it.
 */
export function dump(wf: any): string {
    return yaml
        .dump(wf, { lineWidth: -1 })
        .split("\n")
        .map((line) => {
            const m = /uses: ([^@\s]+)@([0-9a-f]{40})$/.exec(line);
            const pinned = m ? PINNED_ACTIONS[m[1]] : undefined;
            return pinned && pinned.sha === m![2] ? `${line} # ${pinned.version}` : line;
        })
        .join("\n");
}

/** The line number (1-based) of the first line of `text` that contains `needle`. */
export function lineOf(text: string, needle: string): number {
    return text.split("\n").findIndex((l) => l.includes(needle)) + 1;
}
