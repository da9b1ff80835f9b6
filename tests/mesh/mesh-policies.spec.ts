import * as assert from "assert";
import { SERVICE_ENVIRONMENTS } from "../../components/kubernetes";
import {
    canaryProblems,
    canaryRoute,
    localRateLimitProblems,
    RETRY_DEFAULTS,
    retryPolicyProblems,
} from "../../components/mesh";
import { one, ofType } from "../../harness/lookup";
import type { RecordedResource } from "../../harness/recorder";
import { CLUSTER_NAMES, DESTINATION_RULE, meshResources, RELEASE, VIRTUAL_SERVICE, type ClusterName } from "./fixture";

describe("mesh policies on both clusters", () => {
    let rs: readonly RecordedResource[];

    before(async () => {
        rs = await meshResources();
    });
    const release = (name: ClusterName, role: string) => one(rs, RELEASE, `istio-${name}-${role}`);

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

describe("mesh policy validators", () => {
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
});
