import * as assert from "assert";
import { resolveElastiCacheArgs, validateElastiCacheArgs } from "../../components/data/elasticache";
import { validateMemorystoreArgs } from "../../components/data/memorystore";
import { VERSIONS } from "../../components/versions";
import { data, get, KEYS, GCP_NETWORK } from "./fixture";

describe("caches", () => {
    it("ElastiCache: encrypted at rest with the database key and in transit (required), with an auth token", async () => {
        for (const stack of ["prod", "dev"] as const) {
            const { run } = await data({ stack });
            const prod = stack === "prod";
            const group = get(run.resources, "aws:elasticache/replicationGroup:ReplicationGroup", "sessions-cache");
            const token = get(run.resources, "random:index/randomPassword:RandomPassword", "sessions-auth");
            const { authToken, description: _d, ...inputs } = group.inputs;
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
                authTokenUpdateStrategy: "ROTATE",
                snapshotRetentionLimit: 7,
                snapshotWindow: "03:00-05:00",
                autoMinorVersionUpgrade: true,
                ...(prod ? { finalSnapshotIdentifier: "sessions-final" } : {}),
            });
            assert.strictEqual(authToken, token.outputs.result);
            assert.deepStrictEqual(group.secretInputs, ["authToken"]);
            assert.strictEqual(group.protect, prod);
            const secret = get(run.resources, "aws:secretsmanager/secret:Secret", "sessions-auth");
            assert.strictEqual(secret.inputs.kmsKeyId, KEYS.primary.database);
            const version = get(run.resources, "aws:secretsmanager/secretVersion:SecretVersion", "sessions-auth");
            assert.strictEqual(JSON.parse(version.inputs.secretString).authToken, token.outputs.result);
        }
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
        assert.throws(() => validateElastiCacheArgs("c", resolveElastiCacheArgs({ ...base, nodeType: "r7g.large" })), {
            message:
                'ElastiCache c: nodeType must be an ElastiCache node type such as "cache.r7g.large"; received "r7g.large"',
        });
    });
});
