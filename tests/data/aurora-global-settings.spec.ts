import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as random from "@pulumi/random";
import { AuroraGlobal } from "../../components/data/aurora-global";
import {
    type AuroraGlobalArgs,
    resolveAuroraGlobalArgs,
    validateAuroraGlobalArgs,
} from "../../components/data/aurora-global-settings";
import { ofType } from "../../harness/lookup";
import { runStack } from "../../harness/run";
import { auroraFamily, instanceZones, validPerformanceInsightsRetention } from "../../components/data/aurora-settings";

describe("AuroraGlobal settings", () => {
    it("pure settings: the family follows the pinned major, zones round-robin, Performance Insights retentions", () => {
        assert.strictEqual(auroraFamily(), "aurora-postgresql16");
        assert.strictEqual(auroraFamily("17.2"), "aurora-postgresql17");
        assert.throws(() => auroraFamily("sixteen"), /not an Aurora PostgreSQL version: "sixteen"/);
        assert.deepStrictEqual(instanceZones(["a", "b"], 5), ["a", "b", "a", "b", "a"]);
        assert.deepStrictEqual([7, 31, 62, 713, 731, 8, 30, 732].map(validPerformanceInsightsRetention), [
            true,
            true,
            true,
            true,
            true,
            false,
            false,
            false,
        ]);
    });

    describe("validation", () => {
        const base: AuroraGlobalArgs = {
            primary: {
                region: "us-east-1",
                vpcId: "vpc-1",
                dbSubnetGroupName: "db",
                kmsKeyArn: "k",
                logsKmsKeyArn: "l",
                appSecurityGroupId: "sg-app",
            },
        };
        const problems = (args: Partial<AuroraGlobalArgs>, name = "aurora") => {
            try {
                validateAuroraGlobalArgs(name, resolveAuroraGlobalArgs(name, { ...base, ...args }));
                return [];
            } catch (e) {
                return [(e as Error).message.replace(/^AuroraGlobal aurora: /, "")];
            }
        };
        const secondary = { ...base.primary, provider: {} as aws.Provider, region: "us-west-2" };

        it("accepts the defaults", () => assert.deepStrictEqual(problems({}), []));

        const cases: [string, Partial<AuroraGlobalArgs>, string][] = [
            [
                "a burstable class",
                { instanceClass: "db.t4g.medium" },
                'instanceClass must be a memory-optimized class (db.r* or db.x*), the only ones an Aurora global database accepts; received "db.t4g.medium"; use e.g. "db.r6g.large"',
            ],
            ["too many readers", { readerCount: 15 }, "readerCount must be a whole number from 0 to 14; received 15"],
            [
                "36 days of backups",
                { backupRetentionDays: 36 },
                "backupRetentionDays must be a whole number from 1 to 35; received 36",
            ],
            [
                "a 2-second interval",
                { monitoringIntervalSeconds: 2 },
                "monitoringIntervalSeconds must be one of 1, 5, 10, 15, 30, 60; received 2",
            ],
            [
                "30 days of Performance Insights",
                { performanceInsightsRetentionDays: 30 },
                "performanceInsightsRetentionDays must be 7, a multiple of 31 up to 713, or 731; received 30",
            ],
            [
                "a reserved user",
                { masterUsername: "postgres" },
                "masterUsername must start with a letter, hold letters, digits or '_', be at most 63 characters and not be a reserved name (postgres, rdsadmin); received \"postgres\"",
            ],
            [
                "an identifier with a double hyphen",
                { identifier: "platform--prod" },
                'identifier must be lowercase letters, digits and single hyphens, start with a letter, not end with a hyphen, and be at most 42 characters; received "platform--prod"',
            ],
            [
                "a primary open to nobody",
                { primary: { ...base.primary, appSecurityGroupId: undefined } },
                "primary admits no client: set primary.appSecurityGroupId or primary.allowedCidrs (the security group opens 5432 to nothing else)",
            ],
            [
                "the whole internet",
                { primary: { ...base.primary, allowedCidrs: ["0.0.0.0/0"] } },
                "primary.allowedCidrs[0] admits the whole internet (0.0.0.0/0); name the app subnets and peer ranges instead",
            ],
            [
                "a secondary in the primary region",
                { secondary: { ...secondary, region: "us-east-1" } },
                'secondary.region must differ from primary.region; both are "us-east-1"',
            ],
            [
                "a headless secondary",
                { secondary: { ...secondary, instanceCount: 0 } },
                "secondary.instanceCount must be a whole number from 1 to 16; received 0",
            ],
        ];
        for (const [what, args, message] of cases) {
            it(`rejects ${what}`, () => assert.deepStrictEqual(problems(args), [message]));
        }

        it("reports every problem at once, before any resource exists", async () => {
            assert.deepStrictEqual(problems({ readerCount: -1, backupRetentionDays: 0, logRetentionDays: 2 }), [
                "readerCount must be a whole number from 0 to 14; received -1; " +
                    "backupRetentionDays must be a whole number from 1 to 35; received 0; " +
                    "logRetentionDays must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, " +
                    "545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); received 2",
            ]);
            const run = await runStack({
                stack: "dev",
                program: async () => {
                    const p = new aws.Provider("aws-primary", { region: "us-east-1" });
                    new AuroraGlobal(
                        "aurora",
                        { ...base, readerCount: 20 },
                        { providers: [p, new random.Provider("random")] },
                    );
                },
            });
            assert.match(
                run.error?.message ?? "",
                /^AuroraGlobal aurora: readerCount must be a whole number from 0 to 14; received 20$/,
            );
            assert.deepStrictEqual(ofType(run.resources, "aws:rds/globalCluster:GlobalCluster"), []);
        });
    });
});
