/**
 * Who may do what on the shared ElastiCache (RBAC), as pure data: the user ids, the access strings and
 * the rules the cache users must satisfy. Tested without the Pulumi runtime.
 *
 * Access strings are Valkey ACL rules, read left to right
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html#Access-string).
 */
import { CACHE_KEY_PREFIX } from "../catalog/limits";

/** A service's slice of the cache: its keys all start with `keyPrefix`. */
export interface CacheUser {
    /** The catalog service: its ElastiCache user id is `<cache>-<service>`. */
    readonly name: string;
    /** Key prefix, e.g. `user:`; the service may touch `<prefix>*` and nothing else. */
    readonly keyPrefix: string;
}

/**
 * What an application needs: reads, writes, transactions and connection housekeeping, then everything
 * `@dangerous` taken back (FLUSHALL, KEYS, CONFIG, DEBUG, CLIENT KILL, ...) and nothing of `@admin`,
 * `@scripting` or `@pubsub` granted.
 */
export const CACHE_APP_COMMANDS = "-@all +@read +@write +@transaction +@connection -@dangerous";

/** The access string of a service: on, its own keys only, the application commands. */
export function cacheAccessString(keyPrefix: string): string {
    return `on ~${keyPrefix}* ${CACHE_APP_COMMANDS}`;
}

/**
 * The `default` user every user group must hold (ElastiCache requires a user named `default`): switched
 * off and allowed nothing, so a connection that does not authenticate gets nowhere.
 */
export const DEFAULT_USER_ACCESS = "off -@all";
export const DEFAULT_USER_NAME = "default";

/** The operators' user, authenticated with the former auth token: every key, channel and command. */
export const ADMIN_USER_ACCESS = "on ~* &* +@all";

/** User id (and, for IAM authentication, user name: the two must be equal) of a service on a cache. */
export function cacheUserId(cache: string, service: string): string {
    return `${cache}-${service}`.toLowerCase();
}

/** ElastiCache user and user-group ids: a letter, then letters, digits and single hyphens, no trailing hyphen. */
export const ELASTICACHE_USER_ID = /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;

/** Problems with the cache users of a cache named `cache`, or none. */
export function cacheUserProblems(cache: string, users: readonly CacheUser[]): string[] {
    const problems: string[] = [];
    const seen = new Set<string>();
    users.forEach((u, i) => {
        const id = cacheUserId(cache, u.name);
        if (!ELASTICACHE_USER_ID.test(id)) {
            problems.push(
                `cacheUsers[${i}].name gives the user id ${JSON.stringify(id)}, which is not a lowercase letter followed by ` +
                    "letters, digits and single hyphens",
            );
        }
        if (["admin", DEFAULT_USER_NAME].includes(u.name)) {
            problems.push(`cacheUsers[${i}].name ${JSON.stringify(u.name)} is the cache's own default or admin user`);
        }
        if (seen.has(id)) problems.push(`cacheUsers[${i}].name ${JSON.stringify(u.name)} is listed more than once`);
        seen.add(id);
        if (!CACHE_KEY_PREFIX.test(u.keyPrefix)) {
            problems.push(
                `cacheUsers[${i}].keyPrefix must be a lowercase word ending in ':' such as "user:"; received ${JSON.stringify(u.keyPrefix)}`,
            );
        }
    });
    // `user:` would otherwise reach `user:x` of a service whose prefix is `user:x...`; ':' ends every prefix,
    // so two prefixes overlap only when they are equal.
    const prefixes = users.map((u) => u.keyPrefix);
    for (const p of new Set(prefixes.filter((p, i) => prefixes.indexOf(p) !== i))) {
        problems.push(`keyPrefix ${JSON.stringify(p)} is given to more than one service; each service needs its own`);
    }
    return problems;
}
