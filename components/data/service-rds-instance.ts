import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { encryptedLogGroup } from "../observability/encrypted-log-group";
import { awsKeyPolicy } from "../security/key-purposes";
import { isProtected, recoveryWindowDays } from "../shared/protection";
import { AURORA_GLOBAL_DEFAULTS } from "./aurora-global-settings";
import { serviceCredentials, type GcpSecretCopyArgs } from "./service-credentials";
import {
    RDS_ENGINE_SETTINGS,
    RDS_PASSWORD_SPECIALS,
    rdsInstanceLogGroupName,
    SERVICE_PASSWORD_LENGTH,
    SERVICE_RDS_DEFAULTS,
    serviceDatabaseNames,
    validateRdsInstanceSettings,
    type ServiceDatabaseEngine,
} from "./service-database-settings";

export interface ServiceRdsInstanceArgs {
    /** The catalog service; the instance's database is named after it ('-' becomes '_'). */
    readonly service: string;
    /** RDS identifier of the instance, e.g. `platform-prod-product`; the final snapshot is `<identifier>-final`. */
    readonly identifier: string;
    readonly engine: ServiceDatabaseEngine;
    /** AWS region of the provider: the key policy admits the database services of this region. */
    readonly region: string;
    /** VPC of the instance's security group. */
    readonly vpcId: pulumi.Input<string>;
    /** DB subnet group on the isolated data subnets (`AwsNetwork.dbSubnetGroupName`). */
    readonly dbSubnetGroupName: pulumi.Input<string>;
    /** The application security group: the only source admitted, on the engine's port. */
    readonly appSecurityGroupId: pulumi.Input<string>;
    /** Customer-managed key (ARN) of the region's `logs` purpose: the exported log groups. */
    readonly logsKmsKeyArn: pulumi.Input<string>;
    /** The GCP Secret Manager copy of the credentials. */
    readonly gcp: GcpSecretCopyArgs;
    /** RDS instance class. @default "db.t4g.micro" */
    readonly instanceClass?: string;
    /** A standby in another zone that RDS fails over to. @default true */
    readonly multiAz?: boolean;
    /** gp3 storage at creation, GiB, 20 to 65536. @default 20 */
    readonly allocatedStorageGib?: number;
    /** Ceiling of storage autoscaling, GiB, at least `allocatedStorageGib`. @default 100 */
    readonly maxAllocatedStorageGib?: number;
    /** Days automated backups are kept, 1 to 35. @default 7 */
    readonly backupRetentionDays?: number;
    /** Days the exported logs are kept: a CloudWatch Logs retention. @default 365 */
    readonly logRetentionDays?: number;
    /**
     * Days a deleted key or credentials secret stays recoverable, 7 to 30 (the KMS deletion window and the
     * Secrets Manager recovery window). @default 30 when protected, else 7
     */
    readonly recoveryWindowDays?: number;
    /** Generation of the master password; raising it generates a new one. @default 1 */
    readonly masterPasswordVersion?: number;
    /** Deletion protection, a final snapshot and Pulumi `protect` on the key, instance and secrets. @default true */
    readonly protect?: boolean;
}

/**
 * A dedicated RDS instance (MySQL or PostgreSQL) for a catalog service that must not share the Aurora
 * cluster: its own KMS key (rotating, with the platform's `database` key policy), a security group that
 * admits only the app tier, a parameter group that refuses plaintext, gp3 storage encrypted with the key,
 * backups, IAM database authentication, its logs exported into encrypted groups created first. The
 * generated master password is kept in Secrets Manager (encrypted with the instance's key) and copied to
 * GCP Secret Manager. Needs an `aws`, a `gcp` and a `random` provider.
 */
export class ServiceRdsInstance extends pulumi.ComponentResource {
    public readonly instanceArn: pulumi.Output<string>;
    /** The RDS identifier, as given. */
    public readonly identifier: string;
    /** `db-...` resource id, what `rds-db:connect` policies name for IAM authentication. */
    public readonly resourceId: pulumi.Output<string>;
    public readonly address: pulumi.Output<string>;
    public readonly port: pulumi.Output<number>;
    /** Name of the database created on the instance. */
    public readonly databaseName: string;
    /** ARN of the instance's own KMS key (storage, credentials). */
    public readonly kmsKeyArn: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;
    /** ARN of the Secrets Manager secret with the master credentials. */
    public readonly credentialsSecretArn: pulumi.Output<string>;
    /** Id (`projects/<p>/secrets/<id>`) of the GCP Secret Manager copy. */
    public readonly gcpSecretId: pulumi.Output<string>;

