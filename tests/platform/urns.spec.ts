/**
 * Identity of the things that hold data. Pulumi keys state by URN: a URN that changes without an alias
 * is a delete and a create, which for a database, table, bucket, queue, key or cluster is data loss.
 * `stateful-urns.json` holds the URNs of every stateful resource of both stacks; a move, rename or
 * re-parenting must keep each one, directly or through `aliases`.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { runStack } from "../../harness/run";
import { evaluated } from "../../harness/stacks";

interface StatefulUrns {
    /** Resource types whose replacement loses data or identity. */
    readonly types: readonly string[];
    readonly dev: readonly string[];
    readonly prod: readonly string[];
}

const LIST = path.join(__dirname, "stateful-urns.json");
const committed = JSON.parse(fs.readFileSync(LIST, "utf8")) as StatefulUrns;

describe("stateful resource URNs", function () {
    this.timeout(120_000);

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: every committed URN is still answered, by the resource itself or an alias`, async () => {
            const { run } = await evaluated(stack);
            const answered = new Set(run.resources.flatMap((r) => [r.urn, ...r.aliases]));
            const lost = committed[stack].filter((urn) => !answered.has(urn));
            assert.deepStrictEqual(
                lost,
                [],
                `these stateful resources would be replaced; give the moved resource \`aliases\` with its old URN:\n${lost.join("\n")}`,
            );
        });

        it(`${stack}: every stateful resource of the plan is on the committed list`, async () => {
            const { run } = await evaluated(stack);
            const known = new Set(committed[stack]);
            const unlisted = run.resources
                .filter((r) => committed.types.includes(r.type))
                .filter((r) => !known.has(r.urn) && !r.aliases.some((a) => known.has(a)))
                .map((r) => r.urn);
            assert.deepStrictEqual(
                unlisted,
                [],
                `new stateful resources: add their URNs to tests/platform/stateful-urns.json (${stack}) in the change that creates them`,
            );
        });
    }

    it("the list covers the stateful types of the platform", () => {
        // A list that names no instance of a type would let that type's renames through unseen.
        for (const type of committed.types) {
            assert.ok(
                committed.prod.some((urn) => urn.split("::")[2].split("$").pop() === type),
                `${type} has no URN in the prod list`,
            );
        }
    });

    it("the plan resolves aliases the way the engine does: a new name, or a move to another parent", async () => {
        const run = await runStack({
            stack: "dev",
            program: async () => {
                const provider = new random.Provider("random");
                const before = new pulumi.ComponentResource("multicloud:test:Before", "before");
                const after = new pulumi.ComponentResource("multicloud:test:After", "after");
                new random.RandomPassword(
                    "renamed",
                    { length: 16 },
                    { parent: after, provider, aliases: [{ name: "original", parent: before }] },
                );
            },
        });
        assert.ifError(run.error);
        const moved = run.resources.find((r) => r.name === "renamed");
        const prefix =
            "urn:pulumi:dev::multicloud-platform::multicloud:test:Before$random:index/randomPassword:RandomPassword";
        assert.deepStrictEqual(moved?.aliases, [`${prefix}::original`]);
    });
});
