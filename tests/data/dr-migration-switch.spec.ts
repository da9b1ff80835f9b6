import * as assert from "assert";
import { one } from "../../harness/lookup";
import { runStack } from "../../harness/run";
import { evaluated } from "../../harness/stacks";

/** The stack key that starts the DR migration, as the program wires it (README, "DR runbook"). */
describe("data.startDrMigration", () => {
    const JOB = "gcp:databasemigrationservice/migrationJob:MigrationJob";
    const desiredState = (run: Awaited<ReturnType<typeof runStack>>) => {
        if (run.error) throw run.error;
        return one(run.resources, JOB, "dr-postgres-job").inputs.desiredState;
    };

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: the stack files leave the job NOT_STARTED`, async () => {
            assert.strictEqual(desiredState((await evaluated(stack)).run), "NOT_STARTED");
        });
    }

    it("true asks DMS to run the job, false and an empty data section leave it NOT_STARTED", async () => {
        const cases: [unknown, string][] = [
            [{ startDrMigration: true }, "RUNNING"],
            [{ startDrMigration: false }, "NOT_STARTED"],
            [{}, "NOT_STARTED"],
        ];
        for (const [data, expected] of cases) {
            const run = await runStack({ stack: "dev", overrides: { data } });
            assert.strictEqual(desiredState(run), expected, JSON.stringify(data));
        }
    });
});