    constructor(name: string, args: ServiceRdsInstanceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:data:ServiceRdsInstance", name, {}, opts);
        const d = SERVICE_RDS_DEFAULTS;
        const protect = isProtected(args.protect);
        const s = {
            service: args.service,
            identifier: args.identifier,
            engine: args.engine,
            instanceClass: args.instanceClass ?? d.instanceClass,
            allocatedStorageGib: args.allocatedStorageGib ?? d.allocatedStorageGib,
            maxAllocatedStorageGib: args.maxAllocatedStorageGib ?? d.maxAllocatedStorageGib,
            backupRetentionDays: args.backupRetentionDays ?? d.backupRetentionDays,
            logRetentionDays: args.logRetentionDays ?? d.logRetentionDays,
            recoveryWindowDays: args.recoveryWindowDays ?? recoveryWindowDays(protect),
        };
        validateRdsInstanceSettings(name, s);
        const windowDays = s.recoveryWindowDays;
        const engine = RDS_ENGINE_SETTINGS[args.engine];
        const { identifier } = args;
        const { database } = serviceDatabaseNames(args.service);
        this.identifier = identifier;
        this.databaseName = database;

        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `${identifier}: storage and credentials of the ${args.service} database`,
                enableKeyRotation: true,
                rotationPeriodInDays: 365,
                deletionWindowInDays: windowDays,
                // The platform's database-key policy: usable through RDS and Secrets Manager of this account.
                policy: pulumi
                    .all([accountId, partition])
                    .apply(([id, part]) =>
                        JSON.stringify(
                            awsKeyPolicy("database", { partition: part, accountId: id, region: args.region }),
                        ),
                    ),
                tags: { purpose: "database" },
            },
            { parent: this, protect },
        );
        new aws.kms.Alias(
            `${name}-key`,
            { name: `alias/${identifier}-database`, targetKeyId: key.keyId },
            { parent: this },
        );
        this.kmsKeyArn = key.arn;

        const securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.vpcId, description: `${identifier}: ${args.engine} from the app tier only` },
            { parent: this },
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-app`,
            {
                securityGroupId: securityGroup.id,
                ipProtocol: "tcp",
                fromPort: engine.port,
                toPort: engine.port,
                referencedSecurityGroupId: args.appSecurityGroupId,
                description: `${args.engine} from the app tier`,
            },
            { parent: this },
        );
        this.securityGroupId = securityGroup.id;

        const parameterGroup = new aws.rds.ParameterGroup(
            `${name}-params`,
            {
                family: engine.family,
                description: `${identifier}: TLS only`,
                parameters: engine.parameters.map((p) => ({ ...p })),
            },
            { parent: this },
        );
        // Created ahead of the instance so that RDS writes into encrypted groups with a retention.
        const logGroups = engine.logExports.map((log) =>
            encryptedLogGroup(
                `${name}-${log}`,
                {
                    logGroupName: rdsInstanceLogGroupName(identifier, log),
                    retentionInDays: s.logRetentionDays,
                    kmsKeyArn: args.logsKmsKeyArn,
                },
                { parent: this },
            ),
        );

        const generated = new random.RandomPassword(
            `${name}-master`,
            {
                length: SERVICE_PASSWORD_LENGTH,
                overrideSpecial: RDS_PASSWORD_SPECIALS,
                minLower: 1,
                minUpper: 1,
                minNumeric: 1,
                keepers: { version: String(args.masterPasswordVersion ?? 1) },
            },
            { parent: this },
        );
        const password = pulumi.secret(generated.result);
        const instance = new aws.rds.Instance(
            `${name}-instance`,
            {
                identifier,
                engine: engine.engine,
                engineVersion: engine.version,
                instanceClass: s.instanceClass,
                dbName: database,
                username: d.masterUsername,
                password,
                port: engine.port,
                parameterGroupName: parameterGroup.name,
                dbSubnetGroupName: args.dbSubnetGroupName,
                vpcSecurityGroupIds: [securityGroup.id],
                publiclyAccessible: false,
                caCertIdentifier: AURORA_GLOBAL_DEFAULTS.caCertIdentifier,
                multiAz: args.multiAz ?? true,
                storageType: "gp3",
                allocatedStorage: s.allocatedStorageGib,
                maxAllocatedStorage: s.maxAllocatedStorageGib,
                storageEncrypted: true,
                kmsKeyId: key.arn,
                iamDatabaseAuthenticationEnabled: true,
                enabledCloudwatchLogsExports: [...engine.logExports],
                backupRetentionPeriod: s.backupRetentionDays,
                backupWindow: d.backupWindow,
                maintenanceWindow: d.maintenanceWindow,
                // The engine version is a major version; RDS keeps the instance on its newest minor.
                autoMinorVersionUpgrade: true,
                copyTagsToSnapshot: true,
                deletionProtection: protect,
                skipFinalSnapshot: !protect,
                ...(protect ? { finalSnapshotIdentifier: `${identifier}-final` } : {}),
            },
            { parent: this, protect, dependsOn: logGroups },
        );
        this.instanceArn = instance.arn;
        this.resourceId = instance.resourceId;
        this.address = instance.address;
        this.port = instance.port;

        const credentials = serviceCredentials(
            name,
            {
                description: `${identifier}: master credentials of the ${args.service} ${args.engine} instance`,
                gcpSecretId: `${identifier}-db-credentials`,
                secretString: pulumi.jsonStringify({
                    engine: engine.engine,
                    host: instance.address,
                    port: instance.port,
                    dbname: database,
                    username: d.masterUsername,
                    password,
                    dbInstanceIdentifier: identifier,
                }),
                kmsKeyArn: key.arn,
                recoveryWindowDays: windowDays,
                gcp: args.gcp,
                protect,
            },
            this,
        );
        this.credentialsSecretArn = credentials.secret.arn;
        this.gcpSecretId = credentials.gcpSecret.id;

        this.registerOutputs({
            instanceArn: this.instanceArn,
            address: this.address,
            port: this.port,
            kmsKeyArn: this.kmsKeyArn,
            credentialsSecretArn: this.credentialsSecretArn,
            gcpSecretId: this.gcpSecretId,
        });
    }
}
