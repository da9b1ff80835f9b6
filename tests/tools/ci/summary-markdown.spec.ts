/**
 * `--summary-markdown <file>`: the driver writes the summary it printed (changes and policy verdicts) as
 * Markdown, which the pull-request workflow posts as a comment.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseCiArgs } from "../../../tools/ci/args";
import { ExitCode } from "../../../tools/ci/driver";
import { markdownSummary } from "../../../tools/ci/summary";
import { FakeAutomation, policyEvent, run, URN } from "./fake-automation";

const file = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ci-summary-")), "preview-dev.md");

describe("ci driver: --summary-markdown", () => {
    it("a clean preview: the heading says passed, the block holds the printed summary", async () => {
        const out = file();
        const { code, stdout } = await run(["preview", "--stack", "dev", "--summary-markdown", out]);
        assert.strictEqual(code, ExitCode.ok);
        assert.strictEqual(
            fs.readFileSync(out, "utf8"),
            "### `preview` of `dev`: passed\n\n```\nPreview: create 3, same 2\nPolicy violations: 0 mandatory, 0 advisory\n```\n",
        );
        assert.match(stdout, new RegExp(`^Summary written to ${out.replace(/[.\\/]/g, "\\$&")}$`, "m"));
    });

    it("a mandatory violation: failed, with the policy, URN and message", async () => {
        const fake = new FakeAutomation();
        fake.preview = { events: [policyEvent("kms-key-rotation", "mandatory", "Key rotation is off.")], result: {} };
        const out = file();
        const { code } = await run(["preview", "--stack", "dev", "--summary-markdown", out], fake);
        assert.strictEqual(code, ExitCode.failed);
        assert.strictEqual(
            fs.readFileSync(out, "utf8"),
            "### `preview` of `dev`: failed\n\n```\nPreview: no resources\nPolicy violations: 1 mandatory, 0 advisory\n" +
                `  [mandatory] kms-key-rotation: ${URN}\n      Key rotation is off.\n\`\`\`\n`,
        );
    });

    it("an up: the up's own summary; an up stopped by its preview: the preview's", async () => {
        const out = file();
        await run(["up", "--stack", "dev", "--summary-markdown", out]);
        assert.ok(
            fs.readFileSync(out, "utf8").startsWith("### `up` of `dev`: passed\n\n```\nUpdate: create 3, same 2\n"),
        );
        const fake = new FakeAutomation();
        fake.preview = { result: new Error("boom") };
        await run(["up", "--stack", "dev", "--summary-markdown", out], fake);
        assert.ok(
            fs
                .readFileSync(out, "utf8")
                .startsWith("### `preview` of `dev`: failed\n\n```\nPreview: did not complete\n"),
        );
    });

    it("no file when the stack could not be opened: nothing was concluded", async () => {
        const fake = new FakeAutomation();
        fake.stackError = new Error("no backend");
        const out = file();
        const { code } = await run(["preview", "--stack", "dev", "--summary-markdown", out], fake);
        assert.strictEqual(code, ExitCode.failed);
        assert.strictEqual(fs.existsSync(out), false);
    });

    it("applies to preview and up only", () => {
        assert.deepStrictEqual(parseCiArgs(["refresh", "--stack", "dev", "--summary-markdown", "x.md"]), {
            ok: false,
            message: "--summary-markdown applies to preview and up only",
        });
    });

    it("fences a message that itself holds a code fence with a longer one", () => {
        assert.strictEqual(
            markdownSummary("preview", "prod", "failed", ["Policy violations: 1 mandatory", "      use ```yaml"]),
            "### `preview` of `prod`: failed\n\n````\nPolicy violations: 1 mandatory\n      use ```yaml\n````\n",
        );
    });
});
