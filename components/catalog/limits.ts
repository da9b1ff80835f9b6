/**
 * The limits a service-catalog entry must respect, named once. The catalog validator (`catalog/rules/`)
 * checks entries against them, and the workload components and policies that build from an entry read
 * the same constants, so a check and what it protects can never disagree. They live in `components/`
 * because components never import `catalog/` (dependencies point program -> components -> shared).
 */
import type { WholeRange } from "../shared";

/**
 * A service name: an RFC 1123 DNS label (Kubernetes Service and namespace names), short enough that the
 * derived names stay within AWS limits (`messaging-<service>-dlq` queues, `/aws/microservices/<service>`).
 */
export const SERVICE_NAME = /^[a-z]([a-z0-9-]{0,28}[a-z0-9])?$/;
export const SERVICE_NAME_TEXT =
    "1 to 30 lowercase letters, digits or '-', starting with a letter, not ending with '-'";

/** A team name: a DNS label too, because it becomes a Kubernetes label value and a cost tag. */
export const TEAM_NAME = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const TEAM_NAME_TEXT = "a DNS label: 1 to 63 lowercase letters, digits or '-', starting with a letter";

/**
 * Registries an image may come from, as host patterns: the platform's own ECR (any account and region)
 * and Artifact Registry for the DR side. `*` stands for one DNS label.
 */
export const ALLOWED_IMAGE_REGISTRIES = ["*.dkr.ecr.*.amazonaws.com", "*-docker.pkg.dev"] as const;

/** A tag that names one build: a semantic version (`1.4.2`, `v2.0.0-rc.1`) or a commit id (7 to 40 hex digits). */
export const IMMUTABLE_TAG = /^(v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?|[0-9a-f]{7,40})$/;
/** An image digest, as registries print it. */
export const IMAGE_DIGEST = /^sha256:[0-9a-f]{64}$/;
/** Tags that move: refused by name with their own message. */
export const MUTABLE_TAGS = ["latest", "stable", "main", "master", "dev", "prod"] as const;

/**
 * Container ports: unprivileged (the `restricted` Pod Security level runs as non-root, which cannot bind
 * below 1024) and outside Istio's 15000-15090, which the sidecar owns.
 * https://istio.io/latest/docs/ops/deployment/application-requirements/#ports-used-by-istio
 */
export const CONTAINER_PORT: WholeRange = { min: 1024, max: 65535 };
export const MESH_RESERVED_PORTS: WholeRange = { min: 15000, max: 15090 };
/** Named ports an entry may declare; `http` is the one routes, probes and the Service use. */
export const PORT_NAMES = ["http", "grpc", "metrics"] as const;
export type PortName = (typeof PORT_NAMES)[number];

/** Probes an entry must name; every container gets all three (startup holds the other two off). */
export const PROBES = ["liveness", "readiness", "startup"] as const;
export type ProbeName = (typeof PROBES)[number];
/** An HTTP path: `/` then lowercase letters, digits, '-', '_', '.' or '/'. */
export const HTTP_PATH = /^\/[a-z0-9._/-]*$/;

/** A route prefix the ingress sends to one service: `/users`, `/v2/orders`; no trailing '/'. */
export const ROUTE_PREFIX = /^(\/[a-z0-9][a-z0-9._-]*)+$/;

/** Replicas of one workload: the seeds' 2 to 6 fit; at least 1, because 0 is what `cold` DR means. */
export const REPLICAS: WholeRange = { min: 1, max: 50 };
/** HPA target of average CPU utilisation, as a percent of the request. */
export const TARGET_CPU_UTILIZATION_PERCENT: WholeRange = { min: 10, max: 95 };
/** Share of traffic for the canary subset, in percent. */
export const CANARY_WEIGHT_PERCENT: WholeRange = { min: 0, max: 100 };

/**
 * Kubernetes quantities an entry may use: CPU in cores (`0.5`, `2`) or millicores (`250m`); memory in
 * binary units (`256Mi`, `1Gi`). Decimal memory units are refused: `256M` next to `256Mi` is a mistake
 * waiting to happen. https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */
export const CPU_QUANTITY = /^(\d+m|\d+(\.\d{1,3})?)$/;
export const MEMORY_QUANTITY = /^\d+(Ki|Mi|Gi)$/;
/** Per container: at least a sliver, at most a node's worth of the platform's node types. */
export const CPU_MILLICORES: WholeRange = { min: 10, max: 16000 };
export const MEMORY_MIB: WholeRange = { min: 16, max: 65536 };

/** Data stores an entry may own. */
export const DATA_STORE_KINDS = ["aurora-database", "dynamodb-table", "rds-instance"] as const;
export type DataStoreKind = (typeof DATA_STORE_KINDS)[number];
/** Engines of a dedicated RDS instance (seed 003: PostgreSQL and MySQL). */
export const RDS_ENGINES = ["postgres", "mysql"] as const;
export type RdsEngine = (typeof RDS_ENGINES)[number];

/** A cache key prefix: the ElastiCache ACL gives a service `~<prefix>*` and nothing else. */
export const CACHE_KEY_PREFIX = /^[a-z][a-z0-9-]{0,30}:$/;

/** The SNS message attribute publishers set and subscriptions filter on (the only one). */
export const FILTER_ATTRIBUTES = ["event_type"] as const;
/** SNS topic names the messaging component accepts. */
export const SNS_TOPIC_NAME = /^[a-z][a-z0-9-]{0,59}$/;
/** Event names, both SNS `event_type` values and EventBridge detail types. */
export const EVENT_NAME = /^[A-Z][A-Za-z0-9]{0,63}$/;
/** Kafka topic names that are also valid Pub/Sub topic names (the DR bridge mirrors them). */
export const KAFKA_TOPIC = /^[a-z][a-z0-9._-]{2,199}$/;
/** Partitions of a Kafka topic. */
export const KAFKA_PARTITIONS: WholeRange = { min: 1, max: 256 };
/** Retention of a Kafka topic, in hours: up to 90 days. */
export const KAFKA_RETENTION_HOURS: WholeRange = { min: 1, max: 2160 };

/** DR postures on GCP: `cold` runs 0 replicas until failover, `warm` keeps some running. */
export const DR_POSTURES = ["cold", "warm"] as const;
export type DrPosture = (typeof DR_POSTURES)[number];

/** SLO availability target, in percent: below 90 is no objective; 100 is no error budget at all. */
export const SLO_AVAILABILITY_PERCENT = { min: 90, max: 99.999 } as const;
/** SLO latency target at the 99th percentile, in milliseconds. */
export const SLO_LATENCY_P99_MS: WholeRange = { min: 1, max: 60000 };
