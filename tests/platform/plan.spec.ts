import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import type { PlanJson } from "../../tools/plan";
import { connectivityFlows } from "../../catalog/connectivity";
import { stackServiceFlows } from "../../harness/connectivity/stack-flows";
import { evaluated } from "../../harness/stacks";

const ROOT = path.resolve(__dirname, "../..");
const run = promisify(execFile);

/** Runs `npm run plan -- <args>` the way a user would (same entry point, no npm wrapper) and reports its exit. */
async function plan(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
        const { stdout, stderr } = await run(process.execPath, ["--require", "tsx/cjs", "tools/plan.ts", ...args], {
            cwd: ROOT,
        });
        return { code: 0, stdout, stderr };
    } catch (e: any) {
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
}

describe("offline plan", function () {
    this.timeout(120_000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: has zero mandatory policy violations`, async () => {
            const { violations } = await evaluated(stack);
            assert.deepStrictEqual(
                violations.filter((v) => v.level === "mandatory"),
                [],
            );
        });
    }

    it("npm run plan -- --stack prod --json writes the plan and exits 0", async () => {
        const file = path.join(tmp, "prod.json");
        const res = await plan(["--stack", "prod", "--json", file]);
        assert.strictEqual(res.code, 0, res.stderr);
        assert.match(res.stdout, /Policy violations: 0 mandatory/);
        const json: PlanJson = JSON.parse(fs.readFileSync(file, "utf8"));
        assert.deepStrictEqual(Object.keys(json), [
            "project",
            "stack",
            "resources",
            "violations",
            "versionWarnings",
            "connectivity",
            "outputs",
        ]);
        // Every flow, the platform's and the catalog's services', is written with its verdict; what each
        // verdict is, is tests/connectivity/'s.
        assert.deepStrictEqual(
            json.connectivity!.flows.map((f) => f.id),
            connectivityFlows(stackServiceFlows("prod")).map((f) => f.id),
        );
        assert.ok(json.connectivity!.flows.some((f) => f.id === "svc-order-calls-payment" && f.status === "pass"));
        assert.match(res.stdout, /\nConnectivity: \d+ flows; deployer: /);
        // What the section holds on a given day is tests/tools/version-support.spec.ts's; here, that it is written.
        assert.ok(Array.isArray(json.versionWarnings));
        assert.match(res.stdout, /\nVersion support: /);
        assert.strictEqual(json.project, "multicloud-platform");
        assert.strictEqual(json.stack, "prod");
        const keys = [
            "urn",
            "type",
            "name",
            "custom",
            "parent",
            "provider",
            "dependencies",
            "propertyDependencies",
            "protect",
            "retainOnDelete",
            "aliases",
            "inputs",
        ];
        for (const r of json.resources) assert.deepStrictEqual(Object.keys(r), keys);
        const custom = json.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
        assert.ok(custom.every((r) => r.provider && !r.provider.includes("::default")));
        const keysProtected = json.resources.filter(
            (r) => r.type === "aws:kms/key:Key" || r.type === "gcp:kms/cryptoKey:CryptoKey",
        );
        // One per purpose and region (5 x 3), and the own key of the product service's RDS instance.
        assert.strictEqual(keysProtected.length, 16);
        assert.ok(keysProtected.every((r) => r.protect));
        assert.match(
            String((json.outputs.kmsKeyArnsPrimary as Record<string, string>).database),
            /^arn:aws:kms:us-east-1:/,
        );
        // Secret outputs and inputs never reach the file in clear.
        assert.deepStrictEqual([json.outputs.eksKubeconfig, json.outputs.gkeKubeconfig], ["[secret]", "[secret]"]);
        assert.doesNotMatch(fs.readFileSync(file, "utf8"), /offline-secret-placeholder|token-of-|BEGIN PRIVATE KEY/);
        const conn = json.resources.find((r) => r.type === "aws:ec2/vpnConnection:VpnConnection")!;
        assert.strictEqual(conn.inputs.tunnel1PresharedKey, "[secret]");
    });

    it("exits non-zero with the validation message, and no stack trace, on a stack file missing a required key", async () => {
        const text = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
        const withoutGcp = text.replace(/^ {2}multicloud-platform:gcp:\n(?: {4}.*\n)+/m, "");
        assert.notStrictEqual(withoutGcp, text);
        const file = path.join(tmp, "Pulumi.broken.yaml");
        fs.writeFileSync(file, withoutGcp);
        const res = await plan(["--stack", "dev", "--stack-file", file]);
        assert.strictEqual(res.code, 2);
        assert.strictEqual(
            res.stderr.trim(),
            [
                "Stack 'dev' has 1 configuration problem:",
                `  - multicloud-platform:gcp: required key is missing; received nothing. Allowed: an object with project and region. Fix: add 'multicloud-platform:gcp' to Pulumi.dev.yaml (see README, "Config reference").`,
            ].join("\n"),
        );
        assert.doesNotMatch(res.stderr + res.stdout, /\n\s+at /);
    });

    it("exits 2 with usage on a missing --stack", async () => {
        const res = await plan([]);
        assert.strictEqual(res.code, 2);
        assert.match(res.stderr, /usage: npm run plan -- --stack <dev\|prod>/);
    });
});
