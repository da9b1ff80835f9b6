/**
 * The in-VPC GitHub Actions runner: where its builds run, what they may reach, what the runner's role
 * may do, how jobs reach it, and the argument checks with their exact messages.
 */
import * as assert from "assert";
import * as aws from "@pulumi/aws";
import {
    GitHubActionsRunner,
    runnerLabel,
    runnerProblems,
    runnerServicePolicy,
    type GitHubActionsRunnerArgs,
} from "../../components/cicd";
import { descendantsOf, one } from "../../harness/lookup";
import type { RecordedResource } from "../../harness/recorder";
import { runStack } from "../../harness/run";

const KEY = "arn:aws:kms:us-east-1:123456789012:key/logs";
const CONNECTION = "arn:aws:codeconnections:us-east-1:123456789012:connection/0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";
const ARGS: GitHubActionsRunnerArgs = {
    projectName: "platform-dev-deployer",
    repository: "acme/multicloud-platform",
    connectionArn: CONNECTION,
    region: "us-east-1",
    vpcId: "vpc-1",
    subnetIds: ["subnet-a", "subnet-b"],
    kmsKeyArn: KEY,
    logRetentionDays: 30,
};
const T = {
    project: "aws:codebuild/project:Project",
    webhook: "aws:codebuild/webhook:Webhook",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    role: "aws:iam/role:Role",
    policy: "aws:iam/rolePolicy:RolePolicy",
    logs: "aws:cloudwatch/logGroup:LogGroup",
};

async function runner(args: Partial<GitHubActionsRunnerArgs> = {}): Promise<readonly RecordedResource[]> {
    const run = await runStack({
        stack: "dev",
        program: async () => {
            const provider = new aws.Provider("aws", { region: "us-east-1" });
            new GitHubActionsRunner("ci", { ...ARGS, ...args }, { provider });
        },
    });
    assert.ifError(run.error);
    return run.resources;
}

