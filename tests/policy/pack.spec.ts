import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
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
