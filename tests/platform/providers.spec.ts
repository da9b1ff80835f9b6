import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { REQUIRED_TAG_KEYS } from "../../config/schema";
import { defaultProviderErrors } from "../../tools/plan";
import { providerOf } from "../../harness/lookup";
import { runStack } from "../../harness/run";
import { loadStackConfig } from "../../harness/stack-config";
import { evaluated } from "../../harness/stacks";

describe("providers", () => {
    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: every custom resource names an explicit provider of its own package`, async () => {
            const { run } = await evaluated(stack);
            const custom = run.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
            assert.ok(custom.length > 0);
            for (const r of custom) {
                const p = providerOf(run.resources, r);
                assert.ok(p, `${r.urn} has no explicit provider`);
                assert.strictEqual(p.type, `pulumi:providers:${r.type.split(":")[0]}`, r.urn);
            }
        });
    }

    it("creates every resource inside a component: only providers and components sit at the stack root", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const { run } = await evaluated(stack);
            const root = run.resources.find((r) => r.type === "pulumi:pulumi:Stack")!;
            const loose = run.resources
                .filter((r) => r.parent === root.urn)
                .filter((r) => !r.type.startsWith("pulumi:providers:") && !r.type.startsWith("multicloud:"));
            assert.deepStrictEqual(
                loose.map((r) => r.urn),
                [],
            );
        }
    });

    it("puts the stack's required tags on both AWS providers and the GCP provider, in their regions", async () => {
        const { run } = await evaluated("prod");
        const byName = (n: string) =>
            run.resources.find((r) => r.type.startsWith("pulumi:providers:") && r.name === n)!;
        const regions = { "aws-primary": "us-east-1", "aws-secondary": "us-west-2" } as Record<string, string>;
        for (const name of ["aws-primary", "aws-secondary"]) {
            const p = byName(name);
            assert.strictEqual(p.inputs.region, regions[name]);
            const tags = JSON.parse(p.inputs.defaultTags).tags;
            assert.deepStrictEqual(Object.keys(tags).sort(), [...REQUIRED_TAG_KEYS].sort());
            assert.strictEqual(tags.environment, "prod");
        }
        const g = byName("gcp");
        assert.strictEqual(g.inputs.project, "acme-platform-prod");
        assert.strictEqual(g.inputs.region, "us-east4");
        assert.strictEqual(JSON.parse(g.inputs.defaultLabels)["data-classification"], "confidential");
    });

    it("both stack files disable default providers", () => {
        for (const stack of ["dev", "prod"]) {
            assert.deepStrictEqual(JSON.parse(loadStackConfig(stack).config["pulumi:disable-default-providers"]), [
                "*",
            ]);
        }
    });

    it("the offline plan flags a resource that would fall back to a default provider", async () => {
        const run = await runStack({
            stack: "dev",
            program: async () => {
                new aws.s3.Bucket("stray", {});
            },
        });
        assert.strictEqual(run.error, undefined);
        const errors = defaultProviderErrors(run.resources, ["*"]);
        assert.strictEqual(errors.length, 1);
        assert.match(errors[0], /aws:s3\/bucket:Bucket::stray: uses a default provider/);
        assert.deepStrictEqual(defaultProviderErrors(run.resources, ["gcp"]), []);
    });
});
