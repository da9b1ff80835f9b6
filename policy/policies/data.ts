/**
 * Data-layer policies: at-rest encryption with customer-managed keys, encryption in transit, and the
 * durability of stateful resources in protected environments.
 *
 * Which environment a resource belongs to is read from its `environment` tag or label, merged over the
 * provider's `defaultTags` / `defaultLabels`: the same source the tagging policies require, so the
 * verdict is the same in `pulumi preview`, in CI and in the offline plan, without per-stack pack config.
 */
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import {
    validateResourceOfType,
    type PolicyResource,
    type ResourceValidationArgs,
    type ResourceValidationPolicy,
    type StackValidationPolicy,
} from "@pulumi/policy";
import {
    awsProviderDefaultTags,
    customerManagedKeySchema,
    gcpLabelField,
    gcpProviderDefaultLabels,
    isSet,
    known,
    requireCmk,
    requireCustomerManagedKeySchema,
    type CmkConfig,
} from "./util";

// ---------------------------------------------------------------------------------------------------------
// At rest
// ---------------------------------------------------------------------------------------------------------

const PI_WITHOUT_KEY =
    "Performance Insights is on without performanceInsightsKmsKeyId, so its data is encrypted with the AWS-managed " +
    "key. Set performanceInsightsKmsKeyId to a customer-managed KMS key.";

function rdsStorage(
    kind: "RDS cluster" | "RDS instance",
    r: { storageEncrypted?: unknown; kmsKeyId?: unknown; performanceInsightsEnabled?: unknown },
    readKey: () => unknown,
    readPiKey: () => unknown,
    args: ResourceValidationArgs,
    reportViolation: (m: string) => void,
): void {
    const { requireCustomerManagedKey } = args.getConfig<CmkConfig>();
    if (r.storageEncrypted !== true) {
        reportViolation(
            `${kind} storage is not encrypted. Set storageEncrypted: true with kmsKeyId set to a customer-managed KMS key.`,
        );
    } else if (requireCustomerManagedKey && !isSet(readKey)) {
        reportViolation(
            `${kind} is encrypted with the AWS-managed key aws/rds. Set kmsKeyId to the ARN of a customer-managed KMS key.`,
        );
    }
    if (requireCustomerManagedKey && r.performanceInsightsEnabled === true && !isSet(readPiKey)) {
        reportViolation(PI_WITHOUT_KEY);
    }
}

export const rdsEncryptedAtRest: ResourceValidationPolicy = {
    name: "rds-encrypted-at-rest",
    description:
        "RDS and Aurora clusters, global clusters and instances encrypt storage, and Performance Insights data, with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: customerManagedKeySchema(
        "Require kmsKeyId (and performanceInsightsKmsKeyId); false accepts the AWS-managed key aws/rds.",
    ),
    remediationSteps:
        "aws.rds.Cluster and aws.rds.Instance: set storageEncrypted: true and kmsKeyId to a customer-managed key of the " +
        "resource's region (encryption cannot be added to existing storage: restore a snapshot into an encrypted " +
        "cluster). aws.rds.GlobalCluster: set storageEncrypted: true. With Performance Insights on, set " +
        "performanceInsightsKmsKeyId too.",
    validateResource: [
        validateResourceOfType(aws.rds.Cluster, (c, args, reportViolation) =>
            rdsStorage(
                "RDS cluster",
                c,
                () => c.kmsKeyId,
                () => c.performanceInsightsKmsKeyId,
                args,
                reportViolation,
            ),
        ),
        validateResourceOfType(aws.rds.Instance, (i, args, reportViolation) =>
            rdsStorage(
                "RDS instance",
                i,
                () => i.kmsKeyId,
                () => i.performanceInsightsKmsKeyId,
                args,
                reportViolation,
            ),
        ),
        validateResourceOfType(aws.rds.GlobalCluster, (g, args, reportViolation) => {
            // A global cluster made from an existing cluster takes that cluster's encryption, judged on it.
            if (isSet(() => g.sourceDbClusterIdentifier))
                args.notApplicable("encryption comes from the source cluster");
            if (g.storageEncrypted !== true) {
                reportViolation(
                    "Global cluster storage is not encrypted. Set storageEncrypted: true; each member cluster then sets " +
                        "its region's kmsKeyId.",
                );
            }
        }),
        validateResourceOfType(aws.rds.ClusterInstance, (i, args, reportViolation) => {
            if (!args.getConfig<CmkConfig>().requireCustomerManagedKey) return;
            if (i.performanceInsightsEnabled === true && !isSet(() => i.performanceInsightsKmsKeyId)) {
                reportViolation(PI_WITHOUT_KEY);
            }
        }),
    ],
};

