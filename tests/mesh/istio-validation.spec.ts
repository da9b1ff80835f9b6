import * as assert from "assert";
import { istioClusterProblems, type IstioClusterArgs } from "../../components/mesh";
import { validClusterArgs } from "./fixture";

describe("IstioCluster validator", () => {
    it("IstioCluster: names, platform and the intermediate's cluster", () => {
        const intermediate = { clusterName: "aws-primary" } as IstioClusterArgs["intermediateCa"];
        assert.deepStrictEqual(istioClusterProblems(validClusterArgs(intermediate)), []);
        assert.deepStrictEqual(
            istioClusterProblems({
                ...validClusterArgs({ ...intermediate, clusterName: "gcp-dr" }),
                network: "",
                platform: "aks" as never,
            }),
            [
                'network must be a non-empty label value; received ""',
                'platform must be one of eks, gke; received "aks"',
                'intermediateCa was issued for "gcp-dr", not for clusterName "aws-primary"; pass ca.intermediateFor("aws-primary")',
            ],
        );
    });

    it("refuses CNI chart values on GKE, where no CNI chart is installed, and accepts them on EKS", () => {
        const intermediate = { clusterName: "aws-primary" } as IstioClusterArgs["intermediateCa"];
        const withCni = { ...validClusterArgs(intermediate), values: { cni: { cni: { logLevel: "debug" } } } };
        assert.deepStrictEqual(istioClusterProblems(withCni), []);
        assert.deepStrictEqual(istioClusterProblems({ ...withCni, platform: "gke" }), [
            'values.cni has no chart to apply to: platform "gke" runs no Istio CNI agent (sidecars use istio-init); remove values.cni',
        ]);
    });
});
