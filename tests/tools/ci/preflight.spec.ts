/**
 * What the CI driver decides before the Pulumi CLI is touched: a missing CLI, an invalid or missing stack
 * file, a stack the backend cannot open, and bad usage, each with its exit code and no needless seam call.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { USAGE } from "../../../tools/ci/args";
import { ExitCode } from "../../../tools/ci/driver";
import { commandError, FakeAutomation, ROOT, run } from "./fake-automation";

describe("ci driver", () => {
    describe("before the CLI", () => {
        it("no Pulumi CLI: exit 4 with how to install it and the offline alternative, no stack call", async () => {
            const fake = new FakeAutomation();
            fake.cli = { found: false, detail: "no `pulumi` executable was found on PATH" };
            const { code, stderr, stdout } = await run(["preview", "--stack", "dev"], fake);
            assert.strictEqual(code, ExitCode.noCli);
            assert.deepStrictEqual(fake.methods(), ["checkCli"]);
            assert.strictEqual(stdout, "");
            for (const text of [
                "the Pulumi CLI is required for `npm run ci -- preview`",
                "https://www.pulumi.com/docs/install/",
                "curl -fsSL https://get.pulumi.com | sh",
                "pulumi/actions",
                "npm run plan -- --stack dev",
            ])
                assert.ok(stderr.includes(text), `missing '${text}' in:\n${stderr}`);
        });

        it("invalid stack config: the validator's messages and exit 2 before any seam call", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ci-config-"));
            fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
            const dev = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
            fs.writeFileSync(path.join(dir, "Pulumi.broken.yaml"), dev.replace("10.10.0.0/16", "10.10.0.0/33"));
            const { code, stderr, fake } = await run(["preview", "--stack", "broken"], new FakeAutomation(), dir);
            assert.strictEqual(code, ExitCode.usage);
            assert.deepStrictEqual(fake.calls, []);
            assert.strictEqual(
                stderr,
                "Stack 'broken' has 1 configuration problem:\n" +
                    `  - multicloud-platform:network.awsPrimaryVpcCidr: is not a canonical IPv4 CIDR block; received "10.10.0.0/33". Allowed: an RFC 1918 IPv4 block with prefix /16 to /20 and no host bits set, such as 10.10.0.0/16. Fix: pulumi config set --path 'network.awsPrimaryVpcCidr' 10.10.0.0/16.\n`,
            );
        });

        it("a stack without a stack file: exit 2 before any seam call", async () => {
            const { code, stderr, fake } = await run(["up", "--stack", "acme/staging"]);
            assert.strictEqual(code, ExitCode.usage);
            assert.deepStrictEqual(fake.calls, []);
            assert.match(stderr, /Pulumi\.staging\.yaml does not exist/);
        });

        it("a stack the backend cannot open: exit 1 with the CLI's message", async () => {
            const fake = new FakeAutomation();
            fake.stackError = commandError("error: no stack named 'dev' found");
            const { code, stderr } = await run(["refresh", "--stack", "dev"], fake);
            assert.strictEqual(code, ExitCode.failed);
            assert.match(stderr, /^error: cannot open stack dev: code: 255\n/);
            assert.match(stderr, /no stack named 'dev' found/);
        });

        for (const [name, argv, message] of [
            ["no arguments", [], "expected one operation (preview, up, refresh, destroy)"],
            [
                "an unknown operation",
                ["deploy", "--stack", "dev"],
                "unknown operation 'deploy'; expected one of preview, up, refresh, destroy",
            ],
            ["a missing --stack", ["preview"], "--stack <name> is required"],
            [
                "two operations",
                ["preview", "up", "--stack", "dev"],
                "expected one operation (preview, up, refresh, destroy)",
            ],
            [
                "a malformed stack name",
                ["preview", "--stack", "a/b/c/d"],
                "'a/b/c/d' is not a stack name; expected <stack>, <org>/<stack> or <org>/<project>/<stack>",
            ],
            [
                "--confirm-destroy outside destroy",
                ["up", "--stack", "dev", "--confirm-destroy", "dev"],
                "--confirm-destroy applies to destroy only",
            ],
            [
                "--policy-pack-config on refresh",
                ["refresh", "--stack", "dev", "--policy-pack-config", "x.json"],
                "--policy-pack-config applies to preview and up only",
            ],
        ] as const) {
            it(`${name}: usage and exit 2, no seam call`, async () => {
                const { code, stderr, fake } = await run([...argv]);
                assert.strictEqual(code, ExitCode.usage);
                assert.strictEqual(stderr, `error: ${message}\n${USAGE}\n`);
                assert.deepStrictEqual(fake.calls, []);
            });
        }

        it("an unknown option: usage and exit 2", async () => {
            const { code, stderr, fake } = await run(["preview", "--stack", "dev", "--yes"]);
            assert.strictEqual(code, ExitCode.usage);
            assert.match(stderr, /Unknown option '--yes'/);
            assert.ok(stderr.endsWith(`${USAGE}\n`));
            assert.deepStrictEqual(fake.calls, []);
        });
    });
});