describe("GitHubActionsRunner", () => {
    let rs: readonly RecordedResource[];
    before(async () => {
        rs = await runner();
    });

    it("owns a project, its webhook, security group, role, policy and log group, named after it", () => {
        const component = one(rs, "multicloud:cicd:GitHubActionsRunner", "ci");
        assert.deepStrictEqual(
            descendantsOf(rs, component)
                .map((r) => `${r.type} ${r.name}`)
                .sort(),
            Object.values(T)
                .map((t) => `${t} ci`)
                .sort(),
        );
    });

    it("runs builds in the given subnets with its own group, from this repository through the connection", () => {
        const p = one(rs, T.project, "ci").inputs;
        const sg = one(rs, T.sg, "ci");
        assert.strictEqual(p.name, "platform-dev-deployer");
        assert.deepStrictEqual(p.vpcConfig, {
            vpcId: "vpc-1",
            subnets: ["subnet-a", "subnet-b"],
            securityGroupIds: [sg.outputs.id],
        });
        assert.deepStrictEqual(p.source, {
            type: "GITHUB",
            location: "https://github.com/acme/multicloud-platform.git",
            auth: { type: "CODECONNECTIONS", resource: CONNECTION },
        });
        assert.strictEqual(p.projectVisibility, "PRIVATE");
        assert.strictEqual(p.environment.privilegedMode, false);
        assert.strictEqual(p.environment.computeType, "BUILD_GENERAL1_MEDIUM");
        assert.strictEqual(p.buildTimeout, 180);
    });

    it("is reachable from nothing and reaches only HTTPS", () => {
        const sg = one(rs, T.sg, "ci").inputs;
        assert.deepStrictEqual(sg.ingress ?? [], []);
        assert.deepStrictEqual(
            sg.egress.map((e: any) => [e.protocol, e.fromPort, e.toPort, e.cidrBlocks]),
            [["tcp", 443, 443, ["0.0.0.0/0"]]],
        );
    });

    it("encrypts with the customer-managed key: the log group it logs to and the project's data", () => {
        const p = one(rs, T.project, "ci").inputs;
        const logs = one(rs, T.logs, "ci");
        assert.strictEqual(p.encryptionKey, KEY);
        assert.strictEqual(logs.inputs.kmsKeyId, KEY);
        assert.strictEqual(logs.inputs.retentionInDays, 30);
        assert.deepStrictEqual(p.logsConfig, {
            cloudwatchLogs: { status: "ENABLED", groupName: logs.outputs.name },
            s3Logs: { status: "DISABLED" },
        });
        assert.deepStrictEqual(p.artifacts, { type: "NO_ARTIFACTS" });
        assert.deepStrictEqual(p.cache, { type: "NO_CACHE" });
    });

    it("starts one build per queued workflow job; fork pull requests wait for a maintainer", () => {
        const w = one(rs, T.webhook, "ci").inputs;
        assert.strictEqual(w.projectName, "platform-dev-deployer");
        assert.deepStrictEqual(w.filterGroups, [{ filters: [{ type: "EVENT", pattern: "WORKFLOW_JOB_QUEUED" }] }]);
        assert.deepStrictEqual(w.pullRequestBuildPolicy, {
            requiresCommentApproval: "FORK_PULL_REQUESTS",
            approverRoles: ["GITHUB_MAINTAIN", "GITHUB_ADMIN"],
        });
    });

    it("runs as a role only CodeBuild of this account assumes, whose policy exists before the project", () => {
        const role = one(rs, T.role, "ci");
        const policy = one(rs, T.policy, "ci");
        assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement, [
            {
                Effect: "Allow",
                Principal: { Service: "codebuild.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
            },
        ]);
        assert.ok(one(rs, T.project, "ci").dependencies.includes(policy.urn));
        const statements = JSON.parse(policy.inputs.policy).Statement;
        assert.deepStrictEqual(
            statements.map((s: any) => [s.Sid, s.Resource]),
            [
                ["WriteBuildLogs", `${one(rs, T.logs, "ci").outputs.arn}:*`],
                ["UseGitHubConnection", CONNECTION],
                ["EncryptProjectData", KEY],
                ["DescribeVpcForBuilds", "*"],
                ["AttachBuildInterfaces", "arn:aws:ec2:us-east-1:123456789012:network-interface/*"],
            ],
        );
        assert.deepStrictEqual(statements[4].Condition, {
            StringEquals: { "ec2:AuthorizedService": "codebuild.amazonaws.com" },
            ArnEquals: {
                "ec2:Subnet": [
                    "arn:aws:ec2:us-east-1:123456789012:subnet/subnet-a",
                    "arn:aws:ec2:us-east-1:123456789012:subnet/subnet-b",
                ],
            },
        });
    });

    it("grants no deploy permission: every action is on logs, the connection, the key or build interfaces", () => {
        const doc = runnerServicePolicy({
            partition: "aws",
            region: "us-east-1",
            accountId: "123456789012",
            logGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:ci",
            connectionArn: CONNECTION.replace("codeconnections", "codestar-connections"),
            kmsKeyArn: KEY,
            subnetArns: [],
        });
        const actions = doc.Statement.flatMap((s) => ([] as string[]).concat(s.Action as string | string[]));
        assert.deepStrictEqual(
            [...new Set(actions.map((a) => a.split(":")[0]))],
            ["logs", "codestar-connections", "kms", "ec2"],
        );
        assert.ok(!actions.some((a) => a.includes("*") && !a.startsWith("kms:GenerateDataKey")), actions.join());
    });

    it("gives jobs the runs-on label CodeBuild matches to the project", () => {
        assert.strictEqual(
            runnerLabel("platform-prod-deployer"),
            "codebuild-platform-prod-deployer-${{ github.run_id }}-${{ github.run_attempt }}",
        );
    });

    it("rejects every bad argument at once, before creating anything", () => {
        assert.deepStrictEqual(
            runnerProblems({
                projectName: "-deployer",
                repository: "acme",
                connectionArn: "arn:aws:iam::123456789012:role/github",
                computeType: "BUILD_GENERAL1_HUGE",
                buildTimeoutMinutes: 4,
            }),
            [
                `projectName "-deployer" is not a CodeBuild project name (2 to 150 letters, digits, '-' or '_', a letter or digit first)`,
                `repository "acme" is not a GitHub repository as owner/name`,
                `connectionArn "arn:aws:iam::123456789012:role/github" is not a CodeConnections connection ARN`,
                `computeType "BUILD_GENERAL1_HUGE" is not one of BUILD_GENERAL1_SMALL, BUILD_GENERAL1_MEDIUM, BUILD_GENERAL1_LARGE, BUILD_GENERAL1_XLARGE, BUILD_GENERAL1_2XLARGE`,
                "buildTimeoutMinutes must be a whole number from 5 to 2160; received 4",
            ],
        );
        assert.deepStrictEqual(runnerProblems(ARGS), []);
    });

    it("throws naming the component before registering a child", async () => {
        const run = await runStack({
            stack: "dev",
            program: async () => {
                const provider = new aws.Provider("aws", { region: "us-east-1" });
                new GitHubActionsRunner("ci", { ...ARGS, repository: "acme" }, { provider });
            },
        });
        assert.strictEqual(
            run.error?.message,
            `GitHubActionsRunner ci: repository "acme" is not a GitHub repository as owner/name`,
        );
        assert.deepStrictEqual(
            run.resources.filter((r) => r.type.startsWith("aws:")).map((r) => r.type),
            [],
        );
    });
});
