import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { LOG_RETENTION_DAYS } from "../shared/log-retention";
import {
    allowedCidrProblems,
    AURORA_BACKUP_RETENTION_DAYS,
    AURORA_CLUSTER_PARAMETERS,
    AURORA_ENGINE,
    AURORA_READER_COUNT,
    auroraFamily,
    ENHANCED_MONITORING_INTERVALS,
    GLOBAL_DATABASE_INSTANCE_CLASS,
    instanceZones,
    MAX_IDENTIFIER_LENGTH,
    POSTGRES_PORT,
    RDS_IDENTIFIER,
    validPerformanceInsightsRetention,
} from "./aurora-settings";
import { serviceTrustPolicy } from "../shared/iam";
import { isWholeInRange, wholeRangeText } from "../shared/validation";
import { VERSIONS } from "../versions";

/** Defaults, applied in one place. */
export const AURORA_GLOBAL_DEFAULTS = {
    instanceClass: "db.r6g.large",
    readerCount: 1,
    secondaryInstanceCount: 1,
    availabilityZoneCount: 3,
    backupRetentionDays: 7,
    /** Seconds between enhanced-monitoring samples: one minute, the CloudWatch Logs free-tier friendly value. */
    monitoringIntervalSeconds: 60,
    /** Seven days of Performance Insights history is free. */
    performanceInsightsRetentionDays: 7,
    logRetentionDays: 365,
    masterUsername: "platform_admin",
    databaseName: "platform",
    /**
     * The CA that signs the server certificates. Pinned, so the certificate bundle given to clients (and
     * to the DMS source profile) is known to match.
     */
    caCertIdentifier: "rds-ca-rsa2048-g1",
    masterPasswordVersion: 1,
} as const;

/** One region of the global database. */
export interface AuroraRegionArgs {
    /** AWS region; must be the region of the provider the cluster is created with. */
    readonly region: string;
    /** VPC the cluster's security group belongs to. */
    readonly vpcId: pulumi.Input<string>;
    /** DB subnet group on the isolated data subnets (`AwsNetwork.dbSubnetGroupName`). */
    readonly dbSubnetGroupName: pulumi.Input<string>;
    /** Customer-managed key (ARN) of this region's `database` purpose: storage, Performance Insights, secrets. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Customer-managed key (ARN) of this region's `logs` purpose: the exported PostgreSQL log group. */
    readonly logsKmsKeyArn: pulumi.Input<string>;
    /** Application security group admitted on 5432. @default none */
    readonly appSecurityGroupId?: pulumi.Input<string>;
    /** CIDRs admitted on 5432: the app subnets and, in the primary, the GCP ranges. @default none */
    readonly allowedCidrs?: readonly string[];
    /** Zones the instances are spread over, taken in order from the region's available zones. @default 3 */
    readonly availabilityZoneCount?: number;
}

/** The secondary region: a read-only cluster that can be promoted if the primary region is lost. */
export interface AuroraSecondaryArgs extends AuroraRegionArgs {
    /** AWS provider of the secondary region. The component's own `aws` provider is the primary's. */
    readonly provider: aws.Provider;
    /** Read-only instances in the secondary, 1 to 16, so that a promotion has a writer ready. @default 1 */
    readonly instanceCount?: number;
}

