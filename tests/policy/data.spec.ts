import * as assert from "assert";
import { unknownCheckingProxy } from "@pulumi/policy";
import * as policyProxy from "@pulumi/policy/proxy";
import {
    auroraPostgresForceSsl,
    bigtableCmek,
    cloudsqlCmek,
    cloudsqlSslRequired,
    dataBackupsEnabled,
    dataDeletionProtection,
    dataPolicies,
    DEFAULT_STATEFUL_TYPES,
    dynamodbEncryptedAtRest,
    elasticacheEncryptedAtRest,
    elasticacheEncryptedInTransit,
    gcsBucketCmek,
    memorystoreCmek,
    memorystoreEncryptedInTransit,
    rdsEncryptedAtRest,
    s3BucketKmsEncrypted,
    secretsmanagerSecretCmk,
    statefulResourcesProtected,
} from "../../policy/policies/data";
import type { RecordedResource } from "../../harness/recorder";
import { awsProvider, check, gcpProvider, messages, resource, TAGS } from "./fixtures";

const KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const KEY_WEST = "arn:aws:kms:us-west-2:123456789012:key/5678abcd-12ab-34cd-56ef-1234567890ab";
const GCP_KEY = "projects/acme-dr/locations/us-east4/keyRings/platform/cryptoKeys/database";
// The SDK's sentinel for a string unknown during preview (internal to @pulumi/policy 1.21).
const UNKNOWN: string = (policyProxy as any).unknownStringValue;

/** One resource of `type` with `inputs`, created with a provider that tags it `environment: <env>`. */
function tagged(
    cloud: "aws" | "gcp",
    type: string,
    inputs: Record<string, any>,
    env = "prod",
    extra: Partial<RecordedResource> = {},
): RecordedResource[] {
    const p = cloud === "aws" ? awsProvider({ ...TAGS, environment: env }) : gcpProvider({ ...TAGS, environment: env });
    return [p, resource(type, "data", inputs, { provider: p.urn, ...extra })];
}

/** Asserts the exact messages, and that each is mandatory and reported on the resource itself. */
async function expectViolations(
    policy: Parameters<typeof check>[0],
    resources: RecordedResource[],
    expected: string[],
    config?: Record<string, unknown>,
): Promise<void> {
    const vs = await check(policy, resources, config);
    assert.deepStrictEqual(messages(vs), expected);
    const target = resources[resources.length - 1].urn;
    for (const v of vs) {
        assert.strictEqual(v.level, "mandatory");
        if (policy.name !== s3BucketKmsEncrypted.name) assert.strictEqual(v.urn, target);
    }
}

