import * as assert from "assert";
import { allPolicies } from "../../policy/policies";
import {
    dataBackupsEnabled,
    dataDeletionProtection,
    dataPolicies,
    statefulResourcesProtected,
} from "../../policy/policies/data";
import { byUrn, ofType } from "../../harness/lookup";
import { runPolicies } from "../../harness/policy-runner";
import { data } from "./fixture";

describe("data layer secrets", () => {
    for (const stack of ["prod", "dev"] as const) {
        it(`${stack}: every generated password is a secret wherever it is an input, and never a plain output`, async () => {
            const { run, outputs } = await data({ stack });
            const passwords = ofType(run.resources, "random:index/randomPassword:RandomPassword");
            assert.deepStrictEqual(passwords.map((p) => p.name).sort(), [
                "aurora-master",
                "dr-postgres-replication",
                "sessions-auth",
                "sessions-default",
            ]);
            const values = passwords.map((p) => String(p.outputs.result));
            const memorystoreAuth = String(outputs.find((o) => o.key === "authString")?.value);
            assert.match(memorystoreAuth, /^mock-auth-/);
            const holders = run.resources.filter((r) => r.type !== "random:index/randomPassword:RandomPassword");
            let uses = 0;
            for (const r of holders) {
                for (const [key, value] of Object.entries(r.inputs)) {
                    if (!values.some((pw) => JSON.stringify(value).includes(pw))) continue;
                    uses++;
                    assert.ok(
                        r.secretInputs.includes(key),
                        `${r.type} ${r.name}.${key} holds a password in plain text`,
                    );
                }
            }
            // Aurora (cluster, secret), DMS (profile, secret), ElastiCache (admin user, secret; default user).
            assert.strictEqual(uses, 7);
            for (const o of outputs) {
                const text = JSON.stringify(o.value) ?? "";
                const sensitive = [...values, memorystoreAuth].some((pw) => text.includes(pw));
                if (sensitive) assert.ok(o.secret, `${o.component}.${o.key} exposes a secret in plain text`);
            }
            assert.ok(outputs.find((o) => o.component === "drCache" && o.key === "authString")?.secret);
        });
    }
});

describe("data layer under the policy pack", () => {
    for (const stack of ["prod", "dev"] as const) {
        it(`${stack}: no violation of the data policies or of the rest of the pack`, async () => {
            const { run } = await data({ stack });
            const violations = await runPolicies(run.resources, [...allPolicies, ...dataPolicies]);
            assert.deepStrictEqual(
                violations.map((v) => `${v.policy}: ${byUrn(run.resources, v.urn)?.name ?? v.urn}: ${v.message}`),
                [],
            );
        });
    }

    it("dev, judged as a protected environment, shows what the prod settings buy: every durability gap is reported", async () => {
        const { run } = await data({ stack: "dev" });
        const asProtected = { protectedEnvironments: ["dev"] };
        const violations = await runPolicies(
            run.resources,
            [dataDeletionProtection, dataBackupsEnabled, statefulResourcesProtected],
            {
                config: {
                    "data-deletion-protection": asProtected,
                    "data-backups-enabled": asProtected,
                    "stateful-resources-protected": asProtected,
                },
            },
        );
        const at = (urn: string) => {
            const r = byUrn(run.resources, urn)!;
            return `${r.type.split(":")[1]} ${r.name}`;
        };
        assert.deepStrictEqual(violations.map((v) => `${v.policy}: ${at(v.urn)}`).sort(), [
            "data-backups-enabled: rds/cluster aurora-primary",
            "data-deletion-protection: bigtable/instance orders-restore",
            "data-deletion-protection: bigtable/table orders-restore",
            "data-deletion-protection: dynamodb/table orders-table",
            "data-deletion-protection: rds/cluster aurora-primary",
            "data-deletion-protection: rds/globalCluster aurora-global",
            "data-deletion-protection: redis/instance dr-sessions-redis",
            // Both the provider's guard and the API's.
            "data-deletion-protection: sql/databaseInstance dr-postgres-instance",
            "data-deletion-protection: sql/databaseInstance dr-postgres-instance",
            "stateful-resources-protected: bigtable/instance orders-restore",
            "stateful-resources-protected: bigtable/table orders-restore",
            "stateful-resources-protected: dynamodb/table orders-table",
            "stateful-resources-protected: elasticache/replicationGroup sessions-cache",
            "stateful-resources-protected: rds/cluster aurora-primary",
            "stateful-resources-protected: rds/globalCluster aurora-global",
            "stateful-resources-protected: redis/instance dr-sessions-redis",
            "stateful-resources-protected: s3/bucket orders-exports",
            "stateful-resources-protected: sql/databaseInstance dr-postgres-instance",
            "stateful-resources-protected: storage/bucket orders-exports",
        ]);
    });
});
