import * as assert from "assert";
import { istioClusterProblems, type IstioClusterArgs } from "../../components/mesh";
import { validClusterArgs } from "./fixture";

describe("IstioCluster validator", () => {
    it("IstioCluster: names, platform, allowlist and the intermediate's cluster", () => {
        const intermediate = { clusterName: "aws-primary" } as IstioClusterArgs["intermediateCa"];
        assert.deepStrictEqual(istioClusterProblems(validClusterArgs(intermediate)), []);
        assert.deepStrictEqual(
            istioClusterProblems({
                ...validClusterArgs({ ...intermediate, clusterName: "gcp-dr" }),
                network: "",
                platform: "aks" as never,
                gkeAllowlistPaths: ["istio/cni/*"],
            }),
            [
                'network must be a non-empty label value; received ""',
                'platform must be one of eks, gke; received "aks"',
                'gkeAllowlistPaths applies to platform "gke" only; received platform "aks"',
                'intermediateCa was issued for "gcp-dr", not for clusterName "aws-primary"; pass ca.intermediateFor("aws-primary")',
            ],
        );
    });
});
