import * as assert from "assert";
import {
    defaultReplication,
    kafkaResourceArn,
    replicationProblems,
    serverProperties,
} from "../../components/messaging/kafka-settings";
import { mskClusterSettings, type MskClusterArgs } from "../../components/messaging/msk-cluster";
import { VERSIONS } from "../../components/versions";
import { one, ofType } from "../../harness/lookup";
import { MOCK_AWS_ACCOUNT } from "../../harness/mocks";
import { runStack } from "../../harness/run";
import { MESSAGING_KEY, LOGS_KEY, APP_SG, VPC, DATA_SUBNETS, messagingProgram, evaluated, under } from "./fixture";

describe("MskCluster", () => {
    for (const [env, azs, brokers, rf, isr] of [
        ["prod", 3, 3, 3, 2],
        ["dev", 2, 2, 2, 1],
    ] as const) {
        it(`${env}: ${brokers} brokers over ${azs} AZs, TLS only, IAM only, storage under the messaging key`, async () => {
            const rs = await evaluated(env);
            const cluster = one(rs, "aws:msk/cluster:Cluster", "kafka-cluster");
            const i = cluster.inputs;
            assert.strictEqual(i.kafkaVersion, VERSIONS.kafka);
            assert.strictEqual(i.numberOfBrokerNodes, brokers);
            assert.strictEqual(i.numberOfBrokerNodes % azs, 0);
            assert.deepStrictEqual(i.encryptionInfo, {
                encryptionAtRestKmsKeyArn: MESSAGING_KEY,
                encryptionInTransit: { clientBroker: "TLS", inCluster: true },
            });
            assert.deepStrictEqual(i.clientAuthentication, { sasl: { iam: true }, unauthenticated: false });
            const sg = one(rs, "aws:ec2/securityGroup:SecurityGroup", "kafka-brokers");
            assert.deepStrictEqual(i.brokerNodeGroupInfo, {
                instanceType: env === "prod" ? "kafka.m5.large" : "kafka.t3.small",
                clientSubnets: DATA_SUBNETS.slice(0, azs),
                securityGroups: [sg.outputs.id],
                storageInfo: { ebsStorageInfo: { volumeSize: 100 } },
            });
            assert.strictEqual(cluster.protect, env === "prod");
            const config = one(rs, "aws:msk/configuration:Configuration", "kafka-config");
            assert.deepStrictEqual(i.configurationInfo, { arn: config.outputs.arn, revision: 1 });
            assert.deepStrictEqual(config.inputs.kafkaVersions, [VERSIONS.kafka]);
            assert.strictEqual(
                config.inputs.serverProperties,
                "auto.create.topics.enable=false\n" +
                    `default.replication.factor=${rf}\n` +
                    `min.insync.replicas=${isr}\n` +
                    "unclean.leader.election.enable=false\n",
            );
        });
    }

    it("logs brokers into a log group encrypted with the logs key", async () => {
        const rs = await evaluated("prod");
        const group = one(rs, "aws:cloudwatch/logGroup:LogGroup", "kafka-brokers");
        assert.deepStrictEqual(group.inputs, { retentionInDays: 365, kmsKeyId: LOGS_KEY });
        assert.deepStrictEqual(one(rs, "aws:msk/cluster:Cluster", "kafka-cluster").inputs.loggingInfo, {
            brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: group.outputs.name } },
        });
    });

    it("grows broker storage by target tracking on KafkaBrokerStorageUtilization, never shrinking it", async () => {
        const rs = await evaluated("prod");
        const cluster = one(rs, "aws:msk/cluster:Cluster", "kafka-cluster");
        const target = one(rs, "aws:appautoscaling/target:Target", "kafka-storage");
        assert.deepStrictEqual(target.inputs, {
            serviceNamespace: "kafka",
            scalableDimension: "kafka:broker-storage:VolumeSize",
            resourceId: cluster.outputs.arn,
            minCapacity: 1,
            maxCapacity: 1000,
        });
        const policy = one(rs, "aws:appautoscaling/policy:Policy", "kafka-storage");
        assert.strictEqual(policy.inputs.policyType, "TargetTrackingScaling");
        assert.strictEqual(policy.inputs.resourceId, cluster.outputs.arn);
        assert.deepStrictEqual(policy.inputs.targetTrackingScalingPolicyConfiguration, {
            predefinedMetricSpecification: { predefinedMetricType: "KafkaBrokerStorageUtilization" },
            targetValue: 60,
            disableScaleIn: true,
        });
    });

    it("admits only the app tier, only on the IAM listener (9098), and nothing else", async () => {
        const rs = await evaluated("prod");
        const sg = one(rs, "aws:ec2/securityGroup:SecurityGroup", "kafka-brokers");
        const rules = ofType(
            under(rs, "multicloud:messaging:MskCluster", "kafka"),
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        );
        assert.deepStrictEqual(
            rules.map((r) => r.inputs),
            [
                {
                    securityGroupId: sg.outputs.id,
                    referencedSecurityGroupId: APP_SG,
                    ipProtocol: "tcp",
                    fromPort: 9098,
                    toPort: 9098,
                    description: "Kafka SASL/IAM from sg-0",
                },
            ],
        );
        assert.deepStrictEqual(sg.inputs.ingress ?? [], []);
        assert.deepStrictEqual(sg.inputs.egress ?? [], []);
    });

    it("adopts a given security group and creates none", async () => {
        const run = await runStack({
            stack: "dev",
            program: messagingProgram("dev", { msk: { securityGroupId: "sg-0adopted", clientSecurityGroupIds: [] } }),
        });
        assert.ifError(run.error);
        assert.deepStrictEqual(
            ofType(
                under(run.resources, "multicloud:messaging:MskCluster", "kafka"),
                "aws:ec2/securityGroup:SecurityGroup",
            ),
            [],
        );
        assert.deepStrictEqual(
            one(run.resources, "aws:msk/cluster:Cluster", "kafka-cluster").inputs.brokerNodeGroupInfo.securityGroups,
            ["sg-0adopted"],
        );
    });

    describe("validation, all problems at once and before any resource exists", () => {
        const base: MskClusterArgs = {
            vpcId: VPC,
            subnetIds: DATA_SUBNETS,
            availabilityZoneCount: 3,
            instanceType: "kafka.m5.large",
            clientSecurityGroupIds: [APP_SG],
            kmsKeyArn: MESSAGING_KEY,
            logsKmsKeyArn: LOGS_KEY,
            logRetentionInDays: 30,
        };
        const cases: [string, Partial<MskClusterArgs>, string][] = [
            [
                "a fractional broker count per AZ, which would not be a multiple of the AZ count",
                { brokersPerAvailabilityZone: 1.5 },
                "MskCluster k: brokersPerAvailabilityZone must be a whole number of at least 1, so that numberOfBrokerNodes " +
                    "(brokers per AZ x availabilityZoneCount) is a multiple of the AZ count as MSK requires; received 1.5",
            ],
            [
                "no brokers",
                { brokersPerAvailabilityZone: 0 },
                "MskCluster k: brokersPerAvailabilityZone must be a whole number of at least 1, so that numberOfBrokerNodes " +
                    "(brokers per AZ x availabilityZoneCount) is a multiple of the AZ count as MSK requires; received 0",
            ],
            [
                "four AZs",
                { availabilityZoneCount: 4 },
                "MskCluster k: availabilityZoneCount must be 2 or 3 (MSK spreads brokers evenly over 2 or 3 AZs); received 4",
            ],
            [
                "an Express broker type",
                { instanceType: "express.m7g.large" },
                'MskCluster k: instanceType must be an MSK Standard broker type such as kafka.m5.large (Express brokers have no EBS volume to size); received "express.m7g.large"',
            ],
            [
                "min.insync.replicas equal to the replication factor",
                { minInSyncReplicas: 3 },
                "MskCluster k: minInSyncReplicas (3) must be below the replication factor (3): otherwise acks=all producers " +
                    "stop whenever MSK restarts a broker for patching; use 2",
            ],
            [
                "a replication factor above the broker count",
                { availabilityZoneCount: 2, defaultReplicationFactor: 3 },
                "MskCluster k: defaultReplicationFactor must be a whole number from 1 to the broker count (2); received 3",
            ],
            [
                "client rules with an adopted security group",
                { securityGroupId: "sg-0adopted" },
                "MskCluster k: clientSecurityGroupIds and clientCidrs shape the security group the component creates; with " +
                    "securityGroupId (an adopted group) admit the clients in that group instead",
            ],
            [
                "a created security group without clients",
                { clientSecurityGroupIds: [] },
                "MskCluster k: the brokers' security group would admit no client: pass clientSecurityGroupIds or clientCidrs, " +
                    "or adopt a group with securityGroupId",
            ],
            [
                "a storage ceiling below the starting volume",
                { volumeSizeGiB: 500, maxVolumeSizeGiB: 400 },
                "MskCluster k: maxVolumeSizeGiB must be a whole number above volumeSizeGiB (500) and at most 16384; received 400",
            ],
            [
                "a storage target above 80 %",
                { storageUtilizationTargetPercent: 90 },
                "MskCluster k: storageUtilizationTargetPercent must be from 10 to 80; received 90",
            ],
            [
                "a broker log retention CloudWatch Logs does not offer",
                { logRetentionInDays: 31 },
                "MskCluster k: logRetentionInDays must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); received 31",
            ],
        ];
        for (const [what, change, message] of cases) {
            it(`rejects ${what}`, () => {
                assert.throws(() => mskClusterSettings("k", { ...base, ...change }), { message });
            });
        }

        it("reports every problem in one error", () => {
            assert.throws(
                () => mskClusterSettings("k", { ...base, availabilityZoneCount: 1, instanceType: "m5.large" }),
                {
                    message:
                        "MskCluster k: availabilityZoneCount must be 2 or 3 (MSK spreads brokers evenly over 2 or 3 AZs); received 1; " +
                        'instanceType must be an MSK Standard broker type such as kafka.m5.large (Express brokers have no EBS volume to size); received "m5.large"',
                },
            );
        });

        it("fails the program before registering any child", async () => {
            const run = await runStack({
                stack: "dev",
                program: messagingProgram("dev", { msk: { brokersPerAvailabilityZone: 0 } }),
            });
            assert.match(
                run.error?.message ?? "",
                /^MskCluster kafka: brokersPerAvailabilityZone must be a whole number/,
            );
            assert.deepStrictEqual(
                run.resources.filter((r) => r.type.startsWith("aws:msk")),
                [],
            );
        });

        it("fails when the subnets do not match the AZ count", async () => {
            const run = await runStack({
                stack: "dev",
                program: messagingProgram("dev", { msk: { subnetIds: DATA_SUBNETS } }),
            });
            // The runtime prefixes the path of the property whose serialization failed.
            assert.match(
                run.error?.message ?? "",
                /MskCluster kafka: subnetIds has 3 subnets but availabilityZoneCount is 2; pass one data subnet per AZ$/,
            );
        });
    });
});