export const dynamodbEncryptedAtRest: ResourceValidationPolicy = {
    name: "dynamodb-encrypted-at-rest",
    description: "DynamoDB tables and every replica are encrypted with a customer-managed KMS key of their region.",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: requireCustomerManagedKeySchema("the AWS-owned key DynamoDB always applies"),
    remediationSteps:
        "Set serverSideEncryption: { enabled: true, kmsKeyArn } on aws.dynamodb.Table with a customer-managed key of the " +
        "table's region, and kmsKeyArn on every entry of replicas (or aws.dynamodb.TableReplica) with a key of the " +
        "replica's region.",
    validateResource: [
        validateResourceOfType(aws.dynamodb.Table, (table, args, reportViolation) => {
            requireCmk(args);
            const sse = table.serverSideEncryption;
            if (sse?.enabled !== true) {
                reportViolation(
                    "DynamoDB table uses the AWS-owned key. Set serverSideEncryption: { enabled: true, kmsKeyArn } with a " +
                        "customer-managed KMS key.",
                );
            } else if (!isSet(() => sse.kmsKeyArn)) {
                reportViolation(
                    "DynamoDB table serverSideEncryption has no kmsKeyArn, so it uses the AWS-managed key aws/dynamodb. " +
                        "Set kmsKeyArn to a customer-managed KMS key.",
                );
            }
            for (const replica of table.replicas ?? []) {
                if (!isSet(() => replica.kmsKeyArn)) {
                    reportViolation(
                        `Replica in ${replica.regionName} has no kmsKeyArn, so it uses the AWS-managed key there. ` +
                            `Set kmsKeyArn to the customer-managed key of ${replica.regionName}.`,
                    );
                }
            }
        }),
        validateResourceOfType(aws.dynamodb.TableReplica, (replica, args, reportViolation) => {
            requireCmk(args);
            if (!isSet(() => replica.kmsKeyArn)) {
                reportViolation(
                    "Table replica has no kmsKeyArn, so it uses the AWS-managed key. Set kmsKeyArn to the customer-managed " +
                        "key of the replica's region.",
                );
            }
        }),
    ],
};

export const elasticacheEncryptedAtRest: ResourceValidationPolicy = {
    name: "elasticache-encrypted-at-rest",
    description: "ElastiCache replication groups encrypt data and snapshots at rest with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: customerManagedKeySchema(
        "Require kmsKeyId; false accepts the AWS-managed key when atRestEncryptionEnabled is true.",
    ),
    remediationSteps:
        "Set atRestEncryptionEnabled: true and kmsKeyId to a customer-managed key on aws.elasticache.ReplicationGroup. " +
        "Both force a new replication group: migrate through a snapshot.",
    validateResource: validateResourceOfType(aws.elasticache.ReplicationGroup, (group, args, reportViolation) => {
        // A member of a global datastore takes its encryption from the global datastore's primary.
        if (isSet(() => group.globalReplicationGroupId)) args.notApplicable("member of a global datastore");
        if (group.atRestEncryptionEnabled !== true) {
            reportViolation(
                "ElastiCache replication group is not encrypted at rest. Set atRestEncryptionEnabled: true and kmsKeyId to a " +
                    "customer-managed KMS key.",
            );
        } else if (args.getConfig<CmkConfig>().requireCustomerManagedKey && !isSet(() => group.kmsKeyId)) {
            reportViolation(
                "ElastiCache replication group is encrypted at rest with the AWS-managed key. Set kmsKeyId to the ARN of a " +
                    "customer-managed KMS key.",
            );
        }
    }),
};

const S3_BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const S3_ENCRYPTION_TYPES = [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];
const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];
const S3_OBJECT_TYPES = ["aws:s3/bucketObjectv2:BucketObjectv2", "aws:s3/bucketObject:BucketObject"];

