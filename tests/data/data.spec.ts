import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
    AuroraGlobal,
    resolveAuroraGlobalArgs,
    validateAuroraGlobalArgs,
    type AuroraGlobalArgs,
} from "../../components/data/aurora-global";
import { auroraFamily, instanceZones, validPerformanceInsightsRetention } from "../../components/data/aurora-settings";
import {
    CloudSqlReplica,
    resolveCloudSqlReplicaArgs,
    validateCloudSqlReplicaArgs,
    type CloudSqlReplicaArgs,
} from "../../components/data/cloudsql-replica";
import {
    dynamodbExportPolicy,
    storageTransferReadPolicy,
    storageTransferTrustPolicy,
} from "../../components/shared/iam";
import {
    DynamoDbGlobal,
    resolveDynamoDbGlobalArgs,
    validateDynamoDbGlobalArgs,
    type DynamoDbGlobalArgs,
} from "../../components/data/dynamodb-global";
import { ElastiCache, resolveElastiCacheArgs, validateElastiCacheArgs } from "../../components/data/elasticache";
import { Memorystore, validateMemorystoreArgs } from "../../components/data/memorystore";
import { VERSIONS } from "../../components/versions";
import { allPolicies } from "../../policy/policies";
import {
    dataBackupsEnabled,
    dataDeletionProtection,
    dataPolicies,
    statefulResourcesProtected,
} from "../../policy/policies/data";
import { byUrn, descendantsOf, one, ofType, providerOf } from "../../harness/lookup";
import { MOCK_AWS_ACCOUNT } from "../../harness/mocks";
import { MOCK_TRANSFER_SUBJECT_ID } from "../../harness/mock-outputs/data";
import { runPolicies } from "../../harness/policy-runner";
import type { RecordedResource } from "../../harness/recorder";
import { runStack, type StackRun } from "../../harness/run";
import { TAGS } from "../policy/fixtures";

const awsKey = (region: string, purpose: string) =>
    `arn:aws:kms:${region}:${MOCK_AWS_ACCOUNT}:key/${purpose}-${region}`;
const KEYS = {
    primary: {
        database: awsKey("us-east-1", "database"),
        logs: awsKey("us-east-1", "logs"),
        backups: awsKey("us-east-1", "backups"),
    },
    secondary: { database: awsKey("us-west-2", "database"), logs: awsKey("us-west-2", "logs") },
    gcp: {
        database: "projects/acme-dr/locations/us-east4/keyRings/platform/cryptoKeys/database",
        backups: "projects/acme-dr/locations/us-east4/keyRings/platform/cryptoKeys/backups",
    },
};
const GCP_NETWORK = "projects/acme-dr/global/networks/platform";
const GCP_RANGES = ["10.102.0.0/20", "10.104.0.0/14"];
const APP_CIDRS = ["10.100.0.0/19", "10.100.32.0/19"];
const RDS_CA_PEM = "-----BEGIN CERTIFICATE-----\nrds-ca-rsa2048-g1\n-----END CERTIFICATE-----\n";

interface Variant {
    readonly stack: "dev" | "prod";
    readonly startMigration?: boolean;
    readonly sourceCa?: boolean;
    readonly masterPasswordVersion?: number;
}

interface InspectedOutput {
    readonly component: string;
    readonly key: string;
    readonly value: unknown;
    readonly secret: boolean;
}

/** Every public output of the components, resolved, with whether it is secret. */
async function inspectOutputs(components: Record<string, pulumi.ComponentResource>): Promise<InspectedOutput[]> {
    const found: InspectedOutput[] = [];
    for (const [component, c] of Object.entries(components)) {
        for (const [key, v] of Object.entries(c)) {
            if (!pulumi.Output.isInstance(v) || key === "urn") continue;
            const value = await new Promise((resolve) => v.apply((x) => resolve(x)));
            found.push({ component, key, value, secret: await pulumi.isSecret(v) });
        }
    }
    return found;
}

interface DataRun {
    readonly run: StackRun;
    readonly outputs: readonly InspectedOutput[];
}

/**
 * The data layer as program/main.ts would wire it: explicit providers with the stack's tags, literal
 * network and key references, and the four components. Prod adds the secondary region.
 */
