/** Data in transit: TLS to caches and databases, and on the migration path from Aurora to Cloud SQL. */
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import { isSet } from "../util";

export const elasticacheEncryptedInTransit: ResourceValidationPolicy = {
    name: "elasticache-encrypted-in-transit",
    description: "ElastiCache replication groups require TLS from every client (transit encryption, mode required).",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: {
        properties: {
            allowPreferredMode: {
                type: "boolean",
                default: false,
                description: "Accept transitEncryptionMode 'preferred' (TLS and plaintext) while clients move to TLS.",
            },
        },
    },
    remediationSteps:
        "Set transitEncryptionEnabled: true and transitEncryptionMode: 'required' on aws.elasticache.ReplicationGroup. " +
        "An existing group moves through 'preferred' to 'required' once every client speaks TLS.",
    validateResource: validateResourceOfType(aws.elasticache.ReplicationGroup, (group, args, reportViolation) => {
        const { allowPreferredMode } = args.getConfig<{ allowPreferredMode: boolean }>();
        if (group.transitEncryptionEnabled !== true) {
            reportViolation(
                "ElastiCache replication group accepts plaintext connections. Set transitEncryptionEnabled: true and " +
                    'transitEncryptionMode: "required".',
            );
        } else if (group.transitEncryptionMode === "preferred" && !allowPreferredMode) {
            reportViolation(
                'ElastiCache replication group\'s transitEncryptionMode is "preferred", which still accepts plaintext. ' +
                    'Set transitEncryptionMode: "required".',
            );
        }
    }),
};

export const memorystoreEncryptedInTransit: ResourceValidationPolicy = {
    name: "memorystore-encrypted-in-transit",
    description:
        "Memorystore for Redis instances serve TLS only (transitEncryptionMode SERVER_AUTHENTICATION) and, with requireAuth, Redis AUTH.",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: {
        properties: {
            requireAuth: {
                type: "boolean",
                default: true,
                description: "Also require authEnabled, so a client needs the AUTH string as well as network access.",
            },
        },
    },
    remediationSteps:
        "Set transitEncryptionMode: 'SERVER_AUTHENTICATION' on gcp.redis.Instance (a new instance: the mode cannot be " +
        "changed in place) and give clients the instance's serverCaCerts.",
    validateResource: validateResourceOfType(gcp.redis.Instance, (instance, args, reportViolation) => {
        const { requireAuth } = args.getConfig<{ requireAuth: boolean }>();
        if (requireAuth && instance.authEnabled !== true) {
            reportViolation(
                "Memorystore instance has authEnabled off, so any client on the network can issue commands. Set " +
                    "authEnabled: true and give clients the authString from a secret.",
            );
        }
        const mode = instance.transitEncryptionMode;
        if (mode !== "SERVER_AUTHENTICATION") {
            reportViolation(
                `Memorystore instance's transitEncryptionMode is ${mode ?? "unset (DISABLED)"}, so clients connect in ` +
                    'plaintext. Set transitEncryptionMode: "SERVER_AUTHENTICATION".',
            );
        }
    }),
};

export const cloudsqlSslRequired: ResourceValidationPolicy = {
    name: "cloudsql-ssl-required",
    description: "Cloud SQL instances refuse unencrypted connections (sslMode ENCRYPTED_ONLY or stricter).",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: {
        properties: {
            allowedSslModes: {
                type: "array",
                items: { type: "string" },
                default: ["ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"],
                description:
                    "sslMode values accepted; ['TRUSTED_CLIENT_CERTIFICATE_REQUIRED'] demands client certificates.",
            },
        },
    },
    remediationSteps:
        "Set settings.ipConfiguration.sslMode on gcp.sql.DatabaseInstance to 'ENCRYPTED_ONLY', or to " +
        "'TRUSTED_CLIENT_CERTIFICATE_REQUIRED' when every client presents a client certificate.",
    validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (instance, args, reportViolation) => {
        const { allowedSslModes } = args.getConfig<{ allowedSslModes: string[] }>();
        const mode = instance.settings?.ipConfiguration?.sslMode;
        if (mode === undefined || mode === "ALLOW_UNENCRYPTED_AND_ENCRYPTED") {
            reportViolation(
                `Cloud SQL instance accepts unencrypted connections (sslMode ${mode ?? "unset"}). Set ` +
                    'settings.ipConfiguration.sslMode to "ENCRYPTED_ONLY" or "TRUSTED_CLIENT_CERTIFICATE_REQUIRED".',
            );
        } else if (!allowedSslModes.includes(mode)) {
            reportViolation(
                `Cloud SQL instance's sslMode is ${mode}; allowed: ${allowedSslModes.join(", ")}. Set ` +
                    "settings.ipConfiguration.sslMode to an allowed mode.",
            );
        }
    }),
};

const AURORA_POSTGRES_FAMILY = /^aurora-postgresql\d+$/;
/** PostgreSQL's ssl_min_protocol_version values, oldest first. */
const TLS_VERSIONS: readonly string[] = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

