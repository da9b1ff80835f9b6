import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { encryptedLogGroup } from "../../components/observability/encrypted-log-group";
import { validateAwsNetworkArgs } from "../../components/network/aws-network";
import { validateCrossCloudVpnArgs } from "../../components/network/cross-cloud-vpn";
import { LOG_RETENTION_DAYS, logRetentionProblems } from "../../components/shared/log-retention";
import { one, ofType } from "../../harness/lookup";
import { runStack } from "../../harness/run";
import { evaluated } from "../../harness/stacks";

const KEY = "arn:aws:kms:us-east-1:123456789012:key/logs";
const ALLOWED = LOG_RETENTION_DAYS.join(", ");

describe("encryptedLogGroup", () => {
    it("creates a group encrypted with the given key, with the given retention, named only when asked", async () => {
        const run = await runStack({
            stack: "dev",
            program: async () => {
                const provider = new aws.Provider("aws", { region: "us-east-1" });
                encryptedLogGroup("auto", { retentionInDays: 30, kmsKeyArn: KEY }, { provider });
                encryptedLogGroup(
                    "named",
                    { retentionInDays: 365, kmsKeyArn: KEY, logGroupName: "/aws/rds/cluster/c/postgresql" },
                    { provider },
                );
            },
        });
        assert.ifError(run.error);
        const group = "aws:cloudwatch/logGroup:LogGroup";
        assert.deepStrictEqual(one(run.resources, group, "auto").inputs, { retentionInDays: 30, kmsKeyId: KEY });
        assert.deepStrictEqual(one(run.resources, group, "named").inputs, {
            name: "/aws/rds/cluster/c/postgresql",
            retentionInDays: 365,
            kmsKeyId: KEY,
        });
    });

    it("refuses a retention CloudWatch Logs does not offer, naming the allowed values, and registers nothing", async () => {
        const run = await runStack({
            stack: "dev",
            program: async () => {
                const provider = new aws.Provider("aws", { region: "us-east-1" });
                encryptedLogGroup("flow", { retentionInDays: 2, kmsKeyArn: KEY }, { provider });
            },
        });
        assert.strictEqual(
            run.error?.message,
            `log group flow: retentionInDays must be a CloudWatch Logs retention (${ALLOWED}); received 2`,
        );
        assert.deepStrictEqual(ofType(run.resources, "aws:cloudwatch/logGroup:LogGroup"), []);
    });

    it("states the retention rule once, for validators that collect problems", () => {
        assert.deepStrictEqual(logRetentionProblems("x", 3653), []);
        assert.deepStrictEqual(logRetentionProblems("x", 36.5), [
            `x must be a CloudWatch Logs retention (${ALLOWED}); received 36.5`,
        ]);
    });

    it("is checked up front by the network components that create log groups", () => {
        assert.throws(
            () =>
                validateAwsNetworkArgs("net", {
                    region: "us-east-1",
                    cidrBlock: "10.100.0.0/16",
                    availabilityZoneCount: 2,
                    natGateways: "single",
                    logsKmsKeyArn: KEY,
                    flowLogRetentionInDays: 10,
                }),
            {
                message: `AwsNetwork net: flowLogRetentionInDays must be a CloudWatch Logs retention (${ALLOWED}); received 10`,
            },
        );
        assert.throws(
            () =>
                validateCrossCloudVpnArgs("vpn", {
                    awsVpcId: "vpc-1",
                    awsAttachmentSubnetIds: ["subnet-1"],
                    awsRouteTableIds: ["rtb-1"],
                    awsAsn: 64512,
                    gcpNetwork: "net",
                    gcpProject: "p",
                    gcpRegion: "us-east4",
                    gcpAsn: 64513,
                    gcpRanges: ["10.102.0.0/20"],
                    logsKmsKeyArn: KEY,
                    logRetentionInDays: 0,
                }),
            {
                message: `CrossCloudVpn vpn: logRetentionInDays must be a CloudWatch Logs retention (${ALLOWED}); received 0`,
            },
        );
    });

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: every log group of the platform has a customer-managed key and a retention CloudWatch Logs accepts`, async () => {
            const { run } = await evaluated(stack);
            const groups = ofType(run.resources, "aws:cloudwatch/logGroup:LogGroup");
            assert.ok(groups.length >= 5, `${groups.length} log groups`);
            for (const g of groups) {
                assert.match(String(g.inputs.kmsKeyId), /^arn:aws:kms:/, g.name);
                assert.ok((LOG_RETENTION_DAYS as readonly number[]).includes(g.inputs.retentionInDays), g.name);
            }
        });
    }
});