interface SseRule {
    applyServerSideEncryptionByDefault?: { sseAlgorithm?: string; kmsMasterKeyId?: string };
}

/** The bucket name an encryption configuration would carry for this bucket (`id` is the name). */
function bucketName(bucket: PolicyResource): string | undefined {
    const name = known(() => bucket.props.bucket ?? bucket.props.id);
    return typeof name === "string" && name !== "" ? name : undefined;
}

function configures(config: PolicyResource, bucket: PolicyResource): boolean {
    // At preview a new bucket's name is unknown; the dependency recorded on `bucket` still says which it is.
    if ((config.propertyDependencies.bucket ?? []).some((d) => d.urn === bucket.urn)) return true;
    const name = bucketName(bucket);
    return name !== undefined && known(() => config.props.bucket) === name;
}

/** What a list of rules amounts to: a customer-managed key, a KMS key AWS manages, or S3-managed keys. */
function strongest(rules: SseRule[]): "cmk" | "aws-managed" | "s3-managed" | "none" {
    let best: "cmk" | "aws-managed" | "s3-managed" | "none" = "none";
    for (const rule of rules) {
        const d = known(() => rule.applyServerSideEncryptionByDefault);
        const algorithm = known(() => d?.sseAlgorithm);
        if (algorithm && KMS_ALGORITHMS.includes(algorithm)) {
            if (isSet(() => d?.kmsMasterKeyId)) return "cmk";
            best = "aws-managed";
        } else if (algorithm && best === "none") {
            best = "s3-managed";
        }
    }
    return best;
}

export const s3BucketKmsEncrypted: StackValidationPolicy = {
    name: "s3-bucket-kms-encrypted",
    description:
        "Every S3 bucket has default encryption with a customer-managed KMS key, through its BucketServerSideEncryptionConfiguration, and no object overrides it with a weaker one.",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: requireCustomerManagedKeySchema("S3-managed encryption (SSE-S3), which S3 always applies"),
    remediationSteps:
        "Add an aws.s3.BucketServerSideEncryptionConfiguration with bucket: bucket.id and one rule " +
        "{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: <customer-managed key ARN> }, " +
        "bucketKeyEnabled: true }. In @pulumi/aws 7 encryption is no longer set on aws.s3.Bucket itself. Leave " +
        "serverSideEncryption unset on objects (the bucket default applies) or set it to 'aws:kms' with kmsKeyId.",
    validateStack: (args, reportViolation) => {
        requireCmk(args);
        // An object's own setting overrides the bucket default, for that object only.
        for (const object of args.resources.filter((r) => S3_OBJECT_TYPES.includes(r.type))) {
            const algorithm = known(() => object.props.serverSideEncryption);
            if (typeof algorithm !== "string" || algorithm === "") continue;
            if (!KMS_ALGORITHMS.includes(algorithm)) {
                reportViolation(
                    `S3 object "${object.name}" overrides its bucket's default encryption with ${algorithm}. Leave ` +
                        "serverSideEncryption unset, or set 'aws:kms' with kmsKeyId.",
                    object.urn,
                );
            } else if (!isSet(() => object.props.kmsKeyId)) {
                reportViolation(
                    `S3 object "${object.name}" is encrypted with the AWS-managed key aws/s3. Set kmsKeyId to a ` +
                        "customer-managed KMS key, or leave serverSideEncryption unset.",
                    object.urn,
                );
            }
        }
        const configs = args.resources.filter((r) => S3_ENCRYPTION_TYPES.includes(r.type));
        for (const bucket of args.resources.filter((r) => S3_BUCKET_TYPES.includes(r.type))) {
            const rules: SseRule[] = configs
                .filter((c) => configures(c, bucket))
                .flatMap((c) => known(() => c.props.rules as SseRule[]) ?? []);
            // The deprecated inline block still counts when it names a customer-managed key.
            const inline = known(() => bucket.props.serverSideEncryptionConfiguration?.rule) as SseRule | undefined;
            const verdict = strongest([...rules, ...(inline ? [inline] : [])]);
            if (verdict === "cmk") continue;
            const remedy =
                "Set sseAlgorithm 'aws:kms' and kmsMasterKeyId on its BucketServerSideEncryptionConfiguration.";
            if (verdict === "none") {
                reportViolation(
                    `S3 bucket "${bucket.name}" has no server-side encryption configuration. Add an ` +
                        "aws.s3.BucketServerSideEncryptionConfiguration with bucket: bucket.id, sseAlgorithm 'aws:kms' and " +
                        "kmsMasterKeyId set to a customer-managed KMS key.",
                    bucket.urn,
                );
            } else if (verdict === "aws-managed") {
                reportViolation(
                    `S3 bucket "${bucket.name}" is encrypted with the AWS-managed key aws/s3. ${remedy}`,
                    bucket.urn,
                );
            } else {
                reportViolation(
                    `S3 bucket "${bucket.name}" is encrypted with S3-managed keys (AES256). ${remedy}`,
                    bucket.urn,
                );
            }
        }
    },
};