export interface AuroraGlobalArgs {
    /**
     * Identifier of the global cluster; the regional clusters are `<identifier>-<region>`. Fixed names let
     * the log groups exist before RDS writes to them. Lowercase letters, digits and single hyphens, at
     * most 42 characters. @default the component name
     */
    readonly identifier?: string;
    /** The writer region. */
    readonly primary: AuroraRegionArgs;
    /** A secondary region (prod). @default none: a global database of one region, ready to gain one */
    readonly secondary?: AuroraSecondaryArgs;
    /** Instance class of every instance; global databases accept memory-optimized classes only. @default "db.r6g.large" */
    readonly instanceClass?: string;
    /** Readers beside the writer in the primary region, 0 to 14. @default 1 */
    readonly readerCount?: number;
    /** Automated backup retention, 1 to 35. @default 7 */
    readonly backupRetentionDays?: number;
    /** Enhanced monitoring interval: 1, 5, 10, 15, 30 or 60 seconds. @default 60 */
    readonly monitoringIntervalSeconds?: number;
    /** Performance Insights retention: 7, a multiple of 31 up to 713, or 731. @default 7 */
    readonly performanceInsightsRetentionDays?: number;
    /** Retention of the exported PostgreSQL log groups, a CloudWatch Logs value. @default 365 */
    readonly logRetentionDays?: number;
    /** Master user name. @default "platform_admin" */
    readonly masterUsername?: string;
    /** Database created in the primary. @default "platform" */
    readonly databaseName?: string;
    /**
     * Generation of the master password. Raising it generates a new password, applies it to the cluster
     * and writes it to the secret in the same `pulumi up`. @default 1
     */
    readonly masterPasswordVersion?: number;
    /**
     * Deletion protection, final snapshots and Pulumi `protect` on the stateful resources. Turning it off
     * (dev) lets a stack be destroyed without snapshots. @default true
     */
    readonly protect?: boolean;
}

interface RegionalCluster {
    readonly cluster: aws.rds.Cluster;
    readonly securityGroup: aws.ec2.SecurityGroup;
    /** The first instance, the one Aurora makes writer (in a secondary: the first replica). */
    readonly firstInstance: aws.rds.ClusterInstance;
}

/**
 * An Aurora PostgreSQL global database: the global cluster, a primary cluster with a writer and readers
 * spread over zones, and optionally a read-only secondary in another region. Every cluster is encrypted
 * with its region's database key, forces TLS, has logical replication and pglogical on for the GCP
 * replica, IAM authentication, enhanced monitoring, Performance Insights and its logs exported to a
 * log group encrypted with the region's logs key. Needs an `aws` and a `random` provider; the secondary
 * region's provider comes in the args.
 *
 * Master credentials: RDS-managed master passwords (`manageMasterUserPassword`) are not supported for
 * clusters in an Aurora global database, so the password is generated here, handed to RDS as a secret
 * and stored in Secrets Manager (encrypted with the database key, replicated to the secondary region).
 * Rotation is a deliberate `pulumi up` with a higher `masterPasswordVersion`. Applications use IAM
 * database authentication; the master user is for administration only.
 */
export class AuroraGlobal extends pulumi.ComponentResource {
    public readonly globalClusterId: pulumi.Output<string>;
    public readonly globalClusterArn: pulumi.Output<string>;
    /** ARN of the primary cluster. */
    public readonly clusterArn: pulumi.Output<string>;
    /** Identifier of the primary cluster. */
    public readonly clusterId: pulumi.Output<string>;
    /** Resource id of the primary cluster, what `rds-db:connect` policies name for IAM authentication. */
    public readonly clusterResourceId: pulumi.Output<string>;
    /** Writer endpoint of the primary cluster. */
    public readonly writerEndpoint: pulumi.Output<string>;
    /** Reader endpoint of the primary cluster. */
    public readonly readerEndpoint: pulumi.Output<string>;
    public readonly port: pulumi.Output<number>;
    /** Secrets Manager secret holding the master credentials (JSON: username, password, host, port, ...). */
    public readonly masterSecretArn: pulumi.Output<string>;
    /** Security group of the primary cluster. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** ARN of the secondary cluster, when there is one. */
    public readonly secondaryClusterArn?: pulumi.Output<string>;
    /** Reader endpoint of the secondary cluster, when there is one. */
    public readonly secondaryReaderEndpoint?: pulumi.Output<string>;

