/** Durability in protected environments: deletion protection, backups and `protect`, table-driven per type. */
import * as assert from "assert";
import {
    dataBackupsEnabled,
    dataDeletionProtection,
    DEFAULT_STATEFUL_TYPES,
    statefulResourcesProtected,
} from "../../../policy/policies/data";
import { check, messages, resource } from "../fixtures";
import { expectViolations, itCatchesEachChange, tagged, type DurabilityCase } from "./helpers";

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