async function runData(v: Variant): Promise<DataRun> {
    const prod = v.stack === "prod";
    let outputs: InspectedOutput[] = [];
    const run = await runStack({
        stack: v.stack,
        program: async () => {
            const tags = { ...TAGS, environment: v.stack };
            const awsPrimary = new aws.Provider("aws-primary", { region: "us-east-1", defaultTags: { tags } });
            const awsSecondary = new aws.Provider("aws-secondary", { region: "us-west-2", defaultTags: { tags } });
            const gcpProvider = new gcp.Provider("gcp", {
                project: "acme-dr",
                region: "us-east4",
                defaultLabels: tags,
                addPulumiAttributionLabel: false,
            });
            const randomProvider = new random.Provider("random");
            const psa = new gcp.servicenetworking.Connection(
                "private-services",
                { network: GCP_NETWORK, service: "servicenetworking.googleapis.com", reservedPeeringRanges: ["psa"] },
                { provider: gcpProvider },
            );

            const aurora = new AuroraGlobal(
                "aurora",
                {
                    identifier: `platform-${v.stack}`,
                    primary: {
                        region: "us-east-1",
                        vpcId: "vpc-primary",
                        dbSubnetGroupName: "db-primary",
                        kmsKeyArn: KEYS.primary.database,
                        logsKmsKeyArn: KEYS.primary.logs,
                        appSecurityGroupId: "sg-app-primary",
                        allowedCidrs: [...APP_CIDRS, ...GCP_RANGES],
                    },
                    ...(prod
                        ? {
                              secondary: {
                                  provider: awsSecondary,
                                  region: "us-west-2",
                                  vpcId: "vpc-secondary",
                                  dbSubnetGroupName: "db-secondary",
                                  kmsKeyArn: KEYS.secondary.database,
                                  logsKmsKeyArn: KEYS.secondary.logs,
                                  appSecurityGroupId: "sg-app-secondary",
                              },
                          }
                        : {}),
                    readerCount: prod ? 2 : 0,
                    backupRetentionDays: prod ? 35 : 7,
                    logRetentionDays: prod ? 365 : 30,
                    masterPasswordVersion: v.masterPasswordVersion,
                    protect: prod,
                },
                { providers: [awsPrimary, randomProvider] },
            );
            const replica = new CloudSqlReplica(
                "dr-postgres",
                {
                    project: "acme-dr",
                    region: "us-east4",
                    network: GCP_NETWORK,
                    privateServicesConnection: psa,
                    kmsKeyName: KEYS.gcp.database,
                    highAvailability: prod,
                    backupRetentionDays: prod ? 35 : 7,
                    protect: prod,
                    sourceHost: aurora.writerEndpoint,
                    ...(v.sourceCa === false ? {} : { sourceCaCertificatePem: RDS_CA_PEM }),
                    awsSecretKmsKeyArn: KEYS.primary.database,
                    startMigration: v.startMigration,
                },
                { providers: [gcpProvider, awsPrimary, randomProvider] },
            );
            const table = new DynamoDbGlobal(
                "orders",
                {
                    region: "us-east-1",
                    hashKey: { name: "pk", type: "S" },
                    rangeKey: { name: "sk", type: "S" },
                    kmsKeyArn: KEYS.primary.database,
                    replicas: prod ? [{ region: "us-west-2", kmsKeyArn: KEYS.secondary.database }] : [],
                    protect: prod,
                    backupsKmsKeyArn: KEYS.primary.backups,
                    gcpProject: "acme-dr",
                    gcpRegion: "us-east4",
                    gcpBackupsKmsKeyName: KEYS.gcp.backups,
                },
                { providers: [awsPrimary, gcpProvider] },
            );
            const cache = new ElastiCache(
                "sessions",
                {
                    subnetGroupName: "cache-primary",
                    securityGroupIds: ["sg-data-primary"],
                    kmsKeyArn: KEYS.primary.database,
                    nodeType: prod ? "cache.r7g.large" : "cache.t4g.small",
                    numCacheClusters: prod ? 2 : 1,
                    protect: prod,
                },
                { providers: [awsPrimary, randomProvider] },
            );
            const drCache = new Memorystore(
                "dr-sessions",
                {
                    project: "acme-dr",
                    region: "us-east4",
                    authorizedNetwork: GCP_NETWORK,
                    privateServicesConnection: psa,
                    kmsKeyName: KEYS.gcp.database,
                    memorySizeGb: prod ? 5 : 1,
                    highAvailability: prod,
                    protect: prod,
                },
                { provider: gcpProvider },
            );
            outputs = await inspectOutputs({ aurora, replica, table, cache, drCache });
        },
    });
    if (run.error) throw run.error;
    return { run, outputs };
}