    constructor(name: string, args: AuroraGlobalArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:data:AuroraGlobal", name, {}, opts);
        const settings = resolveAuroraGlobalArgs(name, args);
        validateAuroraGlobalArgs(name, settings);
        const { identifier, protect } = settings;

        const global = new aws.rds.GlobalCluster(
            `${name}-global`,
            {
                globalClusterIdentifier: identifier,
                engine: AURORA_ENGINE,
                engineVersion: VERSIONS.auroraPostgres,
                storageEncrypted: true,
                deletionProtection: protect,
            },
            { parent: this, protect },
        );
        this.globalClusterId = global.id;
        this.globalClusterArn = global.arn;

        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        // IAM is global: one monitoring role serves the instances of every region.
        const monitoringRole = new aws.iam.Role(
            `${name}-monitoring`,
            {
                description: `${identifier}: RDS enhanced monitoring`,
                assumeRolePolicy: accountId.apply((id) =>
                    JSON.stringify(serviceTrustPolicy("monitoring.rds.amazonaws.com", id)),
                ),
            },
            { parent: this },
        );
        const monitoringAttachment = new aws.iam.RolePolicyAttachment(
            `${name}-monitoring`,
            {
                role: monitoringRole.id,
                policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
            },
            { parent: this },
        );
        const monitoring = { roleArn: monitoringRole.arn, dependsOn: monitoringAttachment };

        const password = new random.RandomPassword(
            `${name}-master`,
            {
                length: 40,
                // RDS refuses '/', '"', '@' and spaces in master passwords.
                overrideSpecial: "!#$%^&*()-_=+[]{}<>:?",
                minLower: 1,
                minUpper: 1,
                minNumeric: 1,
                keepers: { version: String(settings.masterPasswordVersion) },
            },
            { parent: this },
        );

        // Explicitly secret, wherever it goes, whatever the engine knows about the random provider's outputs.
        const masterPassword = pulumi.secret(password.result);
        const primary = this.regionalCluster(name, "primary", settings, settings.primary, {
            global,
            monitoring,
            master: { username: settings.masterUsername, password: masterPassword },
            instanceCount: 1 + settings.readerCount,
        });
        this.clusterArn = primary.cluster.arn;
        this.clusterId = primary.cluster.clusterIdentifier;
        this.clusterResourceId = primary.cluster.clusterResourceId;
        this.writerEndpoint = primary.cluster.endpoint;
        this.readerEndpoint = primary.cluster.readerEndpoint;
        this.port = primary.cluster.port;
        this.securityGroupId = primary.securityGroup.id;

        if (settings.secondary) {
            const secondary = this.regionalCluster(name, "secondary", settings, settings.secondary, {
                global,
                monitoring,
                provider: settings.secondary.provider,
                instanceCount: settings.secondary.instanceCount,
                // A secondary can only join once the primary has a writer to replicate from.
                after: primary.firstInstance,
            });
            this.secondaryClusterArn = secondary.cluster.arn;
            this.secondaryReaderEndpoint = secondary.cluster.readerEndpoint;
        }

        const secret = new aws.secretsmanager.Secret(
            `${name}-master`,
            {
                description: `${identifier}: master credentials of the Aurora global database`,
                kmsKeyId: settings.primary.kmsKeyArn,
                recoveryWindowInDays: protect ? 30 : 7,
                // The credentials must outlive the loss of the primary region.
                replicas: settings.secondary
                    ? [{ region: settings.secondary.region, kmsKeyId: settings.secondary.kmsKeyArn }]
                    : [],
            },
            { parent: this, protect },
        );
        new aws.secretsmanager.SecretVersion(
            `${name}-master`,
            {
                secretId: secret.id,
                // The shape the AWS rotation functions and the RDS console read.
                secretString: pulumi.jsonStringify({
                    engine: "postgres",
                    host: primary.cluster.endpoint,
                    port: POSTGRES_PORT,
                    dbClusterIdentifier: primary.cluster.clusterIdentifier,
                    username: settings.masterUsername,
                    password: masterPassword,
                }),
            },
            { parent: this },
        );
        this.masterSecretArn = secret.arn;

        this.registerOutputs({
            globalClusterId: this.globalClusterId,
            clusterArn: this.clusterArn,
            writerEndpoint: this.writerEndpoint,
            readerEndpoint: this.readerEndpoint,
            port: this.port,
            masterSecretArn: this.masterSecretArn,
            securityGroupId: this.securityGroupId,
        });
    }

