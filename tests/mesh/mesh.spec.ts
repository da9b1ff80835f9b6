import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import * as tls from "@pulumi/tls";
import { deepMerge, HELM_RELEASE_DEFAULTS } from "../../components/mesh/istio-helm";
import {
    apiServerUrl,
    connectIstioClusters,
    INTERNAL_LOAD_BALANCER_ANNOTATIONS,
    ISTIO_REMOTE_READER,
    ISTIO_REMOTE_READER_RULES,
    IstioCluster,
    istioClusterProblems,
    remoteSecretKubeconfig,
    type IstioClusterArgs,
} from "../../components/mesh/istio-mesh";
import { MeshCertificateAuthority, meshCertificateAuthorityProblems } from "../../components/mesh/mesh-ca";
import {
    canaryProblems,
    canaryRoute,
    localRateLimit,
    localRateLimitProblems,
    namespaceDestinationRule,
    RETRY_DEFAULTS,
    retryingRoute,
    retryPolicyProblems,
} from "../../components/mesh/mesh-policies";
import {
    NAMESPACE_SIZING_DEFAULTS,
    parseQuantity,
    PlatformNamespaces,
    platformNamespacesProblems,
    SERVICE_ENVIRONMENTS,
} from "../../components/kubernetes/platform-namespaces";
import { VERSIONS } from "../../components/versions";
import { descendantsOf, one, ofType } from "../../harness/lookup";
import { mockServiceAccountToken } from "../../harness/mock-outputs/mesh";
import type { RecordedResource } from "../../harness/recorder";
import { runStack, type StackRun } from "../../harness/run";

const CLUSTERS = {
    "aws-primary": {
        network: "aws",
        platform: "eks",
        endpoint: "https://ABC123.gr7.us-east-1.eks.amazonaws.com",
        caData: "bW9jay1jYQ==",
        peers: ["10.12.0.0/20"],
    },
    "gcp-dr": {
        network: "gcp",
        platform: "gke",
        endpoint: "172.16.0.2",
        caData: "bW9jay1na2UtY2E=",
        peers: ["10.10.0.0/16"],
    },
} as const;
type ClusterName = keyof typeof CLUSTERS;
const CLUSTER_NAMES = Object.keys(CLUSTERS) as ClusterName[];
const MESH_ID = "platform-dev";
const GKE_ALLOWLIST = "istio/cni/*";

const SECRET = "kubernetes:core/v1:Secret";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const DESTINATION_RULE = "kubernetes:networking.istio.io/v1:DestinationRule";
const VIRTUAL_SERVICE = "kubernetes:networking.istio.io/v1:VirtualService";

/** The two clusters wired the way program/main.ts is meant to wire them. */
async function meshProgram(): Promise<void> {
    const tlsProvider = new tls.Provider("tls");
    const ca = new MeshCertificateAuthority("mesh-ca", { clusterNames: CLUSTER_NAMES }, { provider: tlsProvider });
    const istio: IstioCluster[] = [];
    for (const name of CLUSTER_NAMES) {
        const c = CLUSTERS[name];
        const provider = new k8s.Provider(`k8s-${name}`, { kubeconfig: `{"apiVersion":"v1","kind":"Config"}` });
        const namespaces = new PlatformNamespaces(
            `ns-${name}`,
            { meshNetwork: c.network, meshPeerCidrs: c.peers },
            { provider },
        );
        const cluster = new IstioCluster(
            `istio-${name}`,
            {
                clusterName: name,
                network: c.network,
                meshId: MESH_ID,
                platform: c.platform,
                istioNamespace: namespaces.istioSystemNamespace,
                intermediateCa: ca.intermediateFor(name),
                apiServerEndpoint: c.endpoint,
                apiServerCaData: c.caData,
                ...(c.platform === "gke"
                    ? { kiali: false, gkeAllowlistPaths: [GKE_ALLOWLIST] }
                    : { values: { istiod: { pilot: { env: { PILOT_TRACE_SAMPLING: "1" } } } } }),
            },
            { provider },
        );
        istio.push(cluster);
        for (const env of SERVICE_ENVIRONMENTS) {
            namespaceDestinationRule(
                `${name}-${env}-default`,
                { namespace: namespaces.serviceNamespaces[env] },
                { provider, dependsOn: [cluster.istiod] },
            );
        }
        const prod = namespaces.serviceNamespaces.prod;
        canaryRoute(
            `${name}-reviews`,
            {
                service: "reviews",
                namespace: prod,
                stable: { version: "v1", weight: 90 },
                canary: { version: "v2", weight: 10 },
            },
            { provider, dependsOn: [cluster.istiod] },
        );
        retryingRoute(
            `${name}-ratings`,
            { service: "ratings", namespace: prod, retries: { attempts: 2 } },
            { provider, dependsOn: [cluster.istiod] },
        );
        localRateLimit(
            `${name}-ratings-limit`,
            { namespace: prod, workloadLabels: { app: "ratings" }, maxTokens: 50 },
            { provider, dependsOn: [cluster.istiod] },
        );
    }
    connectIstioClusters("mesh", istio);
}

