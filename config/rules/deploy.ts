/**
 * How a deploy reaches the platform: the bootstrap switch for the in-cluster layers and the in-VPC CI
 * runner. Both are optional; the runner exists only where the stack file declares `deploy.runner`.
 */
import {
    CONNECTION_ARN,
    RUNNER_COMPUTE_TYPES,
    RUNNER_DEFAULTS,
    type RunnerComputeType,
} from "../../components/cicd/runner-settings";
import { DEPLOY_DEFAULTS, type DeployConfig } from "../schema";
import {
    isObject,
    list,
    objectRule,
    patternRule,
    setCommand,
    unknownKeyRules,
    valueRule,
    type ConfigRule,
    type ConfigView,
} from "./rule";

const RUNNER_KEYS = ["enabled", "repository", "connectionArn", "computeType"];

/** `true` or `false` when set; absent takes the default. */
function optionalBoolean(key: string): ConfigRule {
    return valueRule(
        key,
        (v) => v === undefined || typeof v === "boolean",
        () => ({ what: "must be true or false", allowed: "true or false", fix: setCommand(key, "true") }),
    );
}

export function deployRules(view: ConfigView): ConfigRule[] {
    const rules = [objectRule("deploy", "optional inClusterLayers and runner", false)];
    const raw = view.raw.deploy;
    if (!isObject(raw)) return rules;
    rules.push(
        ...unknownKeyRules("deploy", raw, ["inClusterLayers", "runner"]),
        optionalBoolean("deploy.inClusterLayers"),
    );
    const runner = raw.runner;
    if (runner === undefined) return rules;
    if (!isObject(runner)) {
        return [
            ...rules,
            valueRule(
                "deploy.runner",
                () => false,
                () => ({
                    what: "must be an object",
                    allowed: `an object with ${list(RUNNER_KEYS)}`,
                    fix: "write it as a YAML map under 'multicloud-platform:deploy' (see README, \"Config reference\")",
                }),
            ),
        ];
    }
    const connection = "deploy.runner.connectionArn";
    rules.push(
        ...unknownKeyRules("deploy.runner", runner, RUNNER_KEYS),
        optionalBoolean("deploy.runner.enabled"),
        patternRule(
            "deploy.runner.repository",
            /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/,
            "a GitHub repository as owner/name",
            "acme/multicloud-platform",
        ),
        patternRule(
            connection,
            CONNECTION_ARN,
            "the ARN of a CodeConnections connection to GitHub",
            "arn:aws:codeconnections:us-east-1:111122223333:connection/<uuid>",
        ),
        valueRule(
            "deploy.runner.computeType",
            (v) => v === undefined || (RUNNER_COMPUTE_TYPES as readonly unknown[]).includes(v),
            () => ({
                what: "is not an allowed value",
                allowed: `one of ${list(RUNNER_COMPUTE_TYPES)}`,
                fix: setCommand("deploy.runner.computeType", RUNNER_DEFAULTS.computeType),
            }),
        ),
    );
    return rules;
}

/** The typed deploy settings of a view whose rules all passed. */
export function deployConfig(raw: unknown): DeployConfig {
    if (!isObject(raw)) return DEPLOY_DEFAULTS;
    const runner = raw.runner as Record<string, unknown> | undefined;
    return {
        inClusterLayers: (raw.inClusterLayers as boolean | undefined) ?? DEPLOY_DEFAULTS.inClusterLayers,
        ...(runner === undefined
            ? {}
            : {
                  runner: {
                      enabled: (runner.enabled as boolean | undefined) ?? true,
                      repository: runner.repository as string,
                      connectionArn: runner.connectionArn as string,
                      ...(runner.computeType === undefined
                          ? {}
                          : { computeType: runner.computeType as RunnerComputeType }),
                  },
              }),
    };
}
