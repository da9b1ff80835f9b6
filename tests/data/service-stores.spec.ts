/**
 * A catalog service's own store: the logical database and login on the shared Aurora cluster (with and
 * without the PostgreSQL provider of the in-VPC run), and the dedicated RDS instance with its own key,
 * in a protected HA variant (prod) and a disposable single-zone one (dev).
 */
import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as postgresql from "@pulumi/postgresql";
import * as random from "@pulumi/random";
import { ServiceAuroraDatabase } from "../../components/data/service-aurora-database";
import { ServiceRdsInstance } from "../../components/data/service-rds-instance";
import { descendantsOf, ofType, one, providerOf } from "../../harness/lookup";
import { MOCK_AWS_ACCOUNT } from "../../harness/mocks";
import type { RecordedResource } from "../../harness/recorder";
import { runStack, type StackRun } from "../../harness/run";
import { KEYS } from "./fixture";

const WRITER = "platform-dev-us-east-1.cluster-c0mock.us-east-1.rds.amazonaws.com";
const GCP_COPY = { project: "acme-dr", region: "us-east4", kmsKeyName: KEYS.gcp.database };

async function stores(): Promise<StackRun> {
    const run = await runStack({
        stack: "dev",
        program: async () => {
            const awsProvider = new aws.Provider("aws-primary", { region: "us-east-1" });
            const gcpProvider = new gcp.Provider("gcp", { project: "acme-dr", region: "us-east4" });
            const randomProvider = new random.Provider("random");
            const providers = { providers: [awsProvider, gcpProvider, randomProvider] };
            const sql = new postgresql.Provider("aurora-sql", {
                host: WRITER,
                port: 5432,
                database: "postgres",
                username: "platform_admin",
                password: "master",
                sslmode: "require",
                superuser: false,
            });
            const aurora = (name: string, service: string, sqlProvider?: postgresql.Provider, protect = true) =>
                new ServiceAuroraDatabase(
                    name,
                    {
                        service,
                        identifier: `platform-dev-${service}`,
                        host: WRITER,
                        kmsKeyArn: KEYS.primary.database,
                        gcp: GCP_COPY,
                        sqlProvider,
                        protect,
                    },
                    providers,
                );
            aurora("with-sql", "user", sql);
            aurora("without-sql", "order", undefined, false);
            aurora("hyphenated", "loyalty-points", sql);
            const rds = (name: string, engine: "mysql" | "postgres", prod: boolean) =>
                new ServiceRdsInstance(
                    name,
                    {
                        service: "product",
                        identifier: `platform-${prod ? "prod" : "dev"}-${name}`,
                        engine,
                        region: "us-east-1",
                        vpcId: "vpc-primary",
                        dbSubnetGroupName: "db-primary",
                        appSecurityGroupId: "sg-app-primary",
                        logsKmsKeyArn: KEYS.primary.logs,
                        gcp: GCP_COPY,
                        instanceClass: prod ? "db.r7g.large" : "db.t4g.micro",
                        multiAz: prod,
                        backupRetentionDays: prod ? 35 : 7,
                        logRetentionDays: prod ? 365 : 30,
                        protect: prod,
                    },
                    providers,
                );
            rds("mysql-prod", "mysql", true);
            rds("postgres-dev", "postgres", false);
        },
    });
    if (run.error) throw run.error;
    return run;
}

let cached: Promise<StackRun> | undefined;
const stack = () => (cached ??= stores());
const under = (rs: readonly RecordedResource[], type: string, name: string) => descendantsOf(rs, one(rs, type, name));
const component = (rs: readonly RecordedResource[], name: string) =>
    under(rs, rs.find((r) => r.name === name && r.type.startsWith("multicloud:data:"))!.type, name);

