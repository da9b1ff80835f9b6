/**
 * The data layer as program/layers/data.ts wires it, run once per variant and shared by the data specs:
 * explicit providers with the stack's tags, literal network and key references, and the components.
 * Prod adds the secondary region.
 */
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { AuroraGlobal } from "../../components/data/aurora-global";
import { CloudSqlReplica } from "../../components/data/cloudsql-replica";
import { DynamoDbGcpBackup } from "../../components/data/dynamodb-gcp-backup";
import { DynamoDbGlobal } from "../../components/data/dynamodb-global";
import { ElastiCache } from "../../components/data/elasticache";
import { Memorystore } from "../../components/data/memorystore";
import { descendantsOf, one } from "../../harness/lookup";
import { MOCK_AWS_ACCOUNT } from "../../harness/mocks";
import type { RecordedResource } from "../../harness/recorder";
import { runStack, type StackRun } from "../../harness/run";
import { TAGS } from "../policy/fixtures";

const awsKey = (region: string, purpose: string) =>
    `arn:aws:kms:${region}:${MOCK_AWS_ACCOUNT}:key/${purpose}-${region}`;
export const KEYS = {
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
/** The catalog's cache users, as program/layers/data.ts passes them. */
export const CACHE_USERS = [
    { name: "user", keyPrefix: "user:" },
    { name: "product", keyPrefix: "product:" },
    { name: "order", keyPrefix: "order:" },
];
export const GCP_NETWORK = "projects/acme-dr/global/networks/platform";
export const GCP_RANGES = ["10.102.0.0/20", "10.104.0.0/14"];
export const APP_CIDRS = ["10.100.0.0/19", "10.100.32.0/19"];
export const RDS_CA_PEM = "-----BEGIN CERTIFICATE-----\nrds-ca-rsa2048-g1\n-----END CERTIFICATE-----\n";

export interface Variant {
    readonly stack: "dev" | "prod";
    readonly startMigration?: boolean;
    readonly sourceCa?: boolean;
    readonly masterPasswordVersion?: number;
}

export interface InspectedOutput {
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

export interface DataRun {
    readonly run: StackRun;
    readonly outputs: readonly InspectedOutput[];
}

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
                },
                { providers: [awsPrimary] },
            );
            const backup = new DynamoDbGcpBackup(
                "orders",
                {
                    tableArn: table.tableArn,
                    protect: prod,
                    backupsKmsKeyArn: KEYS.primary.backups,
                    gcpProject: "acme-dr",
                    gcpRegion: "us-east4",
                    gcpBackupsKmsKeyName: KEYS.gcp.backups,
                    formerParent: table,
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
                    cacheUsers: CACHE_USERS,
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
            outputs = await inspectOutputs({ aurora, replica, table, backup, cache, drCache });
        },
    });
    if (run.error) throw run.error;
    return { run, outputs };
}

const cache = new Map<string, Promise<DataRun>>();
export function data(v: Variant): Promise<DataRun> {
    const key = JSON.stringify(v);
    if (!cache.has(key)) cache.set(key, runData(v));
    return cache.get(key)!;
}

export const under = (rs: readonly RecordedResource[], type: string, name: string) =>
    descendantsOf(rs, one(rs, type, name));
export const get = (rs: readonly RecordedResource[], type: string, name: string) => one(rs, type, name);
