import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { loadPolicyPackConfig, policyPackConfigPath } from "../../policy/pack-config";
import { allPolicies } from "../../policy/policies";
import { computeTagSupport, serializeTagSupport, TAG_SUPPORT_FILE } from "../../tools/tag-support";

const ROOT = path.resolve(__dirname, "../..");
const readJson = (p: string) => JSON.parse(fs.readFileSync(path.join(ROOT, p), "utf8"));

describe("policy pack", () => {
    it("every policy has a unique kebab-case name, a description, a level and remediation steps", () => {
        const names = allPolicies.map((p) => p.name);
        assert.strictEqual(new Set(names).size, names.length);
        for (const p of allPolicies) {
            assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.ok(p.description.length > 20, p.name);
            assert.ok(p.enforcementLevel === "mandatory" || p.enforcementLevel === "advisory", p.name);
            assert.ok((p.remediationSteps ?? "").length > 20, p.name);
        }
    });

    it("every policy has a category tag, and its level follows it: hygiene advisory, everything else mandatory", () => {
        const categories = ["encryption", "tagging", "access", "durability", "hygiene"];
        for (const p of allPolicies) {
            const tags = p.tags ?? [];
            assert.ok(tags.length > 0 && tags.every((t) => categories.includes(t)), `${p.name}: ${tags}`);
            const hygieneOnly = tags.every((t) => t === "hygiene");
            assert.strictEqual(p.enforcementLevel, hygieneOnly ? "advisory" : "mandatory", p.name);
        }
        assert.deepStrictEqual(
            allPolicies.filter((p) => p.enforcementLevel === "advisory").map((p) => p.name),
            [
                "aws-vpc-flow-logs",
                "gcp-subnet-flow-logs",
                "eks-version-in-standard-support",
                "eks-upgrade-policy-standard",
                "sqs-queue-has-dead-letter-queue",
            ],
        );
    });

    it("every policy has a config schema whose every property has a default and a description", () => {
        for (const p of allPolicies) {
            const props = Object.entries(p.configSchema?.properties ?? {});
            assert.ok(props.length > 0, `${p.name} has no config schema`);
            for (const [key, prop] of props) {
                assert.ok("default" in prop && prop.default !== undefined, `${p.name}.${key} has no default`);
                assert.ok(typeof prop.description === "string" && prop.description.length > 10, `${p.name}.${key}`);
            }
        }
    });

    it("per-stack pack configs name only real policies and keys, and prod makes every hygiene rule mandatory", () => {
        const dir = path.join(ROOT, "policy/config");
        const byName = new Map(allPolicies.map((p) => [p.name, p]));
        for (const file of fs.readdirSync(dir)) {
            const config = readJson(`policy/config/${file}`) as Record<string, unknown>;
            for (const [name, value] of Object.entries(config)) {
                if (name === "all") continue;
                const policy = byName.get(name);
                assert.ok(policy, `${file}: no policy named ${name}`);
                const keys = typeof value === "string" ? [] : Object.keys(value as object);
                for (const k of keys) {
                    assert.ok(
                        k === "enforcementLevel" || k in (policy.configSchema?.properties ?? {}),
                        `${file}: ${k}`,
                    );
                }
            }
        }
        const prod = loadPolicyPackConfig("prod");
        for (const p of allPolicies.filter((p) => p.enforcementLevel === "advisory")) {
            assert.strictEqual(prod[p.name], "mandatory", p.name);
        }
        assert.deepStrictEqual(loadPolicyPackConfig("dev"), {});
        assert.strictEqual(policyPackConfigPath("org/multicloud-platform/prod"), path.join(dir, "prod.json"));
    });

    it("the README's policy table lists every policy, in pack order, with its level, category and description", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const section = readme.slice(readme.indexOf("## Policies"), readme.indexOf("## Layout"));
        const rows = section
            .split("\n")
            .filter((l) => l.startsWith("| `"))
            .map((l) => l.split(" | ").map((c) => c.replace(/^\|? *`?|`? *\|?$/g, "").trim()));
        assert.deepStrictEqual(
            rows.map(([name, level, category, description]) => ({ name, level, category, description })),
            allPolicies.map((p) => ({
                name: p.name,
                level: p.enforcementLevel,
                category: (p.tags ?? []).join(", "),
                description: p.description,
            })),
        );
    });

    it("is a runnable CrossGuard pack whose dependencies match the program's pinned versions", () => {
        assert.strictEqual(
            (yaml.load(fs.readFileSync(path.join(ROOT, "policy/PulumiPolicy.yaml"), "utf8")) as any).runtime,
            "nodejs",
        );
        const root = readJson("package.json").dependencies;
        const pack = readJson("policy/package.json").dependencies;
        for (const [name, version] of Object.entries(pack)) assert.strictEqual(version, root[name], name);
        assert.match(
            fs.readFileSync(path.join(ROOT, "policy/index.ts"), "utf8"),
            /new PolicyPack\("multicloud-platform-policies", \{ policies: allPolicies \}\)/,
        );
    });

    it("the taggable-type lists match the installed provider SDKs (regenerate: npx tsx tools/tag-support.ts --write)", () => {
        const fresh = computeTagSupport();
        assert.strictEqual(fs.readFileSync(TAG_SUPPORT_FILE, "utf8"), serializeTagSupport(fresh));
        assert.ok(fresh.awsTaggable.includes("aws:kms/key:Key") && !fresh.awsTaggable.includes("aws:kms/alias:Alias"));
        assert.strictEqual(fresh.gcpLabelable["gcp:container/cluster:Cluster"], "resourceLabels");
        assert.strictEqual(fresh.gcpLabelable["gcp:kms/keyRing:KeyRing"], undefined);
    });
});