    /** A regional cluster with its security group, parameter group, log group and instances. */
    private regionalCluster(
        name: string,
        role: "primary" | "secondary",
        settings: ResolvedAuroraGlobalArgs,
        region: ResolvedRegion,
        extra: {
            global: aws.rds.GlobalCluster;
            monitoring: { roleArn: pulumi.Output<string>; dependsOn: pulumi.Resource };
            master?: { username: string; password: pulumi.Output<string> };
            provider?: aws.Provider;
            instanceCount: number;
            after?: pulumi.Resource;
        },
    ): RegionalCluster {
        const { identifier, protect } = settings;
        const prefix = `${name}-${role}`;
        const child = extra.provider ? { parent: this, provider: extra.provider } : { parent: this };
        const clusterIdentifier = `${identifier}-${region.region}`;

        const securityGroup = new aws.ec2.SecurityGroup(
            prefix,
            {
                vpcId: region.vpcId,
                description: `${clusterIdentifier}: PostgreSQL from the app tier and the peer cloud only`,
            },
            child,
        );
        const ingress = (
            suffix: string,
            source: { cidrIpv4: string } | { referencedSecurityGroupId: pulumi.Input<string> },
        ) =>
            new aws.vpc.SecurityGroupIngressRule(
                `${prefix}-${suffix}`,
                {
                    securityGroupId: securityGroup.id,
                    ipProtocol: "tcp",
                    fromPort: POSTGRES_PORT,
                    toPort: POSTGRES_PORT,
                    description: `PostgreSQL from ${suffix}`,
                    ...source,
                },
                child,
            );
        if (region.appSecurityGroupId !== undefined)
            ingress("app", { referencedSecurityGroupId: region.appSecurityGroupId });
        region.allowedCidrs.forEach((cidr, i) => ingress(`cidr-${i}`, { cidrIpv4: cidr }));

        const parameterGroup = new aws.rds.ClusterParameterGroup(
            prefix,
            {
                family: auroraFamily(),
                description: `${clusterIdentifier}: TLS only, logical replication for the GCP replica`,
                parameters: AURORA_CLUSTER_PARAMETERS.map((p) => ({ ...p })),
            },
            child,
        );
        // Created ahead of the cluster so that RDS writes into an encrypted group with a retention.
        const logGroup = new aws.cloudwatch.LogGroup(
            prefix,
            {
                name: `/aws/rds/cluster/${clusterIdentifier}/postgresql`,
                retentionInDays: settings.logRetentionDays,
                kmsKeyId: region.logsKmsKeyArn,
            },
            child,
        );

        const cluster = new aws.rds.Cluster(
            prefix,
            {
                clusterIdentifier,
                globalClusterIdentifier: extra.global.id,
                engine: AURORA_ENGINE,
                engineVersion: VERSIONS.auroraPostgres,
                port: POSTGRES_PORT,
                ...(extra.master
                    ? {
                          databaseName: settings.databaseName,
                          masterUsername: extra.master.username,
                          masterPassword: extra.master.password,
                      }
                    : {}),
                storageEncrypted: true,
                kmsKeyId: region.kmsKeyArn,
                iamDatabaseAuthenticationEnabled: true,
                dbClusterParameterGroupName: parameterGroup.name,
                dbSubnetGroupName: region.dbSubnetGroupName,
                vpcSecurityGroupIds: [securityGroup.id],
                enabledCloudwatchLogsExports: ["postgresql"],
                backupRetentionPeriod: settings.backupRetentionDays,
                copyTagsToSnapshot: true,
                deletionProtection: protect,
                skipFinalSnapshot: !protect,
                ...(protect ? { finalSnapshotIdentifier: `${clusterIdentifier}-final` } : {}),
            },
            {
                ...child,
                protect,
                dependsOn: [logGroup, ...(extra.after ? [extra.after] : [])],
                // RDS sets the replication source of a secondary itself; it is not a change to undo.
                ...(role === "secondary" ? { ignoreChanges: ["replicationSourceIdentifier"] } : {}),
            },
        );

        const zones = aws
            .getAvailabilityZonesOutput(
                { state: "available" },
                extra.provider ? { parent: this, provider: extra.provider } : { parent: this },
            )
            .names.apply((names) => names.slice(0, region.availabilityZoneCount));
        const placement = zones.apply((z) => instanceZones(z, extra.instanceCount));
        const instances: aws.rds.ClusterInstance[] = [];
        for (let i = 0; i < extra.instanceCount; i++) {
            const isWriter = role === "primary" && i === 0;
            instances.push(
                new aws.rds.ClusterInstance(
                    role === "primary" ? (isWriter ? `${prefix}-writer` : `${prefix}-reader-${i}`) : `${prefix}-${i}`,
                    {
                        clusterIdentifier: cluster.id,
                        engine: AURORA_ENGINE,
                        engineVersion: VERSIONS.auroraPostgres,
                        instanceClass: settings.instanceClass,
                        availabilityZone: placement.apply((p) => p[i]),
                        publiclyAccessible: false,
                        caCertIdentifier: AURORA_GLOBAL_DEFAULTS.caCertIdentifier,
                        // Minor versions are pinned in versions.ts and move with the global cluster.
                        autoMinorVersionUpgrade: false,
                        promotionTier: isWriter ? 0 : 1,
                        performanceInsightsEnabled: true,
                        performanceInsightsKmsKeyId: region.kmsKeyArn,
                        performanceInsightsRetentionPeriod: settings.performanceInsightsRetentionDays,
                        monitoringInterval: settings.monitoringIntervalSeconds,
                        monitoringRoleArn: extra.monitoring.roleArn,
                        copyTagsToSnapshot: true,
                    },
                    {
                        ...child,
                        // Readers wait for the writer, so the instance named writer is the one Aurora makes writer.
                        dependsOn: [extra.monitoring.dependsOn, ...(role === "primary" && i > 0 ? [instances[0]] : [])],
                    },
                ),
            );
        }
        return { cluster, securityGroup, firstInstance: instances[0] };
    }
}

