/**
 * Each catalog service's own data store and credentials (issue 13): a logical database and login on the
 * shared Aurora cluster, a dedicated RDS instance with its own key, or a DynamoDB table. Credentials are
 * kept in Secrets Manager and copied to GCP Secret Manager, so the DR side can start without AWS. The
 * PostgreSQL objects are created only where the private writer is reachable: the in-VPC run.
 */
import * as postgresql from "@pulumi/postgresql";
import type * as pulumi from "@pulumi/pulumi";
import type { DataStoreKind, ServiceCatalog, ServiceEntry } from "../../components/catalog";
import {
    DynamoDbGlobal,
    ServiceAuroraDatabase,
    ServiceRdsInstance,
    type GcpSecretCopyArgs,
} from "../../components/data";
import type { PlatformContext } from "../context";
import { tableArgs, type DataLayer } from "./data";
import type { NetworkLayer } from "./network";
import type { SecurityLayer } from "./security";

/** What the identity layer needs of a service's store. */
export interface ServiceDataRecord {
    readonly kind: DataStoreKind;
    /** Secrets Manager secret with the credentials; none for a DynamoDB table (IAM only). */
    readonly credentialsSecretArn?: pulumi.Output<string>;
    /** The key that secret is encrypted with: the service's reader needs `kms:Decrypt` on it. */
    readonly credentialsKmsKeyArn?: pulumi.Output<string>;
    /** Id of the GCP Secret Manager copy of the credentials. */
    readonly gcpSecretId?: pulumi.Output<string>;
    /** The service's table (`dynamodb-table`). */
    readonly tableArn?: pulumi.Output<string>;
    /** Host and port of the database (`aurora-database`: the shared writer; `rds-instance`: its own). */
    readonly address?: pulumi.Output<string>;
    readonly port?: pulumi.Output<number>;
}

export type ServiceDataLayer = Record<string, ServiceDataRecord>;

/**
 * The PostgreSQL provider of the shared cluster, as its master user. Aurora's master is a member of
 * `rds_superuser`, not a superuser, hence `superuser: false`; TLS is required like the cluster requires it.
 */
function auroraSqlProvider(stores: DataLayer): postgresql.Provider {
    const { aurora } = stores;
    return new postgresql.Provider("aurora-sql", {
        host: aurora.writerEndpoint,
        port: aurora.port,
        database: "postgres",
        username: aurora.masterUsername,
        password: aurora.masterPassword,
        sslmode: "require",
        superuser: false,
    });
}

export function serviceData(
    ctx: PlatformContext,
    keys: SecurityLayer,
    net: NetworkLayer,
    catalog: ServiceCatalog,
    stores: DataLayer,
): ServiceDataLayer {
    const { cfg, providers, prefix, topology } = ctx;
    const { protect, recoveryWindowDays } = topology;
    const gcp: GcpSecretCopyArgs = {
        project: cfg.gcp.project,
        region: cfg.gcp.region,
        kmsKeyName: keys.gcp.id("database"),
    };
    // Secrets and instances: AWS, random, and GCP for the copy, whose CMEK bindings must exist first.
    const opts = { providers: [providers.awsPrimary, providers.gcp, providers.random], dependsOn: [keys.gcp] };
    const withStore = catalog.services.filter((s): s is ServiceEntry & Required<Pick<ServiceEntry, "store">> =>
        Boolean(s.store),
    );
    const sqlProvider =
        ctx.inClusterLayers && withStore.some((s) => s.store.kind === "aurora-database")
            ? auroraSqlProvider(stores)
            : undefined;

    const records: ServiceDataLayer = {};
    for (const entry of withStore) {
        const name = `service-${entry.name}`;
        const identifier = `${prefix}-${entry.name}`;
        const store = entry.store;
        if (store.kind === "aurora-database") {
            const db = new ServiceAuroraDatabase(
                name,
                {
                    service: entry.name,
                    identifier,
                    host: stores.aurora.writerEndpoint,
                    port: stores.aurora.port,
                    kmsKeyArn: keys.primary.arn("database"),
                    gcp,
                    sqlProvider,
                    recoveryWindowDays,
                    protect,
                },
                // The role and database need a writer to log in to, not just the cluster's endpoint.
                { ...opts, dependsOn: [...opts.dependsOn, stores.aurora] },
            );
            records[entry.name] = {
                kind: store.kind,
                credentialsSecretArn: db.credentialsSecretArn,
                credentialsKmsKeyArn: keys.primary.arn("database"),
                gcpSecretId: db.gcpSecretId,
                address: db.address,
                port: db.port,
            };
        } else if (store.kind === "rds-instance") {
            const db = new ServiceRdsInstance(
                name,
                {
                    service: entry.name,
                    identifier,
                    engine: store.engine,
                    region: cfg.aws.primaryRegion,
                    vpcId: net.primary.vpcId,
                    dbSubnetGroupName: net.primary.dbSubnetGroupName,
                    appSecurityGroupId: net.primary.appSecurityGroupId,
                    logsKmsKeyArn: keys.primary.arn("logs"),
                    gcp,
                    instanceClass: cfg.sizing.serviceDatabaseInstanceClass,
                    multiAz: topology.highAvailability,
                    backupRetentionDays: cfg.sizing.backupRetentionDays,
                    logRetentionDays: cfg.sizing.logRetentionDays,
                    recoveryWindowDays,
                    protect,
                },
                opts,
            );
            records[entry.name] = {
                kind: store.kind,
                credentialsSecretArn: db.credentialsSecretArn,
                credentialsKmsKeyArn: db.kmsKeyArn,
                gcpSecretId: db.gcpSecretId,
                address: db.address,
                port: db.port,
            };
        } else {
            // No per-service GCP backup (Bigtable) as the shared orders table has: its cost per table
            // outweighs a copy of one service's items; point-in-time recovery covers the table.
            const table = new DynamoDbGlobal(name, tableArgs(ctx, keys), { providers: [providers.awsPrimary] });
            records[entry.name] = { kind: store.kind, tableArn: table.tableArn };
        }
    }
    return records;
}
