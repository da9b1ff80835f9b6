import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { encryptedLogGroup } from "../observability/encrypted-log-group";
import { serviceTrustPolicy } from "../shared/iam";
import { runnerServicePolicy } from "./runner-policy";
import { RUNNER_DEFAULTS, runnerLabel, runnerProblems, type RunnerComputeType } from "./runner-settings";

export interface GitHubActionsRunnerArgs {
    /**
     * Name of the CodeBuild project. Workflow jobs select the runner by it (`runs-on:
     * codebuild-<projectName>-${{ github.run_id }}-${{ github.run_attempt }}`), so it is fixed, not auto-named.
     */
    readonly projectName: string;
    /** The GitHub repository whose workflow jobs the runner takes, as `owner/name`. */
    readonly repository: string;
    /**
     * ARN of an AVAILABLE CodeConnections connection to GitHub (a GitHub App installation); created once per
     * account in the console, because completing it needs a browser handshake with GitHub.
     */
    readonly connectionArn: string;
    /** Region of the runner; the connection must be in the same one. */
    readonly region: string;
    /** VPC the builds run in. */
    readonly vpcId: pulumi.Input<string>;
    /**
     * Private subnets (NAT egress, routes to the VPN) the builds' network interfaces are placed in; their
     * ranges are where the deployer's traffic comes from, so they must be inside the deployer ranges the
     * cluster APIs admit.
     */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Customer-managed key (ARN) of the region's `logs` purpose: the log group and CodeBuild's project data. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Days build logs are kept: a CloudWatch Logs retention value. */
    readonly logRetentionDays: number;
    /** CodeBuild compute type. @default "BUILD_GENERAL1_MEDIUM" */
    readonly computeType?: RunnerComputeType;
    /** Longest a job may run on the runner, 5 to 2160 minutes. @default 180 */
    readonly buildTimeoutMinutes?: number;
}

/**
 * A CodeBuild-hosted GitHub Actions runner inside a VPC: a project sourced from the repository through a
 * CodeConnections connection, a webhook that starts one build per queued workflow job
 * (`WORKFLOW_JOB_QUEUED`), its own security group with HTTPS egress only and no ingress, a service role
 * scoped to its logs, key, connection and network interfaces, and a KMS-encrypted log group.
 *
 * The role holds no deploy permission: each job still assumes its deploy or preview role with the job's
 * GitHub OIDC token, exactly as on a GitHub-hosted runner. What the runner adds is reach: its builds run in
 * the VPC's private subnets, where the private cluster APIs are routed.
 */
export class GitHubActionsRunner extends pulumi.ComponentResource {
    /** The CodeBuild project's name, which workflow jobs select in `runs-on`. */
    public readonly projectName: pulumi.Output<string>;
    /** The `runs-on` label of a job that runs here. */
    public readonly label: string;
    /** The builds' security group: the source the cluster APIs and other targets admit. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** The runner's service role. */
    public readonly roleArn: pulumi.Output<string>;
    public readonly logGroupName: pulumi.Output<string>;

