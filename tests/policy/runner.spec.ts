import * as assert from "assert";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { effectiveConfig, runPolicies } from "../../harness/policy-runner";
import { resource } from "./fixtures";

/** The offline runner must judge like the CLI's analyzer host, or the offline verdicts mean nothing. */
describe("offline policy runner", () => {
    const always: ResourceValidationPolicy = {
        name: "always",
        description: "reports every resource",
        validateResource: (args, report) =>
            report(`saw ${args.name} limit=${args.getConfig<{ limit: number }>().limit}`),
        configSchema: { properties: { limit: { type: "number", default: 3 } } },
    };
    const r = resource("aws:s3/bucket:Bucket", "b", {});

    it("applies schema defaults under the pack config, and the pack's default level when a policy has none", async () => {
        assert.deepStrictEqual(effectiveConfig(always.configSchema, { enforcementLevel: "mandatory", limit: 5 }), {
            limit: 5,
        });
        const vs = await runPolicies([r], [always]);
        assert.deepStrictEqual(vs, [{ policy: "always", level: "advisory", urn: r.urn, message: "saw b limit=3" }]);
    });

    it("lets the pack config change the level or disable a policy, and reports remediate as mandatory", async () => {
        assert.strictEqual(
            (await runPolicies([r], [always], { config: { always: "mandatory" } }))[0].level,
            "mandatory",
        );
        assert.strictEqual(
            (await runPolicies([r], [always], { config: { always: { enforcementLevel: "remediate", limit: 1 } } }))[0]
                .message,
            "saw b limit=1",
        );
        assert.deepStrictEqual(await runPolicies([r], [always], { config: { always: "disabled" } }), []);
    });

    it("honours notApplicable and surfaces a policy that throws", async () => {
        const na: ResourceValidationPolicy = {
            name: "na",
            description: "d",
            validateResource: (args) => args.notApplicable("no"),
        };
        assert.deepStrictEqual(await runPolicies([r], [na]), []);
        const boom: ResourceValidationPolicy = {
            name: "boom",
            description: "d",
            validateResource: () => {
                throw new Error("bad");
            },
        };
        await assert.rejects(runPolicies([r], [boom]), /policy 'boom' failed: bad/);
    });

    it("gives stack policies outputs with parents and dependencies resolved", async () => {
        const parent = resource("multicloud:x:C", "c", {}, { custom: false });
        const child = resource(
            "aws:s3/bucket:Bucket",
            "b",
            { bucket: "in" },
            { parent: parent.urn, dependencies: [parent.urn], outputs: { bucket: "out" } },
        );
        const seen: string[] = [];
        const sp: StackValidationPolicy = {
            name: "stack",
            description: "d",
            validateStack: (args) => {
                for (const x of args.resources)
                    seen.push(
                        `${x.name}:${x.props.bucket ?? "-"}:${x.parent?.name ?? "-"}:${x.dependencies.map((d) => d.name).join(",")}`,
                    );
            },
        };
        await runPolicies([parent, child], [sp]);
        assert.deepStrictEqual(seen, ["c:-:-:", "b:out:c:c"]);
    });
});
