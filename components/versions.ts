/**
 * Every version the platform pins, in one place: upgrading one is a one-line change reviewed here,
 * never a search through components. Each pin carries the date its upstream support ends and where that
 * date comes from, so `npm run plan` can warn before a pin ages out (tools/version-support.ts).
 */

/** A pinned version and how long upstream supports it. */
export interface PinnedVersion {
    readonly version: string;
    /**
     * Last day of upstream (standard) support, `YYYY-MM-DD`; `null` when the vendor has announced no end
     * (then `note` says why, and the plan cannot warn).
     */
    readonly supportEnds: string | null;
    /** Where `supportEnds` comes from. */
    readonly source: string;
    /** What the date means when it is not a plain announced end (an estimate, a channel, none announced). */
    readonly note?: string;
}

/**
 * Standard support of each EKS minor version: 14 months from its EKS release, then 12 months of extended
 * support at $0.60 instead of $0.10 per cluster-hour. The policy pack judges clusters against this table
 * (regenerate its copy with `npx tsx tools/version-support.ts --write`).
 */
export const EKS_VERSION_SUPPORT: Readonly<Record<string, { standardEnds: string; extendedEnds: string }>> = {
    "1.29": { standardEnds: "2025-03-23", extendedEnds: "2026-03-23" },
    "1.30": { standardEnds: "2025-07-23", extendedEnds: "2026-07-23" },
    "1.31": { standardEnds: "2025-11-26", extendedEnds: "2026-11-26" },
    "1.32": { standardEnds: "2026-03-23", extendedEnds: "2027-03-23" },
    "1.33": { standardEnds: "2026-07-29", extendedEnds: "2027-07-29" },
    "1.34": { standardEnds: "2026-12-02", extendedEnds: "2027-12-02" },
    "1.35": { standardEnds: "2027-03-27", extendedEnds: "2028-03-27" },
};
export const EKS_VERSION_SUPPORT_SOURCE =
    "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (release calendar); https://endoflife.date/amazon-eks";

/** The EKS minor the platform runs: in standard support until well into 2027. */
const EKS_VERSION = "1.35";

const ISTIO_SOURCE =
    "https://istio.io/latest/docs/releases/supported-releases/ (a minor is supported until six weeks after the N+2 minor)";