describe("ServiceAuroraDatabase", () => {
    it("with a PostgreSQL provider: a login role, a database it owns, and CONNECT revoked from PUBLIC", async () => {
        const rs = component((await stack()).resources, "with-sql");
        const role = one(rs, "postgresql:index/role:Role", "with-sql-role");
        const password = one(rs, "random:index/randomPassword:RandomPassword", "with-sql-password");
        assert.deepStrictEqual(role.inputs, { name: "user_app", login: true, password: password.outputs.result });
        assert.deepStrictEqual(role.secretInputs, ["password"]);
        const db = one(rs, "postgresql:index/database:Database", "with-sql-database");
        assert.deepStrictEqual(db.inputs, { name: "user", owner: "user_app" });
        assert.ok(db.dependencies.includes(role.urn), "the database waits for its owner");
        const revoke = one(rs, "postgresql:index/grant:Grant", "with-sql-revoke-public");
        assert.deepStrictEqual(revoke.inputs, {
            database: "user",
            role: "public",
            objectType: "database",
            privileges: [],
        });
        const all = (await stack()).resources;
        for (const r of [role, db, revoke]) assert.strictEqual(providerOf(all, r)?.name, "aurora-sql", r.name);
        assert.deepStrictEqual([role.protect, db.protect, revoke.protect], [true, true, false]);
    });

    it("without a provider (the bootstrap run): credentials only, no PostgreSQL object", async () => {
        const rs = component((await stack()).resources, "without-sql");
        assert.deepStrictEqual(
            rs.filter((r) => r.type.startsWith("postgresql:")),
            [],
        );
        assert.deepStrictEqual(rs.map((r) => r.type).sort(), [
            "aws:secretsmanager/secret:Secret",
            "aws:secretsmanager/secretVersion:SecretVersion",
            "gcp:secretmanager/secret:Secret",
            "gcp:secretmanager/secretVersion:SecretVersion",
            "random:index/randomPassword:RandomPassword",
        ]);
    });

    it("keeps the credentials in Secrets Manager (database key) and in GCP Secret Manager (CMEK, the DR region)", async () => {
        for (const [name, service, protect] of [
            ["with-sql", "user", true],
            ["without-sql", "order", false],
        ] as const) {
            const rs = component((await stack()).resources, name);
            const password = one(rs, "random:index/randomPassword:RandomPassword", `${name}-password`);
            const secret = one(rs, "aws:secretsmanager/secret:Secret", `${name}-credentials`);
            assert.strictEqual(secret.inputs.kmsKeyId, KEYS.primary.database);
            assert.strictEqual(secret.inputs.recoveryWindowInDays, protect ? 30 : 7);
            assert.strictEqual(secret.protect, protect);
            const version = one(rs, "aws:secretsmanager/secretVersion:SecretVersion", `${name}-credentials`);
            const expected = {
                engine: "postgres",
                host: WRITER,
                port: 5432,
                dbname: service,
                username: `${service}_app`,
                password: password.outputs.result,
            };
            assert.deepStrictEqual(JSON.parse(version.inputs.secretString), expected);
            assert.deepStrictEqual(version.secretInputs, ["secretString"]);
            const copy = one(rs, "gcp:secretmanager/secret:Secret", `${name}-credentials`);
            assert.deepStrictEqual(copy.inputs, {
                project: "acme-dr",
                secretId: `platform-dev-${service}-db-credentials`,
                replication: {
                    userManaged: {
                        replicas: [
                            { location: "us-east4", customerManagedEncryption: { kmsKeyName: KEYS.gcp.database } },
                        ],
                    },
                },
                deletionProtection: protect,
            });
            assert.strictEqual(copy.protect, protect);
            const copyVersion = one(rs, "gcp:secretmanager/secretVersion:SecretVersion", `${name}-credentials`);
            assert.strictEqual(copyVersion.inputs.secret, copy.outputs.id);
            assert.deepStrictEqual(JSON.parse(copyVersion.inputs.secretData), expected);
            assert.deepStrictEqual(copyVersion.secretInputs, ["secretData"]);
        }
    });

    it("turns a hyphenated service name into SQL identifiers", async () => {
        const rs = component((await stack()).resources, "hyphenated");
        assert.strictEqual(one(rs, "postgresql:index/role:Role", "hyphenated-role").inputs.name, "loyalty_points_app");
        assert.strictEqual(
            one(rs, "postgresql:index/database:Database", "hyphenated-database").inputs.name,
            "loyalty_points",
        );
    });
});

