import * as assert from "assert";
import {
    type DynamoDbGlobalArgs,
    resolveDynamoDbGlobalArgs,
    validateDynamoDbGlobalArgs,
} from "../../components/data/dynamodb-global-settings";
import { ofType } from "../../harness/lookup";
import { data, get, KEYS, under } from "./fixture";

describe("DynamoDbGlobal", () => {
    const TABLE = "aws:dynamodb/table:Table";

    it("is an on-demand table with streams, PITR and the primary database key, replicated with PITR and per-region keys", async () => {
        const { run } = await data({ stack: "prod" });
        const table = get(run.resources, TABLE, "orders-table");
        assert.deepStrictEqual(table.inputs, {
            billingMode: "PAY_PER_REQUEST",
            hashKey: "pk",
            rangeKey: "sk",
            attributes: [
                { name: "pk", type: "S" },
                { name: "sk", type: "S" },
            ],
            streamEnabled: true,
            streamViewType: "NEW_AND_OLD_IMAGES",
            serverSideEncryption: { enabled: true, kmsKeyArn: KEYS.primary.database },
            pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 35 },
            deletionProtectionEnabled: true,
            replicas: [
                {
                    regionName: "us-west-2",
                    kmsKeyArn: KEYS.secondary.database,
                    pointInTimeRecovery: true,
                    deletionProtectionEnabled: true,
                    propagateTags: true,
                },
            ],
        });
        assert.strictEqual(table.protect, true);
        assert.deepStrictEqual(ofType(run.resources, "aws:dynamodb/globalTable:GlobalTable"), []);
        assert.deepStrictEqual(ofType(run.resources, "aws:dynamodb/tableReplica:TableReplica"), []);
    });

    it("dev: no replicas, no deletion protection, nothing protected, in the table or its backup path", async () => {
        const { run } = await data({ stack: "dev" });
        const table = get(run.resources, TABLE, "orders-table");
        assert.deepStrictEqual(table.inputs.replicas, []);
        assert.strictEqual(table.inputs.deletionProtectionEnabled, false);
        for (const component of ["multicloud:data:DynamoDbGlobal", "multicloud:data:DynamoDbGcpBackup"]) {
            assert.deepStrictEqual(
                under(run.resources, component, "orders").filter((r) => r.protect),
                [],
                component,
            );
        }
    });

    it("holds the table only: the backup path is a component of its own", async () => {
        const { run } = await data({ stack: "prod" });
        assert.deepStrictEqual(
            under(run.resources, "multicloud:data:DynamoDbGlobal", "orders").map((r) => r.type),
            [TABLE],
        );
    });

    describe("validation", () => {
        const base: DynamoDbGlobalArgs = { region: "us-east-1", hashKey: { name: "pk", type: "S" }, kmsKeyArn: "k" };
        const problems = (args: Partial<DynamoDbGlobalArgs>, name = "orders") => {
            try {
                validateDynamoDbGlobalArgs(name, resolveDynamoDbGlobalArgs({ ...base, ...args }));
                return [];
            } catch (e) {
                return [(e as Error).message.replace(/^DynamoDbGlobal [^:]+: /, "")];
            }
        };
        it("accepts the defaults", () => assert.deepStrictEqual(problems({}), []));
        const cases: [string, Partial<DynamoDbGlobalArgs>, string][] = [
            [
                "a boolean key",
                { hashKey: { name: "pk", type: "BOOL" as "S" } },
                'hashKey.type must be one of S, N, B; received "BOOL"',
            ],
            [
                "a range key equal to the hash key",
                { rangeKey: { name: "pk", type: "S" } },
                'rangeKey.name must differ from hashKey.name; both are "pk"',
            ],
            [
                "a replica in the table's region",
                { replicas: [{ region: "us-east-1", kmsKeyArn: "k" }] },
                "replicas[0].region \"us-east-1\" is the table's region or another replica's; each region holds one copy",
            ],
            [
                "a 36-day PITR window",
                { pointInTimeRecoveryDays: 36 },
                "pointInTimeRecoveryDays must be a whole number from 1 to 35; received 36",
            ],
        ];
        for (const [what, args, message] of cases)
            it(`rejects ${what}`, () => assert.deepStrictEqual(problems(args), [message]));
        it("names the component in the error", () =>
            assert.throws(
                () =>
                    validateDynamoDbGlobalArgs(
                        "orders",
                        resolveDynamoDbGlobalArgs({ ...base, pointInTimeRecoveryDays: 0 }),
                    ),
                {
                    message:
                        "DynamoDbGlobal orders: pointInTimeRecoveryDays must be a whole number from 1 to 35; received 0",
                },
            ));
    });
});
