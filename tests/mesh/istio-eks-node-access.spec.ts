import * as assert from "assert";
import { IstioEksNodeAccess } from "../../components/mesh";
import { allPolicies } from "../../policy/policies";
import { one, ofType, providerOf } from "../../harness/lookup";
import { runPolicies } from "../../harness/policy-runner";
import { DEV_EKS, eksComponentOf, runClusters } from "../kubernetes/fixture";

const RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

/** The EKS cluster and the mesh's rules on its security group, as program/layers/mesh.ts wires them. */
const withMesh = () =>
    runClusters(DEV_EKS, undefined, (eks, awsProvider) => {
        new IstioEksNodeAccess(
            "eks-istio",
            { clusterSecurityGroupId: eks.clusterSecurityGroupId, formerParent: eks },
            { provider: awsProvider },
        );
    });

describe("IstioEksNodeAccess", () => {
    it("admits istiod's webhook (15017) and xDS (15012) from the control plane on the security group the nodes wear", async () => {
        const { run } = await withMesh();
        assert.ifError(run.error);
        const rs = run.resources;
        const sg = eksComponentOf(rs).outputs.clusterSecurityGroupId;
        const rules = ofType(rs, RULE).sort((a, b) => a.name.localeCompare(b.name));
        assert.deepStrictEqual(
            rules.map((r) => [
                r.name,
                r.inputs.securityGroupId,
                r.inputs.referencedSecurityGroupId,
                r.inputs.ipProtocol,
                r.inputs.fromPort,
                r.inputs.toPort,
            ]),
            [
                ["eks-istio-webhook", sg, sg, "tcp", 15017, 15017],
                ["eks-istio-xds", sg, sg, "tcp", 15012, 15012],
            ],
        );
        for (const r of rules) assert.strictEqual(r.inputs.cidrIpv4, undefined);
        assert.strictEqual(providerOf(rs, rules[0])?.name, "aws-test");
        assert.deepStrictEqual(await runPolicies(rs, allPolicies), []);
    });

    it("belongs to the mesh, and answers to the URNs the rules had as EksCluster's children", async () => {
        const { run } = await withMesh();
        const component = one(run.resources, "multicloud:mesh:IstioEksNodeAccess", "eks-istio");
        for (const purpose of ["webhook", "xds"]) {
            const rule = one(run.resources, RULE, `eks-istio-${purpose}`);
            assert.strictEqual(rule.parent, component.urn);
            assert.deepStrictEqual(rule.aliases, [
                `urn:pulumi:dev::multicloud-platform::multicloud:kubernetes:EksCluster$${RULE}::eks-istio-${purpose}`,
            ]);
        }
        // The cluster itself no longer creates them.
        const { run: alone } = await runClusters(DEV_EKS);
        assert.deepStrictEqual(ofType(alone.resources, RULE), []);
    });

    it("needs no alias on a stack that never had the rules under EksCluster", async () => {
        const { run } = await runClusters(DEV_EKS, undefined, (eks, awsProvider) => {
            new IstioEksNodeAccess(
                "eks-istio",
                { clusterSecurityGroupId: eks.clusterSecurityGroupId },
                { provider: awsProvider },
            );
        });
        assert.deepStrictEqual(
            ofType(run.resources, RULE).map((r) => r.aliases),
            [[], []],
        );
    });
});
