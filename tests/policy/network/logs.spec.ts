/** Logs of the network: encrypted CloudWatch log groups, VPC flow logs and GCP subnet flow logs. */
import * as assert from "assert";
import { unknownCheckingProxy } from "@pulumi/policy";
import * as policyProxy from "@pulumi/policy/proxy";
import { awsVpcFlowLogs, cloudwatchLogGroupEncrypted, gcpSubnetFlowLogs } from "../../../policy/policies";
import type { RecordedResource } from "../../../harness/recorder";
import { loadPolicyPackConfig } from "../../../policy/pack-config";
import { runPolicies } from "../../../harness/policy-runner";
import { check, messages, resource } from "../fixtures";

const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
describe("policy cloudwatch-log-group-encrypted", () => {
    const logGroup = (inputs: Record<string, unknown>) => [
        resource("aws:cloudwatch/logGroup:LogGroup", "flow-logs", {
            retentionInDays: 365,
            kmsKeyId: KEY_ARN,
            ...inputs,
        }),
    ];
    const MISSING =
        "Log group has no kmsKeyId, so it is encrypted only with a key CloudWatch Logs owns. " +
        "Set kmsKeyId to the ARN of a customer-managed KMS key.";

    it("passes a log group encrypted with a customer-managed key", async () => {
        assert.deepStrictEqual(await check(cloudwatchLogGroupEncrypted, logGroup({})), []);
    });

    it("catches a log group without kmsKeyId, as mandatory, on the log group", async () => {
        const vs = await check(cloudwatchLogGroupEncrypted, logGroup({ kmsKeyId: undefined }));
        assert.deepStrictEqual(messages(vs), [MISSING]);
        assert.strictEqual(vs[0].level, "mandatory");
        assert.strictEqual(vs[0].urn, logGroup({})[0].urn);
    });

    it("treats an empty kmsKeyId as missing", async () => {
        assert.deepStrictEqual(messages(await check(cloudwatchLogGroupEncrypted, logGroup({ kmsKeyId: "" }))), [
            MISSING,
        ]);
    });

    it("accepts service-owned encryption when requireCustomerManagedKey is false", async () => {
        assert.deepStrictEqual(
            await check(cloudwatchLogGroupEncrypted, logGroup({ kmsKeyId: undefined }), {
                requireCustomerManagedKey: false,
            }),
            [],
        );
    });
});

