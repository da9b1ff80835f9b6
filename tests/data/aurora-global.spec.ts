import * as assert from "assert";
import { VERSIONS } from "../../components/versions";
import { descendantsOf, ofType, one, providerOf } from "../../harness/lookup";
import { MOCK_AWS_ACCOUNT } from "../../harness/mocks";
import type { StackRun } from "../../harness/run";
import { APP_CIDRS, data, GCP_RANGES, get, type InspectedOutput, KEYS } from "./fixture";

describe("AuroraGlobal", () => {
    const CLUSTER = "aws:rds/cluster:Cluster";
    const INSTANCE = "aws:rds/clusterInstance:ClusterInstance";

    it("creates an encrypted aurora-postgresql global cluster at the pinned version, protected in prod", async () => {
        for (const stack of ["prod", "dev"] as const) {
            const { run } = await data({ stack });
            const global = get(run.resources, "aws:rds/globalCluster:GlobalCluster", "aurora-global");
            assert.deepStrictEqual(global.inputs, {
                globalClusterIdentifier: `platform-${stack}`,
                engine: "aurora-postgresql",
                engineVersion: VERSIONS.auroraPostgres,
                storageEncrypted: true,
                deletionProtection: stack === "prod",
            });
            assert.strictEqual(global.protect, stack === "prod");
            assert.strictEqual(providerOf(run.resources, global)?.name, "aws-primary");
        }
    });

    it("encrypts the primary cluster with the primary region's database key and joins it to the global cluster", async () => {
        const { run } = await data({ stack: "prod" });
        const global = get(run.resources, "aws:rds/globalCluster:GlobalCluster", "aurora-global");
        const primary = get(run.resources, CLUSTER, "aurora-primary");
        const sg = get(run.resources, "aws:ec2/securityGroup:SecurityGroup", "aurora-primary");
        const pg = get(run.resources, "aws:rds/clusterParameterGroup:ClusterParameterGroup", "aurora-primary");
        assert.strictEqual(providerOf(run.resources, primary)?.name, "aws-primary");
        const { masterPassword, ...inputs } = primary.inputs;
        assert.deepStrictEqual(inputs, {
            clusterIdentifier: "platform-prod-us-east-1",
            globalClusterIdentifier: global.outputs.id,
            engine: "aurora-postgresql",
            engineVersion: "16.6",
            port: 5432,
            databaseName: "platform",
            masterUsername: "platform_admin",
            storageEncrypted: true,
            kmsKeyId: KEYS.primary.database,
            iamDatabaseAuthenticationEnabled: true,
            dbClusterParameterGroupName: pg.outputs.name,
            dbSubnetGroupName: "db-primary",
            vpcSecurityGroupIds: [sg.outputs.id],
            enabledCloudwatchLogsExports: ["postgresql"],
            backupRetentionPeriod: 35,
            copyTagsToSnapshot: true,
            deletionProtection: true,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: "platform-prod-us-east-1-final",
        });
        assert.strictEqual(typeof masterPassword, "string");
        assert.deepStrictEqual(primary.secretInputs, ["masterPassword"]);
        assert.strictEqual(primary.protect, true);
        assert.ok(!("manageMasterUserPassword" in primary.inputs));
        assert.deepStrictEqual(primary.propertyDependencies.globalClusterIdentifier, [global.urn]);
    });

    it("gives every cluster a parameter group that forces TLS and turns on logical replication with pglogical", async () => {
        const { run } = await data({ stack: "prod" });
        for (const [name, provider] of [
            ["aurora-primary", "aws-primary"],
            ["aurora-secondary", "aws-secondary"],
        ]) {
            const pg = get(run.resources, "aws:rds/clusterParameterGroup:ClusterParameterGroup", name);
            assert.strictEqual(providerOf(run.resources, pg)?.name, provider);
            assert.strictEqual(pg.inputs.family, "aurora-postgresql16");
            assert.deepStrictEqual(pg.inputs.parameters, [
                { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
                { name: "ssl_min_protocol_version", value: "TLSv1.2", applyMethod: "immediate" },
                { name: "rds.logical_replication", value: "1", applyMethod: "pending-reboot" },
                {
                    name: "shared_preload_libraries",
                    value: "pg_stat_statements,pglogical",
                    applyMethod: "pending-reboot",
                },
            ]);
            assert.strictEqual(get(run.resources, CLUSTER, name).inputs.dbClusterParameterGroupName, pg.outputs.name);
        }
    });

    it("prod: a secondary cluster in the secondary region, with its provider and its own key, after the primary writer", async () => {
        const { run } = await data({ stack: "prod" });
        const secondary = get(run.resources, CLUSTER, "aurora-secondary");
        assert.strictEqual(providerOf(run.resources, secondary)?.name, "aws-secondary");
        assert.strictEqual(providerOf(run.resources, secondary)?.inputs.region, "us-west-2");
        assert.strictEqual(secondary.inputs.kmsKeyId, KEYS.secondary.database);
        assert.strictEqual(secondary.inputs.storageEncrypted, true);
        assert.strictEqual(secondary.inputs.clusterIdentifier, "platform-prod-us-west-2");
        assert.strictEqual(secondary.inputs.globalClusterIdentifier, "platform-prod");
        assert.strictEqual(secondary.inputs.dbSubnetGroupName, "db-secondary");
        assert.strictEqual(secondary.inputs.backupRetentionPeriod, 35);
        assert.strictEqual(secondary.inputs.deletionProtection, true);
        assert.strictEqual(secondary.protect, true);
        // A secondary takes its credentials from the primary.
        for (const k of ["masterUsername", "masterPassword", "databaseName"]) assert.ok(!(k in secondary.inputs), k);
        assert.ok(secondary.dependencies.includes(get(run.resources, INSTANCE, "aurora-primary-writer").urn));
        const instances = ofType(run.resources, INSTANCE).filter((i) => i.name.startsWith("aurora-secondary"));
        assert.deepStrictEqual(
            instances.map((i) => [i.name, providerOf(run.resources, i)?.name, i.inputs.performanceInsightsKmsKeyId]),
            [["aurora-secondary-0", "aws-secondary", KEYS.secondary.database]],
        );
    });

    it("dev: one region, no deletion protection, no final snapshot, nothing protected, 7 days of backups", async () => {
        const { run } = await data({ stack: "dev" });
        assert.deepStrictEqual(
            ofType(run.resources, CLUSTER).map((c) => c.name),
            ["aurora-primary"],
        );
        const primary = get(run.resources, CLUSTER, "aurora-primary");
        assert.strictEqual(primary.inputs.deletionProtection, false);
        assert.strictEqual(primary.inputs.skipFinalSnapshot, true);
        assert.ok(!("finalSnapshotIdentifier" in primary.inputs));
        assert.strictEqual(primary.inputs.backupRetentionPeriod, 7);
        assert.strictEqual(primary.protect, false);
        assert.deepStrictEqual(
            ofType(run.resources, INSTANCE).map((i) => i.name),
            ["aurora-primary-writer"],
        );
    });

    it("spreads a writer and readers over zones with Performance Insights on the database key and enhanced monitoring", async () => {
        const { run } = await data({ stack: "prod" });
        const role = get(run.resources, "aws:iam/role:Role", "aurora-monitoring");
        const attachment = get(run.resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aurora-monitoring");
        assert.strictEqual(
            attachment.inputs.policyArn,
            "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
        );
        assert.strictEqual(attachment.inputs.role, role.outputs.id);
        assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal, {
            Service: "monitoring.rds.amazonaws.com",
        });
        const primary = ofType(run.resources, INSTANCE).filter((i) => i.name.startsWith("aurora-primary"));
        assert.deepStrictEqual(
            primary.map((i) => [i.name, i.inputs.availabilityZone, i.inputs.promotionTier]),
            [
                ["aurora-primary-writer", "us-east-1a", 0],
                ["aurora-primary-reader-1", "us-east-1b", 1],
                ["aurora-primary-reader-2", "us-east-1c", 1],
            ],
        );
        const writer = primary[0];
        for (const i of primary) {
            assert.strictEqual(i.inputs.clusterIdentifier, "platform-prod-us-east-1");
            assert.strictEqual(i.inputs.instanceClass, "db.r6g.large");
            assert.strictEqual(i.inputs.performanceInsightsEnabled, true);
            assert.strictEqual(i.inputs.performanceInsightsKmsKeyId, KEYS.primary.database);
            assert.strictEqual(i.inputs.monitoringInterval, 60);
            assert.strictEqual(i.inputs.monitoringRoleArn, role.outputs.arn);
            assert.strictEqual(i.inputs.publiclyAccessible, false);
            assert.strictEqual(i.inputs.caCertIdentifier, "rds-ca-rsa2048-g1");
            assert.ok(i.dependencies.includes(attachment.urn), `${i.name} waits for the monitoring policy`);
            if (i !== writer) assert.ok(i.dependencies.includes(writer.urn), `${i.name} waits for the writer`);
        }
    });

    it("admits PostgreSQL only from the app security group and the given CIDRs, and allows no egress", async () => {
        const { run } = await data({ stack: "prod" });
        const sg = get(run.resources, "aws:ec2/securityGroup:SecurityGroup", "aurora-primary");
        const rules = ofType(run.resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
            (r) => r.inputs.securityGroupId === sg.outputs.id,
        );
        assert.deepStrictEqual(
            rules.map((r) => [
                r.inputs.referencedSecurityGroupId ?? r.inputs.cidrIpv4,
                r.inputs.ipProtocol,
                r.inputs.fromPort,
                r.inputs.toPort,
            ]),
            [
                ["sg-app-primary", "tcp", 5432, 5432],
                ...[...APP_CIDRS, ...GCP_RANGES].map((c) => [c, "tcp", 5432, 5432]),
            ],
        );
        assert.ok(!("egress" in sg.inputs) && !("ingress" in sg.inputs));
        assert.deepStrictEqual(
            ofType(
                descendantsOf(run.resources, one(run.resources, "multicloud:data:AuroraGlobal", "aurora")),
                "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
            ),
            [],
        );
    });

    it("exports PostgreSQL logs into log groups created beforehand, encrypted with each region's logs key", async () => {
        const { run } = await data({ stack: "prod" });
        for (const [name, region, key] of [
            ["aurora-primary", "us-east-1", KEYS.primary.logs],
            ["aurora-secondary", "us-west-2", KEYS.secondary.logs],
        ]) {
            const group = get(run.resources, "aws:cloudwatch/logGroup:LogGroup", name);
            const cluster = get(run.resources, CLUSTER, name);
            assert.strictEqual(group.inputs.name, `/aws/rds/cluster/platform-prod-${region}/postgresql`);
            assert.strictEqual(group.inputs.kmsKeyId, key);
            assert.strictEqual(group.inputs.retentionInDays, 365);
            assert.ok(cluster.dependencies.includes(group.urn));
        }
    });

    it("keeps the generated master password in a secret encrypted with the database key and replicated to the secondary", async () => {
        const { run } = await data({ stack: "prod" });
        const password = get(run.resources, "random:index/randomPassword:RandomPassword", "aurora-master");
        const secret = get(run.resources, "aws:secretsmanager/secret:Secret", "aurora-master");
        const version = get(run.resources, "aws:secretsmanager/secretVersion:SecretVersion", "aurora-master");
        assert.strictEqual(secret.inputs.kmsKeyId, KEYS.primary.database);
        assert.deepStrictEqual(secret.inputs.replicas, [{ region: "us-west-2", kmsKeyId: KEYS.secondary.database }]);
        assert.strictEqual(secret.inputs.recoveryWindowInDays, 30);
        assert.deepStrictEqual(version.secretInputs, ["secretString"]);
        assert.deepStrictEqual(JSON.parse(version.inputs.secretString), {
            engine: "postgres",
            host: "platform-prod-us-east-1.cluster-c0mock.us-east-1.rds.amazonaws.com",
            port: 5432,
            dbClusterIdentifier: "platform-prod-us-east-1",
            username: "platform_admin",
            password: password.outputs.result,
        });
        assert.strictEqual(
            get(run.resources, CLUSTER, "aurora-primary").inputs.masterPassword,
            password.outputs.result,
        );
    });

    it("rotates the master password by raising masterPasswordVersion", async () => {
        const { run: first } = await data({ stack: "dev" });
        const { run: second } = await data({ stack: "dev", masterPasswordVersion: 2 });
        const keepers = (r: StackRun) =>
            get(r.resources, "random:index/randomPassword:RandomPassword", "aurora-master").inputs.keepers;
        assert.deepStrictEqual(keepers(first), { version: "1" });
        assert.deepStrictEqual(keepers(second), { version: "2" });
    });

    it("exposes endpoints, the port and the secret ARN, and the secondary's only in prod", async () => {
        const byKey = (outs: readonly InspectedOutput[]) =>
            Object.fromEntries(outs.filter((o) => o.component === "aurora").map((o) => [o.key, o.value]));
        const prod = byKey((await data({ stack: "prod" })).outputs);
        assert.strictEqual(prod.writerEndpoint, "platform-prod-us-east-1.cluster-c0mock.us-east-1.rds.amazonaws.com");
        assert.strictEqual(
            prod.readerEndpoint,
            "platform-prod-us-east-1.cluster-ro-c0mock.us-east-1.rds.amazonaws.com",
        );
        assert.strictEqual(prod.port, 5432);
        assert.strictEqual(
            prod.clusterArn,
            `arn:aws:rds:us-east-1:${MOCK_AWS_ACCOUNT}:cluster:platform-prod-us-east-1`,
        );
        assert.strictEqual(prod.globalClusterArn, `arn:aws:rds::${MOCK_AWS_ACCOUNT}:global-cluster:platform-prod`);
        assert.match(String(prod.masterSecretArn), /^arn:aws:secretsmanager:us-east-1:/);
        assert.strictEqual(
            prod.secondaryReaderEndpoint,
            "platform-prod-us-west-2.cluster-ro-c0mock.us-west-2.rds.amazonaws.com",
        );
        const dev = byKey((await data({ stack: "dev" })).outputs);
        assert.strictEqual(dev.secondaryClusterArn, undefined);
    });
});
