import * as assert from "assert";
import type * as pulumi from "@pulumi/pulumi";
import {
    type CloudSqlReplicaArgs,
    resolveCloudSqlReplicaArgs,
    validateCloudSqlReplicaArgs,
} from "../../components/data/cloudsql-replica";
import { VERSIONS } from "../../components/versions";
import { providerOf } from "../../harness/lookup";
import { data, get, KEYS, GCP_NETWORK, RDS_CA_PEM } from "./fixture";

describe("CloudSqlReplica", () => {
    const INSTANCE = "gcp:sql/databaseInstance:DatabaseInstance";
    const PROFILE = "gcp:databasemigrationservice/connectionProfile:ConnectionProfile";
    const JOB = "gcp:databasemigrationservice/migrationJob:MigrationJob";

    it("is a CMEK instance on private IP only that requires TLS, regional with backups and PITR in prod", async () => {
        for (const stack of ["prod", "dev"] as const) {
            const { run } = await data({ stack });
            const prod = stack === "prod";
            const instance = get(run.resources, INSTANCE, "dr-postgres-instance");
            assert.strictEqual(instance.inputs.databaseVersion, VERSIONS.cloudSqlPostgres);
            assert.strictEqual(instance.inputs.encryptionKeyName, KEYS.gcp.database);
            assert.strictEqual(instance.inputs.deletionProtection, prod);
            const s = instance.inputs.settings;
            assert.deepStrictEqual(s.ipConfiguration, {
                ipv4Enabled: false,
                privateNetwork: GCP_NETWORK,
                sslMode: "ENCRYPTED_ONLY",
            });
            assert.strictEqual(s.availabilityType, prod ? "REGIONAL" : "ZONAL");
            assert.strictEqual(s.deletionProtectionEnabled, prod);
            assert.deepStrictEqual(s.backupConfiguration, {
                enabled: true,
                pointInTimeRecoveryEnabled: true,
                startTime: "03:00",
                transactionLogRetentionDays: 7,
                backupRetentionSettings: { retainedBackups: prod ? 35 : 7, retentionUnit: "COUNT" },
            });
            assert.strictEqual(instance.protect, prod);
            assert.ok(
                instance.dependencies.includes(
                    get(run.resources, "gcp:servicenetworking/connection:Connection", "private-services").urn,
                ),
            );
            assert.strictEqual(providerOf(run.resources, instance)?.name, "gcp");
        }
    });

    it("reads Aurora through a source profile on the writer endpoint as the replication user, over verified TLS", async () => {
        const { run } = await data({ stack: "prod" });
        const source = get(run.resources, PROFILE, "dr-postgres-source");
        const cluster = get(run.resources, "aws:rds/cluster:Cluster", "aurora-primary");
        const password = get(run.resources, "random:index/randomPassword:RandomPassword", "dr-postgres-replication");
        assert.deepStrictEqual(source.inputs.postgresql, {
            host: cluster.outputs.endpoint,
            port: 5432,
            username: "dms_replication",
            password: password.outputs.result,
            ssl: { type: "SERVER_ONLY", caCertificate: RDS_CA_PEM },
        });
        assert.ok(!("cloudSqlId" in source.inputs.postgresql));
        assert.deepStrictEqual(
            source.propertyDependencies.postgresql.slice().sort(),
            [cluster.urn, password.urn].sort(),
        );
        assert.ok(source.secretInputs.includes("postgresql"));
        assert.strictEqual(source.inputs.location, "us-east4");
    });

    it("without the RDS CA bundle still requires TLS", async () => {
        const { run } = await data({ stack: "dev", sourceCa: false });
        assert.deepStrictEqual(get(run.resources, PROFILE, "dr-postgres-source").inputs.postgresql.ssl, {
            type: "REQUIRED",
        });
    });

    it("writes into the instance through a destination profile", async () => {
        const { run } = await data({ stack: "prod" });
        const instance = get(run.resources, INSTANCE, "dr-postgres-instance");
        const destination = get(run.resources, PROFILE, "dr-postgres-destination");
        assert.deepStrictEqual(destination.inputs.postgresql, { cloudSqlId: instance.outputs.name });
        assert.deepStrictEqual(destination.propertyDependencies.postgresql, [instance.urn]);
    });

    it("creates a CONTINUOUS job over VPC peering, NOT_STARTED unless asked to start", async () => {
        const { run } = await data({ stack: "prod" });
        const job = get(run.resources, JOB, "dr-postgres-job");
        const source = get(run.resources, PROFILE, "dr-postgres-source");
        const destination = get(run.resources, PROFILE, "dr-postgres-destination");
        assert.strictEqual(job.inputs.type, "CONTINUOUS");
        assert.strictEqual(job.inputs.source, source.outputs.name);
        assert.strictEqual(job.inputs.destination, destination.outputs.name);
        assert.deepStrictEqual(job.inputs.vpcPeeringConnectivity, { vpc: GCP_NETWORK });
        assert.strictEqual(job.inputs.desiredState, "NOT_STARTED");
        assert.ok(!("dumpType" in job.inputs) && !("staticIpConnectivity" in job.inputs));
        assert.strictEqual(job.protect, true);
    });

    for (const [startMigration, desiredState] of [
        [undefined, "NOT_STARTED"],
        [false, "NOT_STARTED"],
        [true, "RUNNING"],
    ] as const) {
        it(`asks for ${desiredState} with startMigration ${String(startMigration)}`, async () => {
            const { run } = await data({ stack: "dev", startMigration });
            const job = get(run.resources, JOB, "dr-postgres-job");
            assert.strictEqual(job.inputs.desiredState, desiredState);
        });
    }

    it("stores the replication user's password in AWS Secrets Manager under the primary database key", async () => {
        const { run } = await data({ stack: "prod" });
        const secret = get(run.resources, "aws:secretsmanager/secret:Secret", "dr-postgres-replication");
        const version = get(run.resources, "aws:secretsmanager/secretVersion:SecretVersion", "dr-postgres-replication");
        const password = get(run.resources, "random:index/randomPassword:RandomPassword", "dr-postgres-replication");
        assert.strictEqual(providerOf(run.resources, secret)?.name, "aws-primary");
        assert.strictEqual(secret.inputs.kmsKeyId, KEYS.primary.database);
        assert.deepStrictEqual(version.secretInputs, ["secretString"]);
        const stored = JSON.parse(version.inputs.secretString);
        assert.strictEqual(stored.username, "dms_replication");
        assert.strictEqual(stored.password, password.outputs.result);
        assert.deepStrictEqual(password.inputs, {
            length: 32,
            special: false,
            minLower: 1,
            minUpper: 1,
            minNumeric: 1,
        });
    });

    describe("validation", () => {
        const base: CloudSqlReplicaArgs = {
            project: "p",
            region: "us-east4",
            network: "n",
            privateServicesConnection: {} as pulumi.Resource,
            kmsKeyName: "k",
            sourceHost: "h",
            awsSecretKmsKeyArn: "a",
        };
        const problems = (args: Partial<CloudSqlReplicaArgs>, name = "dr") => {
            try {
                validateCloudSqlReplicaArgs(name, resolveCloudSqlReplicaArgs({ ...base, ...args }));
                return [];
            } catch (e) {
                return [(e as Error).message.replace(/^CloudSqlReplica [^:]+: /, "")];
            }
        };
        it("accepts the defaults", () => assert.deepStrictEqual(problems({}), []));
        const cases: [string, Partial<CloudSqlReplicaArgs>, string][] = [
            [
                "an unknown tier",
                { tier: "n2-standard-2" },
                'tier must be a Cloud SQL machine tier such as "db-custom-2-7680"; received "n2-standard-2"',
            ],
            ["a 5 GB disk", { diskSizeGb: 5 }, "diskSizeGb must be a whole number of at least 10; received 5"],
            [
                "no backups",
                { backupRetentionDays: 0 },
                "backupRetentionDays must be a whole number from 1 to 365; received 0",
            ],
            ["port 0", { sourcePort: 0 }, "sourcePort must be a port number from 1 to 65535; received 0"],
            [
                "a user name with a hyphen",
                { replicationUsername: "dms-user" },
                "replicationUsername must be at most 63 lowercase letters, digits or '_', not starting with a digit; received \"dms-user\"",
            ],
        ];
        for (const [what, args, message] of cases)
            it(`rejects ${what}`, () => assert.deepStrictEqual(problems(args), [message]));
        it("rejects a component name DMS ids cannot carry", () =>
            assert.deepStrictEqual(problems({}, "DR_Postgres"), [
                'the component name is used in DMS ids and must be lowercase letters, digits and hyphens, start with a letter and be at most 40 characters; received "DR_Postgres"',
            ]));
    });
});
