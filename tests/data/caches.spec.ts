import * as assert from "assert";
import { resolveElastiCacheArgs, validateElastiCacheArgs } from "../../components/data/elasticache";
import { validateMemorystoreArgs } from "../../components/data/memorystore";
import { VERSIONS } from "../../components/versions";
import { ofType } from "../../harness/lookup";
import { MOCK_AWS_ACCOUNT } from "../../harness/mocks";
import { data, get, KEYS, GCP_NETWORK } from "./fixture";

describe("caches", () => {
    it("ElastiCache: encrypted at rest with the database key and in transit (required), with RBAC users", async () => {
        for (const stack of ["prod", "dev"] as const) {
            const { run } = await data({ stack });
            const prod = stack === "prod";
            const group = get(run.resources, "aws:elasticache/replicationGroup:ReplicationGroup", "sessions-cache");
            const token = get(run.resources, "random:index/randomPassword:RandomPassword", "sessions-auth");
            const { description: _d, ...inputs } = group.inputs;
            assert.deepStrictEqual(inputs, {
                engine: VERSIONS.elasticacheEngine,
                engineVersion: VERSIONS.elasticacheVersion,
                nodeType: prod ? "cache.r7g.large" : "cache.t4g.small",
                port: 6379,
                numCacheClusters: prod ? 2 : 1,
                automaticFailoverEnabled: prod,
                multiAzEnabled: prod,
                subnetGroupName: "cache-primary",
                securityGroupIds: ["sg-data-primary"],
                atRestEncryptionEnabled: true,
                kmsKeyId: KEYS.primary.database,
                transitEncryptionEnabled: true,
                transitEncryptionMode: "required",
                // RBAC: no AUTH token on the group, which takes one or the other.
                userGroupIds: ["sessions-users"],
                authTokenUpdateStrategy: "DELETE",
                snapshotRetentionLimit: 7,
                snapshotWindow: "03:00-05:00",
                autoMinorVersionUpgrade: true,
                ...(prod ? { finalSnapshotIdentifier: "sessions-final" } : {}),
            });
            assert.deepStrictEqual(group.secretInputs, []);
            assert.strictEqual(group.protect, prod);
            // The former auth token is the admin user's password, and the secret names that user.
            const admin = get(run.resources, "aws:elasticache/user:User", "sessions-admin");
            assert.deepStrictEqual(admin.inputs.authenticationMode, {
                type: "password",
                passwords: [token.outputs.result],
            });
            assert.deepStrictEqual(admin.secretInputs, ["authenticationMode"]);
            const secret = get(run.resources, "aws:secretsmanager/secret:Secret", "sessions-auth");
            assert.strictEqual(secret.inputs.kmsKeyId, KEYS.primary.database);
            const version = get(run.resources, "aws:secretsmanager/secretVersion:SecretVersion", "sessions-auth");
            const stored = JSON.parse(version.inputs.secretString);
            assert.deepStrictEqual([stored.username, stored.authToken], ["sessions-admin", token.outputs.result]);
        }
    });

    it("ElastiCache RBAC: an off default user, an admin, and one IAM user per service limited to its key prefix", async () => {
        const { run } = await data({ stack: "dev" });
        const users = ofType(run.resources, "aws:elasticache/user:User").sort((a, b) =>
            a.inputs.userId.localeCompare(b.inputs.userId),
        );
        const byId = (id: string) => users.find((u) => u.inputs.userId === id)!;
        const app = "-@all +@read +@write +@transaction +@connection -@dangerous";
        assert.deepStrictEqual(
            users.map((u) => {
                const { authenticationMode, ...rest } = u.inputs;
                return { ...rest, type: authenticationMode.type };
            }),
            [
                ["sessions-admin", "sessions-admin", "on ~* &* +@all", "password"],
                ["sessions-default", "default", "off -@all", "password"],
                ["sessions-order", "sessions-order", `on ~order:* ${app}`, "iam"],
                ["sessions-product", "sessions-product", `on ~product:* ${app}`, "iam"],
                ["sessions-user", "sessions-user", `on ~user:* ${app}`, "iam"],
            ].map(([userId, userName, accessString, type]) => ({
                engine: "valkey",
                userId,
                userName,
                accessString,
                type,
            })),
        );
        // The default user's password is generated for it alone and stays secret.
        const unused = get(run.resources, "random:index/randomPassword:RandomPassword", "sessions-default");
        const off = byId("sessions-default");
        assert.deepStrictEqual(off.inputs.authenticationMode.passwords, [unused.outputs.result]);
        assert.deepStrictEqual(off.secretInputs, ["authenticationMode"]);
        const group = get(run.resources, "aws:elasticache/userGroup:UserGroup", "sessions-users");
        assert.deepStrictEqual(group.inputs, {
            engine: "valkey",
            userGroupId: "sessions-users",
            userIds: ["sessions-default", "sessions-admin", "sessions-user", "sessions-product", "sessions-order"],
        });
        assert.deepStrictEqual(
            ["user", "product", "order"].map((s) => byId(`sessions-${s}`).outputs.arn),
            ["user", "product", "order"].map(
                (s) => `arn:aws:elasticache:us-east-1:${MOCK_AWS_ACCOUNT}:user:sessions-${s}`,
            ),
        );
    });

    it("Memorystore: CMEK, TLS with server authentication, AUTH, private service access; HA in prod only", async () => {
        for (const stack of ["prod", "dev"] as const) {
            const { run } = await data({ stack });
            const prod = stack === "prod";
            const redis = get(run.resources, "gcp:redis/instance:Instance", "dr-sessions-redis");
            assert.deepStrictEqual(redis.inputs, {
                project: "acme-dr",
                region: "us-east4",
                displayName: "dr-sessions cache",
                redisVersion: VERSIONS.memorystoreRedis,
                tier: prod ? "STANDARD_HA" : "BASIC",
                memorySizeGb: prod ? 5 : 1,
                connectMode: "PRIVATE_SERVICE_ACCESS",
                authorizedNetwork: GCP_NETWORK,
                customerManagedKey: KEYS.gcp.database,
                transitEncryptionMode: "SERVER_AUTHENTICATION",
                authEnabled: true,
                persistenceConfig: { persistenceMode: "RDB", rdbSnapshotPeriod: "TWELVE_HOURS" },
                deletionProtection: prod,
            });
            assert.strictEqual(redis.protect, prod);
            assert.ok(
                redis.dependencies.includes(
                    get(run.resources, "gcp:servicenetworking/connection:Connection", "private-services").urn,
                ),
            );
        }
    });

    it("validates the Memorystore size", () => {
        assert.doesNotThrow(() => validateMemorystoreArgs("c", { memorySizeGb: 300 }));
        assert.throws(() => validateMemorystoreArgs("c", { memorySizeGb: 0.5 }), {
            message: "Memorystore c: memorySizeGb must be a whole number from 1 to 300; received 0.5",
        });
    });

    it("validates ElastiCache arguments, all problems at once", () => {
        const base = { subnetGroupName: "s", securityGroupIds: ["sg"], kmsKeyArn: "k" };
        assert.doesNotThrow(() => validateElastiCacheArgs("c", resolveElastiCacheArgs(base)));
        assert.throws(
            () =>
                validateElastiCacheArgs(
                    "c",
                    resolveElastiCacheArgs({ ...base, numCacheClusters: 7, snapshotRetentionDays: 0 }),
                ),
            {
                message:
                    "ElastiCache c: numCacheClusters must be a whole number from 1 to 6; received 7; " +
                    "snapshotRetentionDays is 0 while protect is true: a protected cache keeps snapshots; set at least 1",
            },
        );
        assert.throws(
            () =>
                validateElastiCacheArgs(
                    "c",
                    resolveElastiCacheArgs({
                        ...base,
                        cacheUsers: [
                            { name: "user", keyPrefix: "user:" },
                            { name: "Bad", keyPrefix: "bad" },
                            { name: "other", keyPrefix: "user:" },
                            { name: "user", keyPrefix: "again:" },
                            { name: "default", keyPrefix: "d:" },
                        ],
                    }),
                ),
            {
                message:
                    'ElastiCache c: cacheUsers[1].keyPrefix must be a lowercase word ending in \':\' such as "user:"; received "bad"; ' +
                    'cacheUsers[3].name "user" is listed more than once; ' +
                    'cacheUsers[4].name "default" is the cache\'s own default or admin user; ' +
                    'keyPrefix "user:" is given to more than one service; each service needs its own',
            },
        );
        assert.throws(() => validateElastiCacheArgs("c", resolveElastiCacheArgs({ ...base, nodeType: "r7g.large" })), {
            message:
                'ElastiCache c: nodeType must be an ElastiCache node type such as "cache.r7g.large"; received "r7g.large"',
        });
    });
});