describe("policy aws-vpc-flow-logs", () => {
    const VPC_ID = "vpc-0123456789abcdef0";
    const awsVpc = (name = "main", extra: Partial<RecordedResource> = {}) =>
        resource(
            "aws:ec2/vpc:Vpc",
            name,
            { cidrBlock: "10.0.0.0/16" },
            { outputs: { cidrBlock: "10.0.0.0/16", id: VPC_ID }, ...extra },
        );
    const awsxVpc = (name = "main") =>
        resource(
            "awsx:ec2:Vpc",
            name,
            { cidrBlock: "10.0.0.0/16" },
            { custom: false, remote: true, outputs: { vpcId: VPC_ID } },
        );
    /** A flow log as the SDK registers it: vpcId resolved, and the VPC it came from recorded as a dependency. */
    const flowLog = (vpcUrn: string | undefined, inputs: Record<string, unknown> = { vpcId: VPC_ID }) =>
        resource(
            "aws:ec2/flowLog:FlowLog",
            "main-flow-log",
            { trafficType: "ALL", logDestinationType: "cloud-watch-logs", ...inputs },
            vpcUrn ? { dependencies: [vpcUrn], propertyDependencies: { vpcId: [vpcUrn] } } : {},
        );
    // The SDK's sentinel for a string that is unknown during preview (internal to @pulumi/policy 1.21).
    const UNKNOWN: string = (policyProxy as any).unknownStringValue;

    it("passes a VPC whose flow log depends on it", async () => {
        const vpc = awsVpc();
        assert.deepStrictEqual(await check(awsVpcFlowLogs, [vpc, flowLog(vpc.urn)]), []);
    });

    it("passes a VPC whose flow log names its id, without a recorded dependency", async () => {
        assert.deepStrictEqual(await check(awsVpcFlowLogs, [awsVpc(), flowLog(undefined)]), []);
    });

    it("catches a VPC without a flow log, as advisory (hygiene), on the VPC", async () => {
        const vpc = awsVpc();
        const vs = await check(awsVpcFlowLogs, [vpc]);
        assert.deepStrictEqual(messages(vs), [
            'VPC "main" has no flow log. Add an aws.ec2.FlowLog with vpcId: vpc.id.',
        ]);
        assert.strictEqual(vs[0].level, "advisory");
        assert.strictEqual(vs[0].urn, vpc.urn);
    });

    it("is mandatory under the prod pack configuration", async () => {
        const vs = await runPolicies([awsVpc()], [awsVpcFlowLogs], { config: loadPolicyPackConfig("prod") });
        assert.deepStrictEqual(
            vs.map((v) => v.level),
            ["mandatory"],
        );
    });

    it("counts only flow logs of an accepted traffic type", async () => {
        const vpc = awsVpc();
        const rejectsOnly = flowLog(vpc.urn, { vpcId: VPC_ID, trafficType: "REJECT" });
        assert.deepStrictEqual(messages(await check(awsVpcFlowLogs, [vpc, rejectsOnly])), [
            'VPC "main" has only a flow log of trafficType REJECT; accepted: ALL. Set trafficType: "ALL".',
        ]);
        assert.deepStrictEqual(
            await check(awsVpcFlowLogs, [vpc, rejectsOnly], { acceptedTrafficTypes: ["ALL", "REJECT"] }),
            [],
        );
    });

    it("does not count a flow log of another VPC, or one on a subnet", async () => {
        const vpc = awsVpc();
        const other = flowLog(undefined, { vpcId: "vpc-0fffffffffffffff0" });
        const onSubnet = flowLog(undefined, { vpcId: undefined, subnetId: "subnet-0123" });
        assert.deepStrictEqual(messages(await check(awsVpcFlowLogs, [vpc, other, onSubnet])), [
            'VPC "main" has no flow log. Add an aws.ec2.FlowLog with vpcId: vpc.id.',
        ]);
    });

    it("judges each VPC on its own", async () => {
        const covered = awsVpc("main");
        const bare = awsVpc("egress", { outputs: { id: "vpc-0eeeeeeeeeeeeeee0" } });
        const vs = await check(awsVpcFlowLogs, [covered, bare, flowLog(covered.urn)]);
        assert.deepStrictEqual(
            vs.map((v) => [v.urn, v.message]),
            [[bare.urn, 'VPC "egress" has no flow log. Add an aws.ec2.FlowLog with vpcId: vpc.id.']],
        );
    });

    it("offline, an awsx.ec2.Vpc component stands for its VPC", async () => {
        const vpc = awsxVpc();
        assert.deepStrictEqual(await check(awsVpcFlowLogs, [vpc, flowLog(vpc.urn)]), []);
        assert.deepStrictEqual(await check(awsVpcFlowLogs, [vpc, flowLog(undefined)]), []);
        const vs = await check(awsVpcFlowLogs, [vpc]);
        assert.deepStrictEqual(messages(vs), [
            'VPC "main" has no flow log. Add an aws.ec2.FlowLog with vpcId: vpc.vpcId.',
        ]);
        assert.strictEqual(vs[0].urn, vpc.urn);
    });

    describe("in a real preview, where the aws.ec2.Vpc is a child of the awsx.ec2.Vpc", () => {
        const component = awsxVpc();
        const child = awsVpc("main", { parent: component.urn });

        it("covers the child through a flow log that depends on the component", async () => {
            assert.deepStrictEqual(await check(awsVpcFlowLogs, [component, child, flowLog(component.urn)]), []);
        });

        it("covers the component through a flow log that depends on the child", async () => {
            assert.deepStrictEqual(await check(awsVpcFlowLogs, [component, child, flowLog(child.urn)]), []);
        });

        it("reports an uncovered VPC once, on the component the program declared", async () => {
            const vs = await check(awsVpcFlowLogs, [component, child]);
            assert.deepStrictEqual(
                vs.map((v) => [v.urn, v.message]),
                [[component.urn, 'VPC "main" has no flow log. Add an aws.ec2.FlowLog with vpcId: vpc.vpcId.']],
            );
        });
    });

    describe("with ids unknown during preview", () => {
        const vpc = awsVpc("main", { outputs: unknownCheckingProxy({ cidrBlock: "10.0.0.0/16", id: UNKNOWN }) });
        const pending = (vpcUrn: string | undefined) => {
            const f = flowLog(vpcUrn);
            return { ...f, outputs: unknownCheckingProxy({ ...f.outputs, vpcId: UNKNOWN }) };
        };

        it("matches by the recorded dependency", async () => {
            assert.deepStrictEqual(await check(awsVpcFlowLogs, [vpc, pending(vpc.urn)]), []);
        });

        it("still reports a VPC no flow log depends on, rather than giving up", async () => {
            assert.deepStrictEqual(messages(await check(awsVpcFlowLogs, [vpc, pending(undefined)])), [
                'VPC "main" has no flow log. Add an aws.ec2.FlowLog with vpcId: vpc.id.',
            ]);
        });
    });
});

