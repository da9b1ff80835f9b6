import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { CommandError, type EngineEvent, type OpMap, type UpdateSummary } from "@pulumi/pulumi/automation";
import { USAGE } from "../../tools/ci/args";
import { createAutomation } from "../../tools/ci/automation";
import { ExitCode, runCi } from "../../tools/ci/driver";
import type { AutomationApi, CliStatus, StackMode, StackOps } from "../../tools/ci/seam";
import { driftOf } from "../../tools/ci/summary";

const ROOT = path.resolve(__dirname, "../..");
const POLICY = path.join(ROOT, "policy");
const PROD_POLICY_CONFIG = path.join(POLICY, "config", "prod.json");
const STREAMED = "engine output chunk\n";

type Call =
    | { method: "checkCli" }
    | { method: "stack"; name: string; workDir: string; mode: StackMode }
    | {
          method: "preview" | "up" | "previewRefresh" | "destroy";
          options: Record<string, unknown>;
          callbacks: string[];
      };

/** What one fake operation does: the events it emits, then the changes it reports or the error it throws. */
interface Behaviour {
    events?: EngineEvent[];
    result?: OpMap | Error;
}

/** A recording AutomationApi: every call in order, options without their callbacks, callbacks by name. */
class FakeAutomation implements AutomationApi {
    readonly calls: Call[] = [];
    cli: CliStatus = { found: true, version: "3.200.0" };
    stackError?: Error;
    preview: Behaviour = { result: { create: 3, same: 2 } };
    up: Behaviour = { result: { create: 3, same: 2 } };
    previewRefresh: Behaviour = { result: { same: 5 } };
    destroy: Behaviour = { result: { delete: 5 } };

    async checkCli(): Promise<CliStatus> {
        this.calls.push({ method: "checkCli" });
        return this.cli;
    }

    async stack(name: string, workDir: string, mode: StackMode): Promise<StackOps> {
        this.calls.push({ method: "stack", name, workDir, mode });
        if (this.stackError) throw this.stackError;
        const op = (method: "preview" | "up" | "previewRefresh" | "destroy") => async (opts: any) => {
            const entries = Object.entries(opts ?? {});
            this.calls.push({
                method,
                options: Object.fromEntries(entries.filter(([, v]) => typeof v !== "function")),
                callbacks: entries.filter(([, v]) => typeof v === "function").map(([k]) => k),
            });
            opts.onOutput?.(STREAMED);
            for (const e of this[method].events ?? []) opts.onEvent?.(e);
            const result = this[method].result;
            if (result instanceof Error) throw result;
            return { stdout: "", stderr: "", changeSummary: result, outputs: {}, summary: summaryOf(result) };
        };
        return {
            preview: op("preview") as StackOps["preview"],
            up: op("up") as StackOps["up"],
            previewRefresh: op("previewRefresh") as StackOps["previewRefresh"],
            destroy: op("destroy") as StackOps["destroy"],
        };
    }

    methods(): string[] {
        return this.calls.map((c) => c.method);
    }

    options(method: string): Record<string, unknown> {
        const call = this.calls.find((c) => c.method === method);
        assert.ok(call && "options" in call, `${method} was not called`);
        return call.options;
    }
}

function summaryOf(resourceChanges: OpMap | undefined): UpdateSummary {
    const now = new Date(0);
    const base = { message: "", environment: {}, config: {}, startTime: now, endTime: now, version: 1 };
    return { ...base, kind: "update", result: "succeeded", resourceChanges };
}

function event(fields: Partial<EngineEvent>): EngineEvent {
    return { sequence: 1, timestamp: 0, ...fields };
}

const URN = "urn:pulumi:dev::multicloud-platform::aws:kms/key:Key::platform-key";

function policyEvent(name: string, level: "mandatory" | "warning", message: string): EngineEvent {
    return event({
        policyEvent: {
            policyName: name,
            enforcementLevel: level,
            message,
            resourceUrn: URN,
            color: "never",
            policyPackName: "multicloud-platform-policies",
            policyPackVersion: "0.0.1",
            policyPackVersionTag: "0.0.1",
        },
    });
}

/** A CommandError as `pulumi preview` throws it: its message is the CLI's whole result. */
function commandError(stderr: string): CommandError {
    return new CommandError(`code: 255\n stdout: \n stderr: ${stderr}\n err?: \n`);
}

async function run(argv: string[], fake = new FakeAutomation(), workDir?: string) {
    let stdout = "";
    let stderr = "";
    const output = { stdout: (s: string) => void (stdout += s), stderr: (s: string) => void (stderr += s) };
    const code = await runCi(argv, { automation: fake, output, workDir });
    return { code, stdout, stderr, fake };
}

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
