/**
 * The CI driver's operations through a recording seam: preview and up with the policy pack, refresh as
 * a drift check, destroy guarded for prod. Each case asserts the exact seam calls, exit code and output.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ExitCode } from "../../../tools/ci/driver";
import {
    commandError,
    event,
    FakeAutomation,
    POLICY,
    policyEvent,
    PROD_POLICY_CONFIG,
    ROOT,
    run,
    STREAMED,
    URN,
} from "./fake-automation";

describe("ci driver", () => {
    describe("preview", () => {
        it("dev: runs the policy pack by absolute path, with no policy config, streaming output", async () => {
            const { code, stdout, fake } = await run(["preview", "--stack", "dev"]);
            assert.strictEqual(code, ExitCode.ok);
            assert.deepStrictEqual(fake.calls, [
                { method: "checkCli" },
                { method: "stack", name: "dev", workDir: ROOT, mode: "createOrSelect" },
                {
                    method: "preview",
                    options: { policyPacks: [POLICY] },
                    callbacks: ["onOutput", "onError", "onEvent"],
                },
            ]);
            assert.ok(stdout.includes(STREAMED));
            assert.match(stdout, /^Preview: create 3, same 2$/m);
            assert.match(stdout, /^Policy violations: 0 mandatory, 0 advisory$/m);
        });

        it("prod: adds policy/config/prod.json as the policy pack config", async () => {
            const { code, fake } = await run(["preview", "--stack", "prod"]);
            assert.strictEqual(code, ExitCode.ok);
            assert.deepStrictEqual(fake.options("preview"), {
                policyPacks: [POLICY],
                policyPackConfigs: [PROD_POLICY_CONFIG],
            });
        });

        it("a fully qualified stack name is passed through whole; its last segment picks the files", async () => {
            const { code, fake } = await run(["preview", "--stack", "acme/multicloud-platform/prod"]);
            assert.strictEqual(code, ExitCode.ok);
            assert.deepStrictEqual(fake.calls[1], {
                method: "stack",
                name: "acme/multicloud-platform/prod",
                workDir: ROOT,
                mode: "createOrSelect",
            });
            assert.deepStrictEqual(fake.options("preview").policyPackConfigs, [PROD_POLICY_CONFIG]);
        });

        it("--policy-pack-config replaces the stack's default config", async () => {
            const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ci-")), "strict.json");
            fs.writeFileSync(file, "{}\n");
            const { code, fake } = await run(["preview", "--stack", "prod", "--policy-pack-config", file]);
            assert.strictEqual(code, ExitCode.ok);
            assert.deepStrictEqual(fake.options("preview"), { policyPacks: [POLICY], policyPackConfigs: [file] });
        });

        it("a --policy-pack-config that does not exist: exit 2 before any seam call", async () => {
            const missing = path.join(os.tmpdir(), "no-such-dir", "policy.json");
            const { code, stderr, fake } = await run(["preview", "--stack", "dev", "--policy-pack-config", missing]);
            assert.strictEqual(code, ExitCode.usage);
            assert.strictEqual(stderr, `error: policy pack config ${missing} does not exist\n`);
            assert.deepStrictEqual(fake.calls, []);
        });

        it("a mandatory violation fails with exit 1 and is printed with its policy, URN and message", async () => {
            const fake = new FakeAutomation();
            fake.preview = {
                events: [policyEvent("kms-key-rotation", "mandatory", "Key rotation is off.\nSet enableKeyRotation.")],
                result: { create: 1 },
            };
            const { code, stdout, stderr } = await run(["preview", "--stack", "dev"], fake);
            assert.strictEqual(code, ExitCode.failed);
            assert.ok(
                stdout.includes(
                    "Policy violations: 1 mandatory, 0 advisory\n" +
                        `  [mandatory] kms-key-rotation: ${URN}\n` +
                        "      Key rotation is off.\n" +
                        "      Set enableKeyRotation.\n",
                ),
                stdout,
            );
            assert.strictEqual(
                stderr,
                "error: pulumi preview failed: 1 mandatory policy violation(s), listed above.\n",
            );
        });

        it("advisory violations only: exit 0, still listed", async () => {
            const fake = new FakeAutomation();
            fake.preview = { events: [policyEvent("aws-required-tags", "warning", "Missing tag owner.")] };
            const { code, stdout, stderr } = await run(["preview", "--stack", "dev"], fake);
            assert.strictEqual(code, ExitCode.ok);
            assert.ok(
                stdout.includes(`Policy violations: 0 mandatory, 1 advisory\n  [advisory] aws-required-tags: ${URN}\n`),
            );
            assert.strictEqual(stderr, "");
        });

        it("the CommandError a mandatory violation makes the CLI throw: violations summary and exit 1, no trace", async () => {
            const fake = new FakeAutomation();
            fake.preview = {
                events: [policyEvent("s3-bucket-kms-encrypted", "mandatory", "Bucket uses SSE-S3.")],
                result: commandError("error: preview failed: 1 mandatory policy violation"),
            };
            const { code, stdout, stderr } = await run(["preview", "--stack", "dev"], fake);
            assert.strictEqual(code, ExitCode.failed);
            assert.match(stdout, /^Preview: did not complete$/m);
            assert.ok(stdout.includes(`  [mandatory] s3-bucket-kms-encrypted: ${URN}\n      Bucket uses SSE-S3.\n`));
            assert.strictEqual(
                stderr,
                "error: pulumi preview failed: 1 mandatory policy violation(s), listed above.\n",
            );
        });

        it("a CommandError without violations: exit 1, pointing at the streamed output", async () => {
            const fake = new FakeAutomation();
            fake.preview = { result: commandError("error: program failed") };
            const { code, stderr } = await run(["preview", "--stack", "dev"], fake);
            assert.strictEqual(code, ExitCode.failed);
            assert.strictEqual(stderr, "error: pulumi preview failed; the engine's output above says why.\n");
        });
    });

    describe("up", () => {
        it("does not run up when the preview has a mandatory violation", async () => {
            const fake = new FakeAutomation();
            fake.preview = { events: [policyEvent("kms-key-rotation", "mandatory", "Rotation off.")], result: {} };
            const { code, stderr } = await run(["up", "--stack", "prod"], fake);
            assert.strictEqual(code, ExitCode.failed);
            assert.deepStrictEqual(fake.methods(), ["checkCli", "stack", "preview"]);
            assert.match(stderr, /Not running up: the preview must pass first\./);
        });

        it("does not run up when the preview errors", async () => {
            const fake = new FakeAutomation();
            fake.preview = { result: commandError("error: program failed") };
            const { code } = await run(["up", "--stack", "dev"], fake);
            assert.strictEqual(code, ExitCode.failed);
            assert.deepStrictEqual(fake.methods(), ["checkCli", "stack", "preview"]);
        });

        it("after a clean preview runs up with the same policy options and reports its changes", async () => {
            const fake = new FakeAutomation();
            fake.preview = { events: [policyEvent("aws-required-tags", "warning", "advisory only")], result: {} };
            fake.up = { result: { create: 7, same: 1 } };
            const { code, stdout } = await run(["up", "--stack", "prod"], fake);
            assert.strictEqual(code, ExitCode.ok);
            assert.deepStrictEqual(fake.methods(), ["checkCli", "stack", "preview", "up"]);
            const expected = { policyPacks: [POLICY], policyPackConfigs: [PROD_POLICY_CONFIG] };
            assert.deepStrictEqual(fake.options("preview"), expected);
            assert.deepStrictEqual(fake.options("up"), expected);
            assert.deepStrictEqual(fake.calls[3], {
                method: "up",
                options: expected,
                callbacks: ["onOutput", "onError", "onEvent"],
            });
            assert.match(stdout, /^Update: create 7, same 1$/m);
        });

        it("a failed up: exit 1", async () => {
            const fake = new FakeAutomation();
            fake.up = { result: commandError("error: creating bucket: AccessDenied") };
            const { code, stdout } = await run(["up", "--stack", "dev"], fake);
            assert.strictEqual(code, ExitCode.failed);
            assert.match(stdout, /^Update: failed$/m);
        });
    });

    describe("refresh", () => {
        const DRIFTED = "urn:pulumi:dev::multicloud-platform::aws:s3/bucketV2:BucketV2::logs";
        const GONE = "urn:pulumi:dev::multicloud-platform::aws:sqs/queue:Queue::orders";

        it("drift: exit 3, lists what drifted, and only previews the refresh (state untouched)", async () => {
            const fake = new FakeAutomation();
            const meta = { type: "t", provider: "p" };
            fake.previewRefresh = {
                events: [
                    event({ resOutputsEvent: { metadata: { ...meta, op: "refresh", urn: URN, new: {} as any } } }),
                    event({
                        resOutputsEvent: {
                            metadata: {
                                ...meta,
                                op: "refresh",
                                urn: DRIFTED,
                                new: {} as any,
                                diffs: ["tags", "versioning"],
                            },
                        },
                    }),
                    event({ resOutputsEvent: { metadata: { ...meta, op: "refresh", urn: GONE } } }),
                ],
                result: { same: 5, update: 1, delete: 1 },
            };
            const { code, stdout } = await run(["refresh", "--stack", "dev"], fake);
            assert.strictEqual(code, ExitCode.drift);
            assert.deepStrictEqual(fake.calls, [
                { method: "checkCli" },
                { method: "stack", name: "dev", workDir: ROOT, mode: "select" },
                { method: "previewRefresh", options: {}, callbacks: ["onOutput", "onError", "onEvent"] },
            ]);
            assert.ok(
                stdout.includes(
                    "Drift in dev: update 1, delete 1; the state no longer matches the cloud.\n" +
                        `  update ${DRIFTED} (tags, versioning)\n` +
                        `  delete ${GONE}\n`,
                ),
                stdout,
            );
        });

        it("no drift: exit 0", async () => {
            const { code, stdout } = await run(["refresh", "--stack", "prod"]);
            assert.strictEqual(code, ExitCode.ok);
            assert.match(stdout, /^No drift in prod: the cloud matches the state \(same 5\)\.$/m);
        });

        it("a failed refresh preview: exit 1, not a drift verdict", async () => {
            const fake = new FakeAutomation();
            fake.previewRefresh = { result: commandError("error: no credentials") };
            const { code } = await run(["refresh", "--stack", "dev"], fake);
            assert.strictEqual(code, ExitCode.failed);
        });
    });

    describe("destroy", () => {
        for (const [what, extra] of [
            ["without confirmation", []],
            ["with the wrong confirmation", ["--confirm-destroy", "dev"]],
        ] as const) {
            it(`prod ${what}: refused with exit 2 and no seam call`, async () => {
                const { code, stderr, fake } = await run(["destroy", "--stack", "prod", ...extra]);
                assert.strictEqual(code, ExitCode.usage);
                assert.deepStrictEqual(fake.calls, []);
                assert.ok(stderr.includes("npm run ci -- destroy --stack prod --confirm-destroy prod"), stderr);
                assert.ok(stderr.includes("pulumi state unprotect --stack prod <urn>"), stderr);
            });
        }

        it("a fully qualified prod stack needs the same full name to confirm", async () => {
            const stack = "acme/multicloud-platform/prod";
            const { code, fake } = await run(["destroy", "--stack", stack, "--confirm-destroy", "prod"]);
            assert.strictEqual(code, ExitCode.usage);
            assert.deepStrictEqual(fake.calls, []);
        });

        it("prod with the matching confirmation: destroys the selected stack", async () => {
            const { code, stdout, fake } = await run(["destroy", "--stack", "prod", "--confirm-destroy", "prod"]);
            assert.strictEqual(code, ExitCode.ok);
            assert.deepStrictEqual(fake.calls, [
                { method: "checkCli" },
                { method: "stack", name: "prod", workDir: ROOT, mode: "select" },
                { method: "destroy", options: {}, callbacks: ["onOutput", "onError", "onEvent"] },
            ]);
            assert.ok(stdout.includes(STREAMED));
            assert.match(stdout, /^Destroy: delete 5$/m);
        });

        it("dev: destroys without confirmation", async () => {
            const { code, fake } = await run(["destroy", "--stack", "dev"]);
            assert.strictEqual(code, ExitCode.ok);
            assert.deepStrictEqual(fake.methods(), ["checkCli", "stack", "destroy"]);
        });

        it("a failed prod destroy points at the protected resources", async () => {
            const fake = new FakeAutomation();
            fake.destroy = { result: commandError("error: resource is protected") };
            const { code, stderr } = await run(["destroy", "--stack", "prod", "--confirm-destroy", "prod"], fake);
            assert.strictEqual(code, ExitCode.failed);
            assert.match(stderr, /pulumi state unprotect --stack prod <urn>/);
        });
    });
});