export const secretsmanagerSecretCmk: ResourceValidationPolicy = {
    name: "secretsmanager-secret-cmk",
    description: "Secrets Manager secrets and their replicas are encrypted with customer-managed KMS keys.",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: requireCustomerManagedKeySchema("the AWS-managed key aws/secretsmanager"),
    remediationSteps:
        "Set kmsKeyId on aws.secretsmanager.Secret to a customer-managed key whose policy admits Secrets Manager " +
        "(kms:ViaService secretsmanager.<region>.amazonaws.com), and kmsKeyId on each replica with a key of its region.",
    validateResource: validateResourceOfType(aws.secretsmanager.Secret, (secret, args, reportViolation) => {
        requireCmk(args);
        if (!isSet(() => secret.kmsKeyId)) {
            reportViolation(
                "Secrets Manager secret has no kmsKeyId, so it is encrypted with the AWS-managed key aws/secretsmanager. " +
                    "Set kmsKeyId to a customer-managed KMS key.",
            );
        }
        for (const replica of secret.replicas ?? []) {
            if (!isSet(() => replica.kmsKeyId)) {
                reportViolation(
                    `Replica in ${replica.region} has no kmsKeyId, so it uses the AWS-managed key there. Set kmsKeyId to ` +
                        `the customer-managed key of ${replica.region}.`,
                );
            }
        }
    }),
};

const googleManagedSchema = requireCustomerManagedKeySchema("the Google-managed encryption the service always applies");

export const cloudsqlCmek: ResourceValidationPolicy = {
    name: "cloudsql-cmek",
    description: "Cloud SQL instances are encrypted with a customer-managed Cloud KMS key (CMEK).",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: googleManagedSchema,
    remediationSteps:
        "Set encryptionKeyName on gcp.sql.DatabaseInstance to a Cloud KMS key in the instance's region, and grant the " +
        "Cloud SQL service agent roles/cloudkms.cryptoKeyEncrypterDecrypter on it. CMEK can only be set at creation.",
    validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (instance, args, reportViolation) => {
        requireCmk(args);
        if (!isSet(() => instance.encryptionKeyName)) {
            reportViolation(
                "Cloud SQL instance has no encryptionKeyName, so it is encrypted with a Google-managed key. Set " +
                    "encryptionKeyName to a Cloud KMS key in the instance's region.",
            );
        }
    }),
};

export const memorystoreCmek: ResourceValidationPolicy = {
    name: "memorystore-cmek",
    description: "Memorystore for Redis instances are encrypted with a customer-managed Cloud KMS key (CMEK).",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: googleManagedSchema,
    remediationSteps:
        "Set customerManagedKey on gcp.redis.Instance to a Cloud KMS key in the instance's region, and grant the " +
        "Memorystore service agent (cloud-redis) roles/cloudkms.cryptoKeyEncrypterDecrypter on it.",
    validateResource: validateResourceOfType(gcp.redis.Instance, (instance, args, reportViolation) => {
        requireCmk(args);
        if (!isSet(() => instance.customerManagedKey)) {
            reportViolation(
                "Memorystore instance has no customerManagedKey, so it is encrypted with a Google-managed key. Set " +
                    "customerManagedKey to a Cloud KMS key in the instance's region.",
            );
        }
    }),
};

