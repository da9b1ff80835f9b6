import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import { DEFAULT_DENY_POLICY_NAME, namespaceDefaultDeny } from "../../components/catalog";
import { one, ofType } from "../../harness/lookup";
import type { RecordedResource } from "../../harness/recorder";
import { runStack } from "../../harness/run";
import { TYPES, workloadResources } from "./workload-fixture";

const ORDER_HOST = "order.services-prod.svc.cluster.local";

describe("ServiceWorkload: network and mesh", () => {
    let rs: readonly RecordedResource[];
    before(async () => {
        rs = await workloadResources();
    });

    it("lets in only its callers and out only to its callees and data stores", () => {
        assert.deepStrictEqual(one(rs, TYPES.networkPolicy, "order-netpol").inputs.spec, {
            podSelector: { matchLabels: { app: "order" } },
            policyTypes: ["Ingress", "Egress"],
            ingress: [
                {
                    from: [
                        {
                            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "services-prod" } },
                            podSelector: { matchLabels: { app: "payment" } },
                        },
                    ],
                    ports: [{ protocol: "TCP", port: 8080 }],
                },
            ],
            egress: [
                {
                    to: [
                        {
                            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "services-prod" } },
                            podSelector: { matchLabels: { app: "product" } },
                        },
                    ],
                    ports: [{ protocol: "TCP", port: 8081 }],
                },
                {
                    to: [{ ipBlock: { cidr: "10.10.32.0/24" } }, { ipBlock: { cidr: "10.10.33.0/24" } }],
                    ports: [{ protocol: "TCP", port: 5432 }],
                },
            ],
        });
        // Nothing to add beyond the namespace's own allows (DNS, istiod): empty lists, not "allow all".
        const bare = one(rs, TYPES.networkPolicy, "user-netpol").inputs.spec;
        assert.deepStrictEqual([bare.ingress, bare.egress], [[], []]);
    });

    it("admits only the declared callers and the ingress gateway, by mesh identity", () => {
        const policy = one(rs, TYPES.authorizationPolicy, "order-authz").inputs;
        assert.deepStrictEqual(policy.metadata.name, "order");
        assert.deepStrictEqual(policy.spec, {
            selector: { matchLabels: { app: "order" } },
            action: "ALLOW",
            rules: [
                {
                    from: [
                        {
                            source: {
                                principals: [
                                    "cluster.local/ns/services-prod/sa/payment",
                                    "cluster.local/ns/istio-system/sa/istio-ingressgateway",
                                ],
                            },
                        },
                    ],
                },
            ],
        });
        // No caller and no route: an ALLOW policy without rules, which admits nobody.
        assert.deepStrictEqual(one(rs, TYPES.authorizationPolicy, "user-authz").inputs.spec.rules, []);
    });

    it("splits the canary by weight with the entry's retries, after its subsets exist", () => {
        const vs = one(rs, TYPES.virtualService, "order-split");
        assert.deepStrictEqual(vs.inputs.spec.http, [
            {
                route: [
                    { destination: { host: ORDER_HOST, subset: "stable" }, weight: 90 },
                    { destination: { host: ORDER_HOST, subset: "canary" }, weight: 10 },
                ],
                timeout: "5s",
                retries: {
                    attempts: 2,
                    perTryTimeout: "2s",
                    retryOn: "connect-failure,refused-stream,unavailable,cancelled",
                },
            },
        ]);
        const dr = one(rs, TYPES.destinationRule, "order-subsets");
        assert.ok(vs.dependencies.includes(dr.urn));
        assert.deepStrictEqual(dr.inputs.spec.subsets, [
            { name: "stable", labels: { version: "v7" } },
            { name: "canary", labels: { version: "v8" } },
        ]);
        assert.deepStrictEqual(dr.inputs.spec.trafficPolicy.outlierDetection, {
            consecutive5xxErrors: 5,
            interval: "10s",
            baseEjectionTime: "30s",
            maxEjectionPercent: 100,
        });
        assert.deepStrictEqual(dr.inputs.spec.trafficPolicy.connectionPool.tcp, {
            maxConnections: 1024,
            connectTimeout: "5s",
        });
    });

    it("without a canary keeps the same object names, one stable subset and an unsplit route", () => {
        const dr = one(rs, TYPES.destinationRule, "user-subsets").inputs;
        assert.deepStrictEqual(dr.metadata.name, "user");
        assert.deepStrictEqual(dr.spec.subsets, [{ name: "stable", labels: { version: "v1" } }]);
        assert.strictEqual(dr.spec.trafficPolicy.tls.mode, "ISTIO_MUTUAL");
        assert.strictEqual(dr.spec.trafficPolicy.outlierDetection.consecutive5xxErrors, 5);
        const vs = one(rs, TYPES.virtualService, "user-split").inputs.spec;
        assert.deepStrictEqual(vs.http[0].route, [{ destination: { host: "user.services-prod.svc.cluster.local" } }]);
        assert.deepStrictEqual([vs.http[0].timeout, vs.http[0].retries.attempts], ["10s", 3]);
    });

    it("routes its path prefixes from the gateway with the same split and retries", () => {
        const spec = one(rs, TYPES.virtualService, "order-ingress").inputs.spec;
        assert.deepStrictEqual(spec.hosts, ["api.example.com"]);
        assert.deepStrictEqual(spec.gateways, ["istio-system/public"]);
        assert.deepStrictEqual(spec.http[0].match, [{ uri: { prefix: "/orders" } }]);
        assert.deepStrictEqual(
            spec.http[0].route.map((r: { destination: { subset: string }; weight: number }) => [
                r.destination.subset,
                r.weight,
            ]),
            [
                ["stable", 90],
                ["canary", 10],
            ],
        );
        assert.strictEqual(spec.http[0].timeout, "5s");
        assert.strictEqual(ofType(rs, TYPES.virtualService).filter((v) => v.name.endsWith("-ingress")).length, 1);
    });

    it("rate-limits its own pods only, and waits for istiod with every Istio object", () => {
        const filter = one(rs, TYPES.envoyFilter, "order-rate-limit").inputs.spec;
        assert.deepStrictEqual(filter.workloadSelector, { labels: { app: "order" } });
        assert.deepStrictEqual(filter.configPatches[0].patch.value.typed_config.value.token_bucket, {
            max_tokens: 100,
            tokens_per_fill: 100,
            fill_interval: "500ms",
        });
        assert.strictEqual(ofType(rs, TYPES.envoyFilter).length, 1);
        const istiod = one(rs, "kubernetes:core/v1:ConfigMap", "istiod-ready").urn;
        const istio = rs.filter((r) => /istio\.io/.test(r.type));
        assert.strictEqual(istio.length, 5 + 3 + 3 + 3);
        for (const r of istio) assert.ok(r.dependencies.includes(istiod), `${r.name} waits for istiod`);
    });
});

describe("namespaceDefaultDeny", () => {
    it("is an AuthorizationPolicy with an empty spec (allow nothing) in the namespace", async () => {
        const run = await runStack({
            stack: "dev",
            program: async () => {
                const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
                namespaceDefaultDeny("services-prod-deny", { namespace: "services-prod" }, { provider });
            },
        });
        assert.strictEqual(run.error, undefined, run.error?.stack);
        const p = one(run.resources, TYPES.authorizationPolicy, "services-prod-deny");
        assert.deepStrictEqual(p.inputs, {
            apiVersion: "security.istio.io/v1",
            kind: "AuthorizationPolicy",
            metadata: { name: DEFAULT_DENY_POLICY_NAME, namespace: "services-prod" },
            spec: {},
        });
        assert.strictEqual(DEFAULT_DENY_POLICY_NAME, "allow-nothing");
    });

    it("needs a Kubernetes provider", () => {
        assert.throws(() => namespaceDefaultDeny("x", { namespace: "services-prod" }, {}), {
            message:
                "namespaceDefaultDeny x: a kubernetes provider is required (opts.provider, or a parent created with one)",
        });
    });
});
