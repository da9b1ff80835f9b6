/**
 * The CI runner with reach: a CodeBuild-hosted GitHub Actions runner in the primary VPC's app subnets,
 * where both private cluster APIs are routed (EKS in the VPC, GKE over the VPN). Only where the stack
 * file declares `deploy.runner` and leaves it enabled.
 */
import { GitHubActionsRunner } from "../../components/cicd";
import type { PlatformContext } from "../context";
import type { NetworkLayer } from "./network";
import type { SecurityLayer } from "./security";

/** The runner, or undefined where the stack has none. */
export type CicdLayer = GitHubActionsRunner | undefined;

/** `platform-<environment>-deployer`: the project name the workflows' `runs-on` labels name. */
export function runnerProjectName(prefix: string): string {
    return `${prefix}-deployer`;
}

export function cicd(ctx: PlatformContext, keys: SecurityLayer, net: NetworkLayer): CicdLayer {
    const { cfg, providers, prefix } = ctx;
    const runner = cfg.deploy.runner;
    if (!runner?.enabled) return undefined;
    return new GitHubActionsRunner(
        "ci-runner",
        {
            projectName: runnerProjectName(prefix),
            repository: runner.repository,
            connectionArn: runner.connectionArn,
            region: cfg.aws.primaryRegion,
            vpcId: net.primary.vpcId,
            // The app tier: private, NAT egress, and the Transit Gateway attachment's routes to GCP. Its
            // ranges (net.primary.subnetCidrs.app) are the deployer's source addresses.
            subnetIds: net.primary.appSubnetIds,
            kmsKeyArn: keys.primary.arn("logs"),
            logRetentionDays: cfg.sizing.logRetentionDays,
            ...(runner.computeType === undefined ? {} : { computeType: runner.computeType }),
        },
        { provider: providers.awsPrimary },
    );
}