const cache = new Map<string, Promise<DataRun>>();
function data(v: Variant): Promise<DataRun> {
    const key = JSON.stringify(v);
    if (!cache.has(key)) cache.set(key, runData(v));
    return cache.get(key)!;
}

const under = (rs: readonly RecordedResource[], type: string, name: string) => descendantsOf(rs, one(rs, type, name));
const get = (rs: readonly RecordedResource[], type: string, name: string) => one(rs, type, name);

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

    it("runs a CONTINUOUS job over VPC peering, started through its desired state", async () => {
        const { run } = await data({ stack: "prod" });
        const job = get(run.resources, JOB, "dr-postgres-job");
        const source = get(run.resources, PROFILE, "dr-postgres-source");
        const destination = get(run.resources, PROFILE, "dr-postgres-destination");
        assert.strictEqual(job.inputs.type, "CONTINUOUS");
        assert.strictEqual(job.inputs.source, source.outputs.name);
        assert.strictEqual(job.inputs.destination, destination.outputs.name);
        assert.deepStrictEqual(job.inputs.vpcPeeringConnectivity, { vpc: GCP_NETWORK });
        assert.strictEqual(job.inputs.desiredState, "RUNNING");
        assert.strictEqual(job.outputs.state, "RUNNING");
        assert.ok(!("dumpType" in job.inputs) && !("staticIpConnectivity" in job.inputs));
        assert.strictEqual(job.protect, true);
    });

    it("leaves the job NOT_STARTED while the Aurora side is not prepared (startMigration: false)", async () => {
        const { run } = await data({ stack: "dev", startMigration: false });
        assert.strictEqual(get(run.resources, JOB, "dr-postgres-job").inputs.desiredState, "NOT_STARTED");
    });

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

    it("dev: no replicas, no deletion protection, nothing protected", async () => {
        const { run } = await data({ stack: "dev" });
        const table = get(run.resources, TABLE, "orders-table");
        assert.deepStrictEqual(table.inputs.replicas, []);
        assert.strictEqual(table.inputs.deletionProtectionEnabled, false);
        assert.deepStrictEqual(
            under(run.resources, "multicloud:data:DynamoDbGlobal", "orders").filter((r) => r.protect),
            [],
        );
    });

    it("exports into a private, versioned bucket encrypted with the backups key that refuses plaintext", async () => {
        const { run } = await data({ stack: "prod" });
        const bucket = get(run.resources, "aws:s3/bucket:Bucket", "orders-exports");
        const byBucket = (type: string) => {
            const r = get(run.resources, type, "orders-exports");
            assert.strictEqual(r.inputs.bucket, bucket.outputs.id, type);
            assert.deepStrictEqual(r.propertyDependencies.bucket, [bucket.urn], type);
            return r.inputs;
        };
        assert.deepStrictEqual(byBucket("aws:s3/bucketVersioning:BucketVersioning").versioningConfiguration, {
            status: "Enabled",
        });
        assert.deepStrictEqual(
            byBucket("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").rules,
            [
                {
                    applyServerSideEncryptionByDefault: {
                        sseAlgorithm: "aws:kms",
                        kmsMasterKeyId: KEYS.primary.backups,
                    },
                    bucketKeyEnabled: true,
                },
            ],
        );
        const { bucket: _b, ...block } = byBucket("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
        assert.deepStrictEqual(block, {
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        assert.deepStrictEqual(byBucket("aws:s3/bucketOwnershipControls:BucketOwnershipControls").rule, {
            objectOwnership: "BucketOwnerEnforced",
        });
        assert.deepStrictEqual(byBucket("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").rules, [
            {
                id: "expire-exports",
                status: "Enabled",
                filter: { prefix: "" },
                expiration: { days: 35 },
                noncurrentVersionExpiration: { noncurrentDays: 7 },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            },
        ]);
        assert.deepStrictEqual(JSON.parse(byBucket("aws:s3/bucketPolicy:BucketPolicy").policy).Statement, [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucket.outputs.arn, `${bucket.outputs.arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ]);
        assert.strictEqual(bucket.protect, true);
    });

    it("schedules a daily ExportTableToPointInTime through the Scheduler universal target, with a role allowed only that", async () => {
        const { run } = await data({ stack: "prod" });
        const table = get(run.resources, TABLE, "orders-table");
        const bucket = get(run.resources, "aws:s3/bucket:Bucket", "orders-exports");
        const role = get(run.resources, "aws:iam/role:Role", "orders-export");
        const policy = get(run.resources, "aws:iam/rolePolicy:RolePolicy", "orders-export");
        const schedule = get(run.resources, "aws:scheduler/schedule:Schedule", "orders-export");
        assert.strictEqual(schedule.inputs.scheduleExpression, "cron(0 2 * * ? *)");
        assert.strictEqual(schedule.inputs.scheduleExpressionTimezone, "UTC");
        assert.strictEqual(schedule.inputs.state, "ENABLED");
        assert.strictEqual(schedule.inputs.target.arn, "arn:aws:scheduler:::aws-sdk:dynamodb:exportTableToPointInTime");
        assert.strictEqual(schedule.inputs.target.roleArn, role.outputs.arn);
        assert.deepStrictEqual(JSON.parse(schedule.inputs.target.input), {
            TableArn: table.outputs.arn,
            S3Bucket: bucket.outputs.id,
            S3Prefix: "exports",
            S3SseAlgorithm: "KMS",
            S3SseKmsKeyId: KEYS.primary.backups,
            ExportFormat: "DYNAMODB_JSON",
            ExportType: "FULL_EXPORT",
        });
        assert.deepStrictEqual(
            schedule.propertyDependencies.target.slice().sort(),
            [table.urn, bucket.urn, role.urn].sort(),
        );
        assert.ok(schedule.dependencies.includes(policy.urn));
        assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement, [
            {
                Effect: "Allow",
                Principal: { Service: "scheduler.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": MOCK_AWS_ACCOUNT } },
            },
        ]);
        assert.deepStrictEqual(
            JSON.parse(policy.inputs.policy),
            dynamodbExportPolicy({
                tableArn: table.outputs.arn,
                bucketArn: bucket.outputs.arn,
                prefix: "exports",
                kmsKeyArn: KEYS.primary.backups,
            }),
        );
    });

    it("keeps the GCP copy in a CMEK, retention-locked, private GCS bucket; dev keeps a day and can be emptied", async () => {
        for (const stack of ["prod", "dev"] as const) {
            const { run } = await data({ stack });
            const prod = stack === "prod";
            const days = prod ? 35 : 1;
            const gcs = get(run.resources, "gcp:storage/bucket:Bucket", "orders-exports");
            assert.deepStrictEqual(gcs.inputs, {
                project: "acme-dr",
                location: "us-east4",
                storageClass: "STANDARD",
                uniformBucketLevelAccess: true,
                publicAccessPrevention: "enforced",
                forceDestroy: !prod,
                encryption: { defaultKmsKeyName: KEYS.gcp.backups },
                retentionPolicy: { retentionPeriod: String(days * 86400) },
                softDeletePolicy: { retentionDurationSeconds: 7 * 86400 },
                lifecycleRules: [{ action: { type: "Delete" }, condition: { age: days } }],
            });
            assert.ok(!("versioning" in gcs.inputs), "GCS refuses versioning beside a retention policy");
            assert.strictEqual(gcs.protect, prod);
            assert.strictEqual(get(run.resources, "aws:s3/bucket:Bucket", "orders-exports").inputs.forceDestroy, !prod);
        }
    });

    it("copies the exports daily with Storage Transfer through a role that trusts only Google's transfer account", async () => {
        const { run } = await data({ stack: "prod" });
        const bucket = get(run.resources, "aws:s3/bucket:Bucket", "orders-exports");
        const gcs = get(run.resources, "gcp:storage/bucket:Bucket", "orders-exports");
        const role = get(run.resources, "aws:iam/role:Role", "orders-transfer");
        const read = get(run.resources, "aws:iam/rolePolicy:RolePolicy", "orders-transfer");
        const job = get(run.resources, "gcp:storage/transferJob:TransferJob", "orders-transfer");
        assert.deepStrictEqual(
            JSON.parse(role.inputs.assumeRolePolicy),
            storageTransferTrustPolicy(MOCK_TRANSFER_SUBJECT_ID),
        );
        assert.deepStrictEqual(
            JSON.parse(read.inputs.policy),
            storageTransferReadPolicy({
                bucketArn: bucket.outputs.arn,
                prefix: "exports",
                kmsKeyArn: KEYS.primary.backups,
            }),
        );
        assert.deepStrictEqual(job.inputs.transferSpec, {
            awsS3DataSource: { bucketName: bucket.outputs.id, roleArn: role.outputs.arn, path: "exports/" },
            gcsDataSink: { bucketName: gcs.outputs.name, path: "exports/" },
            transferOptions: {
                overwriteObjectsAlreadyExistingInSink: false,
                deleteObjectsUniqueInSink: false,
                deleteObjectsFromSourceAfterTransfer: false,
            },
        });
        assert.deepStrictEqual(job.inputs.schedule, {
            scheduleStartDate: { year: 2026, month: 1, day: 1 },
            startTimeOfDay: { hours: 5, minutes: 0, seconds: 0, nanos: 0 },
            repeatInterval: "86400s",
        });
        assert.deepStrictEqual(
            job.propertyDependencies.transferSpec.slice().sort(),
            [bucket.urn, role.urn, gcs.urn].sort(),
        );
        const sinkGrants = ofType(run.resources, "gcp:storage/bucketIAMMember:BucketIAMMember").filter((m) =>
            m.name.startsWith("orders-transfer"),
        );
        assert.deepStrictEqual(
            sinkGrants.map((m) => [m.inputs.role, m.inputs.member, m.inputs.bucket]),
            [
                [
                    "roles/storage.legacyBucketWriter",
                    "serviceAccount:project-987654321098@storage-transfer-service.iam.gserviceaccount.com",
                    gcs.outputs.name,
                ],
                [
                    "roles/storage.objectViewer",
                    "serviceAccount:project-987654321098@storage-transfer-service.iam.gserviceaccount.com",
                    gcs.outputs.name,
                ],
            ],
        );
        for (const dep of [read, ...sinkGrants]) assert.ok(job.dependencies.includes(dep.urn), dep.name);
    });

    it("restores into a CMEK Bigtable table that the loader identity may write, reading the GCS copy", async () => {
        for (const stack of ["prod", "dev"] as const) {
            const { run } = await data({ stack });
            const prod = stack === "prod";
            const gcs = get(run.resources, "gcp:storage/bucket:Bucket", "orders-exports");
            const instance = get(run.resources, "gcp:bigtable/instance:Instance", "orders-restore");
            const table = get(run.resources, "gcp:bigtable/table:Table", "orders-restore");
            assert.deepStrictEqual(instance.inputs.clusters, [
                {
                    clusterId: "c-us-east4-b",
                    zone: "us-east4-b",
                    numNodes: 1,
                    storageType: "SSD",
                    kmsKeyName: KEYS.gcp.backups,
                },
            ]);
            assert.strictEqual(instance.inputs.deletionProtection, prod);
            assert.strictEqual(instance.protect, prod);
            assert.strictEqual(table.inputs.instanceName, instance.outputs.name);
            assert.strictEqual(table.inputs.deletionProtection, prod ? "PROTECTED" : "UNPROTECTED");
            assert.deepStrictEqual(table.inputs.columnFamilies, [{ family: "item" }]);
            const loader = "serviceAccount:orders-loader@acme-dr.iam.gserviceaccount.com";
            const read = get(run.resources, "gcp:storage/bucketIAMMember:BucketIAMMember", "orders-loader-read");
            assert.deepStrictEqual(
                [read.inputs.bucket, read.inputs.role, read.inputs.member],
                [gcs.outputs.name, "roles/storage.objectViewer", loader],
            );
            const write = get(run.resources, "gcp:bigtable/tableIamMember:TableIamMember", "orders-loader-write");
            assert.deepStrictEqual(
                [write.inputs.instanceName, write.inputs.table, write.inputs.role, write.inputs.member],
                [instance.outputs.name, table.outputs.name, "roles/bigtable.user", loader],
            );
            assert.deepStrictEqual(write.propertyDependencies.table, [table.urn]);
        }
    });

    it("builds least-privilege documents: only the export call on the table, only reads of the export prefix", () => {
        const grant = { tableArn: "arn:t", bucketArn: "arn:aws:s3:::b", prefix: "exports", kmsKeyArn: "arn:k" };
        const actions = (d: { Statement: Record<string, unknown>[] }) => d.Statement.map((s) => [s.Action, s.Resource]);
        assert.deepStrictEqual(actions(dynamodbExportPolicy(grant)), [
            ["dynamodb:ExportTableToPointInTime", "arn:t"],
            [["s3:PutObject", "s3:PutObjectAcl", "s3:AbortMultipartUpload"], "arn:aws:s3:::b/exports/*"],
            [["kms:GenerateDataKey", "kms:Decrypt"], "arn:k"],
        ]);
        assert.deepStrictEqual(actions(storageTransferReadPolicy(grant)), [
            ["s3:GetBucketLocation", "arn:aws:s3:::b"],
            ["s3:ListBucket", "arn:aws:s3:::b"],
            ["s3:GetObject", "arn:aws:s3:::b/exports/*"],
            ["kms:Decrypt", "arn:k"],
        ]);
        assert.deepStrictEqual(storageTransferTrustPolicy("42").Statement[0].Condition, {
            StringEquals: { "accounts.google.com:sub": "42" },
        });
    });

    describe("validation", () => {
        const base: DynamoDbGlobalArgs = {
            region: "us-east-1",
            hashKey: { name: "pk", type: "S" },
            kmsKeyArn: "k",
            backupsKmsKeyArn: "b",
            gcpProject: "p",
            gcpRegion: "us-east4",
            gcpBackupsKmsKeyName: "g",
        };
        const problems = (args: Partial<DynamoDbGlobalArgs>, name = "orders") => {
            try {
                validateDynamoDbGlobalArgs(name, resolveDynamoDbGlobalArgs(name, { ...base, ...args }));
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
            [
                "a transfer during the export",
                { transferHourUtc: 2 },
                "transferHourUtc must differ from exportHourUtc (2): the transfer would start while the export is still being written",
            ],
            ["hour 24", { exportHourUtc: 24 }, "exportHourUtc must be a whole hour from 0 to 23; received 24"],
            [
                "a Bigtable zone outside the key's region",
                { bigtableZones: ["us-central1-a"] },
                'bigtableZones[0] must be a zone of us-east4 (the key\'s region); received "us-central1-a"',
            ],
        ];
        for (const [what, args, message] of cases)
            it(`rejects ${what}`, () => assert.deepStrictEqual(problems(args), [message]));
        it("rejects a component name too long for the loader's account id", () =>
            assert.deepStrictEqual(problems({}, "customer-order-history-archive"), [
                'loaderServiceAccountId must be 6 to 30 lowercase letters, digits or hyphens, starting with a letter; received "customer-order-history-archive-loader"; set loaderServiceAccountId explicitly',
            ]));
    });
});

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

describe("data layer secrets", () => {
    for (const stack of ["prod", "dev"] as const) {
        it(`${stack}: every generated password is a secret wherever it is an input, and never a plain output`, async () => {
            const { run, outputs } = await data({ stack });
            const passwords = ofType(run.resources, "random:index/randomPassword:RandomPassword");
            assert.deepStrictEqual(passwords.map((p) => p.name).sort(), [
                "aurora-master",
                "dr-postgres-replication",
                "sessions-auth",
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
            // Aurora (cluster, secret), DMS (profile, secret), ElastiCache (group, secret).
            assert.strictEqual(uses, 6);
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
