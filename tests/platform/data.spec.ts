import * as assert from "assert";
import { one, ofType, providerOf } from "../../harness/lookup";
import { evaluated } from "../../harness/stacks";

/** Issue 5's acceptance, on the platform as the stacks deploy it (the components have their own specs). */
describe("platform data layer", () => {
    const keyArn = (run: Awaited<ReturnType<typeof evaluated>>["run"], name: string) =>
        one(run.resources, "aws:kms/key:Key", name).outputs.arn;

    it("prod: Aurora global cluster, primary and secondary clusters each with their region's key, 35-day backups, protected", async () => {
        const { run } = await evaluated("prod");
        const global = one(run.resources, "aws:rds/globalCluster:GlobalCluster", "aurora-global");
        assert.deepStrictEqual([global.inputs.engine, global.inputs.storageEncrypted], ["aurora-postgresql", true]);
        for (const [name, provider, key] of [
            ["aurora-primary", "aws-primary", "kms-primary-database"],
            ["aurora-secondary", "aws-secondary", "kms-secondary-database"],
        ]) {
            const c = one(run.resources, "aws:rds/cluster:Cluster", name);
            assert.strictEqual(providerOf(run.resources, c)?.name, provider);
            assert.deepStrictEqual([c.inputs.storageEncrypted, c.inputs.kmsKeyId], [true, keyArn(run, key)]);
            assert.deepStrictEqual(
                [c.inputs.backupRetentionPeriod, c.inputs.deletionProtection, c.protect],
                [35, true, true],
            );
            assert.strictEqual(c.inputs.globalClusterIdentifier, global.outputs.id);
        }
        const params = Object.fromEntries(
            one(
                run.resources,
                "aws:rds/clusterParameterGroup:ClusterParameterGroup",
                "aurora-primary",
            ).inputs.parameters.map((p: any) => [p.name, p.value]),
        );
        assert.deepStrictEqual([params["rds.logical_replication"], params["rds.force_ssl"]], ["1", "1"]);
        assert.match(params.shared_preload_libraries, /pglogical/);
    });

    it("dev: no secondary Aurora cluster, nothing protected", async () => {
        const { run } = await evaluated("dev");
        assert.deepStrictEqual(
            ofType(run.resources, "aws:rds/cluster:Cluster").map((c) => [c.name, c.protect]),
            [["aurora-primary", false]],
        );
    });

    it("Cloud SQL is CMEK-encrypted, TLS-only and private, fed by a CONTINUOUS DMS job created stopped from the Aurora writer", async () => {
        const { run } = await evaluated("prod");
        const sql = one(run.resources, "gcp:sql/databaseInstance:DatabaseInstance", "dr-postgres-instance");
        assert.strictEqual(
            sql.inputs.encryptionKeyName,
            one(run.resources, "gcp:kms/cryptoKey:CryptoKey", "kms-gcp-database").outputs.id,
        );
        assert.deepStrictEqual(
            [
                sql.inputs.settings.ipConfiguration.ipv4Enabled,
                sql.inputs.settings.ipConfiguration.sslMode,
                sql.inputs.settings.availabilityType,
            ],
            [false, "ENCRYPTED_ONLY", "REGIONAL"],
        );
        const job = one(run.resources, "gcp:databasemigrationservice/migrationJob:MigrationJob", "dr-postgres-job");
        // Created stopped: `data.startDrMigration` starts it after runbook step 1 (tests/data/dr-migration-switch.spec.ts).
        assert.deepStrictEqual([job.inputs.type, job.inputs.desiredState], ["CONTINUOUS", "NOT_STARTED"]);
        const source = one(
            run.resources,
            "gcp:databasemigrationservice/connectionProfile:ConnectionProfile",
            "dr-postgres-source",
        );
        assert.ok(source.secretInputs.includes("postgresql"), "the source profile carries the replication password");
        assert.strictEqual(
            source.inputs.postgresql.host,
            one(run.resources, "aws:rds/cluster:Cluster", "aurora-primary").outputs.endpoint,
        );
        assert.ok(job.dependencies.includes(source.urn));
    });

    it("DynamoDB replicas have PITR and their own region's key; export, transfer and Bigtable target are wired", async () => {
        const { run } = await evaluated("prod");
        const table = one(run.resources, "aws:dynamodb/table:Table", "orders-table");
        assert.deepStrictEqual(table.inputs.serverSideEncryption, {
            enabled: true,
            kmsKeyArn: keyArn(run, "kms-primary-database"),
        });
        assert.deepStrictEqual(
            table.inputs.replicas.map((r: any) => [r.regionName, r.pointInTimeRecovery, r.kmsKeyArn]),
            [["us-west-2", true, keyArn(run, "kms-secondary-database")]],
        );
        const schedule = one(run.resources, "aws:scheduler/schedule:Schedule", "orders-export");
        assert.ok(schedule.dependencies.includes(table.urn));
        const transfer = one(run.resources, "gcp:storage/transferJob:TransferJob", "orders-transfer");
        const gcs = ofType(run.resources, "gcp:storage/bucket:Bucket").find((b) =>
            transfer.dependencies.includes(b.urn),
        );
        assert.ok(gcs, "the transfer job writes to a GCS bucket");
        assert.ok(gcs.inputs.encryption.defaultKmsKeyName);
        assert.ok(
            one(run.resources, "gcp:bigtable/instance:Instance", "orders-restore").inputs.clusters.every(
                (c: any) => c.kmsKeyName,
            ),
        );
    });

    it("caches are encrypted at rest and in transit on both clouds", async () => {
        const { run } = await evaluated("prod");
        const ec = one(run.resources, "aws:elasticache/replicationGroup:ReplicationGroup", "sessions-cache");
        assert.deepStrictEqual(
            [
                ec.inputs.atRestEncryptionEnabled,
                ec.inputs.kmsKeyId,
                ec.inputs.transitEncryptionEnabled,
                ec.inputs.automaticFailoverEnabled,
                ec.inputs.multiAzEnabled,
            ],
            [true, keyArn(run, "kms-primary-database"), true, true, true],
        );
        assert.deepStrictEqual(ec.inputs.userGroupIds, ["sessions-users"]);
        const redis = one(run.resources, "gcp:redis/instance:Instance", "dr-sessions-redis");
        assert.deepStrictEqual(
            [redis.inputs.transitEncryptionMode, redis.inputs.authEnabled, redis.inputs.tier],
            ["SERVER_AUTHENTICATION", true, "STANDARD_HA"],
        );
        assert.ok(redis.inputs.customerManagedKey);
    });
});
