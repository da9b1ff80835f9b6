/**
 * Data at rest: databases, tables, caches, secrets and GCS buckets encrypted with customer-managed keys
 * (one resource policy each). S3, whose encryption is a separate resource, is in `at-rest-s3.ts`.
 */
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import { validateResourceOfType, type ResourceValidationArgs, type ResourceValidationPolicy } from "@pulumi/policy";
import { customerManagedKeySchema, isSet, requireCmk, requireCustomerManagedKeySchema, type CmkConfig } from "../util";

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

export const secretManagerCmek: ResourceValidationPolicy = {
    name: "secret-manager-cmek",
    description:
        "GCP Secret Manager secrets encrypt every replica with a customer-managed Cloud KMS key (CMEK), whatever their replication.",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: googleManagedSchema,
    remediationSteps:
        "On gcp.secretmanager.Secret set replication.userManaged.replicas[].customerManagedEncryption.kmsKeyName to a " +
        "Cloud KMS key in each replica's location (or replication.auto.customerManagedEncryption with a global key), and " +
        "grant the Secret Manager service agent roles/cloudkms.cryptoKeyEncrypterDecrypter on it.",
    validateResource: validateResourceOfType(gcp.secretmanager.Secret, (secret, args, reportViolation) => {
        requireCmk(args);
        const { auto, userManaged } = secret.replication ?? {};
        if (userManaged) {
            for (const replica of userManaged.replicas ?? []) {
                if (!isSet(() => replica.customerManagedEncryption?.kmsKeyName)) {
                    reportViolation(
                        `Secret replica in ${replica.location} has no customerManagedEncryption.kmsKeyName, so it is encrypted ` +
                            "with a Google-managed key. Set it to a Cloud KMS key in that location.",
                    );
                }
            }
        } else if (!isSet(() => auto?.customerManagedEncryption?.kmsKeyName)) {
            reportViolation(
                "Secret uses automatic replication without customerManagedEncryption, so it is encrypted with a " +
                    "Google-managed key. Use user-managed replication with a Cloud KMS key per replica.",
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