export const auroraPostgresForceSsl: ResourceValidationPolicy = {
    name: "aurora-postgres-force-ssl",
    description:
        "Aurora PostgreSQL clusters use a cluster parameter group that sets rds.force_ssl to 1 and ssl_min_protocol_version to at least minimumTlsVersion.",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: {
        properties: {
            minimumTlsVersion: {
                type: "string",
                enum: [...TLS_VERSIONS],
                default: "TLSv1.2",
                description: "Lowest ssl_min_protocol_version the parameter group may set.",
            },
        },
    },
    remediationSteps:
        "Give aws.rds.ClusterParameterGroup (family aurora-postgresqlNN) the parameters { name: 'rds.force_ssl', " +
        "value: '1' } and { name: 'ssl_min_protocol_version', value: 'TLSv1.2' }, and set dbClusterParameterGroupName " +
        "on every aurora-postgresql aws.rds.Cluster to it.",
    validateResource: [
        validateResourceOfType(aws.rds.ClusterParameterGroup, (group, args, reportViolation) => {
            const family = group.family;
            if (typeof family !== "string" || !AURORA_POSTGRES_FAMILY.test(family)) {
                args.notApplicable(`family ${family} is not Aurora PostgreSQL`);
            }
            const param = (name: string) => (group.parameters ?? []).find((p) => p.name === name)?.value;
            const value = param("rds.force_ssl");
            if (value !== "1") {
                reportViolation(
                    `Cluster parameter group (family ${family}) ${value === undefined ? "does not set rds.force_ssl" : `sets rds.force_ssl to ${value}`}, ` +
                        'so clients may connect without TLS. Add the parameter { name: "rds.force_ssl", value: "1" }.',
                );
            }
            const { minimumTlsVersion } = args.getConfig<{ minimumTlsVersion: string }>();
            const tls = param("ssl_min_protocol_version");
            // Unset leaves the floor to the engine version's default; the platform pins it instead.
            if (tls === undefined || TLS_VERSIONS.indexOf(tls) < TLS_VERSIONS.indexOf(minimumTlsVersion)) {
                reportViolation(
                    `Cluster parameter group (family ${family}) ${tls === undefined ? "does not set ssl_min_protocol_version" : `sets ssl_min_protocol_version to ${tls}`}, ` +
                        `below minimumTlsVersion ${minimumTlsVersion}. Add { name: "ssl_min_protocol_version", value: "${minimumTlsVersion}" }.`,
                );
            }
        }),
        validateResourceOfType(aws.rds.Cluster, (cluster, args, reportViolation) => {
            if (cluster.engine !== "aurora-postgresql") args.notApplicable(`engine ${cluster.engine}`);
            if (!isSet(() => cluster.dbClusterParameterGroupName)) {
                reportViolation(
                    "Aurora PostgreSQL cluster uses the default cluster parameter group, which does not force TLS. Set " +
                        "dbClusterParameterGroupName to a group with rds.force_ssl = 1.",
                );
            }
        }),
    ],
};

/** DMS ssl.type values that encrypt the connection to the source. */
const DMS_ENCRYPTED_SSL_TYPES = ["REQUIRED", "SERVER_ONLY", "SERVER_CLIENT"];

export const dmsSourceSsl: ResourceValidationPolicy = {
    name: "dms-source-ssl",
    description:
        "Database Migration Service connection profiles that reach a database by host connect over TLS (ssl.type of an allowed kind).",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: {
        properties: {
            allowedSslTypes: {
                type: "array",
                items: { type: "string", enum: DMS_ENCRYPTED_SSL_TYPES },
                default: DMS_ENCRYPTED_SSL_TYPES,
                description:
                    "ssl.type values accepted; ['SERVER_ONLY', 'SERVER_CLIENT'] also requires verifying the server's CA.",
            },
        },
    },
    remediationSteps:
        "Set postgresql.ssl (or mysql.ssl) on gcp.databasemigrationservice.ConnectionProfile to { type: 'REQUIRED' }, or " +
        "{ type: 'SERVER_ONLY', caCertificate } to verify the source's certificate (the RDS CA bundle for Aurora).",
    validateResource: validateResourceOfType(
        gcp.databasemigrationservice.ConnectionProfile,
        (profile, args, reportViolation) => {
            const { allowedSslTypes } = args.getConfig<{ allowedSslTypes: string[] }>();
            for (const [engine, settings] of [
                ["postgresql", profile.postgresql],
                ["mysql", profile.mysql],
            ] as const) {
                // A Cloud SQL or AlloyDB target is reached through Google's own connection, not by host.
                if (!settings || settings.host === undefined) continue;
                const type = settings.ssl?.type;
                if (type === undefined || !allowedSslTypes.includes(type)) {
                    reportViolation(
                        `DMS connection profile reaches its ${engine} source with ssl ${type ?? "unset"}, so replicated ` +
                            `rows may cross the network in plaintext. Set ${engine}.ssl.type to one of: ${allowedSslTypes.join(", ")}.`,
                    );
                }
            }
        },
    ),
};
