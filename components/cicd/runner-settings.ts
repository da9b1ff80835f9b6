/**
 * The CI runner's closed choices, defaults and argument checks: pure, shared by the component, the
 * config rules and their tests.
 */
import { isOneOf } from "../shared/validation";

/** CodeBuild on-demand Linux compute types a deploy can run on (AWS CodeBuild user guide, "Build environment compute modes and types"). */
export const RUNNER_COMPUTE_TYPES = [
    "BUILD_GENERAL1_SMALL",
    "BUILD_GENERAL1_MEDIUM",
    "BUILD_GENERAL1_LARGE",
    "BUILD_GENERAL1_XLARGE",
    "BUILD_GENERAL1_2XLARGE",
] as const;
export type RunnerComputeType = (typeof RUNNER_COMPUTE_TYPES)[number];

/** CodeBuild's build timeout range, in minutes (CreateProject `timeoutInMinutes`: 5 to 2160). */
export const RUNNER_BUILD_TIMEOUT_MINUTES = { min: 5, max: 2160 } as const;

export const RUNNER_DEFAULTS = {
    /** 4 vCPU and 7 GB: a Pulumi program of this size with the policy pack needs more than SMALL's 3 GB. */
    computeType: "BUILD_GENERAL1_MEDIUM" as RunnerComputeType,
    /** As long as the deploy job's own timeout: a first `up` (EKS, Aurora global, MSK) takes up to 3 hours. */
    buildTimeoutMinutes: 180,
    /**
     * CodeBuild's curated Amazon Linux 2023 image, which carries the AWS CLI that pulumi-eks calls for
     * its kubeconfig token (`aws eks get-token`); CodeBuild pulls the image with its own credentials.
     */
    image: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
} as const;

/** GitHub's `owner/name`: letters, digits and hyphens for the owner; also `.` and `_` in the name. */
const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

/** CodeBuild project names (CreateProject `name`): 2 to 150 characters, a letter or digit first. */
const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{1,149}$/;

/** A CodeConnections (or CodeStar Connections) connection ARN. */
export const CONNECTION_ARN =
    /^arn:aws[a-z-]*:(codeconnections|codestar-connections):([a-z0-9-]+):(\d{12}):connection\/[0-9a-f-]{36}$/;

/** The fields of the runner's arguments the checks read. */
export interface RunnerSettings {
    readonly projectName: string;
    readonly repository: string;
    readonly connectionArn?: string;
    readonly computeType?: string;
    readonly buildTimeoutMinutes?: number;
}

/**
 * The `runs-on` label a workflow job uses to run on the runner project (AWS CodeBuild user guide,
 * "Tutorial: Configure a CodeBuild-hosted GitHub Actions runner"): one build per job and attempt.
 */
export function runnerLabel(projectName: string): string {
    return `codebuild-${projectName}-\${{ github.run_id }}-\${{ github.run_attempt }}`;
}

/** Every problem with the runner's arguments, without the Pulumi runtime. */
export function runnerProblems(s: RunnerSettings): string[] {
    const problems: string[] = [];
    if (!PROJECT_NAME.test(s.projectName)) {
        problems.push(
            `projectName ${JSON.stringify(s.projectName)} is not a CodeBuild project name (2 to 150 letters, digits, '-' or '_', a letter or digit first)`,
        );
    }
    if (!REPOSITORY.test(s.repository)) {
        problems.push(`repository ${JSON.stringify(s.repository)} is not a GitHub repository as owner/name`);
    }
    if (s.connectionArn !== undefined) {
        if (!CONNECTION_ARN.test(s.connectionArn))
            problems.push(`connectionArn ${JSON.stringify(s.connectionArn)} is not a CodeConnections connection ARN`);
    }
    if (s.computeType !== undefined && !isOneOf(s.computeType, RUNNER_COMPUTE_TYPES)) {
        problems.push(`computeType ${JSON.stringify(s.computeType)} is not one of ${RUNNER_COMPUTE_TYPES.join(", ")}`);
    }
    const t = s.buildTimeoutMinutes;
    const { min, max } = RUNNER_BUILD_TIMEOUT_MINUTES;
    if (t !== undefined && !(Number.isInteger(t) && t >= min && t <= max)) {
        problems.push(`buildTimeoutMinutes must be a whole number from ${min} to ${max}; received ${t}`);
    }
    return problems;
}
