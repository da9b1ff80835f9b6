/** The pure settings of the services' stores and cache users: names, access strings and validation. */
import * as assert from "assert";
import { cacheAccessString, cacheUserId } from "../../components/data/elasticache-access";
import { validateServiceAuroraDatabaseArgs } from "../../components/data/service-aurora-database";
import {
    RDS_ENGINE_SETTINGS,
    rdsInstanceLogGroupName,
    serviceDatabaseNames,
    validateRdsInstanceSettings,
    type RdsInstanceSettings,
} from "../../components/data/service-database-settings";
import { PINNED_VERSIONS } from "../../components/versions";

describe("service database settings", () => {
    it("names a service's database after it and its login <service>_app, as SQL identifiers", () => {
        assert.deepStrictEqual(serviceDatabaseNames("user"), { database: "user", role: "user_app" });
        assert.deepStrictEqual(serviceDatabaseNames("loyalty-points"), {
            database: "loyalty_points",
            role: "loyalty_points_app",
        });
        assert.strictEqual(
            rdsInstanceLogGroupName("platform-dev-product", "error"),
            "/aws/rds/instance/platform-dev-product/error",
        );
    });

    it("pins the engines' major versions in versions.ts, with their RDS end of standard support", () => {
        assert.deepStrictEqual(
            [RDS_ENGINE_SETTINGS.mysql.version, RDS_ENGINE_SETTINGS.mysql.family, RDS_ENGINE_SETTINGS.mysql.port],
            [PINNED_VERSIONS.rdsMysql.version, "mysql8.4", 3306],
        );
        assert.deepStrictEqual(
            [
                RDS_ENGINE_SETTINGS.postgres.version,
                RDS_ENGINE_SETTINGS.postgres.family,
                RDS_ENGINE_SETTINGS.postgres.port,
            ],
            [PINNED_VERSIONS.rdsPostgres.version, "postgres16", 5432],
        );
        assert.deepStrictEqual(
            [PINNED_VERSIONS.rdsMysql.supportEnds, PINNED_VERSIONS.rdsPostgres.supportEnds],
            ["2029-07-31", "2029-02-28"],
        );
    });

    const good: RdsInstanceSettings = {
        service: "product",
        identifier: "platform-prod-product",
        engine: "mysql",
        instanceClass: "db.r7g.large",
        allocatedStorageGib: 20,
        maxAllocatedStorageGib: 100,
        backupRetentionDays: 35,
        logRetentionDays: 365,
        recoveryWindowDays: 30,
    };

    it("accepts a dedicated instance's settings", () => {
        assert.doesNotThrow(() => validateRdsInstanceSettings("p", good));
    });

    const cases: [string, Partial<RdsInstanceSettings>, string][] = [
        [
            "an identifier RDS refuses",
            { identifier: "Platform--product" },
            'identifier must be lowercase letters, digits and single hyphens, start with a letter, end with a letter or digit and be at most 42 characters; received "Platform--product"',
        ],
        [
            "an engine outside the seeds",
            { engine: "oracle" },
            'engine must be one of mysql, postgres; received "oracle"',
        ],
        [
            "a class without db.",
            { instanceClass: "t4g.micro" },
            'instanceClass must be an RDS class such as "db.t4g.micro"; received "t4g.micro"',
        ],
        [
            "gp3 below its minimum",
            { allocatedStorageGib: 10 },
            "allocatedStorageGib must be a whole number from 20 to 65536 (gp3); received 10",
        ],
        [
            "an autoscaling ceiling below the start",
            { allocatedStorageGib: 50, maxAllocatedStorageGib: 40 },
            "maxAllocatedStorageGib must be a whole number from allocatedStorageGib (50) to 65536; received 40",
        ],
        [
            "backups off",
            { backupRetentionDays: 0 },
            "backupRetentionDays must be a whole number from 1 to 35; received 0",
        ],
        [
            "a retention CloudWatch refuses",
            { logRetentionDays: 366 },
            "logRetentionDays must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); received 366",
        ],
        [
            "a recovery window KMS refuses",
            { recoveryWindowDays: 3 },
            "recoveryWindowDays must be a whole number from 7 to 30; received 3",
        ],
        [
            "a service named like a system database",
            { service: "postgres" },
            'service "postgres" names a database PostgreSQL or RDS keeps for itself; rename the service',
        ],
    ];
    for (const [what, change, message] of cases) {
        it(`refuses ${what}`, () => {
            assert.throws(() => validateRdsInstanceSettings("p", { ...good, ...change }), {
                message: `ServiceRdsInstance p: ${message}`,
            });
        });
    }

    it("reports every problem of an instance at once", () => {
        assert.throws(() => validateRdsInstanceSettings("p", { ...good, engine: "db2", backupRetentionDays: 36 }), {
            message:
                'ServiceRdsInstance p: engine must be one of mysql, postgres; received "db2"; ' +
                "backupRetentionDays must be a whole number from 1 to 35; received 36",
        });
    });

    it("validates a logical database's arguments, all problems at once", () => {
        assert.doesNotThrow(() =>
            validateServiceAuroraDatabaseArgs("u", { service: "user", windowDays: 7, passwordVersion: 1 }),
        );
        assert.throws(
            () => validateServiceAuroraDatabaseArgs("u", { service: "9lives", windowDays: 31, passwordVersion: 0 }),
            {
                message:
                    'ServiceAuroraDatabase u: service must be a lowercase DNS label of at most 59 characters starting with a letter; received "9lives"; ' +
                    "recoveryWindowDays must be a whole number from 7 to 30; received 31; " +
                    "passwordVersion must be a whole number of at least 1; received 0",
            },
        );
    });
});

describe("cache access", () => {
    it("gives a service its own keys and the application commands, nothing dangerous", () => {
        assert.strictEqual(
            cacheAccessString("user:"),
            "on ~user:* -@all +@read +@write +@transaction +@connection -@dangerous",
        );
        // The dangerous commands are taken back after the grants: ACL rules apply left to right.
        const rules = cacheAccessString("order:").split(" ");
        assert.strictEqual(rules.at(-1), "-@dangerous");
        assert.deepStrictEqual(
            rules.filter((r) => r.startsWith("~") || r.startsWith("&") || r === "+@all" || r === "allkeys"),
            ["~order:*"],
        );
        assert.strictEqual(cacheUserId("sessions", "Payment"), "sessions-payment");
    });
});
