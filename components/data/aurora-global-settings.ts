/**
 * Arguments, defaults and validation of the Aurora global database: pure, so every rule is tested
 * without the Pulumi runtime, and the component file keeps to the resources.
 */
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { logRetentionProblems } from "../shared/log-retention";
import { isProtected } from "../shared/protection";
import { isWholeInRange, wholeRangeText } from "../shared/validation";
import {
    AURORA_BACKUP_RETENTION_DAYS,
    AURORA_READER_COUNT,
    allowedCidrProblems,
    ENHANCED_MONITORING_INTERVALS,
    GLOBAL_DATABASE_INSTANCE_CLASS,
    MAX_IDENTIFIER_LENGTH,
    RDS_IDENTIFIER,
    validPerformanceInsightsRetention,
} from "./aurora-settings";

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

export type ResolvedRegion = Required<Omit<AuroraRegionArgs, "appSecurityGroupId">> &
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
        protect: isProtected(args.protect),
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
    problems.push(...logRetentionProblems("logRetentionDays", a.logRetentionDays));
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
