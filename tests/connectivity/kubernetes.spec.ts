import * as assert from "assert";
import { admission, exposure } from "../../harness/connectivity/exposure";
import { podEgress, podIngress, selects } from "../../harness/connectivity/network-policies";
import { indexPlan } from "../../harness/connectivity/plan-index";
import type { RecordedResource } from "../../harness/recorder";
import { resource } from "../policy/fixtures";
import { endpoint, probe } from "./probe";

const PROVIDER =
    "urn:pulumi:test::multicloud-platform::multicloud:kubernetes:GkeAutopilot$pulumi:providers:kubernetes::gke-k8s";

function np(name: string, namespace: string, spec: Record<string, any>): RecordedResource {
    return resource(
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        name,
        { metadata: { name, namespace }, spec },
        { provider: PROVIDER },
    );
}

const defaultDeny = np("default-deny", "svc", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
const pods = { cluster: "gke" as const, namespace: "svc", labels: { app: "orders" } };
const src = endpoint({ cloud: "gcp", cidrs: ["10.4.0.0/14"], pods: [pods] });
const db = endpoint({ cloud: "aws", cidrs: ["10.100.128.0/21"] });
const egress = (policies: RecordedResource[], port = 5432) =>
    podEgress(indexPlan(policies), probe(src, db, port, { sourcePods: pods }));

describe("connectivity: Kubernetes NetworkPolicies", () => {
    it("select pods by labels and expressions", () => {
        assert.ok(selects({}, { app: "x" }));
        assert.ok(selects({ matchLabels: { app: "x" } }, { app: "x", v: "1" }));
        assert.ok(!selects({ matchLabels: { app: "y" } }, { app: "x" }));
        assert.ok(selects({ matchExpressions: [{ key: "app", operator: "In", values: ["x", "y"] }] }, { app: "x" }));
        assert.ok(!selects({ matchExpressions: [{ key: "app", operator: "DoesNotExist" }] }, { app: "x" }));
    });

    it("leave a pod no policy selects open, and isolate one a default deny selects", () => {
        assert.strictEqual(egress([]), undefined);
        assert.deepStrictEqual(egress([defaultDeny]), {
            hop: "source egress",
            allowed: false,
            reason: "NetworkPolicies of svc on gke (default-deny) isolate egress and none allows tcp/5432 to 10.100.128.0/21",
        });
    });

    it("allow through an ipBlock on the listed ports, minus its exceptions", () => {
        const allow = (to: any, ports?: any[]) =>
            np("to-db", "svc", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to, ports }] });
        assert.strictEqual(
            egress([defaultDeny, allow([{ ipBlock: { cidr: "10.100.0.0/16" } }], [{ port: 5432 }])])!.allowed,
            true,
        );
        assert.strictEqual(
            egress([defaultDeny, allow([{ ipBlock: { cidr: "10.100.0.0/16" } }], [{ port: 6379 }])])!.allowed,
            false,
        );
        assert.strictEqual(
            egress([defaultDeny, allow([{ ipBlock: { cidr: "10.100.0.0/16" } }], [{ port: 5000, endPort: 6000 }])])!
                .allowed,
            true,
        );
        assert.strictEqual(
            egress([defaultDeny, allow([{ ipBlock: { cidr: "10.100.0.0/16", except: ["10.100.128.0/17"] } }])])!
                .allowed,
            false,
        );
        // A namespace selector reaches pods, never an address outside the cluster.
        assert.strictEqual(egress([defaultDeny, allow([{ namespaceSelector: {} }])])!.allowed, false);
    });

    it("match pod peers by namespace and pod selectors on ingress", () => {
        const gw = { cluster: "gke" as const, namespace: "istio-system", labels: { istio: "eastwestgateway" } };
        const from = np("from-gw", "svc", {
            podSelector: {},
            policyTypes: ["Ingress"],
            ingress: [
                {
                    from: [
                        {
                            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "istio-system" } },
                            podSelector: { matchLabels: { istio: "eastwestgateway" } },
                        },
                    ],
                },
            ],
        });
        const idx = indexPlan([defaultDeny, from]);
        const dst = endpoint({ cloud: "gcp", cidrs: ["10.4.0.0/14"] });
        assert.strictEqual(
            podIngress(idx, probe(src, dst, 8080, { sourcePods: gw, destinationPods: pods }))!.allowed,
            true,
        );
        const other = { ...gw, labels: { istio: "ingressgateway" } };
        assert.strictEqual(
            podIngress(idx, probe(src, dst, 8080, { sourcePods: other, destinationPods: pods }))!.allowed,
            false,
        );
    });
});

describe("connectivity: admission and exposure", () => {
    const internet = endpoint({ cloud: "internet", cidrs: ["0.0.0.0/0"], public: true });
    const vpc = endpoint({ cloud: "aws", cidrs: ["10.100.0.0/19"] });

    it("refuse a port the destination does not listen on", () => {
        const msk = endpoint({
            cloud: "aws",
            admission: { resource: "kafka", ports: [9098], portsDetail: "SASL/IAM" },
        });
        assert.deepStrictEqual(admission(probe(vpc, msk, 9092)), {
            hop: "destination ingress",
            allowed: false,
            reason: "kafka listens on 9098 (SASL/IAM), not 9092",
        });
    });

    it("hold callers to master authorized networks, NAT addresses included", () => {
        const api = endpoint({
            cloud: "gcp",
            admission: {
                resource: "gke masterAuthorizedNetworksConfig",
                ports: [443],
                authorizedNetworks: ["10.100.0.0/16"],
            },
        });
        assert.strictEqual(admission(probe(vpc, api)).reason, "gke masterAuthorizedNetworksConfig lists 10.100.0.0/16");
        assert.strictEqual(
            admission(probe(vpc, api, 443, { natted: true })).reason,
            "gke masterAuthorizedNetworksConfig admits only 10.100.0.0/16, not a public address (the caller's NAT)",
        );
    });

    it("need a public endpoint for the internet and a private one for private callers", () => {
        const store = (pub: boolean, priv: boolean) =>
            endpoint({ cloud: "aws", exposure: { resource: "db", public: pub, private: priv, detail: "d" } });
        assert.strictEqual(exposure(probe(internet, store(false, true))).reason, "db has no public endpoint (d)");
        assert.strictEqual(exposure(probe(internet, store(true, true))).allowed, true);
        assert.strictEqual(exposure(probe(vpc, store(true, false))).reason, "db has no private endpoint (d)");
    });
});