describe("ServiceRdsInstance", () => {
    const variants = [
        { name: "mysql-prod", engine: "mysql", prod: true, port: 3306 },
        { name: "postgres-dev", engine: "postgres", prod: false, port: 5432 },
    ] as const;

    for (const v of variants) {
        it(`${v.name}: the instance on its own key, TLS forced, ${v.prod ? "Multi-AZ and protected" : "single-zone and disposable"}`, async () => {
            const all = (await stack()).resources;
            const rs = component(all, v.name);
            const id = `platform-${v.prod ? "prod" : "dev"}-${v.name}`;
            const key = one(rs, "aws:kms/key:Key", `${v.name}-key`);
            const instance = one(rs, "aws:rds/instance:Instance", `${v.name}-instance`);
            const params = one(rs, "aws:rds/parameterGroup:ParameterGroup", `${v.name}-params`);
            const sg = one(rs, "aws:ec2/securityGroup:SecurityGroup", `${v.name}-sg`);
            const master = one(rs, "random:index/randomPassword:RandomPassword", `${v.name}-master`);
            const logs = v.engine === "mysql" ? ["error", "slowquery"] : ["postgresql", "upgrade"];
            const { description: _d, ...inputs } = instance.inputs;
            assert.deepStrictEqual(inputs, {
                identifier: id,
                engine: v.engine,
                engineVersion: v.engine === "mysql" ? "8.4" : "16",
                instanceClass: v.prod ? "db.r7g.large" : "db.t4g.micro",
                dbName: "product",
                username: "dbadmin",
                password: master.outputs.result,
                port: v.port,
                parameterGroupName: params.outputs.name,
                dbSubnetGroupName: "db-primary",
                vpcSecurityGroupIds: [sg.outputs.id],
                publiclyAccessible: false,
                caCertIdentifier: "rds-ca-rsa2048-g1",
                multiAz: v.prod,
                storageType: "gp3",
                allocatedStorage: 20,
                maxAllocatedStorage: 100,
                storageEncrypted: true,
                kmsKeyId: key.outputs.arn,
                iamDatabaseAuthenticationEnabled: true,
                enabledCloudwatchLogsExports: logs,
                backupRetentionPeriod: v.prod ? 35 : 7,
                backupWindow: "03:00-04:00",
                maintenanceWindow: "sun:05:00-sun:06:00",
                autoMinorVersionUpgrade: true,
                copyTagsToSnapshot: true,
                deletionProtection: v.prod,
                skipFinalSnapshot: !v.prod,
                ...(v.prod ? { finalSnapshotIdentifier: `${id}-final` } : {}),
            });
            assert.deepStrictEqual(instance.secretInputs, ["password"]);
            assert.deepStrictEqual([instance.protect, key.protect], [v.prod, v.prod]);
            assert.deepStrictEqual(
                params.inputs.parameters,
                v.engine === "mysql"
                    ? [{ name: "require_secure_transport", value: "1", applyMethod: "immediate" }]
                    : [
                          { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
                          { name: "ssl_min_protocol_version", value: "TLSv1.2", applyMethod: "immediate" },
                      ],
            );
            assert.strictEqual(params.inputs.family, v.engine === "mysql" ? "mysql8.4" : "postgres16");
            // The log groups exist, encrypted, before RDS writes into them.
            for (const log of logs) {
                const group = one(rs, "aws:cloudwatch/logGroup:LogGroup", `${v.name}-${log}`);
                assert.deepStrictEqual(group.inputs, {
                    name: `/aws/rds/instance/${id}/${log}`,
                    retentionInDays: v.prod ? 365 : 30,
                    kmsKeyId: KEYS.primary.logs,
                });
                assert.ok(instance.dependencies.includes(group.urn), log);
            }
        });

        it(`${v.name}: its key rotates and serves RDS and Secrets Manager of this account; the secret uses it`, async () => {
            const rs = component((await stack()).resources, v.name);
            const key = one(rs, "aws:kms/key:Key", `${v.name}-key`);
            assert.deepStrictEqual(
                [key.inputs.enableKeyRotation, key.inputs.rotationPeriodInDays, key.inputs.deletionWindowInDays],
                [true, 365, v.prod ? 30 : 7],
            );
            const use = JSON.parse(key.inputs.policy).Statement.find((s: any) => s.Sid === "UseThroughPurposeServices");
            assert.strictEqual(use.Condition.StringEquals["kms:CallerAccount"], MOCK_AWS_ACCOUNT);
            assert.ok(use.Condition.StringEquals["kms:ViaService"].includes("rds.us-east-1.amazonaws.com"));
            assert.ok(use.Condition.StringEquals["kms:ViaService"].includes("secretsmanager.us-east-1.amazonaws.com"));
            const secret = one(rs, "aws:secretsmanager/secret:Secret", `${v.name}-credentials`);
            assert.strictEqual(secret.inputs.kmsKeyId, key.outputs.arn);
            assert.strictEqual(secret.protect, v.prod);
            const instance = one(rs, "aws:rds/instance:Instance", `${v.name}-instance`);
            const master = one(rs, "random:index/randomPassword:RandomPassword", `${v.name}-master`);
            const version = one(rs, "aws:secretsmanager/secretVersion:SecretVersion", `${v.name}-credentials`);
            assert.deepStrictEqual(JSON.parse(version.inputs.secretString), {
                engine: v.engine,
                host: instance.outputs.address,
                port: v.port,
                dbname: "product",
                username: "dbadmin",
                password: master.outputs.result,
                dbInstanceIdentifier: instance.outputs.identifier,
            });
            const copy = one(rs, "gcp:secretmanager/secret:Secret", `${v.name}-credentials`);
            assert.strictEqual(
                copy.inputs.replication.userManaged.replicas[0].customerManagedEncryption.kmsKeyName,
                KEYS.gcp.database,
            );
        });

        it(`${v.name}: admits only the app security group, on ${v.port}`, async () => {
            const rs = component((await stack()).resources, v.name);
            const sg = one(rs, "aws:ec2/securityGroup:SecurityGroup", `${v.name}-sg`);
            const rules = ofType(rs, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
            assert.deepStrictEqual(
                rules.map(({ inputs: { description: _d, ...r } }) => r),
                [
                    {
                        securityGroupId: sg.outputs.id,
                        ipProtocol: "tcp",
                        fromPort: v.port,
                        toPort: v.port,
                        referencedSecurityGroupId: "sg-app-primary",
                    },
                ],
            );
            assert.deepStrictEqual(ofType(rs, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"), []);
        });
    }
});
