import * as assert from "assert";
import * as tls from "@pulumi/tls";
import { HELM_RELEASE_DEFAULTS } from "../../components/kubernetes/addons/helm-addon";
import {
    GKE_SIDECAR_INIT_REQUIREMENTS,
    INTERNAL_LOAD_BALANCER_ANNOTATIONS,
    ISTIO_REMOTE_READER,
    ISTIO_REMOTE_READER_RULES,
    IstioCluster,
} from "../../components/mesh";
import { MeshCertificateAuthority } from "../../components/mesh/mesh-ca";
import { VERSIONS } from "../../components/versions";
import { descendantsOf, one, ofType } from "../../harness/lookup";
import type { RecordedResource } from "../../harness/recorder";
import { runStack } from "../../harness/run";
import {
    CLUSTER_NAMES,
    CLUSTERS,
    meshResources,
    MESH_ID,
    RELEASE,
    SECRET,
    validClusterArgs,
    type ClusterName,
} from "./fixture";

describe("IstioCluster on both clusters", () => {
    let rs: readonly RecordedResource[];

    before(async () => {
        rs = await meshResources();
    });
    const providerUrn = (name: ClusterName) => one(rs, "pulumi:providers:kubernetes", `k8s-${name}`).urn;
    const inIstio = (name: ClusterName) => descendantsOf(rs, one(rs, "multicloud:mesh:IstioCluster", `istio-${name}`));
    const release = (name: ClusterName, role: string) => one(rs, RELEASE, `istio-${name}-${role}`);

    it("gives every Kubernetes and TLS resource an explicit provider, the one of its own cluster", () => {
        const tlsProvider = one(rs, "pulumi:providers:tls", "tls").urn;
        for (const r of rs.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))) {
            if (r.type.startsWith("tls:")) assert.strictEqual(r.provider, tlsProvider, r.urn);
            else assert.ok(CLUSTER_NAMES.map(providerUrn).includes(r.provider!), r.urn);
        }
        for (const name of CLUSTER_NAMES) {
            const own = [
                ...inIstio(name),
                ...descendantsOf(rs, one(rs, "multicloud:kubernetes:PlatformNamespaces", `ns-${name}`)),
                ...rs.filter((r) => r.name.startsWith(`${name}-`)),
            ].filter((r) => r.custom);
            assert.ok(own.length > 40, `${name}: ${own.length}`);
            for (const r of own) assert.strictEqual(r.provider, providerUrn(name), r.urn);
        }
    });

    it("signs both clusters' cacerts with intermediates of the same root", () => {
        const rootKey = one(rs, "tls:index/privateKey:PrivateKey", "mesh-ca-root");
        const root = one(rs, "tls:index/selfSignedCert:SelfSignedCert", "mesh-ca-root");
        assert.deepStrictEqual(
            [rootKey.inputs.algorithm, rootKey.inputs.ecdsaCurve, rootKey.protect],
            ["ECDSA", "P384", true],
        );
        assert.strictEqual(root.inputs.isCaCertificate, true);
        assert.strictEqual(root.inputs.validityPeriodHours, 87600);
        assert.deepStrictEqual(root.inputs.allowedUses, ["cert_signing", "crl_signing", "digital_signature"]);
        assert.strictEqual(root.inputs.privateKeyPem, rootKey.outputs.privateKeyPem);
        assert.ok(root.outputs.certPem.includes("self-signed:"));

        const seenIntermediates = new Set<string>();
        for (const name of CLUSTER_NAMES) {
            const key = one(rs, "tls:index/privateKey:PrivateKey", `mesh-ca-${name}`);
            const csr = one(rs, "tls:index/certRequest:CertRequest", `mesh-ca-${name}`);
            const cert = one(rs, "tls:index/locallySignedCert:LocallySignedCert", `mesh-ca-${name}`);
            assert.strictEqual(cert.inputs.caCertPem, root.outputs.certPem);
            assert.strictEqual(cert.inputs.caPrivateKeyPem, rootKey.outputs.privateKeyPem);
            assert.ok(cert.secretInputs.includes("caPrivateKeyPem"));
            assert.strictEqual(cert.inputs.certRequestPem, csr.outputs.certRequestPem);
            assert.strictEqual(cert.inputs.isCaCertificate, true);
            assert.deepStrictEqual(cert.inputs.allowedUses, ["cert_signing", "crl_signing", "digital_signature"]);
            assert.ok(cert.inputs.validityPeriodHours < root.inputs.validityPeriodHours);
            assert.strictEqual(csr.inputs.subject.locality, name);
            assert.ok(csr.secretInputs.includes("privateKeyPem"));

            const cacerts = one(rs, SECRET, `istio-${name}-cacerts`);
            assert.deepStrictEqual(
                [cacerts.inputs.metadata.name, cacerts.inputs.metadata.namespace],
                ["cacerts", "istio-system"],
            );
            assert.deepStrictEqual(cacerts.inputs.stringData, {
                "ca-cert.pem": cert.outputs.certPem,
                "ca-key.pem": key.outputs.privateKeyPem,
                "root-cert.pem": root.outputs.certPem,
                "cert-chain.pem": `${cert.outputs.certPem}${root.outputs.certPem}`,
            });
            assert.ok(cacerts.secretInputs.includes("stringData"));
            seenIntermediates.add(cert.outputs.certPem);
        }
        assert.strictEqual(seenIntermediates.size, 2, "each cluster has its own intermediate");
    });

    it("gives istiod the same mesh ID and each cluster its own name and network", () => {
        for (const name of CLUSTER_NAMES) {
            const values = release(name, "istiod").inputs.values;
            assert.deepStrictEqual(
                [values.global.meshID, values.global.multiCluster.clusterName, values.global.network],
                [MESH_ID, name, CLUSTERS[name].network],
            );
            assert.strictEqual(values.pilot, undefined);
            assert.strictEqual(values.meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE, "true");
        }
        const gke = release("gcp-dr", "istiod").inputs.values;
        assert.strictEqual(gke.global.platform, "gke");
        const eks = release("aws-primary", "istiod").inputs.values;
        assert.strictEqual(eks.global.platform, undefined);
        // Caller values are merged over the defaults, not instead of them.
        assert.deepStrictEqual([eks.cni, eks.env], [{ enabled: true }, { PILOT_TRACE_SAMPLING: "1" }]);
    });

    it("orders base -> cni -> istiod -> gateways by dependsOn on EKS, cacerts before istiod, all parented by the cluster", () => {
        for (const name of CLUSTER_NAMES) {
            const cniRoles = CLUSTERS[name].platform === "eks" ? ["cni"] : [];
            const roles = ["base", ...cniRoles, "istiod", "ingress-gateway", "eastwest-gateway"];
            const [base, istiod, ingress, eastWest] = ["base", "istiod", "ingress-gateway", "eastwest-gateway"].map(
                (role) => release(name, role),
            );
            const cni = cniRoles.map((role) => release(name, role));
            const cacerts = one(rs, SECRET, `istio-${name}-cacerts`);
            for (const c of cni) assert.ok(c.dependencies.includes(base.urn), `${name}: cni after base`);
            for (const dep of [base, ...cni, cacerts]) assert.ok(istiod.dependencies.includes(dep.urn), dep.urn);
            for (const gw of [ingress, eastWest]) assert.ok(gw.dependencies.includes(istiod.urn), gw.urn);
            assert.ok(!base.dependencies.some((d) => [...cni, istiod].map((r) => r.urn).includes(d)));
            const component = one(rs, "multicloud:mesh:IstioCluster", `istio-${name}`);
            assert.deepStrictEqual(
                ofType(inIstio(name), RELEASE)
                    .map((r) => r.name.slice(`istio-${name}-`.length))
                    .sort(),
                [...roles, ...(name === "aws-primary" ? ["kiali"] : [])].sort(),
            );
            for (const r of ofType(inIstio(name), RELEASE)) assert.strictEqual(r.parent, component.urn);
        }
    });

    it("captures traffic with the CNI agent on EKS and with istio-init on GKE Autopilot, which refuses the agent", () => {
        assert.strictEqual(release("aws-primary", "istiod").inputs.values.cni.enabled, true);
        // The istiod chart's key; `pilot.cni` is the name it gets inside the injector, ignored here.
        assert.strictEqual(release("gcp-dr", "istiod").inputs.values.cni.enabled, false);
        assert.deepStrictEqual(release("aws-primary", "cni").inputs.values, {});
        assert.deepStrictEqual(
            rs.filter((r) => r.inputs.chart === "cni").map((r) => r.name),
            ["istio-aws-primary-cni"],
        );
        // No allowlist is installed: none exists for Istio, and nothing on GKE needs one.
        assert.strictEqual(ofType(rs, "kubernetes:auto.gke.io/v1:AllowlistSynchronizer").length, 0);
        assert.deepStrictEqual(GKE_SIDECAR_INIT_REQUIREMENTS.initContainerCapabilities, ["NET_ADMIN", "NET_RAW"]);
    });

    it("pins every chart to versions.ts and waits for it with rollback", () => {
        const releases = ofType(rs, RELEASE);
        // aws-primary: five Istio charts and Kiali; gcp-dr has no CNI chart and skips Kiali.
        assert.strictEqual(releases.length, 10);
        for (const r of releases) {
            const kiali = r.inputs.chart === "kiali-server";
            assert.deepStrictEqual(
                [r.inputs.version, r.inputs.repositoryOpts.repo],
                kiali ? [VERSIONS.kiali, VERSIONS.kialiChartRepo] : [VERSIONS.istio, VERSIONS.istioChartRepo],
                r.name,
            );
            assert.deepStrictEqual(
                [r.inputs.skipAwait, r.inputs.atomic, r.inputs.createNamespace, r.inputs.namespace],
                [false, true, false, "istio-system"],
                r.name,
            );
            assert.ok(r.inputs.timeout >= 300, r.name);
        }
        assert.deepStrictEqual(
            ofType(inIstio("aws-primary"), RELEASE)
                .map((r) => `${r.inputs.name}:${r.inputs.chart}`)
                .sort(),
            [
                "istio-base:base",
                "istio-cni:cni",
                "istio-eastwestgateway:gateway",
                "istio-ingressgateway:gateway",
                "istiod:istiod",
                "kiali:kiali-server",
            ],
        );
        const kiali = release("aws-primary", "kiali");
        assert.ok(kiali.dependencies.includes(release("aws-primary", "istiod").urn));
        assert.strictEqual(kiali.inputs.values.auth.strategy, "token");
        assert.strictEqual(kiali.inputs.values.kubernetes_config.cluster_name, "aws-primary");
        // Deprecated and ignored since Kiali 2.11: not written at all.
        assert.strictEqual("istio_namespace" in kiali.inputs.values, false);
        assert.strictEqual(release("aws-primary", "istiod").inputs.timeout, HELM_RELEASE_DEFAULTS.timeoutSeconds);
        assert.strictEqual(release("aws-primary", "eastwest-gateway").inputs.timeout, 900);
    });

    it("exposes the east-west gateway on 15443 with AUTO_PASSTHROUGH for *.local, on an internal load balancer", () => {
        for (const name of CLUSTER_NAMES) {
            const { network, platform } = CLUSTERS[name];
            const values = release(name, "eastwest-gateway").inputs.values;
            assert.strictEqual(values.labels["topology.istio.io/network"], network);
            assert.strictEqual(values.labels.istio, "eastwestgateway");
            assert.strictEqual(values.env.ISTIO_META_REQUESTED_NETWORK_VIEW, network);
            assert.deepStrictEqual(
                values.service.ports.map((p: any) => [p.name, p.port]),
                [
                    ["status-port", 15021],
                    ["tls", 15443],
                    ["tls-istiod", 15012],
                    ["tls-webhook", 15017],
                ],
            );
            assert.deepStrictEqual(values.service.annotations, INTERNAL_LOAD_BALANCER_ANNOTATIONS[platform]);

            const gw = one(rs, "kubernetes:networking.istio.io/v1:Gateway", `istio-${name}-cross-network-gateway`);
            assert.deepStrictEqual(gw.inputs.metadata, { name: "cross-network-gateway", namespace: "istio-system" });
            assert.deepStrictEqual(gw.inputs.spec, {
                selector: { istio: "eastwestgateway" },
                servers: [
                    {
                        port: { number: 15443, name: "tls", protocol: "TLS" },
                        tls: { mode: "AUTO_PASSTHROUGH" },
                        hosts: ["*.local"],
                    },
                ],
            });
            assert.ok(gw.dependencies.includes(release(name, "eastwest-gateway").urn));
        }
    });

    // The rules themselves: istio-reader-role.spec.ts, against the chart.
    it("gives each cluster a reader account bound to the reader rules and a long-lived token", () => {
        for (const name of CLUSTER_NAMES) {
            const sa = one(rs, "kubernetes:core/v1:ServiceAccount", `istio-${name}-remote-reader`);
            assert.deepStrictEqual(sa.inputs.metadata, { name: ISTIO_REMOTE_READER, namespace: "istio-system" });
            const role = one(rs, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", `istio-${name}-remote-reader`);
            assert.deepStrictEqual(role.inputs.rules, JSON.parse(JSON.stringify(ISTIO_REMOTE_READER_RULES)));
            const binding = one(
                rs,
                "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
                `istio-${name}-remote-reader`,
            );
            assert.deepStrictEqual(binding.inputs.subjects, [
                { kind: "ServiceAccount", name: ISTIO_REMOTE_READER, namespace: "istio-system" },
            ]);
            const token = one(rs, SECRET, `istio-${name}-remote-reader-token`);
            assert.strictEqual(token.inputs.type, "kubernetes.io/service-account-token");
            assert.strictEqual(
                token.inputs.metadata.annotations["kubernetes.io/service-account.name"],
                ISTIO_REMOTE_READER,
            );
            for (const dep of [sa, binding]) assert.ok(token.dependencies.includes(dep.urn));
        }
    });
});

describe("mesh components fail before creating anything", () => {
    it("IstioCluster without a Kubernetes provider names the missing provider", async () => {
        const run = await runStack({
            stack: "dev",
            program: async () => {
                const ca = new MeshCertificateAuthority(
                    "ca",
                    { clusterNames: ["aws-primary"] },
                    { provider: new tls.Provider("tls") },
                );
                new IstioCluster("istio", validClusterArgs(ca.intermediateFor("aws-primary")));
            },
        });
        assert.strictEqual(
            run.error?.message,
            "IstioCluster istio: a kubernetes provider is required (pass { provider: <k8s.Provider> })",
        );
        assert.strictEqual(ofType(run.resources, "multicloud:mesh:IstioCluster").length, 1);
        assert.strictEqual(ofType(run.resources, RELEASE).length, 0);
    });
});
