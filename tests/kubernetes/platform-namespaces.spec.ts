import * as assert from "assert";
import {
    NAMESPACE_SIZING_DEFAULTS,
    parseQuantity,
    platformNamespacesProblems,
    SERVICE_ENVIRONMENTS,
} from "../../components/kubernetes";
import { VERSIONS } from "../../components/versions";
import { descendantsOf, one, ofType } from "../../harness/lookup";
import type { RecordedResource } from "../../harness/recorder";
import { CLUSTER_NAMES, CLUSTERS, meshResources, NAMESPACE, NETWORK_POLICY } from "../mesh/fixture";

describe("PlatformNamespaces in the mesh", () => {
    let rs: readonly RecordedResource[];

    before(async () => {
        rs = await meshResources();
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
                // No namespace-wide allow between pods: each service's own policy names its callers and callees.
                const namespaceWide = rs.filter(
                    (r) =>
                        r.type === NETWORK_POLICY &&
                        r.name.startsWith(`${prefix}-`) &&
                        [...(r.inputs.spec.ingress ?? []), ...(r.inputs.spec.egress ?? [])].some((rule: any) =>
                            (rule.from ?? rule.to ?? []).some(
                                (peer: any) =>
                                    peer.podSelector &&
                                    Object.keys(peer.podSelector).length === 0 &&
                                    !peer.namespaceSelector,
                            ),
                        ),
                );
                assert.deepStrictEqual(
                    namespaceWide.map((r) => r.name),
                    [],
                );
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
});

describe("PlatformNamespaces arguments", () => {
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

    it("PlatformNamespaces: data stores need ranges narrower than /0 and real TCP ports", () => {
        assert.deepStrictEqual(
            platformNamespacesProblems({
                meshNetwork: "aws",
                dataStores: [
                    { store: "aurora", cidrs: ["0.0.0.0/0"], ports: [5432] },
                    { store: "cache", cidrs: [], ports: [0] },
                ],
            }),
            [
                'dataStores[0] (aurora).cidrs: "0.0.0.0/0" is not an IPv4 CIDR narrower than /0',
                "dataStores[1] (cache).cidrs must list at least one range",
                "dataStores[1] (cache).ports must list TCP ports from 1 to 65535; received [0]",
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
});
