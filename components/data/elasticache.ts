import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { isWholeInRange, wholeRangeText, type WholeRange } from "../shared/validation";
import { VERSIONS } from "../versions";
import { isProtected, recoveryWindowDays } from "../shared/protection";
import {
    ADMIN_USER_ACCESS,
    cacheAccessString,
    cacheUserId,
    cacheUserProblems,
    DEFAULT_USER_ACCESS,
    DEFAULT_USER_NAME,
    type CacheUser,
} from "./elasticache-access";

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
     * The services that use the cache, each with its key prefix: each gets a user that authenticates
     * with IAM and reaches only its own keys. @default none
     */
    readonly cacheUsers?: readonly CacheUser[];
    /**
     * Generation of the admin user's password (the former auth token). Raising it generates a new one;
     * the previous one stops working at once. @default 1
     */
    readonly authTokenVersion?: number;
    /** A final snapshot on deletion and Pulumi `protect`. @default true */
    readonly protect?: boolean;
}

/**
 * An ElastiCache (Valkey) replication group encrypted at rest with a customer-managed key and in transit
 * with TLS required, with role-based access control: a user group of a `default` user that is switched
 * off, an admin user for operators and one user per service. Needs an `aws` and a `random` provider.
 *
 * Auth: each service's user authenticates with IAM (short-lived tokens signed by its role; Valkey 7.2 or
 * later and TLS, both given) and reaches only the keys under its prefix. A replication group takes either
 * an AUTH token or user groups, not both, so the generated token that used to open the whole cache is now
 * the password of the admin user: operators keep the credential (and the Secrets Manager secret) they
 * had, while no application shares it.
 */
export class ElastiCache extends pulumi.ComponentResource {
    public readonly replicationGroupId: pulumi.Output<string>;
    public readonly replicationGroupArn: pulumi.Output<string>;
    public readonly primaryEndpointAddress: pulumi.Output<string>;
    public readonly readerEndpointAddress: pulumi.Output<string>;
    public readonly port: pulumi.Output<number>;
    /** Secrets Manager secret with the admin user's credentials (JSON: username, authToken, host, port). */
    public readonly authTokenSecretArn: pulumi.Output<string>;
    /** The user group every node authenticates against. */
    public readonly userGroupId: pulumi.Output<string>;
    /** ARN of each service's user, by service name: what its role's `elasticache:Connect` names. */
    public readonly userArns: Record<string, pulumi.Output<string>>;

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
        const users = this.users(name, a, authToken);
        this.userGroupId = users.userGroupId;
        this.userArns = users.userArns;
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
                userGroupIds: [users.userGroupId],
                // Ignored at creation; on a group that still has the former AUTH token, the update to
                // RBAC must delete it (AWS refuses a token and user groups together).
                authTokenUpdateStrategy: "DELETE",
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
                    username: users.adminUserName,
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
            replicationGroupArn: this.replicationGroupArn,
            userGroupId: this.userGroupId,
            userArns: this.userArns,
            primaryEndpointAddress: this.primaryEndpointAddress,
            readerEndpointAddress: this.readerEndpointAddress,
            authTokenSecretArn: this.authTokenSecretArn,
        });
    }

    /** The `default` user (off), the admin user and the services' users, and their group. */
    private users(name: string, a: ResolvedElastiCacheArgs, adminPassword: pulumi.Output<string>) {
        const engine = VERSIONS.elasticacheEngine;
        const user = (resource: string, args: Omit<aws.elasticache.UserArgs, "engine">) =>
            new aws.elasticache.User(`${name}-${resource}`, { engine, ...args }, { parent: this });
        // A Valkey user group takes only users that authenticate, so the switched-off default has a
        // password too: generated, used by nobody, never stored outside the state.
        const unused = new random.RandomPassword(`${name}-default`, { length: 64, special: false }, { parent: this });
        const defaultUser = user("default", {
            userId: `${name}-default`,
            userName: DEFAULT_USER_NAME,
            accessString: DEFAULT_USER_ACCESS,
            authenticationMode: { type: "password", passwords: [pulumi.secret(unused.result)] },
        });
        const adminUserName = `${name}-admin`;
        const admin = user("admin", {
            userId: adminUserName,
            userName: adminUserName,
            accessString: ADMIN_USER_ACCESS,
            authenticationMode: { type: "password", passwords: [adminPassword] },
        });
        const services = a.cacheUsers.map((u) => {
            const id = cacheUserId(name, u.name);
            // IAM authentication requires the user id and the user name to be equal.
            const created = user(`user-${u.name}`, {
                userId: id,
                userName: id,
                accessString: cacheAccessString(u.keyPrefix),
                authenticationMode: { type: "iam" },
            });
            return [u.name, created] as const;
        });
        const userGroup = new aws.elasticache.UserGroup(
            `${name}-users`,
            {
                engine,
                userGroupId: `${name}-users`,
                userIds: [defaultUser, admin, ...services.map(([, u]) => u)].map((u) => u.userId),
            },
            { parent: this },
        );
        const userArns = Object.fromEntries(services.map(([service, u]) => [service, u.arn]));
        return { userGroupId: userGroup.userGroupId, adminUserName, userArns };
    }
}

export type ResolvedElastiCacheArgs = ElastiCacheArgs &
    Required<
        Pick<
            ElastiCacheArgs,
            "nodeType" | "numCacheClusters" | "snapshotRetentionDays" | "authTokenVersion" | "protect" | "cacheUsers"
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
        cacheUsers: args.cacheUsers ?? [],
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
    problems.push(...cacheUserProblems(name, a.cacheUsers));
    if (problems.length > 0) throw new Error(`ElastiCache ${name}: ${problems.join("; ")}`);
}