export const PINNED_VERSIONS = {
    /** EKS control plane and managed node groups. */
    kubernetes: {
        version: EKS_VERSION,
        supportEnds: EKS_VERSION_SUPPORT[EKS_VERSION].standardEnds,
        source: EKS_VERSION_SUPPORT_SOURCE,
    },
    /** GKE release channel; Autopilot picks the version inside the channel. */
    gkeReleaseChannel: {
        version: "REGULAR",
        supportEnds: null,
        source: "https://cloud.google.com/kubernetes-engine/docs/concepts/release-channels",
        note: "a channel, not a version: GKE upgrades the cluster within it before a version's support ends",
    },
    /**
     * Istio: the charts `base`, `istiod`, `cni` and `gateway` are released together and pinned together.
     * 1.30 leaves support six weeks after 1.32 (expected within 90 days of 2026-12-02), so 1.31.
     */
    istio: {
        version: "1.31.1",
        supportEnds: "2027-04-15",
        source: ISTIO_SOURCE,
        note: "estimated: six weeks after Istio 1.33.0, expected in early 2027; replace with the date of Istio's end-of-support announcement",
    },
    /** Kiali server chart: the version Istio 1.31.1 ships as its addon (istio.io 1.31.1 release notes). */
    kiali: {
        version: "2.31.0",
        supportEnds: "2027-04-15",
        source: "https://kiali.io/docs/installation/installation-guide/prerequisites/#version-compatibility",
        note: "Kiali supports the Kiali versions associated with supported Istio versions: it ends with Istio 1.31",
    },
    /** Aurora PostgreSQL engine (global database). */
    auroraPostgres: {
        version: "16.6",
        supportEnds: "2029-02-28",
        source: "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraPostgreSQLReleaseNotes/aurorapostgresql-release-calendar.html",
        note: "end of Aurora standard support of the major version 16; a minor version is kept available for at least 12 months",
    },
    /**
     * RDS for MySQL of a catalog service's own instance (`store.kind: rds-instance`, engine mysql). The
     * major version only: with `autoMinorVersionUpgrade` RDS accepts a version prefix and keeps the instance
     * on the newest minor of 8.4, so no minor pin ages out between reviews.
     */
    rdsMysql: {
        version: "8.4",
        supportEnds: "2029-07-31",
        source: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/MySQL.Concepts.VersionMgmt.html#MySQL.Concepts.VersionMgmt.ReleaseCalendar",
        note: "RDS end of standard support of the major version 8.4 (paid RDS Extended Support after it)",
    },
    /** RDS for PostgreSQL of a catalog service's own instance (engine postgres): the major version, as for MySQL. */
    rdsPostgres: {
        version: "16",
        supportEnds: "2029-02-28",
        source: "https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html",
        note: "RDS end of standard support of the major version 16 (paid RDS Extended Support after it)",
    },
    /** Cloud SQL major version of the DR replica: the same major as Aurora. */
    cloudSqlPostgres: {
        version: "POSTGRES_16",
        supportEnds: "2028-11-09",
        source: "https://www.postgresql.org/support/versioning/; https://cloud.google.com/sql/docs/postgres/db-versions",
        note: "community end of life of PostgreSQL 16; Cloud SQL offers paid extended support after it",
    },
    /** MSK Kafka version. */
    kafka: {
        version: "3.8.x",
        supportEnds: null,
        source: "https://docs.aws.amazon.com/msk/latest/developerguide/supported-kafka-versions.html",
        note: "MSK has announced no end of support for 3.8.x",
    },
    /** ElastiCache engine version (Valkey). */
    elasticacheVersion: {
        version: "8.0",
        supportEnds: null,
        source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html",
        note: "ElastiCache has announced no end of standard support for Valkey 8.0",
    },
    /** Kafka Connect runtime of MSK Connect, which runs the Pub/Sub bridge's connector. */
    kafkaConnect: {
        version: "2.7.1",
        supportEnds: null,
        source: "https://docs.aws.amazon.com/msk/latest/developerguide/msk-connect-workers.html",
        note: "MSK Connect has announced no end of support for its 2.7.1 runtime",
    },
    /**
     * Google's Pub/Sub group Kafka connector (the jar at `messaging.pubsubConnectorJarPath` must be this
     * release; its checksum is checked when it is fetched).
     */
    pubsubKafkaConnector: {
        version: "1.1.0",
        supportEnds: null,
        source: "https://github.com/googleapis/java-pubsub-group-kafka-connector/blob/main/CHANGELOG.md",
        note: "Google publishes no support window for the connector; check its releases before each upgrade",
    },
    /** Memorystore for Redis version. */
    memorystoreRedis: {
        version: "REDIS_7_2",
        supportEnds: null,
        source: "https://cloud.google.com/memorystore/docs/redis/supported-versions",
        note: "Memorystore has announced no end of support for Redis 7.2",
    },
} as const satisfies Record<string, PinnedVersion>;

export type PinnedVersionKey = keyof typeof PINNED_VERSIONS;

/** The versions as plain strings, with the chart repositories: what components read. */
export const VERSIONS = {
    kubernetes: PINNED_VERSIONS.kubernetes.version,
    gkeReleaseChannel: PINNED_VERSIONS.gkeReleaseChannel.version,
    istio: PINNED_VERSIONS.istio.version,
    /**
     * Istio moved its artifacts off Google Cloud: 1.31 and later are published only here, and the old
     * `istio-release.storage.googleapis.com` bucket is removed in December 2026
     * (https://istio.io/latest/blog/2026/retirement-of-gcp/).
     */
    istioChartRepo: "https://blob.istio.io/istio-release/charts",
    kiali: PINNED_VERSIONS.kiali.version,
    kialiChartRepo: "https://kiali.org/helm-charts",
    auroraPostgres: PINNED_VERSIONS.auroraPostgres.version,
    cloudSqlPostgres: PINNED_VERSIONS.cloudSqlPostgres.version,
    rdsMysql: PINNED_VERSIONS.rdsMysql.version,
    rdsPostgres: PINNED_VERSIONS.rdsPostgres.version,
    kafka: PINNED_VERSIONS.kafka.version,
    elasticacheEngine: "valkey",
    elasticacheVersion: PINNED_VERSIONS.elasticacheVersion.version,
    memorystoreRedis: PINNED_VERSIONS.memorystoreRedis.version,
    kafkaConnect: PINNED_VERSIONS.kafkaConnect.version,
    pubsubKafkaConnector: PINNED_VERSIONS.pubsubKafkaConnector.version,
} as const;