describe("Kafka settings", () => {
    it("replicates three times with two in sync where there are three brokers, and stays writable with fewer", () => {
        assert.deepStrictEqual(
            [2, 3, 6].map((n) => defaultReplication(n)),
            [
                { replicationFactor: 2, minInSyncReplicas: 1 },
                { replicationFactor: 3, minInSyncReplicas: 2 },
                { replicationFactor: 3, minInSyncReplicas: 2 },
            ],
        );
        for (const n of [1, 2, 3, 4, 6, 9]) assert.deepStrictEqual(replicationProblems(n, defaultReplication(n)), []);
        assert.match(
            serverProperties({ replicationFactor: 3, minInSyncReplicas: 2 }),
            /^auto\.create\.topics\.enable=false\n/,
        );
    });

    it("derives topic and group ARNs from the cluster ARN", () => {
        const cluster = `arn:aws:kafka:us-east-1:${MOCK_AWS_ACCOUNT}:cluster/platform/6357e0b2-0e6a-4b86-a0b4-70df934c2e31-5`;
        assert.strictEqual(
            kafkaResourceArn(cluster, "topic", "orders"),
            `arn:aws:kafka:us-east-1:${MOCK_AWS_ACCOUNT}:topic/platform/6357e0b2-0e6a-4b86-a0b4-70df934c2e31-5/orders`,
        );
        assert.strictEqual(
            kafkaResourceArn(cluster, "group", "connect-x"),
            `arn:aws:kafka:us-east-1:${MOCK_AWS_ACCOUNT}:group/platform/6357e0b2-0e6a-4b86-a0b4-70df934c2e31-5/connect-x`,
        );
        assert.throws(() => kafkaResourceArn("arn:aws:sqs:us-east-1:1:q", "topic", "t"), {
            message: 'not an MSK cluster ARN: "arn:aws:sqs:us-east-1:1:q"',
        });
    });
});