    constructor(name: string, args: GitHubActionsRunnerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:cicd:GitHubActionsRunner", name, {}, opts);
        const problems = runnerProblems(args);
        if (problems.length > 0) throw new Error(`GitHubActionsRunner ${name}: ${problems.join("; ")}`);

        const logs = encryptedLogGroup(
            name,
            { retentionInDays: args.logRetentionDays, kmsKeyArn: args.kmsKeyArn },
            { parent: this },
        );
        const sg = new aws.ec2.SecurityGroup(
            name,
            {
                vpcId: args.vpcId,
                description: "CI runner builds: no ingress, HTTPS egress only",
                // GitHub, npm, Pulumi Cloud, the AWS and Google APIs (through NAT) and both private cluster
                // APIs (in the VPC, over the VPN) all listen on 443; DNS goes to the VPC resolver, which
                // security groups do not filter.
                egress: [
                    { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "HTTPS" },
                ],
            },
            { parent: this },
        );
        const { role, policy } = this.serviceRole(name, args, logs.arn);
        const project = new aws.codebuild.Project(
            name,
            {
                name: args.projectName,
                description: `GitHub Actions runner for ${args.repository}, inside the VPC`,
                serviceRole: role.arn,
                source: {
                    type: "GITHUB",
                    location: `https://github.com/${args.repository}.git`,
                    auth: { type: "CODECONNECTIONS", resource: args.connectionArn },
                },
                // A runner build checks nothing out and produces nothing: the workflow's steps do the work.
                artifacts: { type: "NO_ARTIFACTS" },
                cache: { type: "NO_CACHE" },
                encryptionKey: args.kmsKeyArn,
                environment: {
                    type: "LINUX_CONTAINER",
                    computeType: args.computeType ?? RUNNER_DEFAULTS.computeType,
                    image: RUNNER_DEFAULTS.image,
                    imagePullCredentialsType: "CODEBUILD",
                    privilegedMode: false,
                },
                buildTimeout: args.buildTimeoutMinutes ?? RUNNER_DEFAULTS.buildTimeoutMinutes,
                vpcConfig: { vpcId: args.vpcId, subnets: args.subnetIds, securityGroupIds: [sg.id] },
                logsConfig: {
                    cloudwatchLogs: { status: "ENABLED", groupName: logs.name },
                    s3Logs: { status: "DISABLED" },
                },
                projectVisibility: "PRIVATE",
            },
            // CodeBuild checks the VPC permissions when the project is created (aws-cdk #2651), so the
            // project waits for the role's policy, not only for the role.
            { parent: this, dependsOn: [policy] },
        );
        new aws.codebuild.Webhook(
            name,
            {
                projectName: project.name,
                buildType: "BUILD",
                filterGroups: [{ filters: [{ type: "EVENT", pattern: "WORKFLOW_JOB_QUEUED" }] }],
                // Jobs of a fork's pull request wait for a maintainer's approval comment before they build here.
                pullRequestBuildPolicy: {
                    requiresCommentApproval: "FORK_PULL_REQUESTS",
                    approverRoles: ["GITHUB_MAINTAIN", "GITHUB_ADMIN"],
                },
            },
            { parent: this },
        );

        this.projectName = project.name;
        this.label = runnerLabel(args.projectName);
        this.securityGroupId = sg.id;
        this.roleArn = role.arn;
        this.logGroupName = logs.name;
        this.registerOutputs({
            projectName: this.projectName,
            securityGroupId: this.securityGroupId,
            roleArn: this.roleArn,
            logGroupName: this.logGroupName,
        });
    }

    /** The service role CodeBuild runs builds as, and its one inline policy. */
    private serviceRole(
        name: string,
        args: GitHubActionsRunnerArgs,
        logGroupArn: pulumi.Output<string>,
    ): { role: aws.iam.Role; policy: aws.iam.RolePolicy } {
        const identity = aws.getCallerIdentityOutput({}, { parent: this });
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const role = new aws.iam.Role(
            name,
            {
                assumeRolePolicy: identity.accountId.apply((id) =>
                    JSON.stringify(serviceTrustPolicy("codebuild.amazonaws.com", id)),
                ),
            },
            { parent: this },
        );
        const policy = new aws.iam.RolePolicy(
            name,
            {
                role: role.id,
                policy: pulumi
                    .all([partition, identity.accountId, logGroupArn, args.kmsKeyArn, args.subnetIds])
                    .apply(([part, accountId, groupArn, keyArn, subnets]) =>
                        JSON.stringify(
                            runnerServicePolicy({
                                partition: part,
                                region: args.region,
                                accountId,
                                logGroupArn: groupArn,
                                connectionArn: args.connectionArn,
                                kmsKeyArn: keyArn,
                                subnetArns: subnets.map(
                                    (s) => `arn:${part}:ec2:${args.region}:${accountId}:subnet/${s}`,
                                ),
                            }),
                        ),
                    ),
            },
            { parent: this },
        );
        return { role, policy };
    }
}
