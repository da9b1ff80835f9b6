import * as assert from "assert";
import * as tls from "@pulumi/tls";
import { MeshCertificateAuthority, meshCertificateAuthorityProblems } from "../../components/mesh/mesh-ca";
import { runStack } from "../../harness/run";

describe("mesh CA lookups", () => {
    it("names the clusters that have an intermediate when asked for another", async () => {
        const run = await runStack({
            stack: "dev",
            program: async () => {
                const ca = new MeshCertificateAuthority(
                    "ca",
                    { clusterNames: ["aws-primary", "gcp-dr"] },
                    { provider: new tls.Provider("tls") },
                );
                ca.intermediateFor("azure-dr");
            },
        });
        assert.strictEqual(
            run.error?.message,
            'MeshCertificateAuthority ca: no intermediate for cluster "azure-dr"; issued for: aws-primary, gcp-dr. Add it to clusterNames.',
        );
    });
});

describe("mesh CA validator", () => {
    it("mesh CA: cluster names, validity and key type", () => {
        assert.deepStrictEqual(meshCertificateAuthorityProblems({ clusterNames: ["aws-primary", "gcp-dr"] }), []);
        assert.deepStrictEqual(
            meshCertificateAuthorityProblems({
                clusterNames: ["AWS", "gcp-dr", "gcp-dr"],
                rootValidityHours: 100,
                intermediateValidityHours: 200,
            }),
            [
                `clusterNames: "AWS" is not a lowercase DNS label (a-z, 0-9, '-', at most 63 characters)`,
                "clusterNames must be unique; repeated: gcp-dr",
                "intermediateValidityHours (200) must be less than rootValidityHours (100): an intermediate cannot outlive the root that signed it",
            ],
        );
        assert.deepStrictEqual(meshCertificateAuthorityProblems({ clusterNames: [] }), [
            "clusterNames must name at least one cluster",
        ]);
    });
});
