/**
 * What the CI runner's CodeBuild service role may do, as pure documents of plain strings. The role only
 * runs the runner: every deploy permission stays on the deploy role that each job assumes with its own
 * GitHub OIDC token, so a build on this runner holds nothing broad until a workflow step asks for it.
 */
import type { PolicyDocument } from "../shared";

/** The ARNs the runner's service role is scoped to. */
export interface RunnerGrant {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
    /** The runner's log group; CodeBuild writes every build's log stream into it. */
    readonly logGroupArn: string;
    /** The CodeConnections (or older CodeStar Connections) connection to GitHub. */
    readonly connectionArn: string;
    /** The customer-managed key of the log group and of anything CodeBuild stores for the project. */
    readonly kmsKeyArn: string;
    /** The subnets the builds' network interfaces are created in. */
    readonly subnetArns: readonly string[];
}

/** The service prefix an IAM action on a connection takes: the one its ARN names. */
export function connectionService(connectionArn: string): "codeconnections" | "codestar-connections" {
    return connectionArn.split(":")[2] === "codestar-connections" ? "codestar-connections" : "codeconnections";
}

/**
 * The runner role's policy: its own log streams, the GitHub connection's token, the key, and the network
 * interfaces CodeBuild creates for a build in the VPC (AWS CodeBuild user guide, "Allow CodeBuild access
 * to AWS services required to create a VPC network interface": the describe calls take no resource, the
 * interface permission is narrowed to the runner's subnets and to CodeBuild as the authorized service).
 */
export function runnerServicePolicy(g: RunnerGrant): PolicyDocument {
    const svc = connectionService(g.connectionArn);
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "WriteBuildLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: `${g.logGroupArn}:*`,
            },
            {
                Sid: "UseGitHubConnection",
                Effect: "Allow",
                Action: [`${svc}:GetConnectionToken`, `${svc}:GetConnection`, `${svc}:UseConnection`],
                Resource: g.connectionArn,
            },
            {
                Sid: "EncryptProjectData",
                Effect: "Allow",
                Action: ["kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
                Resource: g.kmsKeyArn,
            },
            {
                Sid: "DescribeVpcForBuilds",
                Effect: "Allow",
                Action: [
                    "ec2:CreateNetworkInterface",
                    "ec2:DeleteNetworkInterface",
                    "ec2:DescribeDhcpOptions",
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribeSecurityGroups",
                    "ec2:DescribeSubnets",
                    "ec2:DescribeVpcs",
                ],
                Resource: "*",
            },
            {
                Sid: "AttachBuildInterfaces",
                Effect: "Allow",
                Action: "ec2:CreateNetworkInterfacePermission",
                Resource: `arn:${g.partition}:ec2:${g.region}:${g.accountId}:network-interface/*`,
                Condition: {
                    StringEquals: { "ec2:AuthorizedService": "codebuild.amazonaws.com" },
                    ArnEquals: { "ec2:Subnet": [...g.subnetArns] },
                },
            },
        ],
    };
}