const tokenOf = mockServiceAccountToken;

describe("Istio mesh across both clusters", () => {
    let run: StackRun;
    let rs: readonly RecordedResource[];

    before(async () => {
        run = await runStack({ stack: "dev", program: meshProgram });
        if (run.error) throw run.error;
        rs = run.resources;
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
            assert.strictEqual(values.pilot.cni.enabled, true);
            assert.strictEqual(values.meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE, "true");
        }
        const gke = release("gcp-dr", "istiod").inputs.values;
        assert.strictEqual(gke.global.platform, "gke");
        assert.deepStrictEqual(release("gcp-dr", "cni").inputs.values, { global: { platform: "gke" } });
        const eks = release("aws-primary", "istiod").inputs.values;
        assert.strictEqual(eks.global.platform, undefined);
        // Caller values are merged over the defaults, not instead of them.
        assert.deepStrictEqual(eks.pilot, { cni: { enabled: true }, env: { PILOT_TRACE_SAMPLING: "1" } });
    });

    it("orders base -> cni -> istiod -> gateways by dependsOn, cacerts before istiod, all parented by the cluster", () => {
        for (const name of CLUSTER_NAMES) {
            const [base, cni, istiod, ingress, eastWest] = [
                "base",
                "cni",
                "istiod",
                "ingress-gateway",
                "eastwest-gateway",
            ].map((role) => release(name, role));
            const cacerts = one(rs, SECRET, `istio-${name}-cacerts`);
            assert.ok(cni.dependencies.includes(base.urn), `${name}: cni after base`);
            for (const dep of [base, cni, cacerts]) assert.ok(istiod.dependencies.includes(dep.urn), dep.urn);
            for (const gw of [ingress, eastWest]) assert.ok(gw.dependencies.includes(istiod.urn), gw.urn);
            assert.ok(!base.dependencies.some((d) => [cni, istiod].map((r) => r.urn).includes(d)));
            const component = one(rs, "multicloud:mesh:IstioCluster", `istio-${name}`);
            for (const r of [base, cni, istiod, ingress, eastWest]) assert.strictEqual(r.parent, component.urn);
        }
        const allowlist = one(rs, "kubernetes:auto.gke.io/v1:AllowlistSynchronizer", "istio-gcp-dr-cni-allowlist");
        assert.deepStrictEqual(allowlist.inputs.spec.allowlistPaths, [GKE_ALLOWLIST]);
        assert.ok(release("gcp-dr", "cni").dependencies.includes(allowlist.urn));
        assert.strictEqual(ofType(inIstio("aws-primary"), "kubernetes:auto.gke.io/v1:AllowlistSynchronizer").length, 0);
    });

    it("pins every chart to versions.ts and waits for it with rollback", () => {
        const releases = ofType(rs, RELEASE);
        // aws-primary: five Istio charts and Kiali; gcp-dr skips Kiali.
        assert.strictEqual(releases.length, 11);
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

    it("gives each cluster a reader account with the istiod reader rules and a long-lived token", () => {
        for (const name of CLUSTER_NAMES) {
            const sa = one(rs, "kubernetes:core/v1:ServiceAccount", `istio-${name}-remote-reader`);
            assert.deepStrictEqual(sa.inputs.metadata, { name: ISTIO_REMOTE_READER, namespace: "istio-system" });
            const role = one(rs, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", `istio-${name}-remote-reader`);
            assert.deepStrictEqual(role.inputs.rules, JSON.parse(JSON.stringify(ISTIO_REMOTE_READER_RULES)));
            for (const rule of role.inputs.rules) {
                for (const verb of rule.verbs) assert.ok(["get", "list", "watch", "create"].includes(verb));
                if (rule.verbs.includes("create")) {
                    assert.ok(
                        ["tokenreviews", "subjectaccessreviews"].includes(rule.resources[0]),
                        "create only reviews",
                    );
                }
            }
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

    it("labels the namespaces for Pod Security, injection and the mesh network", () => {
        for (const name of CLUSTER_NAMES) {
            const ns = (n: string) => one(rs, NAMESPACE, `ns-${name}-${n}`).inputs.metadata;
            for (const env of SERVICE_ENVIRONMENTS) {
                const md = ns(`services-${env}`);
                assert.strictEqual(md.name, `services-${env}`);
                assert.strictEqual(md.labels["pod-security.kubernetes.io/enforce"], "restricted");
                assert.strictEqual(md.labels["pod-security.kubernetes.io/enforce-version"], `v${VERSIONS.kubernetes}`);
                assert.strictEqual(md.labels["istio-injection"], "enabled");
            }
            const istio = ns("istio-system").labels;
            assert.strictEqual(istio["pod-security.kubernetes.io/enforce"], "privileged");
            assert.strictEqual(istio["topology.istio.io/network"], CLUSTERS[name].network);
            assert.strictEqual(istio["istio-injection"], undefined, "gateways must stay injectable");
            for (const n of ["system", "monitoring"]) {
                assert.strictEqual(ns(n).labels["pod-security.kubernetes.io/enforce"], "baseline");
                assert.strictEqual(ns(n).labels["istio-injection"], "disabled");
            }
            assert.strictEqual(
                ofType(descendantsOf(rs, one(rs, "multicloud:kubernetes:PlatformNamespaces", `ns-${name}`)), NAMESPACE)
                    .length,
                6,
            );
        }
    });

    it("gives every service namespace a default-deny policy, the mesh allows, a quota and container defaults", () => {
        for (const name of CLUSTER_NAMES) {
            for (const env of SERVICE_ENVIRONMENTS) {
                const ns = `services-${env}`;
                const prefix = `ns-${name}-${ns}`;
                const np = (n: string) => one(rs, NETWORK_POLICY, `${prefix}-${n}`).inputs;
                const deny = np("default-deny");
                assert.deepStrictEqual(deny.metadata, { name: "default-deny", namespace: ns });
                assert.deepStrictEqual(deny.spec, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
                assert.deepStrictEqual(np("allow-dns").spec.egress, [
                    {
                        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }],
                        ports: [
                            { protocol: "UDP", port: 53 },
                            { protocol: "TCP", port: 53 },
                        ],
                    },
                ]);
                const istiod = np("allow-istio-control-plane").spec.egress[0];
                assert.deepStrictEqual(
                    istiod.ports.map((p: any) => p.port),
                    [15012, 15017, 443],
                );
                assert.deepStrictEqual(istiod.to[0].podSelector, { matchLabels: { app: "istiod" } });
                assert.deepStrictEqual(np("allow-from-istio-gateways").spec.ingress[0].from[0].podSelector, {
                    matchExpressions: [{ key: "istio", operator: "In", values: ["ingressgateway", "eastwestgateway"] }],
                });
                assert.deepStrictEqual(np("allow-same-namespace").spec.ingress, [{ from: [{ podSelector: {} }] }]);
                assert.deepStrictEqual(np("allow-mesh-peers").spec.egress, [
                    {
                        to: CLUSTERS[name].peers.map((cidr) => ({ ipBlock: { cidr } })),
                        ports: [{ protocol: "TCP", port: 15443 }],
                    },
                ]);

                const sizing = NAMESPACE_SIZING_DEFAULTS[env];
                const quota = one(rs, "kubernetes:core/v1:ResourceQuota", `${prefix}-quota`).inputs;
                assert.strictEqual(quota.metadata.namespace, ns);
                assert.deepStrictEqual(quota.spec.hard, {
                    pods: String(sizing.maxPods),
                    "requests.cpu": sizing.requestsCpu,
                    "requests.memory": sizing.requestsMemory,
                    "limits.cpu": sizing.limitsCpu,
                    "limits.memory": sizing.limitsMemory,
                    "services.loadbalancers": "0",
                    "services.nodeports": "0",
                });
                const limits = one(rs, "kubernetes:core/v1:LimitRange", `${prefix}-limits`).inputs;
                assert.strictEqual(limits.metadata.namespace, ns);
                assert.deepStrictEqual(limits.spec.limits, [
                    {
                        type: "Container",
                        defaultRequest: { cpu: sizing.containerRequestCpu, memory: sizing.containerRequestMemory },
                        default: { cpu: sizing.containerLimitCpu, memory: sizing.containerLimitMemory },
                    },
                ]);
            }
            // Only service namespaces are fenced; system namespaces carry no policies of ours.
            const fenced = new Set(
                ofType(rs, NETWORK_POLICY)
                    .filter((r) => r.name.startsWith(`ns-${name}-`))
                    .map((r) => r.inputs.metadata.namespace),
            );
            assert.deepStrictEqual([...fenced].sort(), ["services-dev", "services-prod", "services-staging"]);
        }
    });

    it("makes mTLS STRICT mesh-wide on every cluster, after istiod", () => {
        const peerAuth = ofType(rs, "kubernetes:security.istio.io/v1:PeerAuthentication");
        assert.strictEqual(peerAuth.length, 2);
        for (const name of CLUSTER_NAMES) {
            const pa = one(rs, "kubernetes:security.istio.io/v1:PeerAuthentication", `istio-${name}-mtls`);
            assert.deepStrictEqual(pa.inputs.metadata, { name: "default", namespace: "istio-system" });
            assert.deepStrictEqual(pa.inputs.spec, { mtls: { mode: "STRICT" } });
            assert.ok(pa.dependencies.includes(release(name, "istiod").urn));
        }
    });

    it("gives every DestinationRule a circuit breaker, connection limits and Istio mTLS", () => {
        const rules = ofType(rs, DESTINATION_RULE);
        assert.strictEqual(rules.length, 2 * (SERVICE_ENVIRONMENTS.length + 1));
        for (const r of rules) {
            const p = r.inputs.spec.trafficPolicy;
            assert.deepStrictEqual(p.outlierDetection, {
                consecutive5xxErrors: 5,
                interval: "10s",
                baseEjectionTime: "30s",
                maxEjectionPercent: 100,
            });
            assert.strictEqual(p.tls.mode, "ISTIO_MUTUAL");
            assert.strictEqual(p.connectionPool.tcp.maxConnections, 1024);
            assert.strictEqual(p.connectionPool.http.http1MaxPendingRequests, 1024);
        }
        const prodDefault = one(rs, DESTINATION_RULE, "gcp-dr-prod-default").inputs;
        assert.deepStrictEqual(prodDefault.metadata, { name: "default", namespace: "services-prod" });
        assert.strictEqual(prodDefault.spec.host, "*.services-prod.svc.cluster.local");
    });

    it("splits a canary by version subsets and weight, with retries and a timeout", () => {
        const dr = one(rs, DESTINATION_RULE, "aws-primary-reviews-subsets");
        assert.deepStrictEqual(dr.inputs.spec.subsets, [
            { name: "stable", labels: { version: "v1" } },
            { name: "canary", labels: { version: "v2" } },
        ]);
        const vs = one(rs, VIRTUAL_SERVICE, "aws-primary-reviews-split");
        const host = "reviews.services-prod.svc.cluster.local";
        assert.deepStrictEqual(vs.inputs.spec, {
            hosts: [host],
            http: [
                {
                    route: [
                        { destination: { host, subset: "stable" }, weight: 90 },
                        { destination: { host, subset: "canary" }, weight: 10 },
                    ],
                    timeout: RETRY_DEFAULTS.timeout,
                    retries: {
                        attempts: RETRY_DEFAULTS.attempts,
                        perTryTimeout: RETRY_DEFAULTS.perTryTimeout,
                        retryOn: RETRY_DEFAULTS.retryOn,
                    },
                },
            ],
        });
        assert.ok(vs.dependencies.includes(dr.urn), "the split waits for its subsets");

        const retrying = one(rs, VIRTUAL_SERVICE, "gcp-dr-ratings").inputs.spec.http[0];
        assert.deepStrictEqual(retrying.retries, {
            attempts: 2,
            perTryTimeout: "2s",
            retryOn: "connect-failure,refused-stream,unavailable,cancelled",
        });
        assert.strictEqual(retrying.timeout, "10s");
    });

    it("rate-limits a workload with Envoy's local rate limiter", () => {
        const f = one(rs, "kubernetes:networking.istio.io/v1alpha3:EnvoyFilter", "aws-primary-ratings-limit").inputs;
        assert.strictEqual(f.metadata.namespace, "services-prod");
        assert.deepStrictEqual(f.spec.workloadSelector, { labels: { app: "ratings" } });
        const patch = f.spec.configPatches[0];
        assert.deepStrictEqual(
            [patch.applyTo, patch.match.context, patch.patch.operation],
            ["HTTP_FILTER", "SIDECAR_INBOUND", "INSERT_BEFORE"],
        );
        assert.strictEqual(patch.patch.value.name, "envoy.filters.http.local_ratelimit");
        assert.deepStrictEqual(patch.patch.value.typed_config.value.token_bucket, {
            max_tokens: 50,
            tokens_per_fill: 50,
            fill_interval: "1s",
        });
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

function validClusterArgs(intermediateCa: IstioClusterArgs["intermediateCa"]): IstioClusterArgs {
    return {
        clusterName: "aws-primary",
        network: "aws",
        meshId: MESH_ID,
        platform: "eks",
        istioNamespace: "istio-system",
        intermediateCa,
        apiServerEndpoint: "https://example",
        apiServerCaData: "Y2E=",
    };
}

describe("mesh validators", () => {
    it("canary weights: each 0..100 and summing to 100, exact messages", () => {
        const cases: [number, number, string[]][] = [
            [90, 10, []],
            [100, 0, []],
            [90, 20, ["stable.weight + canary.weight must equal 100; received 90 + 20 = 110"]],
            [
                120,
                -20,
                [
                    "stable.weight must be a whole number from 0 to 100; received 120",
                    "canary.weight must be a whole number from 0 to 100; received -20",
                ],
            ],
            [
                50.5,
                49.5,
                [
                    "stable.weight must be a whole number from 0 to 100; received 50.5",
                    "canary.weight must be a whole number from 0 to 100; received 49.5",
                ],
            ],
        ];
        for (const [stable, canary, expected] of cases) {
            assert.deepStrictEqual(
                canaryProblems({ version: "v1", weight: stable }, { version: "v2", weight: canary }),
                expected,
                `${stable}/${canary}`,
            );
        }
        assert.deepStrictEqual(canaryProblems({ version: "v1", weight: 50 }, { version: "v1", weight: 50 }), [
            'stable.version and canary.version must differ; both are "v1"',
        ]);
        assert.throws(
            () =>
                canaryRoute(
                    "reviews",
                    {
                        service: "reviews",
                        namespace: "services-prod",
                        stable: { version: "v1", weight: 90 },
                        canary: { version: "v2", weight: 20 },
                    },
                    {},
                ),
            { message: "canaryRoute reviews: stable.weight + canary.weight must equal 100; received 90 + 20 = 110" },
        );
    });

    it("retry policies and rate limits", () => {
        assert.deepStrictEqual(retryPolicyProblems(RETRY_DEFAULTS), []);
        assert.deepStrictEqual(
            retryPolicyProblems({ attempts: 0, perTryTimeout: "5s", retryOn: "5xx,sometimes,503", timeout: "2s" }),
            [
                "retries.attempts must be a whole number from 1 to 10; received 0",
                "retries.perTryTimeout (5s) must not exceed retries.timeout (2s): the overall timeout would cut every retry short",
                'retries.retryOn has unknown conditions "sometimes"; allowed: 5xx, gateway-error, reset, connect-failure, envoy-ratelimited, retriable-4xx, refused-stream, retriable-status-codes, retriable-headers, cancelled, deadline-exceeded, internal, resource-exhausted, unavailable or HTTP status codes',
            ],
        );
        assert.deepStrictEqual(retryPolicyProblems({ ...RETRY_DEFAULTS, perTryTimeout: "2 seconds" }), [
            'retries.perTryTimeout must be a positive duration such as "2s" or "500ms"; received "2 seconds"',
        ]);
        assert.deepStrictEqual(localRateLimitProblems({ namespace: "n", maxTokens: 10 }), []);
        assert.deepStrictEqual(localRateLimitProblems({ namespace: "n", maxTokens: 0, fillInterval: "10ms" }), [
            "maxTokens must be a whole number of at least 1; received 0",
            "tokensPerFill must be a whole number of at least 1; received 0",
            'fillInterval must be a duration of at least 50ms; received "10ms"',
        ]);
    });

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

    it("PlatformNamespaces: network label, CIDRs and sizes", () => {
        assert.deepStrictEqual(platformNamespacesProblems({ meshNetwork: "aws" }), []);
        assert.deepStrictEqual(
            platformNamespacesProblems({
                meshNetwork: "aws network",
                meshPeerCidrs: ["10.0.0.0/33"],
                sizing: { dev: { containerRequestCpu: "2", requestsMemory: "lots" } },
            }),
            [
                "meshNetwork must be a non-empty Kubernetes label value (letters, digits, '-', '_', '.'); received \"aws network\"",
                'meshPeerCidrs: "10.0.0.0/33" is not an IPv4 CIDR',
                'sizing.dev.requestsMemory must be a Kubernetes quantity such as "500m", "2" or "4Gi"; received "lots"',
                "sizing.dev.containerRequestCpu (2) must not exceed containerLimitCpu (500m)",
            ],
        );
    });

    it("default sizes fit maxPods pods at the container defaults plus Istio's default sidecar", () => {
        const sidecar = { requestCpu: 0.1, requestMemory: 128 * 2 ** 20, limitCpu: 2, limitMemory: 2 ** 30 };
        for (const env of SERVICE_ENVIRONMENTS) {
            const s = NAMESPACE_SIZING_DEFAULTS[env];
            const q = (v: string) => parseQuantity(v)!;
            const fits = (total: string, container: string, extra: number) =>
                q(total) >= s.maxPods * (q(container) + extra) - 1e-6;
            assert.ok(fits(s.requestsCpu, s.containerRequestCpu, sidecar.requestCpu), `${env} requests.cpu`);
            assert.ok(
                fits(s.requestsMemory, s.containerRequestMemory, sidecar.requestMemory),
                `${env} requests.memory`,
            );
            assert.ok(fits(s.limitsCpu, s.containerLimitCpu, sidecar.limitCpu), `${env} limits.cpu`);
            assert.ok(fits(s.limitsMemory, s.containerLimitMemory, sidecar.limitMemory), `${env} limits.memory`);
        }
    });

    it("deep-merges Helm values: objects merge, lists and scalars replace, undefined keeps", () => {
        const base = { a: { b: 1, c: [1, 2] }, d: "x" };
        assert.deepStrictEqual(deepMerge(base, { a: { c: [3], e: true }, d: undefined }), {
            a: { b: 1, c: [3], e: true },
            d: "x",
        });
        assert.deepStrictEqual(base, { a: { b: 1, c: [1, 2] }, d: "x" }, "inputs are not modified");
    });

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