export const bigtableCmek: ResourceValidationPolicy = {
    name: "bigtable-cmek",
    description: "Every cluster of a Bigtable instance is encrypted with a customer-managed Cloud KMS key (CMEK).",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: googleManagedSchema,
    remediationSteps:
        "Set kmsKeyName on every entry of clusters of gcp.bigtable.Instance to a Cloud KMS key in the cluster's region, " +
        "and grant the Bigtable service agent roles/cloudkms.cryptoKeyEncrypterDecrypter on it.",
    validateResource: validateResourceOfType(gcp.bigtable.Instance, (instance, args, reportViolation) => {
        requireCmk(args);
        for (const cluster of instance.clusters ?? []) {
            if (!isSet(() => cluster.kmsKeyName)) {
                reportViolation(
                    `Bigtable cluster "${cluster.clusterId}" has no kmsKeyName, so it is encrypted with a Google-managed ` +
                        "key. Set kmsKeyName to a Cloud KMS key in the cluster's region.",
                );
            }
        }
    }),
};

export const gcsBucketCmek: ResourceValidationPolicy = {
    name: "gcs-bucket-cmek",
    description: "GCS buckets encrypt new objects with a customer-managed Cloud KMS key by default (CMEK).",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: googleManagedSchema,
    remediationSteps:
        "Set encryption: { defaultKmsKeyName } on gcp.storage.Bucket to a Cloud KMS key in the bucket's location, and " +
        "grant the Cloud Storage service agent roles/cloudkms.cryptoKeyEncrypterDecrypter on it.",
    validateResource: validateResourceOfType(gcp.storage.Bucket, (bucket, args, reportViolation) => {
        requireCmk(args);
        if (!isSet(() => bucket.encryption?.defaultKmsKeyName)) {
            reportViolation(
                "GCS bucket has no encryption.defaultKmsKeyName, so objects are encrypted with a Google-managed key. Set " +
                    "encryption: { defaultKmsKeyName } to a Cloud KMS key in the bucket's location.",
            );
        }
    }),
};

// ---------------------------------------------------------------------------------------------------------
// In transit
// ---------------------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------------------
// Durability in protected environments
// ---------------------------------------------------------------------------------------------------------

export const DEFAULT_PROTECTED_ENVIRONMENTS = ["prod"];

const environmentSchema = {
    protectedEnvironments: {
        type: "array" as const,
        items: { type: "string" as const },
        default: DEFAULT_PROTECTED_ENVIRONMENTS,
        description: "Values of the environment tag or label whose resources must be durable.",
    },
    environmentTagKey: {
        type: "string" as const,
        default: "environment",
        description: "Tag (AWS) or label (GCP) that names a resource's environment, own or from the provider defaults.",
    },
};
type EnvironmentConfig = { protectedEnvironments: string[]; environmentTagKey: string };

/** The environment of a resource: its own tag or label, or the provider's default, or undefined. */
export function environmentOf(args: ResourceValidationArgs, tagKey: string): string | undefined {
    let merged: Record<string, unknown> = {};
    if (args.type.startsWith("aws:")) {
        merged = { ...awsProviderDefaultTags(args.provider), ...(known(() => args.props.tags) ?? {}) };
    } else if (args.type.startsWith("gcp:")) {
        const field = gcpLabelField(args.type);
        const own =
            args.type === "gcp:sql/databaseInstance:DatabaseInstance"
                ? known(() => args.props.settings?.userLabels)
                : field
                  ? known(() => args.props[field])
                  : undefined;
        merged = { ...gcpProviderDefaultLabels(args.provider), ...(own ?? {}) };
    }
    const value = merged[tagKey];
    return typeof value === "string" ? value : undefined;
}

/** The protected environment the resource is in; `notApplicable` when it is in none. */
function protectedEnvironment(args: ResourceValidationArgs): string {
    const { protectedEnvironments, environmentTagKey } = args.getConfig<EnvironmentConfig>();
    const env = environmentOf(args, environmentTagKey);
    if (env === undefined || !protectedEnvironments.includes(env)) {
        return args.notApplicable(`environment ${env ?? "unknown"} is not protected`);
    }
    return env;
}

