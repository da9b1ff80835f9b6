import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { encryptedLogGroup } from "../observability/encrypted-log-group";
import { serviceTrustPolicy } from "../shared/iam";
import { recoveryWindowDays } from "../shared/protection";
import {
    AURORA_GLOBAL_DEFAULTS,
    type AuroraGlobalArgs,
    type ResolvedAuroraGlobalArgs,
    type ResolvedRegion,
    resolveAuroraGlobalArgs,
    validateAuroraGlobalArgs,
} from "./aurora-global-settings";
import {
    AURORA_CLUSTER_PARAMETERS,
    AURORA_ENGINE,
    auroraFamily,
    instanceZones,
    POSTGRES_PORT,
} from "./aurora-settings";
import { VERSIONS } from "../versions";

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
    /** The master user: what the PostgreSQL provider of the in-VPC run logs in as. */
    public readonly masterUsername: string;
    /** The master password, secret. */
    public readonly masterPassword: pulumi.Output<string>;
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
        this.masterUsername = settings.masterUsername;
        this.masterPassword = masterPassword;
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
                recoveryWindowInDays: recoveryWindowDays(protect),
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
        const logGroup = encryptedLogGroup(
            prefix,
            {
                logGroupName: `/aws/rds/cluster/${clusterIdentifier}/postgresql`,
                retentionInDays: settings.logRetentionDays,
                kmsKeyArn: region.logsKmsKeyArn,
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
