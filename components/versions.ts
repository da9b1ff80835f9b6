/**
 * Every version the platform pins, in one place: upgrading one is a one-line change reviewed here,
 * never a search through components.
 */
export const VERSIONS = {
    /** EKS control plane and managed node groups. */
    kubernetes: "1.33",
    /** GKE release channel; Autopilot picks the version inside the channel. */
    gkeReleaseChannel: "REGULAR",
    /** Istio: the charts `base`, `istiod`, `cni` and `gateway` are released together and pinned together. */
    istio: "1.27.3",
    istioChartRepo: "https://istio-release.storage.googleapis.com/charts",
    /** Kiali server chart. */
    kiali: "2.17.0",
    kialiChartRepo: "https://kiali.org/helm-charts",
    /** Aurora PostgreSQL engine (global database). */
    auroraPostgres: "16.6",
    /** Cloud SQL major version of the DR replica: the same major as Aurora. */
    cloudSqlPostgres: "POSTGRES_16",
    /** MSK Kafka version. */
    kafka: "3.8.x",
    /** ElastiCache engine and version. */
    elasticacheEngine: "valkey",
    elasticacheVersion: "8.0",
    /** Memorystore for Redis version. */
    memorystoreRedis: "REDIS_7_2",
} as const;