export const dataDeletionProtection: ResourceValidationPolicy = {
    name: "data-deletion-protection",
    description:
        "In protected environments (prod), databases, tables and caches have the cloud's deletion protection on.",
    enforcementLevel: "mandatory",
    tags: ["durability"],
    configSchema: { properties: { ...environmentSchema } },
    remediationSteps:
        "aws.rds.Cluster / GlobalCluster / Instance: deletionProtection: true. aws.dynamodb.Table: " +
        "deletionProtectionEnabled: true, and on every replica. gcp.sql.DatabaseInstance: deletionProtection: true and " +
        "settings.deletionProtectionEnabled: true. gcp.redis.Instance and gcp.bigtable.Instance: deletionProtection: " +
        "true. gcp.bigtable.Table: deletionProtection: 'PROTECTED'.",
    validateResource: [
        validateResourceOfType(aws.rds.Cluster, (c, args, reportViolation) => {
            const env = protectedEnvironment(args);
            if (c.deletionProtection !== true) {
                reportViolation(`RDS cluster has no deletion protection in ${env}. Set deletionProtection: true.`);
            }
        }),
        validateResourceOfType(aws.rds.GlobalCluster, (g, args, reportViolation) => {
            const env = protectedEnvironment(args);
            if (g.deletionProtection !== true) {
                reportViolation(`Global cluster has no deletion protection in ${env}. Set deletionProtection: true.`);
            }
        }),
        validateResourceOfType(aws.rds.Instance, (i, args, reportViolation) => {
            const env = protectedEnvironment(args);
            if (i.deletionProtection !== true) {
                reportViolation(`RDS instance has no deletion protection in ${env}. Set deletionProtection: true.`);
            }
        }),
        validateResourceOfType(aws.dynamodb.Table, (t, args, reportViolation) => {
            const env = protectedEnvironment(args);
            if (t.deletionProtectionEnabled !== true) {
                reportViolation(
                    `DynamoDB table has no deletion protection in ${env}. Set deletionProtectionEnabled: true.`,
                );
            }
            for (const r of t.replicas ?? []) {
                if (r.deletionProtectionEnabled !== true) {
                    reportViolation(
                        `Replica in ${r.regionName} has no deletion protection in ${env}. Set deletionProtectionEnabled: true on the replica.`,
                    );
                }
            }
        }),
        validateResourceOfType(gcp.sql.DatabaseInstance, (i, args, reportViolation) => {
            const env = protectedEnvironment(args);
            // The provider's own guard is on unless turned off; the API's is off unless turned on.
            if (i.deletionProtection === false) {
                reportViolation(
                    `Cloud SQL instance can be deleted by the provider in ${env}: deletionProtection is false. Set it to true.`,
                );
            }
            if (i.settings?.deletionProtectionEnabled !== true) {
                reportViolation(
                    `Cloud SQL instance has no API deletion protection in ${env}. Set settings.deletionProtectionEnabled: true.`,
                );
            }
        }),
        validateResourceOfType(gcp.redis.Instance, (i, args, reportViolation) => {
            const env = protectedEnvironment(args);
            if (i.deletionProtection === false) {
                reportViolation(
                    `Memorystore instance can be deleted in ${env}: deletionProtection is false. Set it to true.`,
                );
            }
        }),
        validateResourceOfType(gcp.bigtable.Instance, (i, args, reportViolation) => {
            const env = protectedEnvironment(args);
            if (i.deletionProtection === false) {
                reportViolation(
                    `Bigtable instance can be deleted in ${env}: deletionProtection is false. Set it to true.`,
                );
            }
        }),
        validateResourceOfType(gcp.bigtable.Table, (t, args, reportViolation) => {
            const env = protectedEnvironment(args);
            if (t.deletionProtection !== "PROTECTED") {
                reportViolation(
                    `Bigtable table is not protected against deletion in ${env}. Set deletionProtection: "PROTECTED".`,
                );
            }
        }),
    ],
};

export const DEFAULT_MINIMUM_BACKUP_RETENTION_DAYS = 7;
type BackupConfig = EnvironmentConfig & { minimumBackupRetentionDays: number };

