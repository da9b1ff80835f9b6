import * as assert from "assert";
import * as policyProxy from "@pulumi/policy/proxy";
import { EKS_VERSION_SUPPORT } from "../../components/versions";
import { loadPolicyPackConfig } from "../../policy/pack-config";
import { eksUpgradePolicyStandard, eksVersionSupportPolicy } from "../../policy/policies/kubernetes-versions";
import { runPolicies } from "../../harness/policy-runner";
import { check, messages, resource } from "./fixtures";

// The SDK's sentinel for a value unknown during preview (internal to @pulumi/policy 1.21).
const UNKNOWN: string = (policyProxy as any).unknownStringValue;

/** The day the versions were reviewed: 1.34 leaves standard support on it, 1.35 has 115 days left. */
const TODAY = new Date("2026-12-02T15:00:00Z");
const policyOn = (now: Date) => eksVersionSupportPolicy(() => now);

const eksComponent = (inputs: Record<string, unknown> = {}) =>
    resource(
        "eks:index:Cluster",
        "eks-cluster",
        { vpcId: "vpc-0123456789abcdef0", version: "1.35", upgradePolicy: { supportType: "STANDARD" }, ...inputs },
        { custom: false, remote: true },
    );
const eksCluster = (inputs: Record<string, unknown> = {}) =>
    resource("aws:eks/cluster:Cluster", "eks-cluster-eksCluster", {
        roleArn: "arn:aws:iam::123456789012:role/eks",
        vpcConfig: { subnetIds: ["subnet-a", "subnet-b"] },
        version: "1.35",
        upgradePolicy: { supportType: "STANDARD" },
        ...inputs,
    });

describe("policy eks-version-in-standard-support", () => {
    const left = (minor: string) =>
        `EKS cluster runs Kubernetes ${minor}, which left standard support on ${EKS_VERSION_SUPPORT[minor].standardEnds}; ` +
        "extended support costs $0.60 instead of $0.10 per cluster-hour. Upgrade to 1.35.";

    it("passes the component and the cluster resource on a version in standard support", async () => {
        assert.deepStrictEqual(await check(policyOn(TODAY), [eksComponent(), eksCluster()]), []);
    });

    it("flags 1.34 on the day its standard support ends, and 1.33 after, as advisory on the component", async () => {
        const vs = await check(policyOn(TODAY), [eksComponent({ version: "1.34" }), eksCluster({ version: "1.33" })]);
        assert.deepStrictEqual(messages(vs), [left("1.34"), left("1.33")]);
        assert.deepStrictEqual(
            vs.map((v) => [v.level, v.urn]),
            [
                ["advisory", eksComponent().urn],
                ["advisory", eksCluster().urn],
            ],
        );
    });

    it("lets 1.35 pass until its end, and flags it from 2027-03-27", async () => {
        assert.deepStrictEqual(await check(policyOn(new Date("2027-03-26T23:59:00Z")), [eksComponent()]), []);
        const vs = await check(policyOn(new Date("2027-03-27T00:00:00Z")), [eksComponent()]);
        assert.deepStrictEqual(messages(vs), [
            "EKS cluster runs Kubernetes 1.35, which left standard support on 2027-03-27; extended support costs $0.60 " +
                "instead of $0.10 per cluster-hour. Upgrade to 1.35.",
        ]);
    });

    it("with minimumDaysOfSupport, flags a version whose standard support ends within that many days", async () => {
        const vs = await check(policyOn(TODAY), [eksComponent()], { minimumDaysOfSupport: 120 });
        assert.deepStrictEqual(messages(vs), [
            "EKS cluster runs Kubernetes 1.35, which leaves standard support on 2027-03-27, in 115 days " +
                "(minimumDaysOfSupport asks for more than 120). Upgrade to 1.35.",
        ]);
        assert.deepStrictEqual(await check(policyOn(TODAY), [eksComponent()], { minimumDaysOfSupport: 114 }), []);
    });

    it("flags an unpinned version and a version older than the table, and passes one newer than it", async () => {
        const vs = await check(policyOn(TODAY), [
            eksComponent({ version: undefined }),
            eksCluster({ version: "1.28" }),
            resource("aws:eks/cluster:Cluster", "newer", { roleArn: "r", vpcConfig: {}, version: "1.36" }),
        ]);
        assert.deepStrictEqual(messages(vs), [
            "EKS cluster pins no Kubernetes version: EKS creates it on its current default, and nothing shows when " +
                "that version leaves standard support. Set version to a minor in standard support.",
            "EKS cluster runs Kubernetes 1.28, which is past the end of extended support. Upgrade to 1.35.",
        ]);
    });

    it("leaves a version unknown during preview alone", async () => {
        assert.deepStrictEqual(await check(policyOn(TODAY), [eksComponent({ version: UNKNOWN })]), []);
    });

    it("is mandatory in prod's pack configuration", async () => {
        const vs = await runPolicies([eksComponent({ version: "1.33" })], [policyOn(TODAY)], {
            config: loadPolicyPackConfig("prod"),
        });
        assert.deepStrictEqual(
            vs.map((v) => [v.level, v.message]),
            [["mandatory", left("1.33")]],
        );
    });
});

describe("policy eks-upgrade-policy-standard", () => {
    const UNSET =
        "EKS cluster upgrade policy is unset, which EKS reads as EXTENDED: when its version leaves standard support " +
        "the cluster is billed $0.60 instead of $0.10 per hour, silently. Set upgradePolicy: { supportType: 'STANDARD' }.";

    it("passes clusters that opt out of extended support", async () => {
        assert.deepStrictEqual(await check(eksUpgradePolicyStandard, [eksComponent(), eksCluster()]), []);
    });

    it("flags an unset upgrade policy (EKS's default is EXTENDED) and an explicit EXTENDED", async () => {
        const vs = await check(eksUpgradePolicyStandard, [
            eksComponent({ upgradePolicy: undefined }),
            eksCluster({ upgradePolicy: { supportType: "EXTENDED" } }),
        ]);
        assert.deepStrictEqual(messages(vs), [
            UNSET,
            "EKS cluster upgrade policy is EXTENDED: when its version leaves standard support the cluster is billed " +
                "$0.60 instead of $0.10 per hour, silently. Set upgradePolicy: { supportType: 'STANDARD' }.",
        ]);
        assert.deepStrictEqual(
            vs.map((v) => v.level),
            ["advisory", "advisory"],
        );
    });

    it("accepts extended support when the stack allows it, and is mandatory in prod", async () => {
        const extended = eksComponent({ upgradePolicy: { supportType: "EXTENDED" } });
        assert.deepStrictEqual(await check(eksUpgradePolicyStandard, [extended], { allowExtendedSupport: true }), []);
        const vs = await runPolicies([eksComponent({ upgradePolicy: undefined })], [eksUpgradePolicyStandard], {
            config: loadPolicyPackConfig("prod"),
        });
        assert.deepStrictEqual(
            vs.map((v) => [v.level, v.message]),
            [["mandatory", UNSET]],
        );
    });
});
