/**
 * Data stores: Aurora global replicated to Cloud SQL, the DynamoDB global table with its GCP backup path,
 * and the caches. The second AWS region joins when the topology has one; the DR copies in GCP exist in
 * every stack, so the replication paths are exercised in dev too.
 */
import {
    AuroraGlobal,
    CloudSqlReplica,
    DynamoDbGcpBackup,
    DynamoDbGlobal,
    type DynamoDbGlobalArgs,
    ElastiCache,
    Memorystore,
} from "../../components/data";
import type { ServiceCatalog } from "../../components/catalog";
import type { PlatformContext } from "../context";
import type { NetworkLayer } from "./network";
import type { SecurityLayer } from "./security";

export interface DataLayer {
    readonly aurora: AuroraGlobal;
    readonly drPostgres: CloudSqlReplica;
    readonly orders: DynamoDbGlobal;
    readonly ordersBackup: DynamoDbGcpBackup;
    readonly cache: ElastiCache;
    readonly drCache: Memorystore;
}

/**
 * Every DynamoDB table of the platform, shared or a service's own: `pk`/`sk` keys, the database key, a
 * replica in the second region when the topology has one, protected like the other stores.
 */
export function tableArgs(ctx: PlatformContext, keys: SecurityLayer): DynamoDbGlobalArgs {
    const { cfg, topology } = ctx;
    return {
        region: cfg.aws.primaryRegion,
        hashKey: { name: "pk", type: "S" },
        rangeKey: { name: "sk", type: "S" },
        kmsKeyArn: keys.primary.arn("database"),
        replicas: topology.secondRegion
            ? [{ region: cfg.aws.secondaryRegion, kmsKeyArn: keys.secondary.arn("database") }]
            : [],
        protect: topology.protect,
    };
}

export function data(ctx: PlatformContext, keys: SecurityLayer, net: NetworkLayer, catalog: ServiceCatalog): DataLayer {
    const { cfg, providers, prefix, topology, ranges } = ctx;
    const { sizing } = cfg;
    const { protect } = topology;
    const gcpPlacement = { project: cfg.gcp.project, region: cfg.gcp.region };
    const aurora = new AuroraGlobal(
        "aurora",
        {
            identifier: `${prefix}-aurora`,
            primary: {
                region: cfg.aws.primaryRegion,
                vpcId: net.primary.vpcId,
                dbSubnetGroupName: net.primary.dbSubnetGroupName,
                kmsKeyArn: keys.primary.arn("database"),
                logsKmsKeyArn: keys.primary.arn("logs"),
                appSecurityGroupId: net.primary.appSecurityGroupId,
                // The DMS feed reads from GCP over the VPN; nothing else outside the app tier gets in.
                allowedCidrs: ranges.dmsSources,
                availabilityZoneCount: sizing.availabilityZoneCount,
            },
            secondary: topology.secondRegion
                ? {
                      provider: providers.awsSecondary,
                      region: cfg.aws.secondaryRegion,
                      vpcId: net.secondary.vpcId,
                      dbSubnetGroupName: net.secondary.dbSubnetGroupName,
                      kmsKeyArn: keys.secondary.arn("database"),
                      logsKmsKeyArn: keys.secondary.arn("logs"),
                      appSecurityGroupId: net.secondary.appSecurityGroupId,
                      availabilityZoneCount: sizing.availabilityZoneCount,
                  }
                : undefined,
            instanceClass: sizing.databaseInstanceClass,
            readerCount: sizing.databaseReaderCount,
            backupRetentionDays: sizing.backupRetentionDays,
            logRetentionDays: sizing.logRetentionDays,
            protect,
        },
        { providers: [providers.awsPrimary, providers.random] },
    );
    const drPostgres = new CloudSqlReplica(
        "dr-postgres",
        {
            ...gcpPlacement,
            network: net.gcp.networkId,
            privateServicesConnection: net.gcp.privateServicesConnection,
            kmsKeyName: keys.gcp.id("database"),
            sourceHost: aurora.writerEndpoint,
            awsSecretKmsKeyArn: keys.primary.arn("database"),
            highAvailability: topology.highAvailability,
            backupRetentionDays: sizing.backupRetentionDays,
            // Off until runbook step 1 has prepared Aurora; then `data.startDrMigration: true` and `pulumi up`.
            startMigration: cfg.data.startDrMigration,
            protect,
        },
        // The CMEK bindings and the VPN must exist before the instance and the migration job.
        { providers: [providers.gcp, providers.awsPrimary, providers.random], dependsOn: [keys.gcp, net.vpn] },
    );
    const orders = new DynamoDbGlobal("orders", tableArgs(ctx, keys), { providers: [providers.awsPrimary] });
    // Named like the table: its children keep the names (and, through formerParent, the URNs) they had
    // when the table component also held the backup path.
    const ordersBackup = new DynamoDbGcpBackup(
        "orders",
        {
            tableArn: orders.tableArn,
            backupsKmsKeyArn: keys.primary.arn("backups"),
            gcpProject: cfg.gcp.project,
            gcpRegion: cfg.gcp.region,
            gcpBackupsKmsKeyName: keys.gcp.id("backups"),
            protect,
            formerParent: orders,
        },
        { providers: [providers.awsPrimary, providers.gcp], dependsOn: [keys.gcp] },
    );
    const cache = new ElastiCache(
        "sessions",
        {
            subnetGroupName: net.primary.cacheSubnetGroupName,
            securityGroupIds: [net.primary.dataSecurityGroupId],
            kmsKeyArn: keys.primary.arn("database"),
            nodeType: sizing.cacheNodeType,
            numCacheClusters: topology.cacheNodeCount,
            snapshotRetentionDays: sizing.backupRetentionDays,
            // Each service with a slice of the cache gets its own user, limited to its key prefix.
            cacheUsers: catalog.services.flatMap((s) =>
                s.cache ? [{ name: s.name, keyPrefix: s.cache.keyPrefix }] : [],
            ),
            protect,
        },
        { providers: [providers.awsPrimary, providers.random] },
    );
    const drCache = new Memorystore(
        "dr-sessions",
        {
            ...gcpPlacement,
            authorizedNetwork: net.gcp.networkId,
            privateServicesConnection: net.gcp.privateServicesConnection,
            kmsKeyName: keys.gcp.id("database"),
            highAvailability: topology.highAvailability,
            protect,
        },
        { provider: providers.gcp, dependsOn: [keys.gcp] },
    );
    return { aurora, drPostgres, orders, ordersBackup, cache, drCache };
}