/** Backup retention and final snapshot of an RDS cluster or instance, the same rule for both. */
function rdsBackupChecks(what: string, defaultRetentionDays: number) {
    return (
        r: { backupRetentionPeriod?: number; skipFinalSnapshot?: boolean },
        args: ResourceValidationArgs,
        reportViolation: (message: string) => void,
    ): void => {
        const env = protectedEnvironment(args);
        const { minimumBackupRetentionDays: min } = args.getConfig<BackupConfig>();
        const days = r.backupRetentionPeriod ?? defaultRetentionDays;
        if (days < min) {
            reportViolation(
                `${what} keeps backups for ${days} day(s) in ${env}; at least ${min} are required. Set backupRetentionPeriod.`,
            );
        }
        if (r.skipFinalSnapshot === true) {
            reportViolation(
                `${what} skips its final snapshot in ${env}. Set skipFinalSnapshot: false and a finalSnapshotIdentifier.`,
            );
        }
    };
}

export const dataBackupsEnabled: ResourceValidationPolicy = {
    name: "data-backups-enabled",
    description:
        "In protected environments (prod), databases, tables and caches keep backups for at least minimumBackupRetentionDays, with point-in-time recovery and final snapshots.",
    enforcementLevel: "mandatory",
    tags: ["durability"],
    configSchema: {
        properties: {
            ...environmentSchema,
            minimumBackupRetentionDays: {
                type: "number",
                default: DEFAULT_MINIMUM_BACKUP_RETENTION_DAYS,
                description: "Fewest days (or daily backups) of automated backups and snapshots kept.",
            },
        },
    },
    remediationSteps:
        "aws.rds.Cluster / Instance: backupRetentionPeriod at least the minimum, skipFinalSnapshot: false with a " +
        "finalSnapshotIdentifier. aws.dynamodb.Table: pointInTimeRecovery: { enabled: true } and pointInTimeRecovery: " +
        "true on every replica. aws.elasticache.ReplicationGroup: snapshotRetentionLimit at least the minimum. " +
        "gcp.sql.DatabaseInstance: settings.backupConfiguration { enabled: true, pointInTimeRecoveryEnabled: true, " +
        "backupRetentionSettings.retainedBackups at least the minimum }.",
    validateResource: [
        // RDS defaults: a cluster keeps 1 day of backups when unset, an instance none.
        validateResourceOfType(aws.rds.Cluster, rdsBackupChecks("RDS cluster", 1)),
        validateResourceOfType(aws.rds.Instance, rdsBackupChecks("RDS instance", 0)),
        validateResourceOfType(aws.dynamodb.Table, (t, args, reportViolation) => {
            const env = protectedEnvironment(args);
            const { minimumBackupRetentionDays: min } = args.getConfig<BackupConfig>();
            const pitr = t.pointInTimeRecovery;
            if (pitr?.enabled !== true) {
                reportViolation(
                    `DynamoDB table has point-in-time recovery off in ${env}. Set pointInTimeRecovery: { enabled: true }.`,
                );
            } else if ((pitr.recoveryPeriodInDays ?? 35) < min) {
                reportViolation(
                    `DynamoDB table keeps ${pitr.recoveryPeriodInDays} day(s) of point-in-time recovery in ${env}; at least ` +
                        `${min} are required. Set pointInTimeRecovery.recoveryPeriodInDays.`,
                );
            }
            for (const r of t.replicas ?? []) {
                if (r.pointInTimeRecovery !== true) {
                    reportViolation(
                        `Replica in ${r.regionName} has point-in-time recovery off in ${env}. Set pointInTimeRecovery: true on the replica.`,
                    );
                }
            }
        }),
        validateResourceOfType(aws.dynamodb.TableReplica, (r, args, reportViolation) => {
            const env = protectedEnvironment(args);
            if (r.pointInTimeRecovery !== true) {
                reportViolation(
                    `Table replica has point-in-time recovery off in ${env}. Set pointInTimeRecovery: true.`,
                );
            }
        }),
        validateResourceOfType(aws.elasticache.ReplicationGroup, (g, args, reportViolation) => {
            const env = protectedEnvironment(args);
            const { minimumBackupRetentionDays: min } = args.getConfig<BackupConfig>();
            const days = g.snapshotRetentionLimit ?? 0;
            if (days < min) {
                reportViolation(
                    `ElastiCache replication group keeps snapshots for ${days} day(s) in ${env}; at least ${min} are required. ` +
                        "Set snapshotRetentionLimit.",
                );
            }
        }),
        validateResourceOfType(gcp.sql.DatabaseInstance, (i, args, reportViolation) => {
            // Read replicas cannot have backups; their primary is judged.
            if (isSet(() => i.masterInstanceName)) args.notApplicable("read replica");
            const env = protectedEnvironment(args);
            const { minimumBackupRetentionDays: min } = args.getConfig<BackupConfig>();
            const backups = i.settings?.backupConfiguration;
            if (backups?.enabled !== true) {
                reportViolation(
                    `Cloud SQL instance has automated backups off in ${env}. Set settings.backupConfiguration.enabled: true.`,
                );
                return;
            }
            if (backups.pointInTimeRecoveryEnabled !== true) {
                reportViolation(
                    `Cloud SQL instance has point-in-time recovery off in ${env}. Set settings.backupConfiguration.pointInTimeRecoveryEnabled: true.`,
                );
            }
            const kept = backups.backupRetentionSettings?.retainedBackups ?? 7;
            if (kept < min) {
                reportViolation(
                    `Cloud SQL instance keeps ${kept} backup(s) in ${env}; at least ${min} are required. Set ` +
                        "settings.backupConfiguration.backupRetentionSettings.retainedBackups.",
                );
            }
        }),
    ],
};

