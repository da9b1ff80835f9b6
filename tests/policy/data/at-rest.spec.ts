/** Data at rest: the data-policy list, and each at-rest policy with a passing fixture and one change per case. */
import * as assert from "assert";
import {
    bigtableCmek,
    cloudsqlCmek,
    dataPolicies,
    dynamodbEncryptedAtRest,
    elasticacheEncryptedAtRest,
    gcsBucketCmek,
    memorystoreCmek,
    rdsEncryptedAtRest,
    secretManagerCmek,
    secretsmanagerSecretCmk,
} from "../../../policy/policies/data";
import { check, messages, resource } from "../fixtures";
import { expectViolations, GCP_KEY, KEY, KEY_WEST, UNKNOWN } from "./helpers";

describe("data policies", () => {
    it("are one list of uniquely named, mandatory policies", () => {
        const names = dataPolicies.map((p) => p.name);
        assert.strictEqual(new Set(names).size, 18);
        for (const p of dataPolicies) {
            assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.strictEqual(p.enforcementLevel, "mandatory", p.name);
            assert.ok((p.remediationSteps ?? "").length > 40, p.name);
        }
    });
});

describe("policy rds-encrypted-at-rest", () => {
    const cluster = (inputs: Record<string, unknown>) => [
        resource("aws:rds/cluster:Cluster", "db", {
            engine: "aurora-postgresql",
            storageEncrypted: true,
            kmsKeyId: KEY,
            ...inputs,
        }),
    ];
    const instance = (inputs: Record<string, unknown>) => [
        resource("aws:rds/clusterInstance:ClusterInstance", "db-1", {
            engine: "aurora-postgresql",
            performanceInsightsEnabled: true,
            performanceInsightsKmsKeyId: KEY,
            ...inputs,
        }),
    ];
    const NOT_ENCRYPTED =
        "RDS cluster storage is not encrypted. Set storageEncrypted: true with kmsKeyId set to a customer-managed KMS key.";
    const AWS_MANAGED =
        "RDS cluster is encrypted with the AWS-managed key aws/rds. Set kmsKeyId to the ARN of a customer-managed KMS key.";
    const PI =
        "Performance Insights is on without performanceInsightsKmsKeyId, so its data is encrypted with the AWS-managed " +
        "key. Set performanceInsightsKmsKeyId to a customer-managed KMS key.";

    it("passes encrypted clusters, global clusters and instances", async () => {
        const global = resource("aws:rds/globalCluster:GlobalCluster", "g", { storageEncrypted: true });
        const rds = resource("aws:rds/instance:Instance", "i", { storageEncrypted: true, kmsKeyId: KEY });
        assert.deepStrictEqual(await check(rdsEncryptedAtRest, [...cluster({}), ...instance({}), global, rds]), []);
    });

    it("catches unencrypted storage, and the AWS-managed key", async () => {
        await expectViolations(rdsEncryptedAtRest, cluster({ storageEncrypted: undefined }), [NOT_ENCRYPTED]);
        await expectViolations(rdsEncryptedAtRest, cluster({ kmsKeyId: undefined }), [AWS_MANAGED]);
        await expectViolations(
            rdsEncryptedAtRest,
            [resource("aws:rds/instance:Instance", "i", { storageEncrypted: false, kmsKeyId: KEY })],
            [
                "RDS instance storage is not encrypted. Set storageEncrypted: true with kmsKeyId set to a customer-managed KMS key.",
            ],
        );
    });

    it("catches an unencrypted global cluster, unless it is made from an existing cluster", async () => {
        await expectViolations(
            rdsEncryptedAtRest,
            [resource("aws:rds/globalCluster:GlobalCluster", "g", { engine: "aurora-postgresql" })],
            [
                "Global cluster storage is not encrypted. Set storageEncrypted: true; each member cluster then sets its " +
                    "region's kmsKeyId.",
            ],
        );
        assert.deepStrictEqual(
            await check(rdsEncryptedAtRest, [
                resource("aws:rds/globalCluster:GlobalCluster", "g", { sourceDbClusterIdentifier: "arn:aws:rds:x" }),
            ]),
            [],
        );
    });

    it("catches Performance Insights without a customer-managed key, on instances and clusters", async () => {
        await expectViolations(rdsEncryptedAtRest, instance({ performanceInsightsKmsKeyId: undefined }), [PI]);
        await expectViolations(rdsEncryptedAtRest, cluster({ performanceInsightsEnabled: true }), [PI]);
        assert.deepStrictEqual(
            await check(
                rdsEncryptedAtRest,
                instance({ performanceInsightsEnabled: false, performanceInsightsKmsKeyId: undefined }),
            ),
            [],
        );
    });

    it("counts a key unknown during preview as set", async () => {
        assert.deepStrictEqual(await check(rdsEncryptedAtRest, cluster({ kmsKeyId: UNKNOWN })), []);
    });

    it("accepts the AWS-managed key, but never unencrypted storage, when requireCustomerManagedKey is false", async () => {
        const config = { requireCustomerManagedKey: false };
        assert.deepStrictEqual(await check(rdsEncryptedAtRest, cluster({ kmsKeyId: undefined }), config), []);
        assert.deepStrictEqual(
            await check(rdsEncryptedAtRest, instance({ performanceInsightsKmsKeyId: undefined }), config),
            [],
        );
        assert.deepStrictEqual(
            messages(await check(rdsEncryptedAtRest, cluster({ storageEncrypted: false }), config)),
            [NOT_ENCRYPTED],
        );
    });
});