describe("data policies", () => {
    it("are one list of uniquely named, mandatory policies", () => {
        const names = dataPolicies.map((p) => p.name);
        assert.strictEqual(new Set(names).size, 17);
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

describe("policy s3-bucket-kms-encrypted", () => {
    const BUCKET = "exports-0a1b2c";
    const bucket = (type = "aws:s3/bucket:Bucket", outputs: Record<string, unknown> = { id: BUCKET, bucket: BUCKET }) =>
        resource(type, "exports", {}, { outputs });
    const encryption = (
        b: RecordedResource,
        rule: Record<string, unknown> = { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY },
        bucketValue: unknown = BUCKET,
        type = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    ) =>
        resource(
            type,
            "exports",
            {},
            {
                outputs: {
                    bucket: bucketValue,
                    rules: [{ applyServerSideEncryptionByDefault: rule, bucketKeyEnabled: true }],
                },
                dependencies: [b.urn],
                propertyDependencies: { bucket: [b.urn] },
            },
        );
    const NONE =
        'S3 bucket "exports" has no server-side encryption configuration. Add an aws.s3.BucketServerSideEncryptionConfiguration ' +
        "with bucket: bucket.id, sseAlgorithm 'aws:kms' and kmsMasterKeyId set to a customer-managed KMS key.";
    const REMEDY = "Set sseAlgorithm 'aws:kms' and kmsMasterKeyId on its BucketServerSideEncryptionConfiguration.";

    it("passes a bucket joined to a configuration with a customer-managed key", async () => {
        const b = bucket();
        assert.deepStrictEqual(await check(s3BucketKmsEncrypted, [b, encryption(b)]), []);
    });

    it("catches an object that overrides the bucket's customer-managed default", async () => {
        const b = bucket();
        const object = (outputs: Record<string, unknown>) =>
            resource("aws:s3/bucketObjectv2:BucketObjectv2", "jar", {}, { outputs: { bucket: BUCKET, ...outputs } });
        assert.deepStrictEqual(await check(s3BucketKmsEncrypted, [b, encryption(b), object({})]), []);
        assert.deepStrictEqual(
            await check(s3BucketKmsEncrypted, [
                b,
                encryption(b),
                object({ serverSideEncryption: "aws:kms", kmsKeyId: KEY }),
            ]),
            [],
        );
        assert.deepStrictEqual(
            messages(await check(s3BucketKmsEncrypted, [b, encryption(b), object({ serverSideEncryption: "AES256" })])),
            [
                'S3 object "jar" overrides its bucket\'s default encryption with AES256. Leave serverSideEncryption unset, ' +
                    "or set 'aws:kms' with kmsKeyId.",
            ],
        );
        assert.deepStrictEqual(
            messages(
                await check(s3BucketKmsEncrypted, [b, encryption(b), object({ serverSideEncryption: "aws:kms" })]),
            ),
            [
                'S3 object "jar" is encrypted with the AWS-managed key aws/s3. Set kmsKeyId to a customer-managed KMS ' +
                    "key, or leave serverSideEncryption unset.",
            ],
        );
    });

    it("joins by the bucket name when no dependency was recorded, and by the dependency when the name is unknown", async () => {
        const b = bucket();
        const byName = { ...encryption(b), propertyDependencies: {}, dependencies: [] };
        assert.deepStrictEqual(await check(s3BucketKmsEncrypted, [b, byName]), []);
        const pending = bucket("aws:s3/bucket:Bucket", unknownCheckingProxy({ id: UNKNOWN, bucket: UNKNOWN }));
        const pendingConfig = encryption(pending, undefined, UNKNOWN);
        assert.deepStrictEqual(
            await check(s3BucketKmsEncrypted, [
                pending,
                { ...pendingConfig, outputs: unknownCheckingProxy(pendingConfig.outputs) },
            ]),
            [],
        );
    });

    it("catches a bucket without a configuration, as mandatory, on the bucket", async () => {
        const b = bucket();
        const vs = await check(s3BucketKmsEncrypted, [b]);
        assert.deepStrictEqual(messages(vs), [NONE]);
        assert.deepStrictEqual([vs[0].level, vs[0].urn], ["mandatory", b.urn]);
    });

    it("does not count another bucket's configuration", async () => {
        const b = bucket();
        const other = resource("aws:s3/bucket:Bucket", "logs", {}, { outputs: { id: "logs-1", bucket: "logs-1" } });
        assert.deepStrictEqual(
            messages(await check(s3BucketKmsEncrypted, [b, other, encryption(other, undefined, "logs-1")])),
            [NONE],
        );
    });

    it("catches S3-managed keys and the AWS-managed KMS key", async () => {
        const b = bucket();
        assert.deepStrictEqual(
            messages(await check(s3BucketKmsEncrypted, [b, encryption(b, { sseAlgorithm: "AES256" })])),
            [`S3 bucket "exports" is encrypted with S3-managed keys (AES256). ${REMEDY}`],
        );
        assert.deepStrictEqual(
            messages(await check(s3BucketKmsEncrypted, [b, encryption(b, { sseAlgorithm: "aws:kms" })])),
            [`S3 bucket "exports" is encrypted with the AWS-managed key aws/s3. ${REMEDY}`],
        );
    });

    it("covers the deprecated BucketV2 and configuration V2 types", async () => {
        const b = bucket("aws:s3/bucketV2:BucketV2");
        const v2 = encryption(
            b,
            undefined,
            BUCKET,
            "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
        );
        assert.deepStrictEqual(await check(s3BucketKmsEncrypted, [b, v2]), []);
        assert.deepStrictEqual(messages(await check(s3BucketKmsEncrypted, [b])), [NONE]);
    });

    it("does not apply when requireCustomerManagedKey is false: S3 always encrypts", async () => {
        assert.deepStrictEqual(await check(s3BucketKmsEncrypted, [bucket()], { requireCustomerManagedKey: false }), []);
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

describe("policy elasticache-encrypted-in-transit", () => {
    const group = (inputs: Record<string, unknown>) => [
        resource("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
            transitEncryptionEnabled: true,
            transitEncryptionMode: "required",
            ...inputs,
        }),
    ];
    it("passes TLS required", async () => {
        assert.deepStrictEqual(await check(elasticacheEncryptedInTransit, group({})), []);
        assert.deepStrictEqual(
            await check(elasticacheEncryptedInTransit, group({ transitEncryptionMode: undefined })),
            [],
        );
    });
    it("catches plaintext and the preferred mode", async () => {
        await expectViolations(elasticacheEncryptedInTransit, group({ transitEncryptionEnabled: false }), [
            'ElastiCache replication group accepts plaintext connections. Set transitEncryptionEnabled: true and transitEncryptionMode: "required".',
        ]);
        await expectViolations(elasticacheEncryptedInTransit, group({ transitEncryptionMode: "preferred" }), [
            'ElastiCache replication group\'s transitEncryptionMode is "preferred", which still accepts plaintext. Set transitEncryptionMode: "required".',
        ]);
    });
});

describe("policy memorystore-encrypted-in-transit", () => {
    const redis = (inputs: Record<string, unknown>) => [
        resource("gcp:redis/instance:Instance", "cache", {
            transitEncryptionMode: "SERVER_AUTHENTICATION",
            authEnabled: true,
            ...inputs,
        }),
    ];
    it("passes server-authenticated TLS", async () => {
        assert.deepStrictEqual(await check(memorystoreEncryptedInTransit, redis({})), []);
    });
    it("catches an unset and a disabled mode", async () => {
        await expectViolations(memorystoreEncryptedInTransit, redis({ transitEncryptionMode: undefined }), [
            'Memorystore instance\'s transitEncryptionMode is unset (DISABLED), so clients connect in plaintext. Set transitEncryptionMode: "SERVER_AUTHENTICATION".',
        ]);
        await expectViolations(memorystoreEncryptedInTransit, redis({ transitEncryptionMode: "DISABLED" }), [
            'Memorystore instance\'s transitEncryptionMode is DISABLED, so clients connect in plaintext. Set transitEncryptionMode: "SERVER_AUTHENTICATION".',
        ]);
    });
    it("catches AUTH off unless requireAuth is false", async () => {
        await expectViolations(memorystoreEncryptedInTransit, redis({ authEnabled: false }), [
            "Memorystore instance has authEnabled off, so any client on the network can issue commands. Set " +
                "authEnabled: true and give clients the authString from a secret.",
        ]);
        assert.deepStrictEqual(
            await check(memorystoreEncryptedInTransit, redis({ authEnabled: false }), { requireAuth: false }),
            [],
        );
    });
});

describe("policy cloudsql-ssl-required", () => {
    const instance = (sslMode: string | undefined) => [
        resource("gcp:sql/databaseInstance:DatabaseInstance", "db", {
            settings: { tier: "db-custom-2-7680", ipConfiguration: { ipv4Enabled: false, sslMode } },
        }),
    ];
    it("passes ENCRYPTED_ONLY and TRUSTED_CLIENT_CERTIFICATE_REQUIRED", async () => {
        for (const mode of ["ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"]) {
            assert.deepStrictEqual(await check(cloudsqlSslRequired, instance(mode)), [], mode);
        }
    });
    it("catches a mode that admits plaintext, and no mode at all", async () => {
        await expectViolations(cloudsqlSslRequired, instance("ALLOW_UNENCRYPTED_AND_ENCRYPTED"), [
            "Cloud SQL instance accepts unencrypted connections (sslMode ALLOW_UNENCRYPTED_AND_ENCRYPTED). Set " +
                'settings.ipConfiguration.sslMode to "ENCRYPTED_ONLY" or "TRUSTED_CLIENT_CERTIFICATE_REQUIRED".',
        ]);
        await expectViolations(cloudsqlSslRequired, instance(undefined), [
            "Cloud SQL instance accepts unencrypted connections (sslMode unset). Set " +
                'settings.ipConfiguration.sslMode to "ENCRYPTED_ONLY" or "TRUSTED_CLIENT_CERTIFICATE_REQUIRED".',
        ]);
    });
    it("narrows to allowedSslModes", async () => {
        await expectViolations(
            cloudsqlSslRequired,
            instance("ENCRYPTED_ONLY"),
            [
                "Cloud SQL instance's sslMode is ENCRYPTED_ONLY; allowed: TRUSTED_CLIENT_CERTIFICATE_REQUIRED. Set " +
                    "settings.ipConfiguration.sslMode to an allowed mode.",
            ],
            { allowedSslModes: ["TRUSTED_CLIENT_CERTIFICATE_REQUIRED"] },
        );
    });
});

describe("policy aurora-postgres-force-ssl", () => {
    const group = (parameters: { name: string; value: string }[], family = "aurora-postgresql16") => [
        resource("aws:rds/clusterParameterGroup:ClusterParameterGroup", "pg", { family, parameters }),
    ];
    const FORCE = { name: "rds.force_ssl", value: "1" };
    const LOGICAL = { name: "rds.logical_replication", value: "1" };
    const TLS12 = { name: "ssl_min_protocol_version", value: "TLSv1.2" };

    it("passes a group that forces TLS 1.2 or later, and a cluster that uses a custom group", async () => {
        assert.deepStrictEqual(await check(auroraPostgresForceSsl, group([LOGICAL, FORCE, TLS12])), []);
        assert.deepStrictEqual(
            await check(auroraPostgresForceSsl, group([FORCE, { name: "ssl_min_protocol_version", value: "TLSv1.3" }])),
            [],
        );
        assert.deepStrictEqual(
            await check(auroraPostgresForceSsl, [
                resource("aws:rds/cluster:Cluster", "db", {
                    engine: "aurora-postgresql",
                    dbClusterParameterGroupName: "pg-1",
                }),
            ]),
            [],
        );
    });

    it("catches a missing and a disabled rds.force_ssl", async () => {
        await expectViolations(auroraPostgresForceSsl, group([LOGICAL, TLS12]), [
            "Cluster parameter group (family aurora-postgresql16) does not set rds.force_ssl, so clients may connect " +
                'without TLS. Add the parameter { name: "rds.force_ssl", value: "1" }.',
        ]);
        await expectViolations(auroraPostgresForceSsl, group([{ name: "rds.force_ssl", value: "0" }, TLS12]), [
            "Cluster parameter group (family aurora-postgresql16) sets rds.force_ssl to 0, so clients may connect " +
                'without TLS. Add the parameter { name: "rds.force_ssl", value: "1" }.',
        ]);
    });

    it("catches an unpinned or too low ssl_min_protocol_version, against minimumTlsVersion", async () => {
        await expectViolations(auroraPostgresForceSsl, group([FORCE]), [
            "Cluster parameter group (family aurora-postgresql16) does not set ssl_min_protocol_version, below " +
                'minimumTlsVersion TLSv1.2. Add { name: "ssl_min_protocol_version", value: "TLSv1.2" }.',
        ]);
        await expectViolations(
            auroraPostgresForceSsl,
            group([FORCE, TLS12]),
            [
                "Cluster parameter group (family aurora-postgresql16) sets ssl_min_protocol_version to TLSv1.2, below " +
                    'minimumTlsVersion TLSv1.3. Add { name: "ssl_min_protocol_version", value: "TLSv1.3" }.',
            ],
            { minimumTlsVersion: "TLSv1.3" },
        );
    });

    it("catches an Aurora PostgreSQL cluster on the default parameter group", async () => {
        await expectViolations(
            auroraPostgresForceSsl,
            [resource("aws:rds/cluster:Cluster", "db", { engine: "aurora-postgresql" })],
            [
                "Aurora PostgreSQL cluster uses the default cluster parameter group, which does not force TLS. Set " +
                    "dbClusterParameterGroupName to a group with rds.force_ssl = 1.",
            ],
        );
    });

    it("ignores other families and engines", async () => {
        assert.deepStrictEqual(await check(auroraPostgresForceSsl, group([], "aurora-mysql8.0")), []);
        assert.deepStrictEqual(
            await check(auroraPostgresForceSsl, [
                resource("aws:rds/cluster:Cluster", "db", { engine: "aurora-mysql" }),
            ]),
            [],
        );
    });
});

/** A prod resource that passes a durability policy, and single changes that each break it with one message. */
interface DurabilityCase {
    cloud: "aws" | "gcp";
    type: string;
    good: Record<string, unknown>;
    changes: [Record<string, unknown>, string][];
}

function itCatchesEachChange(policy: Parameters<typeof check>[0], cases: DurabilityCase[], title: string): void {
    for (const c of cases) {
        it(`${c.type}: ${title}`, async () => {
            assert.deepStrictEqual(await check(policy, tagged(c.cloud, c.type, c.good)), []);
            for (const [change, message] of c.changes) {
                await expectViolations(policy, tagged(c.cloud, c.type, { ...c.good, ...change }), [message]);
            }
        });
    }
}

describe("policy data-deletion-protection", () => {
    const cases: DurabilityCase[] = [
        {
            cloud: "aws",
            type: "aws:rds/cluster:Cluster",
            good: { deletionProtection: true },
            changes: [
                [
                    { deletionProtection: false },
                    "RDS cluster has no deletion protection in prod. Set deletionProtection: true.",
                ],
            ],
        },
        {
            cloud: "aws",
            type: "aws:rds/globalCluster:GlobalCluster",
            good: { deletionProtection: true },
            changes: [
                [
                    { deletionProtection: undefined },
                    "Global cluster has no deletion protection in prod. Set deletionProtection: true.",
                ],
            ],
        },
        {
            cloud: "aws",
            type: "aws:rds/instance:Instance",
            good: { deletionProtection: true },
            changes: [
                [
                    { deletionProtection: undefined },
                    "RDS instance has no deletion protection in prod. Set deletionProtection: true.",
                ],
            ],
        },
        {
            cloud: "aws",
            type: "aws:dynamodb/table:Table",
            good: {
                deletionProtectionEnabled: true,
                replicas: [{ regionName: "us-west-2", deletionProtectionEnabled: true }],
            },
            changes: [
                [
                    { deletionProtectionEnabled: false },
                    "DynamoDB table has no deletion protection in prod. Set deletionProtectionEnabled: true.",
                ],
                [
                    { replicas: [{ regionName: "us-west-2" }] },
                    "Replica in us-west-2 has no deletion protection in prod. Set deletionProtectionEnabled: true on the replica.",
                ],
            ],
        },
        {
            cloud: "gcp",
            type: "gcp:sql/databaseInstance:DatabaseInstance",
            good: { deletionProtection: true, settings: { deletionProtectionEnabled: true } },
            changes: [
                [
                    { deletionProtection: false },
                    "Cloud SQL instance can be deleted by the provider in prod: deletionProtection is false. Set it to true.",
                ],
                [
                    { settings: { deletionProtectionEnabled: false } },
                    "Cloud SQL instance has no API deletion protection in prod. Set settings.deletionProtectionEnabled: true.",
                ],
            ],
        },
        {
            cloud: "gcp",
            type: "gcp:redis/instance:Instance",
            good: { deletionProtection: true },
            changes: [
                [
                    { deletionProtection: false },
                    "Memorystore instance can be deleted in prod: deletionProtection is false. Set it to true.",
                ],
            ],
        },
        {
            cloud: "gcp",
            type: "gcp:bigtable/instance:Instance",
            good: {},
            changes: [
                [
                    { deletionProtection: false },
                    "Bigtable instance can be deleted in prod: deletionProtection is false. Set it to true.",
                ],
            ],
        },
        {
            cloud: "gcp",
            type: "gcp:bigtable/table:Table",
            good: { deletionProtection: "PROTECTED" },
            changes: [
                [
                    { deletionProtection: "UNPROTECTED" },
                    'Bigtable table is not protected against deletion in prod. Set deletionProtection: "PROTECTED".',
                ],
            ],
        },
    ];
    itCatchesEachChange(
        dataDeletionProtection,
        cases,
        "passes when protected, catches each unprotected setting in prod",
    );

    it("does not apply outside protected environments, or without an environment", async () => {
        const unprotected = { deletionProtection: false };
        assert.deepStrictEqual(
            await check(dataDeletionProtection, tagged("aws", "aws:rds/cluster:Cluster", unprotected, "dev")),
            [],
        );
        assert.deepStrictEqual(
            await check(dataDeletionProtection, [resource("aws:rds/cluster:Cluster", "db", unprotected)]),
            [],
        );
    });

    it("reads the environment from the resource's own tags or labels over the provider's", async () => {
        const ownTag = tagged(
            "aws",
            "aws:rds/cluster:Cluster",
            { deletionProtection: false, tags: { environment: "prod" } },
            "dev",
        );
        assert.strictEqual((await check(dataDeletionProtection, ownTag)).length, 1);
        const ownLabel = tagged("gcp", "gcp:redis/instance:Instance", {
            deletionProtection: false,
            labels: { environment: "dev" },
        });
        assert.deepStrictEqual(await check(dataDeletionProtection, ownLabel), []);
        const sqlLabel = tagged("gcp", "gcp:sql/databaseInstance:DatabaseInstance", {
            deletionProtection: false,
            settings: { deletionProtectionEnabled: true, userLabels: { environment: "dev" } },
        });
        assert.deepStrictEqual(await check(dataDeletionProtection, sqlLabel), []);
    });

    it("takes the protected environments and the tag key from the pack config", async () => {
        const staging = tagged("aws", "aws:rds/cluster:Cluster", { deletionProtection: false }, "staging");
        assert.deepStrictEqual(
            messages(await check(dataDeletionProtection, staging, { protectedEnvironments: ["prod", "staging"] })),
            ["RDS cluster has no deletion protection in staging. Set deletionProtection: true."],
        );
        const stage = tagged(
            "aws",
            "aws:rds/cluster:Cluster",
            { deletionProtection: false, tags: { stage: "prod" } },
            "dev",
        );
        assert.strictEqual((await check(dataDeletionProtection, stage, { environmentTagKey: "stage" })).length, 1);
    });
});

describe("policy data-backups-enabled", () => {
    const cases: DurabilityCase[] = [
        {
            cloud: "aws",
            type: "aws:rds/cluster:Cluster",
            good: { backupRetentionPeriod: 35, skipFinalSnapshot: false, finalSnapshotIdentifier: "db-final" },
            changes: [
                [
                    { backupRetentionPeriod: undefined },
                    "RDS cluster keeps backups for 1 day(s) in prod; at least 7 are required. Set backupRetentionPeriod.",
                ],
                [
                    { skipFinalSnapshot: true },
                    "RDS cluster skips its final snapshot in prod. Set skipFinalSnapshot: false and a finalSnapshotIdentifier.",
                ],
            ],
        },
        {
            cloud: "aws",
            type: "aws:rds/instance:Instance",
            good: { backupRetentionPeriod: 7, skipFinalSnapshot: false },
            changes: [
                [
                    { backupRetentionPeriod: 3 },
                    "RDS instance keeps backups for 3 day(s) in prod; at least 7 are required. Set backupRetentionPeriod.",
                ],
                [
                    { skipFinalSnapshot: true },
                    "RDS instance skips its final snapshot in prod. Set skipFinalSnapshot: false and a finalSnapshotIdentifier.",
                ],
            ],
        },
        {
            cloud: "aws",
            type: "aws:dynamodb/table:Table",
            good: {
                pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 35 },
                replicas: [{ regionName: "us-west-2", pointInTimeRecovery: true }],
            },
            changes: [
                [
                    { pointInTimeRecovery: { enabled: false } },
                    "DynamoDB table has point-in-time recovery off in prod. Set pointInTimeRecovery: { enabled: true }.",
                ],
                [
                    { pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 3 } },
                    "DynamoDB table keeps 3 day(s) of point-in-time recovery in prod; at least 7 are required. Set " +
                        "pointInTimeRecovery.recoveryPeriodInDays.",
                ],
                [
                    { replicas: [{ regionName: "us-west-2" }] },
                    "Replica in us-west-2 has point-in-time recovery off in prod. Set pointInTimeRecovery: true on the replica.",
                ],
            ],
        },
        {
            cloud: "aws",
            type: "aws:dynamodb/tableReplica:TableReplica",
            good: { pointInTimeRecovery: true },
            changes: [
                [
                    { pointInTimeRecovery: false },
                    "Table replica has point-in-time recovery off in prod. Set pointInTimeRecovery: true.",
                ],
            ],
        },
        {
            cloud: "aws",
            type: "aws:elasticache/replicationGroup:ReplicationGroup",
            good: { snapshotRetentionLimit: 7 },
            changes: [
                [
                    { snapshotRetentionLimit: undefined },
                    "ElastiCache replication group keeps snapshots for 0 day(s) in prod; at least 7 are required. Set snapshotRetentionLimit.",
                ],
            ],
        },
        {
            cloud: "gcp",
            type: "gcp:sql/databaseInstance:DatabaseInstance",
            good: {
                settings: {
                    backupConfiguration: {
                        enabled: true,
                        pointInTimeRecoveryEnabled: true,
                        backupRetentionSettings: { retainedBackups: 35 },
                    },
                },
            },
            changes: [
                [
                    { settings: { backupConfiguration: { enabled: false, pointInTimeRecoveryEnabled: true } } },
                    "Cloud SQL instance has automated backups off in prod. Set settings.backupConfiguration.enabled: true.",
                ],
                [
                    {
                        settings: {
                            backupConfiguration: { enabled: true, backupRetentionSettings: { retainedBackups: 35 } },
                        },
                    },
                    "Cloud SQL instance has point-in-time recovery off in prod. Set settings.backupConfiguration.pointInTimeRecoveryEnabled: true.",
                ],
                [
                    {
                        settings: {
                            backupConfiguration: {
                                enabled: true,
                                pointInTimeRecoveryEnabled: true,
                                backupRetentionSettings: { retainedBackups: 3 },
                            },
                        },
                    },
                    "Cloud SQL instance keeps 3 backup(s) in prod; at least 7 are required. Set " +
                        "settings.backupConfiguration.backupRetentionSettings.retainedBackups.",
                ],
            ],
        },
    ];
    itCatchesEachChange(dataBackupsEnabled, cases, "passes with backups, catches each missing one in prod");

    it("takes the minimum from the pack config, and leaves dev and Cloud SQL read replicas alone", async () => {
        const cluster = tagged("aws", "aws:rds/cluster:Cluster", { backupRetentionPeriod: 7 });
        assert.deepStrictEqual(messages(await check(dataBackupsEnabled, cluster, { minimumBackupRetentionDays: 14 })), [
            "RDS cluster keeps backups for 7 day(s) in prod; at least 14 are required. Set backupRetentionPeriod.",
        ]);
        assert.deepStrictEqual(
            await check(dataBackupsEnabled, tagged("aws", "aws:rds/cluster:Cluster", {}, "dev")),
            [],
        );
        assert.deepStrictEqual(
            await check(
                dataBackupsEnabled,
                tagged("gcp", "gcp:sql/databaseInstance:DatabaseInstance", { masterInstanceName: "primary" }),
            ),
            [],
        );
    });
});

describe("policy stateful-resources-protected", () => {
    const MESSAGE =
        "Stateful resource is not protected in prod. Set the resource option protect: true so that deleting it needs an " +
        "explicit unprotect.";

    it("passes protected stateful resources and ignores stateless ones", async () => {
        for (const type of DEFAULT_STATEFUL_TYPES) {
            const cloud = type.startsWith("aws:") ? "aws" : "gcp";
            assert.deepStrictEqual(
                await check(statefulResourcesProtected, tagged(cloud, type, {}, "prod", { protect: true })),
                [],
                type,
            );
        }
        assert.deepStrictEqual(await check(statefulResourcesProtected, tagged("aws", "aws:iam/role:Role", {})), []);
    });

    it("catches every unprotected stateful type in prod, and none in dev", async () => {
        for (const type of DEFAULT_STATEFUL_TYPES) {
            const cloud = type.startsWith("aws:") ? "aws" : "gcp";
            await expectViolations(statefulResourcesProtected, tagged(cloud, type, {}), [MESSAGE]);
            assert.deepStrictEqual(await check(statefulResourcesProtected, tagged(cloud, type, {}, "dev")), [], type);
        }
    });

    it("takes the stateful types from the pack config", async () => {
        const topic = tagged("gcp", "gcp:pubsub/topic:Topic", {});
        assert.deepStrictEqual(await check(statefulResourcesProtected, topic), []);
        assert.deepStrictEqual(
            messages(await check(statefulResourcesProtected, topic, { statefulTypes: ["gcp:pubsub/topic:Topic"] })),
            [MESSAGE],
        );
    });
});