type ResolvedRegion = Required<Omit<AuroraRegionArgs, "appSecurityGroupId">> &
    Pick<AuroraRegionArgs, "appSecurityGroupId">;

export interface ResolvedAuroraGlobalArgs {
    readonly identifier: string;
    readonly primary: ResolvedRegion;
    readonly secondary?: ResolvedRegion & { provider: aws.Provider; instanceCount: number };
    readonly instanceClass: string;
    readonly readerCount: number;
    readonly backupRetentionDays: number;
    readonly monitoringIntervalSeconds: number;
    readonly performanceInsightsRetentionDays: number;
    readonly logRetentionDays: number;
    readonly masterUsername: string;
    readonly databaseName: string;
    readonly masterPasswordVersion: number;
    readonly protect: boolean;
}

/** Every default applied in one place. */
export function resolveAuroraGlobalArgs(name: string, args: AuroraGlobalArgs): ResolvedAuroraGlobalArgs {
    const d = AURORA_GLOBAL_DEFAULTS;
    const region = (r: AuroraRegionArgs): ResolvedRegion => ({
        ...r,
        allowedCidrs: r.allowedCidrs ?? [],
        availabilityZoneCount: r.availabilityZoneCount ?? d.availabilityZoneCount,
    });
    return {
        identifier: args.identifier ?? name,
        primary: region(args.primary),
        secondary: args.secondary && {
            ...region(args.secondary),
            provider: args.secondary.provider,
            instanceCount: args.secondary.instanceCount ?? d.secondaryInstanceCount,
        },
        instanceClass: args.instanceClass ?? d.instanceClass,
        readerCount: args.readerCount ?? d.readerCount,
        backupRetentionDays: args.backupRetentionDays ?? d.backupRetentionDays,
        monitoringIntervalSeconds: args.monitoringIntervalSeconds ?? d.monitoringIntervalSeconds,
        performanceInsightsRetentionDays: args.performanceInsightsRetentionDays ?? d.performanceInsightsRetentionDays,
        logRetentionDays: args.logRetentionDays ?? d.logRetentionDays,
        masterUsername: args.masterUsername ?? d.masterUsername,
        databaseName: args.databaseName ?? d.databaseName,
        masterPasswordVersion: args.masterPasswordVersion ?? d.masterPasswordVersion,
        protect: args.protect ?? true,
    };
}