describe("policy dynamodb-encrypted-at-rest", () => {
    const table = (inputs: Record<string, unknown>) => [
        resource("aws:dynamodb/table:Table", "orders", {
            billingMode: "PAY_PER_REQUEST",
            serverSideEncryption: { enabled: true, kmsKeyArn: KEY },
            replicas: [{ regionName: "us-west-2", kmsKeyArn: KEY_WEST, pointInTimeRecovery: true }],
            ...inputs,
        }),
    ];

    it("passes a table and replicas with customer-managed keys", async () => {
        assert.deepStrictEqual(await check(dynamodbEncryptedAtRest, table({})), []);
    });

    it("catches the AWS-owned key, the AWS-managed key and a replica without a key", async () => {
        await expectViolations(dynamodbEncryptedAtRest, table({ serverSideEncryption: undefined }), [
            "DynamoDB table uses the AWS-owned key. Set serverSideEncryption: { enabled: true, kmsKeyArn } with a " +
                "customer-managed KMS key.",
        ]);
        await expectViolations(dynamodbEncryptedAtRest, table({ serverSideEncryption: { enabled: true } }), [
            "DynamoDB table serverSideEncryption has no kmsKeyArn, so it uses the AWS-managed key aws/dynamodb. Set " +
                "kmsKeyArn to a customer-managed KMS key.",
        ]);
        await expectViolations(dynamodbEncryptedAtRest, table({ replicas: [{ regionName: "us-west-2" }] }), [
            "Replica in us-west-2 has no kmsKeyArn, so it uses the AWS-managed key there. Set kmsKeyArn to the " +
                "customer-managed key of us-west-2.",
        ]);
    });

    it("judges separate table replicas too", async () => {
        await expectViolations(
            dynamodbEncryptedAtRest,
            [resource("aws:dynamodb/tableReplica:TableReplica", "r", { globalTableArn: "arn:t" })],
            [
                "Table replica has no kmsKeyArn, so it uses the AWS-managed key. Set kmsKeyArn to the customer-managed key " +
                    "of the replica's region.",
            ],
        );
    });

    it("does not apply when requireCustomerManagedKey is false: DynamoDB always encrypts", async () => {
        assert.deepStrictEqual(
            await check(dynamodbEncryptedAtRest, table({ serverSideEncryption: undefined }), {
                requireCustomerManagedKey: false,
            }),
            [],
        );
    });
});

describe("policy elasticache-encrypted-at-rest", () => {
    const group = (inputs: Record<string, unknown>) => [
        resource("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
            atRestEncryptionEnabled: true,
            kmsKeyId: KEY,
            transitEncryptionEnabled: true,
            transitEncryptionMode: "required",
            ...inputs,
        }),
    ];

    it("passes a group encrypted with a customer-managed key", async () => {
        assert.deepStrictEqual(await check(elasticacheEncryptedAtRest, group({})), []);
    });

    it("catches a group not encrypted at rest, and one on the AWS-managed key", async () => {
        await expectViolations(elasticacheEncryptedAtRest, group({ atRestEncryptionEnabled: undefined }), [
            "ElastiCache replication group is not encrypted at rest. Set atRestEncryptionEnabled: true and kmsKeyId to a " +
                "customer-managed KMS key.",
        ]);
        await expectViolations(elasticacheEncryptedAtRest, group({ kmsKeyId: undefined }), [
            "ElastiCache replication group is encrypted at rest with the AWS-managed key. Set kmsKeyId to the ARN of a " +
                "customer-managed KMS key.",
        ]);
        assert.deepStrictEqual(
            await check(elasticacheEncryptedAtRest, group({ kmsKeyId: undefined }), {
                requireCustomerManagedKey: false,
            }),
            [],
        );
    });

    it("leaves members of a global datastore to the datastore's primary", async () => {
        assert.deepStrictEqual(
            await check(
                elasticacheEncryptedAtRest,
                group({ atRestEncryptionEnabled: undefined, globalReplicationGroupId: "g" }),
            ),
            [],
        );
    });
});

