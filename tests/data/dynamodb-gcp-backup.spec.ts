import * as assert from "assert";
import {
    type DynamoDbGcpBackupArgs,
    resolveDynamoDbGcpBackupArgs,
    validateDynamoDbGcpBackupArgs,
} from "../../components/data/dynamodb-gcp-backup-settings";
import {
    dynamodbExportPolicy,
    storageTransferReadPolicy,
    storageTransferTrustPolicy,
} from "../../components/shared/iam";
import { ofType, one } from "../../harness/lookup";
import { MOCK_AWS_ACCOUNT } from "../../harness/mocks";
import { MOCK_TRANSFER_SUBJECT_ID } from "../../harness/mock-outputs/data";
import { data, get, KEYS, under } from "./fixture";

describe("DynamoDbGcpBackup", () => {
    const TABLE = "aws:dynamodb/table:Table";

    it("keeps the URNs its resources had under DynamoDbGlobal, through an alias to the table component", async () => {
        const { run } = await data({ stack: "prod" });
        const old = (type: string, name: string) =>
            `urn:pulumi:prod::multicloud-platform::multicloud:data:DynamoDbGlobal$${type}::${name}`;
        const backup = under(run.resources, "multicloud:data:DynamoDbGcpBackup", "orders").filter((r) => r.custom);
        assert.strictEqual(backup.length, 21);
        for (const r of backup) assert.ok(r.aliases.includes(old(r.type, r.name)), r.urn);
        const exportBucket = get(run.resources, "aws:s3/bucket:Bucket", "orders-exports");
        assert.strictEqual(
            exportBucket.parent,
            one(run.resources, "multicloud:storage:SecureBucket", "orders-exports").urn,
        );
        assert.ok(exportBucket.aliases.includes(old("aws:s3/bucket:Bucket", "orders-exports")));
    });

    it("exports into a private, versioned bucket encrypted with the backups key that refuses plaintext", async () => {
        const { run } = await data({ stack: "prod" });
        const bucket = get(run.resources, "aws:s3/bucket:Bucket", "orders-exports");
        const byBucket = (type: string) => {
            const r = get(run.resources, type, "orders-exports");
            assert.strictEqual(r.inputs.bucket, bucket.outputs.id, type);
            assert.deepStrictEqual(r.propertyDependencies.bucket, [bucket.urn], type);
            return r.inputs;
        };
        assert.deepStrictEqual(byBucket("aws:s3/bucketVersioning:BucketVersioning").versioningConfiguration, {
            status: "Enabled",
        });
        assert.deepStrictEqual(
            byBucket("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").rules,
            [
                {
                    applyServerSideEncryptionByDefault: {
                        sseAlgorithm: "aws:kms",
                        kmsMasterKeyId: KEYS.primary.backups,
                    },
                    bucketKeyEnabled: true,
                },
            ],
        );
        const { bucket: _b, ...block } = byBucket("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
        assert.deepStrictEqual(block, {
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        assert.deepStrictEqual(byBucket("aws:s3/bucketOwnershipControls:BucketOwnershipControls").rule, {
            objectOwnership: "BucketOwnerEnforced",
        });
        assert.deepStrictEqual(byBucket("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").rules, [
            {
                id: "expire-exports",
                status: "Enabled",
                filter: { prefix: "" },
                expiration: { days: 35 },
                noncurrentVersionExpiration: { noncurrentDays: 7 },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            },
        ]);
        assert.deepStrictEqual(JSON.parse(byBucket("aws:s3/bucketPolicy:BucketPolicy").policy).Statement, [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucket.outputs.arn, `${bucket.outputs.arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ]);
        assert.strictEqual(bucket.protect, true);
    });

    it("schedules a daily ExportTableToPointInTime through the Scheduler universal target, with a role allowed only that", async () => {
        const { run } = await data({ stack: "prod" });
        const table = get(run.resources, TABLE, "orders-table");
        const bucket = get(run.resources, "aws:s3/bucket:Bucket", "orders-exports");
        const role = get(run.resources, "aws:iam/role:Role", "orders-export");
        const policy = get(run.resources, "aws:iam/rolePolicy:RolePolicy", "orders-export");
        const schedule = get(run.resources, "aws:scheduler/schedule:Schedule", "orders-export");
        assert.strictEqual(schedule.inputs.scheduleExpression, "cron(0 2 * * ? *)");
        assert.strictEqual(schedule.inputs.scheduleExpressionTimezone, "UTC");
        assert.strictEqual(schedule.inputs.state, "ENABLED");
        assert.strictEqual(schedule.inputs.target.arn, "arn:aws:scheduler:::aws-sdk:dynamodb:exportTableToPointInTime");
        assert.strictEqual(schedule.inputs.target.roleArn, role.outputs.arn);
        assert.deepStrictEqual(JSON.parse(schedule.inputs.target.input), {
            TableArn: table.outputs.arn,
            S3Bucket: bucket.outputs.id,
            S3Prefix: "exports",
            S3SseAlgorithm: "KMS",
            S3SseKmsKeyId: KEYS.primary.backups,
            ExportFormat: "DYNAMODB_JSON",
            ExportType: "FULL_EXPORT",
        });
        assert.deepStrictEqual(
            schedule.propertyDependencies.target.slice().sort(),
            [table.urn, bucket.urn, role.urn].sort(),
        );
        assert.ok(schedule.dependencies.includes(policy.urn));
        assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement, [
            {
                Effect: "Allow",
                Principal: { Service: "scheduler.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": MOCK_AWS_ACCOUNT } },
            },
        ]);
        assert.deepStrictEqual(
            JSON.parse(policy.inputs.policy),
            dynamodbExportPolicy({
                tableArn: table.outputs.arn,
                bucketArn: bucket.outputs.arn,
                prefix: "exports",
                kmsKeyArn: KEYS.primary.backups,
            }),
        );
    });

    it("keeps the GCP copy in a CMEK, retention-locked, private GCS bucket; dev keeps a day and can be emptied", async () => {
        for (const stack of ["prod", "dev"] as const) {
            const { run } = await data({ stack });
            const prod = stack === "prod";
            const days = prod ? 35 : 1;
            const gcs = get(run.resources, "gcp:storage/bucket:Bucket", "orders-exports");
            assert.deepStrictEqual(gcs.inputs, {
                project: "acme-dr",
                location: "us-east4",
                storageClass: "STANDARD",
                uniformBucketLevelAccess: true,
                publicAccessPrevention: "enforced",
                forceDestroy: !prod,
                encryption: { defaultKmsKeyName: KEYS.gcp.backups },
                retentionPolicy: { retentionPeriod: String(days * 86400) },
                softDeletePolicy: { retentionDurationSeconds: 7 * 86400 },
                lifecycleRules: [{ action: { type: "Delete" }, condition: { age: days } }],
            });
            assert.ok(!("versioning" in gcs.inputs), "GCS refuses versioning beside a retention policy");
            assert.strictEqual(gcs.protect, prod);
            assert.strictEqual(get(run.resources, "aws:s3/bucket:Bucket", "orders-exports").inputs.forceDestroy, !prod);
        }
    });

    it("copies the exports daily with Storage Transfer through a role that trusts only Google's transfer account", async () => {
        const { run } = await data({ stack: "prod" });
        const bucket = get(run.resources, "aws:s3/bucket:Bucket", "orders-exports");
        const gcs = get(run.resources, "gcp:storage/bucket:Bucket", "orders-exports");
        const role = get(run.resources, "aws:iam/role:Role", "orders-transfer");
        const read = get(run.resources, "aws:iam/rolePolicy:RolePolicy", "orders-transfer");
        const job = get(run.resources, "gcp:storage/transferJob:TransferJob", "orders-transfer");
        assert.deepStrictEqual(
            JSON.parse(role.inputs.assumeRolePolicy),
            storageTransferTrustPolicy(MOCK_TRANSFER_SUBJECT_ID),
        );
        assert.deepStrictEqual(
            JSON.parse(read.inputs.policy),
            storageTransferReadPolicy({
                bucketArn: bucket.outputs.arn,
                prefix: "exports",
                kmsKeyArn: KEYS.primary.backups,
            }),
        );
        assert.deepStrictEqual(job.inputs.transferSpec, {
            awsS3DataSource: { bucketName: bucket.outputs.id, roleArn: role.outputs.arn, path: "exports/" },
            gcsDataSink: { bucketName: gcs.outputs.name, path: "exports/" },
            transferOptions: {
                overwriteObjectsAlreadyExistingInSink: false,
                deleteObjectsUniqueInSink: false,
                deleteObjectsFromSourceAfterTransfer: false,
            },
        });
        assert.deepStrictEqual(job.inputs.schedule, {
            scheduleStartDate: { year: 2026, month: 1, day: 1 },
            startTimeOfDay: { hours: 5, minutes: 0, seconds: 0, nanos: 0 },
            repeatInterval: "86400s",
        });
        assert.deepStrictEqual(
            job.propertyDependencies.transferSpec.slice().sort(),
            [bucket.urn, role.urn, gcs.urn].sort(),
        );
        const sinkGrants = ofType(run.resources, "gcp:storage/bucketIAMMember:BucketIAMMember").filter((m) =>
            m.name.startsWith("orders-transfer"),
        );
        assert.deepStrictEqual(
            sinkGrants.map((m) => [m.inputs.role, m.inputs.member, m.inputs.bucket]),
            [
                [
                    "roles/storage.legacyBucketWriter",
                    "serviceAccount:project-987654321098@storage-transfer-service.iam.gserviceaccount.com",
                    gcs.outputs.name,
                ],
                [
                    "roles/storage.objectViewer",
                    "serviceAccount:project-987654321098@storage-transfer-service.iam.gserviceaccount.com",
                    gcs.outputs.name,
                ],
            ],
        );
        for (const dep of [read, ...sinkGrants]) assert.ok(job.dependencies.includes(dep.urn), dep.name);
    });

    it("restores into a CMEK Bigtable table that the loader identity may write, reading the GCS copy", async () => {
        for (const stack of ["prod", "dev"] as const) {
            const { run } = await data({ stack });
            const prod = stack === "prod";
            const gcs = get(run.resources, "gcp:storage/bucket:Bucket", "orders-exports");
            const instance = get(run.resources, "gcp:bigtable/instance:Instance", "orders-restore");
            const table = get(run.resources, "gcp:bigtable/table:Table", "orders-restore");
            assert.deepStrictEqual(instance.inputs.clusters, [
                {
                    clusterId: "c-us-east4-b",
                    zone: "us-east4-b",
                    numNodes: 1,
                    storageType: "SSD",
                    kmsKeyName: KEYS.gcp.backups,
                },
            ]);
            assert.strictEqual(instance.inputs.deletionProtection, prod);
            assert.strictEqual(instance.protect, prod);
            assert.strictEqual(table.inputs.instanceName, instance.outputs.name);
            assert.strictEqual(table.inputs.deletionProtection, prod ? "PROTECTED" : "UNPROTECTED");
            assert.deepStrictEqual(table.inputs.columnFamilies, [{ family: "item" }]);
            const loader = "serviceAccount:orders-loader@acme-dr.iam.gserviceaccount.com";
            const read = get(run.resources, "gcp:storage/bucketIAMMember:BucketIAMMember", "orders-loader-read");
            assert.deepStrictEqual(
                [read.inputs.bucket, read.inputs.role, read.inputs.member],
                [gcs.outputs.name, "roles/storage.objectViewer", loader],
            );
            const write = get(run.resources, "gcp:bigtable/tableIamMember:TableIamMember", "orders-loader-write");
            assert.deepStrictEqual(
                [write.inputs.instanceName, write.inputs.table, write.inputs.role, write.inputs.member],
                [instance.outputs.name, table.outputs.name, "roles/bigtable.user", loader],
            );
            assert.deepStrictEqual(write.propertyDependencies.table, [table.urn]);
        }
    });

    it("builds least-privilege documents: only the export call on the table, only reads of the export prefix", () => {
        const grant = { tableArn: "arn:t", bucketArn: "arn:aws:s3:::b", prefix: "exports", kmsKeyArn: "arn:k" };
        const actions = (d: { Statement: Record<string, unknown>[] }) => d.Statement.map((s) => [s.Action, s.Resource]);
        assert.deepStrictEqual(actions(dynamodbExportPolicy(grant)), [
            ["dynamodb:ExportTableToPointInTime", "arn:t"],
            [["s3:PutObject", "s3:PutObjectAcl", "s3:AbortMultipartUpload"], "arn:aws:s3:::b/exports/*"],
            [["kms:GenerateDataKey", "kms:Decrypt"], "arn:k"],
        ]);
        assert.deepStrictEqual(actions(storageTransferReadPolicy(grant)), [
            ["s3:GetBucketLocation", "arn:aws:s3:::b"],
            ["s3:ListBucket", "arn:aws:s3:::b"],
            ["s3:GetObject", "arn:aws:s3:::b/exports/*"],
            ["kms:Decrypt", "arn:k"],
        ]);
        assert.deepStrictEqual(storageTransferTrustPolicy("42").Statement[0].Condition, {
            StringEquals: { "accounts.google.com:sub": "42" },
        });
    });

    describe("validation", () => {
        const base: DynamoDbGcpBackupArgs = {
            tableArn: "t",
            backupsKmsKeyArn: "b",
            gcpProject: "p",
            gcpRegion: "us-east4",
            gcpBackupsKmsKeyName: "g",
        };
        const problems = (args: Partial<DynamoDbGcpBackupArgs>, name = "orders") => {
            try {
                validateDynamoDbGcpBackupArgs(name, resolveDynamoDbGcpBackupArgs(name, { ...base, ...args }));
                return [];
            } catch (e) {
                return [(e as Error).message.replace(/^DynamoDbGcpBackup [^:]+: /, "")];
            }
        };
        it("accepts the defaults", () => assert.deepStrictEqual(problems({}), []));
        const cases: [string, Partial<DynamoDbGcpBackupArgs>, string][] = [
            [
                "a transfer during the export",
                { transferHourUtc: 2 },
                "transferHourUtc must differ from exportHourUtc (2): the transfer would start while the export is still being written",
            ],
            ["hour 24", { exportHourUtc: 24 }, "exportHourUtc must be a whole hour from 0 to 23; received 24"],
            [
                "a Bigtable zone outside the key's region",
                { bigtableZones: ["us-central1-a"] },
                'bigtableZones[0] must be a zone of us-east4 (the key\'s region); received "us-central1-a"',
            ],
        ];
        for (const [what, args, message] of cases)
            it(`rejects ${what}`, () => assert.deepStrictEqual(problems(args), [message]));
        it("rejects a component name too long for the loader's account id", () =>
            assert.deepStrictEqual(problems({}, "customer-order-history-archive"), [
                'loaderServiceAccountId must be 6 to 30 lowercase letters, digits or hyphens, starting with a letter; received "customer-order-history-archive-loader"; set loaderServiceAccountId explicitly',
            ]));
        it("names the component in the error", () =>
            assert.throws(
                () =>
                    validateDynamoDbGcpBackupArgs(
                        "orders",
                        resolveDynamoDbGcpBackupArgs("orders", { ...base, bigtableNodeCount: 0 }),
                    ),
                {
                    message:
                        "DynamoDbGcpBackup orders: bigtableNodeCount must be a whole number of at least 1; received 0",
                },
            ));
    });
});
