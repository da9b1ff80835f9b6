import * as assert from "assert";
import { apiServerUrl, ISTIO_REMOTE_READER, remoteSecretKubeconfig } from "../../components/mesh";
import { one, ofType } from "../../harness/lookup";
import { mockServiceAccountToken } from "../../harness/mock-outputs/mesh";
import type { RecordedResource } from "../../harness/recorder";
import { CLUSTERS, meshResources, SECRET, type ClusterName } from "./fixture";

const tokenOf = mockServiceAccountToken;

describe("IstioRemoteSecret", () => {
    let rs: readonly RecordedResource[];

    before(async () => {
        rs = await meshResources();
    });
    const providerUrn = (name: ClusterName) => one(rs, "pulumi:providers:kubernetes", `k8s-${name}`).urn;

    it("creates remote secrets both ways: labelled, annotated, a kubeconfig with the other cluster's reader token, secret", () => {
        const remotes = ofType(rs, "multicloud:mesh:IstioRemoteSecret");
        assert.deepStrictEqual(remotes.map((r) => r.name).sort(), [
            "mesh-aws-primary-in-gcp-dr",
            "mesh-gcp-dr-in-aws-primary",
        ]);
        for (const [read, reader] of [
            ["aws-primary", "gcp-dr"],
            ["gcp-dr", "aws-primary"],
        ] as const) {
            const s = one(rs, SECRET, `mesh-${read}-in-${reader}-secret`);
            assert.strictEqual(s.provider, providerUrn(reader), "created in the cluster that reads");
            assert.deepStrictEqual(s.inputs.metadata, {
                name: `istio-remote-secret-${read}`,
                namespace: "istio-system",
                labels: { "istio/multiCluster": "true" },
                annotations: { "networking.istio.io/cluster": read },
            });
            assert.ok(s.secretInputs.includes("stringData"));
            assert.deepStrictEqual(Object.keys(s.inputs.stringData), [read]);
            const kubeconfig = JSON.parse(s.inputs.stringData[read]);
            assert.deepStrictEqual(kubeconfig.clusters, [
                {
                    name: read,
                    cluster: {
                        server: apiServerUrl(CLUSTERS[read].endpoint),
                        "certificate-authority-data": CLUSTERS[read].caData,
                    },
                },
            ]);
            assert.deepStrictEqual(kubeconfig.users, [
                { name: read, user: { token: tokenOf(`${ISTIO_REMOTE_READER}-token`) } },
            ]);
            assert.strictEqual(kubeconfig["current-context"], read);
            // The token is read from the other cluster's token Secret.
            const tokenSecret = one(rs, SECRET, `istio-${read}-remote-reader-token`);
            assert.strictEqual(tokenSecret.provider, providerUrn(read));
            assert.ok(s.dependencies.includes(tokenSecret.urn));
        }
        assert.strictEqual(apiServerUrl("172.16.0.2"), "https://172.16.0.2");
    });
});

describe("remote-secret kubeconfig", () => {
    it("writes the remote-secret kubeconfig istioctl would", () => {
        const kc = JSON.parse(
            remoteSecretKubeconfig({
                clusterName: "gcp-dr",
                server: "172.16.0.2",
                certificateAuthorityData: "Y2E=",
                token: "t",
            }),
        );
        assert.deepStrictEqual(kc, {
            apiVersion: "v1",
            kind: "Config",
            clusters: [
                { name: "gcp-dr", cluster: { server: "https://172.16.0.2", "certificate-authority-data": "Y2E=" } },
            ],
            contexts: [{ name: "gcp-dr", context: { cluster: "gcp-dr", user: "gcp-dr" } }],
            "current-context": "gcp-dr",
            preferences: {},
            users: [{ name: "gcp-dr", user: { token: "t" } }],
        });
    });
});