describe("policy secretsmanager-secret-cmk", () => {
    const secret = (inputs: Record<string, unknown>) => [
        resource("aws:secretsmanager/secret:Secret", "s", {
            kmsKeyId: KEY,
            replicas: [{ region: "us-west-2", kmsKeyId: KEY_WEST }],
            ...inputs,
        }),
    ];
    it("passes a secret and replica on customer-managed keys", async () => {
        assert.deepStrictEqual(await check(secretsmanagerSecretCmk, secret({})), []);
    });
    it("catches the AWS-managed key on the secret and on a replica", async () => {
        await expectViolations(secretsmanagerSecretCmk, secret({ kmsKeyId: undefined }), [
            "Secrets Manager secret has no kmsKeyId, so it is encrypted with the AWS-managed key aws/secretsmanager. Set " +
                "kmsKeyId to a customer-managed KMS key.",
        ]);
        await expectViolations(secretsmanagerSecretCmk, secret({ replicas: [{ region: "us-west-2" }] }), [
            "Replica in us-west-2 has no kmsKeyId, so it uses the AWS-managed key there. Set kmsKeyId to the " +
                "customer-managed key of us-west-2.",
        ]);
    });
});

describe("GCP CMEK policies", () => {
    const cases = [
        {
            policy: cloudsqlCmek,
            type: "gcp:sql/databaseInstance:DatabaseInstance",
            good: { databaseVersion: "POSTGRES_16", encryptionKeyName: GCP_KEY },
            bad: { databaseVersion: "POSTGRES_16" },
            message:
                "Cloud SQL instance has no encryptionKeyName, so it is encrypted with a Google-managed key. Set " +
                "encryptionKeyName to a Cloud KMS key in the instance's region.",
        },
        {
            policy: memorystoreCmek,
            type: "gcp:redis/instance:Instance",
            good: { memorySizeGb: 1, customerManagedKey: GCP_KEY },
            bad: { memorySizeGb: 1 },
            message:
                "Memorystore instance has no customerManagedKey, so it is encrypted with a Google-managed key. Set " +
                "customerManagedKey to a Cloud KMS key in the instance's region.",
        },
        {
            policy: bigtableCmek,
            type: "gcp:bigtable/instance:Instance",
            good: { clusters: [{ clusterId: "c-us-east4-b", zone: "us-east4-b", kmsKeyName: GCP_KEY }] },
            bad: {
                clusters: [
                    { clusterId: "c-us-east4-b", zone: "us-east4-b", kmsKeyName: GCP_KEY },
                    { clusterId: "c-us-east4-c", zone: "us-east4-c" },
                ],
            },
            message:
                'Bigtable cluster "c-us-east4-c" has no kmsKeyName, so it is encrypted with a Google-managed key. Set ' +
                "kmsKeyName to a Cloud KMS key in the cluster's region.",
        },
        {
            policy: secretManagerCmek,
            type: "gcp:secretmanager/secret:Secret",
            good: {
                secretId: "s",
                replication: {
                    userManaged: {
                        replicas: [{ location: "us-east4", customerManagedEncryption: { kmsKeyName: GCP_KEY } }],
                    },
                },
            },
            bad: {
                secretId: "s",
                replication: {
                    userManaged: {
                        replicas: [
                            { location: "us-east4", customerManagedEncryption: { kmsKeyName: GCP_KEY } },
                            { location: "us-central1" },
                        ],
                    },
                },
            },
            message:
                "Secret replica in us-central1 has no customerManagedEncryption.kmsKeyName, so it is encrypted with a " +
                "Google-managed key. Set it to a Cloud KMS key in that location.",
        },
        {
            policy: secretManagerCmek,
            type: "gcp:secretmanager/secret:Secret",
            good: { secretId: "s", replication: { auto: { customerManagedEncryption: { kmsKeyName: GCP_KEY } } } },
            bad: { secretId: "s", replication: { auto: {} } },
            message:
                "Secret uses automatic replication without customerManagedEncryption, so it is encrypted with a " +
                "Google-managed key. Use user-managed replication with a Cloud KMS key per replica.",
        },
        {
            policy: gcsBucketCmek,
            type: "gcp:storage/bucket:Bucket",
            good: { location: "us-east4", encryption: { defaultKmsKeyName: GCP_KEY } },
            bad: { location: "us-east4", encryption: {} },
            message:
                "GCS bucket has no encryption.defaultKmsKeyName, so objects are encrypted with a Google-managed key. Set " +
                "encryption: { defaultKmsKeyName } to a Cloud KMS key in the bucket's location.",
        },
    ];
    for (const c of cases) {
        describe(`policy ${c.policy.name}`, () => {
            it("passes a CMEK resource", async () => {
                assert.deepStrictEqual(await check(c.policy, [resource(c.type, "data", c.good)]), []);
            });
            it("catches Google-managed encryption, as mandatory, on the resource", async () => {
                await expectViolations(c.policy, [resource(c.type, "data", c.bad)], [c.message]);
            });
            it("accepts Google-managed encryption when requireCustomerManagedKey is false", async () => {
                assert.deepStrictEqual(
                    await check(c.policy, [resource(c.type, "data", c.bad)], { requireCustomerManagedKey: false }),
                    [],
                );
            });
        });
    }
});
