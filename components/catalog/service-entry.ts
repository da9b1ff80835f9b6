/**
 * A validated service-catalog entry, with the stack's overrides applied: what the workload, data,
 * messaging and mesh components build a microservice from. `catalog/load.ts` produces it from
 * `catalog/services.yaml`; nothing else should construct one by hand outside tests.
 */
import type { DataStoreKind, DrPosture, PortName, ProbeName, RdsEngine } from "./limits";

/** CPU and memory as written (Kubernetes quantities) and in whole units for arithmetic. */
export interface ComputeAmount {
    /** `250m` or `1`: what the container spec gets. */
    readonly cpu: string;
    /** `256Mi`: what the container spec gets. */
    readonly memory: string;
    readonly cpuMillicores: number;
    readonly memoryMiB: number;
}

export interface ServiceResources {
    readonly requests: ComputeAmount;
    readonly limits: ComputeAmount;
}

export interface ServiceScaling {
    readonly minReplicas: number;
    readonly maxReplicas: number;
    /** HPA target of average CPU, in percent of the request. */
    readonly targetCpuUtilizationPercent: number;
}

/** The service's own data store; the shapes differ by kind. */
export type DataStore =
    /** A logical database on the shared Aurora PostgreSQL global cluster (replicated to GCP with it). */
    | { readonly kind: "aurora-database" }
    /** A DynamoDB table of its own. */
    | { readonly kind: "dynamodb-table" }
    /** A dedicated RDS instance (Multi-AZ in prod, its own KMS key): isolation from the shared cluster. */
    | { readonly kind: "rds-instance"; readonly engine: RdsEngine };

/** One SNS topic a service publishes, and the `event_type` values it sets. */
export interface SnsPublication {
    readonly topic: string;
    readonly eventTypes: readonly string[];
}

/** One SNS subscription, filtered on the `event_type` attribute. */
export interface SnsSubscriptionEntry {
    readonly topic: string;
    readonly eventTypes: readonly string[];
}

/** A Kafka topic a service owns (produces to); created before any producer, consumer or connector. */
export interface KafkaTopicEntry {
    readonly name: string;
    readonly partitions: number;
    readonly retentionHours: number;
}

export interface ServicePublications {
    readonly sns: readonly SnsPublication[];
    /** EventBridge detail types it puts on the platform bus. */
    readonly events: readonly string[];
    readonly kafka: readonly KafkaTopicEntry[];
}

export interface ServiceSubscriptions {
    readonly sns: readonly SnsSubscriptionEntry[];
    /** EventBridge detail types routed to its queue. */
    readonly events: readonly string[];
    /** Kafka topics it consumes (its consumer group is named after the service). */
    readonly kafka: readonly string[];
}

/** DR on GCP: `cold` runs no replica until failover; `warm` keeps `replicas` running. */
export type DrPlan =
    { readonly posture: "cold"; readonly replicas: 0 } | { readonly posture: "warm"; readonly replicas: number };

export interface ServiceSlo {
    readonly availabilityPercent: number;
    readonly latencyP99Ms: number;
}

export interface ServiceEntry {
    /** DNS label; the Kubernetes Service, queue, log group and role names derive from it. */
    readonly name: string;
    /** Owning team (a label and a cost tag). */
    readonly team: string;
    /** Image by digest or immutable tag, from an allowed registry. */
    readonly image: string;
    /** Named container ports; `http` is always present. */
    readonly ports: { readonly http: number } & Readonly<Partial<Record<Exclude<PortName, "http">, number>>>;
    /** HTTP paths of the probes on the `http` port. */
    readonly health: Readonly<Record<ProbeName, string>>;
    readonly resources: ServiceResources;
    readonly scaling: ServiceScaling;
    /** Percent of traffic to the canary subset. @default 0 */
    readonly canaryWeightPercent: number;
    /**
     * Image of the canary pods while a release is in progress, by digest or immutable tag; usually set in a
     * stack's overrides. @default the entry's `image` (the canary subset then runs the stable build)
     */
    readonly canaryImage?: string;
    /** Path prefixes the ingress routes to it. @default [] */
    readonly routes: readonly string[];
    /** Services it calls (the mesh admits exactly these callers of each callee). @default [] */
    readonly calls: readonly string[];
    /** Its data store. @default none */
    readonly store?: DataStore;
    /** Its slice of the shared cache. @default none */
    readonly cache?: { readonly keyPrefix: string };
    readonly publishes: ServicePublications;
    readonly subscribes: ServiceSubscriptions;
    readonly dr: DrPlan;
    readonly slo: ServiceSlo;
}

/** The validated catalog of one stack: entries in file order. */
export interface ServiceCatalog {
    readonly services: readonly ServiceEntry[];
}

export type { DataStoreKind, DrPosture };