/** Types that hold data (or keys to data) and must be `protect`ed in protected environments. */
export const DEFAULT_STATEFUL_TYPES = [
    "aws:rds/cluster:Cluster",
    "aws:rds/globalCluster:GlobalCluster",
    "aws:rds/instance:Instance",
    "aws:dynamodb/table:Table",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:msk/cluster:Cluster",
    "aws:kms/key:Key",
    "gcp:sql/databaseInstance:DatabaseInstance",
    "gcp:redis/instance:Instance",
    "gcp:bigtable/instance:Instance",
    "gcp:bigtable/table:Table",
    "gcp:storage/bucket:Bucket",
    "gcp:kms/keyRing:KeyRing",
    "gcp:kms/cryptoKey:CryptoKey",
];

export const statefulResourcesProtected: ResourceValidationPolicy = {
    name: "stateful-resources-protected",
    description:
        "In protected environments (prod), every stateful resource carries the Pulumi protect option, so no update deletes it by accident.",
    enforcementLevel: "mandatory",
    tags: ["durability"],
    configSchema: {
        properties: {
            ...environmentSchema,
            statefulTypes: {
                type: "array",
                items: { type: "string" },
                default: DEFAULT_STATEFUL_TYPES,
                description: "Resource types that hold data and must be protected.",
            },
        },
    },
    remediationSteps:
        "Create the resource with the resource option { protect: true } (the components take a `protect` argument). " +
        "Removing such a resource then needs an explicit `pulumi state unprotect <urn>` first.",
    validateResource: (args, reportViolation) => {
        const { statefulTypes } = args.getConfig<EnvironmentConfig & { statefulTypes: string[] }>();
        if (!statefulTypes.includes(args.type)) return;
        const env = protectedEnvironment(args);
        if (args.opts.protect !== true) {
            reportViolation(
                `Stateful resource is not protected in ${env}. Set the resource option protect: true so that deleting it ` +
                    "needs an explicit unprotect.",
            );
        }
    },
};

/** Every data-layer policy, for the pack's list. */
export const dataPolicies = [
    rdsEncryptedAtRest,
    dynamodbEncryptedAtRest,
    elasticacheEncryptedAtRest,
    s3BucketKmsEncrypted,
    secretsmanagerSecretCmk,
    cloudsqlCmek,
    memorystoreCmek,
    bigtableCmek,
    gcsBucketCmek,
    elasticacheEncryptedInTransit,
    memorystoreEncryptedInTransit,
    cloudsqlSslRequired,
    auroraPostgresForceSsl,
    dmsSourceSsl,
    dataDeletionProtection,
    dataBackupsEnabled,
    statefulResourcesProtected,
];
