/** `deploy`: the bootstrap switch and the CI runner, each rule with its exact message. */
import * as assert from "assert";
import { validatePlatformConfig, type RawConfig } from "../../config/validate";
import { loadStackConfig } from "../../harness/stack-config";
import { projectConfig } from "../../config/load";

const ARN = "arn:aws:codeconnections:us-east-1:111111111111:connection/0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";

function devWith(deploy: unknown): RawConfig {
    const raw = projectConfig(loadStackConfig("dev").config);
    if (deploy === undefined) delete raw.deploy;
    else raw.deploy = deploy;
    return raw;
}

function problems(deploy: unknown): string[] {
    const r = validatePlatformConfig(devWith(deploy), "dev");
    return r.ok ? [] : r.problems;
}

describe("config: deploy", () => {
    it("absent: in-cluster layers on, no runner", () => {
        const r = validatePlatformConfig(devWith(undefined), "dev");
        assert.ok(r.ok);
        assert.deepStrictEqual(r.config.deploy, { inClusterLayers: true });
    });

    it("the stack files: a runner for this repository, enabled by default, in-cluster layers on", () => {
        for (const stack of ["dev", "prod"]) {
            const r = validatePlatformConfig(projectConfig(loadStackConfig(stack).config), stack);
            assert.ok(r.ok, stack);
            assert.strictEqual(r.config.deploy.inClusterLayers, true);
            assert.strictEqual(r.config.deploy.runner?.enabled, true);
            assert.strictEqual(r.config.deploy.runner?.repository, "acme/multicloud-platform");
        }
    });

    it("the bootstrap switch and a runner turned off are read as given", () => {
        const r = validatePlatformConfig(
            devWith({
                inClusterLayers: false,
                runner: {
                    enabled: false,
                    repository: "acme/x",
                    connectionArn: ARN,
                    computeType: "BUILD_GENERAL1_LARGE",
                },
            }),
            "dev",
        );
        assert.ok(r.ok);
        assert.deepStrictEqual(r.config.deploy, {
            inClusterLayers: false,
            runner: { enabled: false, repository: "acme/x", connectionArn: ARN, computeType: "BUILD_GENERAL1_LARGE" },
        });
    });

    const NS = "multicloud-platform:";
    const cases: { name: string; deploy: unknown; messages: string[] }[] = [
        {
            name: "not an object",
            deploy: "yes",
            messages: [
                `${NS}deploy: must be an object; received "yes". Allowed: an object with optional inClusterLayers and runner. Fix: add '${NS}deploy' to Pulumi.dev.yaml (see README, "Config reference").`,
            ],
        },
        {
            name: "a misspelt key and a switch that is not a boolean",
            deploy: { inClusterLayer: false, inClusterLayers: "off" },
            messages: [
                `${NS}deploy.inClusterLayer: unknown key; received false. Allowed: one of inClusterLayers, runner. Fix: rename or remove 'inClusterLayer' under '${NS}deploy'.`,
                `${NS}deploy.inClusterLayers: must be true or false; received "off". Allowed: true or false. Fix: pulumi config set --path 'deploy.inClusterLayers' true.`,
            ],
        },
        {
            name: "a runner without its repository and connection",
            deploy: { runner: {} },
            messages: [
                `${NS}deploy.runner.repository: required value is missing; received nothing. Allowed: a GitHub repository as owner/name. Fix: pulumi config set --path 'deploy.runner.repository' acme/multicloud-platform.`,
                `${NS}deploy.runner.connectionArn: required value is missing; received nothing. Allowed: the ARN of a CodeConnections connection to GitHub. Fix: pulumi config set --path 'deploy.runner.connectionArn' arn:aws:codeconnections:us-east-1:111122223333:connection/<uuid>.`,
            ],
        },
        {
            name: "a repository URL, a secret ARN and an unknown compute type",
            deploy: {
                runner: {
                    repository: "https://github.com/acme/x",
                    connectionArn: "arn:aws:secretsmanager:us-east-1:111111111111:secret:github",
                    computeType: "BUILD_GENERAL2_HUGE",
                },
            },
            messages: [
                `${NS}deploy.runner.repository: has the wrong form; received "https://github.com/acme/x". Allowed: a GitHub repository as owner/name. Fix: pulumi config set --path 'deploy.runner.repository' acme/multicloud-platform.`,
                `${NS}deploy.runner.connectionArn: has the wrong form; received "arn:aws:secretsmanager:us-east-1:111111111111:secret:github". Allowed: the ARN of a CodeConnections connection to GitHub. Fix: pulumi config set --path 'deploy.runner.connectionArn' arn:aws:codeconnections:us-east-1:111122223333:connection/<uuid>.`,
                `${NS}deploy.runner.computeType: is not an allowed value; received "BUILD_GENERAL2_HUGE". Allowed: one of BUILD_GENERAL1_SMALL, BUILD_GENERAL1_MEDIUM, BUILD_GENERAL1_LARGE, BUILD_GENERAL1_XLARGE, BUILD_GENERAL1_2XLARGE. Fix: pulumi config set --path 'deploy.runner.computeType' BUILD_GENERAL1_MEDIUM.`,
            ],
        },
        {
            name: "a runner that is a list",
            deploy: { runner: [ARN] },
            messages: [
                `${NS}deploy.runner: must be an object; received ["${ARN}"]. Allowed: an object with enabled, repository, connectionArn, computeType. Fix: write it as a YAML map under '${NS}deploy' (see README, "Config reference").`,
            ],
        },
        {
            name: "an unknown runner key and an enabled flag that is not a boolean",
            deploy: { runner: { enabled: "yes", repository: "acme/x", connectionArn: ARN, image: "ubuntu" } },
            messages: [
                `${NS}deploy.runner.image: unknown key; received "ubuntu". Allowed: one of enabled, repository, connectionArn, computeType. Fix: rename or remove 'image' under '${NS}deploy.runner'.`,
                `${NS}deploy.runner.enabled: must be true or false; received "yes". Allowed: true or false. Fix: pulumi config set --path 'deploy.runner.enabled' true.`,
            ],
        },
    ];
    for (const c of cases) {
        it(`rejects ${c.name}`, () => {
            assert.deepStrictEqual(problems(c.deploy), c.messages);
        });
    }
});