describe("policy gcp-subnet-flow-logs", () => {
    const subnet = (inputs: Record<string, unknown>) => [
        resource("gcp:compute/subnetwork:Subnetwork", "dr-nodes", {
            network: "dr",
            region: "us-central1",
            ipCidrRange: "10.20.0.0/20",
            privateIpGoogleAccess: true,
            logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
            ...inputs,
        }),
    ];

    it("passes a subnet with flow logs", async () => {
        assert.deepStrictEqual(await check(gcpSubnetFlowLogs, subnet({})), []);
    });

    it("catches sampling below minimumFlowSampling, which GCP's 0.5 default meets", async () => {
        const sparse = { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.1 };
        assert.deepStrictEqual(messages(await check(gcpSubnetFlowLogs, subnet({ logConfig: sparse }))), [
            "Subnetwork logConfig.flowSampling is 0.1, below minimumFlowSampling 0.5. Set flowSampling to at least 0.5.",
        ]);
        assert.deepStrictEqual(
            await check(gcpSubnetFlowLogs, subnet({ logConfig: sparse }), { minimumFlowSampling: 0.1 }),
            [],
        );
        assert.deepStrictEqual(
            await check(gcpSubnetFlowLogs, subnet({ logConfig: { aggregationInterval: "INTERVAL_5_SEC" } })),
            [],
        );
    });

    it("catches a subnet without logConfig, as advisory, also when its purpose is PRIVATE", async () => {
        for (const purpose of [undefined, "PRIVATE"]) {
            const vs = await check(gcpSubnetFlowLogs, subnet({ logConfig: undefined, purpose }));
            assert.deepStrictEqual(messages(vs), [
                "Subnetwork has no logConfig, so VPC flow logs are off. Set logConfig.",
            ]);
            assert.strictEqual(vs[0].level, "advisory");
            assert.strictEqual(vs[0].urn, subnet({})[0].urn);
        }
    });

    it("catches a flow log sampling rate of 0, which logs nothing", async () => {
        assert.deepStrictEqual(
            messages(
                await check(
                    gcpSubnetFlowLogs,
                    subnet({ logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0 } }),
                ),
            ),
            ["Subnetwork logConfig.flowSampling is 0, so no flows are logged. Set it above 0."],
        );
    });

    it("does not apply to proxy-only and Private Service Connect subnets, which cannot have flow logs", async () => {
        for (const purpose of [
            "REGIONAL_MANAGED_PROXY",
            "GLOBAL_MANAGED_PROXY",
            "PRIVATE_SERVICE_CONNECT",
            "INTERNAL_HTTPS_LOAD_BALANCER",
        ]) {
            assert.deepStrictEqual(
                await check(gcpSubnetFlowLogs, subnet({ logConfig: undefined, purpose })),
                [],
                purpose,
            );
        }
    });
});
