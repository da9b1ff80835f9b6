/**
 * The pieces next to the seam: reading drift from refresh events, and the real Automation API seam and
 * entry point on a machine without the Pulumi CLI.
 */
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { createAutomation } from "../../../tools/ci/automation";
import { ExitCode } from "../../../tools/ci/driver";
import { driftOf } from "../../../tools/ci/summary";
import { event, ROOT, URN } from "./fake-automation";

describe("ci driver", () => {
    describe("summary", () => {
        it("reads drift from refresh outputs events: changed keys, a missing new state, nothing when unchanged", () => {
            const base = { type: "t", provider: "p", op: "refresh" as const, urn: URN };
            assert.deepStrictEqual(
                driftOf(event({ resOutputsEvent: { metadata: { ...base, new: {} as any, diffs: ["tags"] } } })),
                {
                    urn: URN,
                    change: "update",
                    keys: ["tags"],
                },
            );
            assert.deepStrictEqual(driftOf(event({ resOutputsEvent: { metadata: base } })), {
                urn: URN,
                change: "delete",
                keys: [],
            });
            assert.strictEqual(
                driftOf(event({ resOutputsEvent: { metadata: { ...base, new: {} as any, diffs: [] } } })),
                undefined,
            );
            assert.strictEqual(driftOf(event({ resourcePreEvent: { metadata: base } })), undefined);
        });
    });

    describe("real Automation API seam", () => {
        const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), "ci-empty-path-"));

        it("reports a Pulumi CLI missing from PATH instead of throwing", async () => {
            const saved = process.env.PATH;
            process.env.PATH = emptyDir;
            try {
                assert.deepStrictEqual(await createAutomation().checkCli(), {
                    found: false,
                    detail: "no `pulumi` executable was found on PATH",
                });
            } finally {
                process.env.PATH = saved;
            }
        });

        it("npm run ci without a CLI on PATH exits 4 from the real entry point", async () => {
            const res = await promisify(execFile)(
                process.execPath,
                ["--require", "tsx/cjs", "tools/ci.ts", "preview", "--stack", "dev"],
                {
                    cwd: ROOT,
                    env: { ...process.env, PATH: emptyDir },
                },
            ).then(
                () => ({ code: 0, stderr: "" }),
                (e: any) => ({ code: e.code as number, stderr: e.stderr as string }),
            );
            assert.strictEqual(res.code, ExitCode.noCli, res.stderr);
            assert.match(res.stderr, /npm run plan -- --stack dev/);
        });
    });
});
