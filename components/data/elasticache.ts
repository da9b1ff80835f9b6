import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { isWholeInRange, wholeRangeText, type WholeRange } from "../shared/validation";
import { VERSIONS } from "../versions";
import { isProtected, recoveryWindowDays } from "../shared/protection";

/** Defaults, applied in one place. */
export const ELASTICACHE_DEFAULTS = {
    nodeType: "cache.r7g.large",
    /** A primary and a replica in another zone: the least that survives a node or zone loss. */
    numCacheClusters: 2,
    snapshotRetentionDays: 7,
    /** UTC; ahead of the AWS default maintenance windows, which are at night too. */
    snapshotWindow: "03:00-05:00",
    port: 6379,
} as const;

export interface ElastiCacheArgs {
    /** Cache subnet group on the isolated data subnets (`AwsNetwork.cacheSubnetGroupName`). */
    readonly subnetGroupName: pulumi.Input<string>;
    /** Security groups of the nodes (`AwsNetwork.dataSecurityGroupId`, which admits 6379 from the app tier). */
    readonly securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Customer-managed key (ARN) of the region's `database` purpose: data at rest, snapshots and the auth secret. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Node type. @default "cache.r7g.large" */
    readonly nodeType?: string;
    /**
     * Nodes, 1 to 6: a primary and replicas. Two or more turn on automatic failover and Multi-AZ; one is
     * a single node without either (dev). @default 2
     */
    readonly numCacheClusters?: number;
    /** Days daily snapshots are kept, 0 to 35 (0 turns snapshots off). @default 7 */
    readonly snapshotRetentionDays?: number;
    /**
     * Generation of the auth token. Raising it generates a new token; with the `ROTATE` strategy the old
     * one keeps working until the next change, so clients can move over. @default 1
     */
    readonly authTokenVersion?: number;
    /** A final snapshot on deletion and Pulumi `protect`. @default true */
    readonly protect?: boolean;
}

/**
 * An ElastiCache (Valkey) replication group encrypted at rest with a customer-managed key and in transit
 * with TLS required, authenticated with a generated token that is kept in Secrets Manager and never
 * leaves Pulumi state in plain text. Needs an `aws` and a `random` provider.
 *
 * Auth: a token (Redis AUTH) rather than RBAC users: every client of this cache is the same platform,
 * so one credential with rotation covers it without a user group to manage.
 */
export class ElastiCache extends pulumi.ComponentResource {
    public readonly replicationGroupId: pulumi.Output<string>;
    public readonly replicationGroupArn: pulumi.Output<string>;
    public readonly primaryEndpointAddress: pulumi.Output<string>;
    public readonly readerEndpointAddress: pulumi.Output<string>;
    public readonly port: pulumi.Output<number>;
    /** Secrets Manager secret with the auth token (JSON: authToken, host, port). */
    public readonly authTokenSecretArn: pulumi.Output<string>;