/** Throws one error listing every invalid argument. */
export function validateAuroraGlobalArgs(name: string, a: ResolvedAuroraGlobalArgs): void {
    const problems: string[] = [];
    if (!RDS_IDENTIFIER.test(a.identifier) || a.identifier.length > MAX_IDENTIFIER_LENGTH) {
        problems.push(
            `identifier must be lowercase letters, digits and single hyphens, start with a letter, not end with a hyphen, ` +
                `and be at most ${MAX_IDENTIFIER_LENGTH} characters; received ${JSON.stringify(a.identifier)}`,
        );
    }
    if (!GLOBAL_DATABASE_INSTANCE_CLASS.test(a.instanceClass)) {
        problems.push(
            `instanceClass must be a memory-optimized class (db.r* or db.x*), the only ones an Aurora global database ` +
                `accepts; received ${JSON.stringify(a.instanceClass)}; use e.g. "db.r6g.large"`,
        );
    }
    if (!isWholeInRange(a.readerCount, AURORA_READER_COUNT)) {
        problems.push(`readerCount must be ${wholeRangeText(AURORA_READER_COUNT)}; received ${a.readerCount}`);
    }
    if (!isWholeInRange(a.backupRetentionDays, AURORA_BACKUP_RETENTION_DAYS)) {
        problems.push(
            `backupRetentionDays must be ${wholeRangeText(AURORA_BACKUP_RETENTION_DAYS)}; received ${a.backupRetentionDays}`,
        );
    }
    if (!(ENHANCED_MONITORING_INTERVALS as readonly number[]).includes(a.monitoringIntervalSeconds)) {
        problems.push(
            `monitoringIntervalSeconds must be one of ${ENHANCED_MONITORING_INTERVALS.join(", ")}; received ${a.monitoringIntervalSeconds}`,
        );
    }
    if (!validPerformanceInsightsRetention(a.performanceInsightsRetentionDays)) {
        problems.push(
            `performanceInsightsRetentionDays must be 7, a multiple of 31 up to 713, or 731; received ${a.performanceInsightsRetentionDays}`,
        );
    }
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(a.logRetentionDays)) {
        problems.push(
            `logRetentionDays must be a CloudWatch Logs retention (${LOG_RETENTION_DAYS.join(", ")}); received ${a.logRetentionDays}`,
        );
    }
    if (!/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/.test(a.masterUsername) || ["postgres", "rdsadmin"].includes(a.masterUsername)) {
        problems.push(
            `masterUsername must start with a letter, hold letters, digits or '_', be at most 63 characters and not be ` +
                `a reserved name (postgres, rdsadmin); received ${JSON.stringify(a.masterUsername)}`,
        );
    }
    if (!/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/.test(a.databaseName)) {
        problems.push(
            `databaseName must start with a letter and hold at most 63 letters, digits or '_'; received ${JSON.stringify(a.databaseName)}`,
        );
    }
    if (!Number.isInteger(a.masterPasswordVersion) || a.masterPasswordVersion < 1) {
        problems.push(
            `masterPasswordVersion must be a whole number of at least 1; received ${a.masterPasswordVersion}`,
        );
    }
    const regions: [string, ResolvedRegion | undefined][] = [
        ["primary", a.primary],
        ["secondary", a.secondary],
    ];
    for (const [key, r] of regions) {
        if (!r) continue;
        if (r.appSecurityGroupId === undefined && r.allowedCidrs.length === 0) {
            problems.push(
                `${key} admits no client: set ${key}.appSecurityGroupId or ${key}.allowedCidrs (the security group opens 5432 to nothing else)`,
            );
        }
        problems.push(...allowedCidrProblems(`${key}.allowedCidrs`, r.allowedCidrs));
        if (!isWholeInRange(r.availabilityZoneCount, { min: 1, max: 6 })) {
            problems.push(
                `${key}.availabilityZoneCount must be a whole number from 1 to 6; received ${r.availabilityZoneCount}`,
            );
        }
    }
    if (a.secondary) {
        if (a.secondary.region === a.primary.region) {
            problems.push(
                `secondary.region must differ from primary.region; both are ${JSON.stringify(a.primary.region)}`,
            );
        }
        if (!isWholeInRange(a.secondary.instanceCount, { min: 1, max: 16 })) {
            problems.push(
                `secondary.instanceCount must be a whole number from 1 to 16; received ${a.secondary.instanceCount}`,
            );
        }
    }
    if (problems.length > 0) throw new Error(`AuroraGlobal ${name}: ${problems.join("; ")}`);
}
