/**
 * One source of truth per limit: where config and a component both check a value, they agree at every
 * boundary; the closed lists only hold what the components accept; the numbers config leaves room for
 * hold in the real plans.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { resolveAuroraGlobalArgs, validateAuroraGlobalArgs } from "../../components/data/aurora-global-settings";
import { GLOBAL_DATABASE_INSTANCE_CLASS } from "../../components/data/aurora-settings";
import { ELASTICACHE_NODE_TYPE_FORM } from "../../components/data/elasticache";
import { MSK_STANDARD_BROKER_TYPE_FORM } from "../../components/messaging/kafka-settings";
import { mskClusterSettings } from "../../components/messaging/msk-cluster";
import {
    ARM64_INSTANCE_FAMILY,
    AURORA_GLOBAL_INSTANCE_CLASSES,
    duplicates,
    EC2_INSTANCE_TYPE_FORM,
    EKS_NODE_INSTANCE_TYPES,
    ELASTICACHE_NODE_TYPES,
    MSK_BROKER_INSTANCE_TYPES,
    RESERVED_TAG_HEADROOM,
    RESOURCE_TAG_KEYS,
} from "../../components/shared";
import { PROVIDER_NAMESPACES } from "../../config/schema";
import { validatePlatformConfig, type RawConfig } from "../../config/validate";
import { projectConfig } from "../../config/rules/namespaces";
import { loadStackConfig } from "../../harness/stack-config";
import { evaluated } from "../../harness/stacks";

const prodRaw = (): RawConfig => projectConfig(loadStackConfig("prod").config);

/** Whether the validator takes `sizing` on top of the prod stack file. */
const configTakes = (sizing: Record<string, unknown>) =>
    validatePlatformConfig({ ...prodRaw(), sizing: { databaseReaderCount: 2, ...sizing } }, "prod").ok;

const throwsNot = (f: () => unknown) => {
    try {
        f();
        return true;
    } catch {
        return false;
    }
};

describe("limits shared by config and components", () => {
    it("Aurora readers: config and AuroraGlobal take exactly the same counts", () => {
        const region = { region: "us-east-1", vpcId: "v", dbSubnetGroupName: "g", kmsKeyArn: "k", logsKmsKeyArn: "l" };
        for (const readerCount of [-1, 0, 1, 13, 14, 15, 16, 2.5]) {
            const component = throwsNot(() =>
                validateAuroraGlobalArgs(
                    "a",
                    resolveAuroraGlobalArgs("aurora", {
                        primary: { ...region, allowedCidrs: ["10.0.0.0/16"] },
                        readerCount,
                    }),
                ),
            );
            assert.strictEqual(
                configTakes({ databaseReaderCount: readerCount }),
                component,
                `readerCount ${readerCount}`,
            );
        }
    });

    it("AZ counts: config takes exactly the counts MskCluster takes", () => {
        for (const availabilityZoneCount of [0, 1, 2, 3, 4, 5]) {
            const component = throwsNot(() =>
                mskClusterSettings("k", {
                    vpcId: "v",
                    subnetIds: [],
                    availabilityZoneCount,
                    instanceType: "kafka.m5.large",
                    clientCidrs: ["10.0.0.0/16"],
                    kmsKeyArn: "k",
                    logsKmsKeyArn: "l",
                    logRetentionInDays: 30,
                }),
            );
            assert.strictEqual(configTakes({ availabilityZoneCount, allowReducedDurability: true }), component);
        }
    });

    it("the closed lists hold only types of the form each component checks, each once", () => {
        const lists: [string[], RegExp][] = [
            [EKS_NODE_INSTANCE_TYPES, EC2_INSTANCE_TYPE_FORM],
            [AURORA_GLOBAL_INSTANCE_CLASSES, GLOBAL_DATABASE_INSTANCE_CLASS],
            [ELASTICACHE_NODE_TYPES, ELASTICACHE_NODE_TYPE_FORM],
            [MSK_BROKER_INSTANCE_TYPES, MSK_STANDARD_BROKER_TYPE_FORM],
        ];
        for (const [types, form] of lists) {
            assert.deepStrictEqual(
                types.filter((t) => !form.test(t)),
                [],
            );
            assert.deepStrictEqual(duplicates(types), []);
        }
        assert.deepStrictEqual(
            EKS_NODE_INSTANCE_TYPES.filter((t) => ARM64_INSTANCE_FAMILY.test(t)),
            [],
        );
    });

    it("the provider namespaces a stack file may use are the provider packages the program depends on", () => {
        const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../package.json"), "utf8"));
        const providers = Object.keys(pkg.dependencies)
            .filter((d) => d.startsWith("@pulumi/") && !["@pulumi/pulumi", "@pulumi/policy"].includes(d))
            .map((d) => d.slice("@pulumi/".length))
            .sort();
        assert.deepStrictEqual([...PROVIDER_NAMESPACES].sort(), providers);
    });

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: resources add at most ${RESERVED_TAG_HEADROOM} tags or labels of their own, all of them reserved keys`, async () => {
            const { run } = await evaluated(stack);
            const own = run.resources
                .filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))
                .map((r) => ({
                    urn: r.urn,
                    keys: Object.keys((r.type.startsWith("gcp:") ? r.inputs.labels : r.inputs.tags) ?? {}),
                }))
                .filter((r) => r.keys.length > 0);
            assert.ok(own.length > 0, "no resource sets tags of its own: the test would prove nothing");
            for (const r of own) {
                assert.ok(r.keys.length <= RESERVED_TAG_HEADROOM, r.urn);
                assert.deepStrictEqual(
                    r.keys.filter((k) => !(RESOURCE_TAG_KEYS as readonly string[]).includes(k)),
                    [],
                    r.urn,
                );
            }
        });

        it(`${stack}: the EKS node groups run an x86_64 AMI, which the Graviton rule assumes`, async () => {
            const { run } = await evaluated(stack);
            const groups = run.resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup");
            assert.ok(groups.length > 0);
            for (const g of groups) assert.match(g.inputs.amiType, /x86_64/);
        });
    }
});
