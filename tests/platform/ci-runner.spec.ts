/**
 * Where the deployer is: each stack's CI runner runs in the primary VPC's app subnets with its own
 * security group, and its source ranges (the `ciRunner` output the cluster API rules read) are those
 * subnets' CIDRs, inside the primary VPC.
 */
import * as assert from "assert";
import { contains, mustParseCidr } from "../../components/shared";
import { one, ofType } from "../../harness/lookup";
import { evaluated } from "../../harness/stacks";
import { loadStackConfig } from "../../harness/stack-config";

describe("the CI runner in the plan", () => {
    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: the CI runner builds in the primary VPC's app subnets, and reports their ranges`, async () => {
            const { run } = await evaluated(stack);
            const project = one(run.resources, "aws:codebuild/project:Project", "ci-runner");
            const vpc = one(run.resources, "awsx:ec2:Vpc", "network-primary-vpc");
            const sg = one(run.resources, "aws:ec2/securityGroup:SecurityGroup", "ci-runner");
            assert.deepStrictEqual(project.inputs.vpcConfig, {
                vpcId: vpc.outputs.vpcId,
                subnets: vpc.outputs.privateSubnetIds,
                securityGroupIds: [sg.outputs.id],
            });
            const out = run.outputs.ciRunner as { sourceCidrs: string[]; securityGroupId: string };
            const network = JSON.parse(loadStackConfig(stack).config["multicloud-platform:network"]);
            assert.strictEqual(out.sourceCidrs.length, vpc.outputs.privateSubnetIds.length);
            for (const cidr of out.sourceCidrs)
                assert.ok(contains(mustParseCidr(network.awsPrimaryVpcCidr), mustParseCidr(cidr)), cidr);
            assert.strictEqual(out.securityGroupId, sg.outputs.id);
            assert.strictEqual(ofType(run.resources, "aws:codebuild/webhook:Webhook").length, 1);
        });
    }
});