    constructor(name: string, args: ElastiCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:data:ElastiCache", name, {}, opts);
        const a = resolveElastiCacheArgs(args);
        validateElastiCacheArgs(name, a);
        const highlyAvailable = a.numCacheClusters >= 2;

        const token = new random.RandomPassword(
            `${name}-auth`,
            {
                length: 64,
                // ElastiCache accepts only a few special characters; length gives the entropy instead.
                special: false,
                keepers: { version: String(a.authTokenVersion) },
            },
            { parent: this },
        );
        // Explicitly secret, wherever it goes, whatever the engine knows about the random provider's outputs.
        const authToken = pulumi.secret(token.result);
        const group = new aws.elasticache.ReplicationGroup(
            `${name}-cache`,
            {
                description: `${name}: Valkey, TLS and auth required`,
                engine: VERSIONS.elasticacheEngine,
                engineVersion: VERSIONS.elasticacheVersion,
                nodeType: a.nodeType,
                port: ELASTICACHE_DEFAULTS.port,
                numCacheClusters: a.numCacheClusters,
                automaticFailoverEnabled: highlyAvailable,
                multiAzEnabled: highlyAvailable,
                subnetGroupName: a.subnetGroupName,
                securityGroupIds: a.securityGroupIds,
                atRestEncryptionEnabled: true,
                kmsKeyId: a.kmsKeyArn,
                transitEncryptionEnabled: true,
                transitEncryptionMode: "required",
                authToken,
                authTokenUpdateStrategy: "ROTATE",
                snapshotRetentionLimit: a.snapshotRetentionDays,
                snapshotWindow: ELASTICACHE_DEFAULTS.snapshotWindow,
                autoMinorVersionUpgrade: true,
                ...(a.protect ? { finalSnapshotIdentifier: `${name}-final` } : {}),
            },
            { parent: this, protect: a.protect },
        );
        this.replicationGroupId = group.id;
        this.replicationGroupArn = group.arn;
        this.primaryEndpointAddress = group.primaryEndpointAddress;
        this.readerEndpointAddress = group.readerEndpointAddress;
        this.port = group.port.apply((p) => p ?? ELASTICACHE_DEFAULTS.port);

        const secret = new aws.secretsmanager.Secret(
            `${name}-auth`,
            {
                description: `${name}: auth token of the ElastiCache replication group`,
                kmsKeyId: a.kmsKeyArn,
                recoveryWindowInDays: recoveryWindowDays(a.protect),
            },
            { parent: this },
        );
        new aws.secretsmanager.SecretVersion(
            `${name}-auth`,
            {
                secretId: secret.id,
                secretString: pulumi.jsonStringify({
                    authToken,
                    host: group.primaryEndpointAddress,
                    port: ELASTICACHE_DEFAULTS.port,
                }),
            },
            { parent: this },
        );
        this.authTokenSecretArn = secret.arn;

        this.registerOutputs({
            replicationGroupId: this.replicationGroupId,
            primaryEndpointAddress: this.primaryEndpointAddress,
            readerEndpointAddress: this.readerEndpointAddress,
            authTokenSecretArn: this.authTokenSecretArn,
        });
    }
}

export type ResolvedElastiCacheArgs = ElastiCacheArgs &
    Required<
        Pick<
            ElastiCacheArgs,
            "nodeType" | "numCacheClusters" | "snapshotRetentionDays" | "authTokenVersion" | "protect"
        >
    >;

export function resolveElastiCacheArgs(args: ElastiCacheArgs): ResolvedElastiCacheArgs {
    const d = ELASTICACHE_DEFAULTS;
    return {
        ...args,
        nodeType: args.nodeType ?? d.nodeType,
        numCacheClusters: args.numCacheClusters ?? d.numCacheClusters,
        snapshotRetentionDays: args.snapshotRetentionDays ?? d.snapshotRetentionDays,
        authTokenVersion: args.authTokenVersion ?? 1,
        protect: isProtected(args.protect),
    };
}

/** ElastiCache node type names: `cache.<family>.<size>`. The config validator checks the same form. */
export const ELASTICACHE_NODE_TYPE_FORM = /^cache\.[a-z0-9]+\.[a-z0-9]+$/;

/** Daily snapshots ElastiCache keeps, days (0 turns snapshots off). */
export const ELASTICACHE_SNAPSHOT_RETENTION_DAYS: WholeRange = { min: 0, max: 35 };

/** Throws one error listing every invalid argument. */
export function validateElastiCacheArgs(name: string, a: ResolvedElastiCacheArgs): void {
    const problems: string[] = [];
    if (!ELASTICACHE_NODE_TYPE_FORM.test(a.nodeType)) {
        problems.push(
            `nodeType must be an ElastiCache node type such as "cache.r7g.large"; received ${JSON.stringify(a.nodeType)}`,
        );
    }
    if (!Number.isInteger(a.numCacheClusters) || a.numCacheClusters < 1 || a.numCacheClusters > 6) {
        problems.push(`numCacheClusters must be a whole number from 1 to 6; received ${a.numCacheClusters}`);
    }
    if (!isWholeInRange(a.snapshotRetentionDays, ELASTICACHE_SNAPSHOT_RETENTION_DAYS)) {
        problems.push(
            `snapshotRetentionDays must be ${wholeRangeText(ELASTICACHE_SNAPSHOT_RETENTION_DAYS)}; received ${a.snapshotRetentionDays}`,
        );
    }
    if (!Number.isInteger(a.authTokenVersion) || a.authTokenVersion < 1) {
        problems.push(`authTokenVersion must be a whole number of at least 1; received ${a.authTokenVersion}`);
    }
    if (a.protect && a.snapshotRetentionDays === 0) {
        problems.push(
            "snapshotRetentionDays is 0 while protect is true: a protected cache keeps snapshots; set at least 1",
        );
    }
    if (problems.length > 0) throw new Error(`ElastiCache ${name}: ${problems.join("; ")}`);
}
