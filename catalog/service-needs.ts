/**
 * What one catalog entry needs from the network, read once: its store, the shared cache, Kafka, and the
 * AWS APIs it calls, with the ports each answers on. `service-flows.ts` proves these paths over the plan
 * and `workloads.ts` opens exactly these in the service's NetworkPolicy, so the two read the same list.
 */
import type { RdsEngine, ServiceEntry } from "../components/catalog";
import { ELASTICACHE_DEFAULTS, POSTGRES_PORT } from "../components/data";
import { KAFKA_IAM_PORT } from "../components/messaging";

/** HTTPS: every AWS and Google API. */
export const HTTPS_PORT = 443;

/** The ports the services dial on each store. Memorystore serves TLS on 6378 only (transit encryption on). */
export const STORE_PORTS = {
    aurora: POSTGRES_PORT,
    elasticache: ELASTICACHE_DEFAULTS.port,
    msk: KAFKA_IAM_PORT,
    cloudsql: POSTGRES_PORT,
    memorystore: 6378,
} as const;

/** Default port of each engine a dedicated RDS instance may run. */
export const RDS_ENGINE_PORTS: Readonly<Record<RdsEngine, number>> = { postgres: POSTGRES_PORT, mysql: 3306 };

/** The catalog's needs of one entry, on the network. */
export interface ServiceNeeds {
    /** A logical database on the shared Aurora cluster (Cloud SQL after failover). */
    readonly aurora: boolean;
    /** Port of its own RDS instance, when it has one. */
    readonly rdsPort?: number;
    /** A slice of the shared cache (ElastiCache; Memorystore after failover). */
    readonly cache: boolean;
    /** Produces to or consumes from MSK. */
    readonly kafka: boolean;
    /** AWS APIs it calls (`com.amazonaws.<region>.<name>`), in a fixed order. */
    readonly awsApis: readonly string[];
}

/**
 * The AWS APIs of an entry: DynamoDB for a table store; SQS when it has a queue (it subscribes to SNS
 * topics or bus events); SNS and EventBridge when it publishes there; Secrets Manager when its store has
 * credentials (a database; a table is reached with the role alone); STS always (the IRSA web-identity
 * exchange). Its IAM role grants the same services (program/layers/service-identity.ts).
 */
export function awsApisOf(entry: ServiceEntry): string[] {
    return [
        ...(entry.store?.kind === "dynamodb-table" ? ["dynamodb"] : []),
        ...(entry.subscribes.sns.length > 0 || entry.subscribes.events.length > 0 ? ["sqs"] : []),
        ...(entry.publishes.sns.length > 0 ? ["sns"] : []),
        ...(entry.publishes.events.length > 0 ? ["events"] : []),
        ...(entry.store && entry.store.kind !== "dynamodb-table" ? ["secretsmanager"] : []),
        "sts",
    ];
}

export function serviceNeeds(entry: ServiceEntry): ServiceNeeds {
    const store = entry.store;
    return {
        aurora: store?.kind === "aurora-database",
        ...(store?.kind === "rds-instance" ? { rdsPort: RDS_ENGINE_PORTS[store.engine] } : {}),
        cache: !!entry.cache,
        kafka: entry.publishes.kafka.length > 0 || entry.subscribes.kafka.length > 0,
        awsApis: awsApisOf(entry),
    };
}
