/** Istio AuthorizationPolicies at the destination's sidecar (harness/connectivity/mesh-authz.ts), on fabricated objects. */
import * as assert from "assert";
import { meshAuthorization, sourcePrincipal } from "../../harness/connectivity/mesh-authz";
import { indexPlan } from "../../harness/connectivity/plan-index";
import type { PodPlace } from "../../harness/connectivity/types";
import type { RecordedResource } from "../../harness/recorder";
import { resource } from "../policy/fixtures";
import { endpoint, probe } from "./probe";

const PROVIDER =
    "urn:pulumi:test::multicloud-platform::multicloud:kubernetes:GkeAutopilot$pulumi:providers:kubernetes::gke-k8s";
const AUTHZ = "kubernetes:security.istio.io/v1:AuthorizationPolicy";

const k8s = (type: string, name: string, inputs: Record<string, any>): RecordedResource =>
    resource(type, name, inputs, { provider: PROVIDER });
const namespace = (name: string, labels: Record<string, string>) =>
    k8s("kubernetes:core/v1:Namespace", `ns-${name}`, { metadata: { name, labels } });
const authz = (name: string, ns: string, spec: Record<string, any>) =>
    k8s(AUTHZ, `${ns}-${name}`, { metadata: { name, namespace: ns }, spec });

const svc = namespace("svc", { "istio-injection": "enabled" });
const allowNothing = authz("allow-nothing", "svc", {});
const orderFromCheckout = authz("order", "svc", {
    selector: { matchLabels: { app: "order" } },
    action: "ALLOW",
    rules: [{ from: [{ source: { principals: ["cluster.local/ns/svc/sa/checkout"] } }] }],
});
const pods = (app: string, serviceAccount?: string): PodPlace => ({
    cluster: "gke",
    namespace: "svc",
    labels: { app },
    serviceAccount,
});
const caller = endpoint({ cloud: "gcp", cidrs: ["10.4.0.0/14"] });
const order = endpoint({ cloud: "gcp", cidrs: ["10.4.0.0/14"] });
const check = (resources: RecordedResource[], from: PodPlace | undefined, port = 8080) =>
    meshAuthorization(
        indexPlan(resources),
        probe(caller, order, port, { sourcePods: from, destinationPods: pods("order") }),
    );

describe("connectivity: Istio authorization at the destination", () => {
    it("names the source by its namespace and ServiceAccount, only where sidecars are injected", () => {
        const idx = indexPlan([svc, namespace("plain", {})]);
        const p = (from: PodPlace) => probe(caller, order, 8080, { sourcePods: from });
        assert.strictEqual(sourcePrincipal(idx, p(pods("checkout", "checkout"))), "cluster.local/ns/svc/sa/checkout");
        assert.strictEqual(sourcePrincipal(idx, p(pods("checkout"))), undefined);
        assert.strictEqual(sourcePrincipal(idx, p({ ...pods("x", "x"), namespace: "plain" })), undefined);
    });

    it("admits the principal an ALLOW policy lists, and refuses any other", () => {
        const resources = [svc, allowNothing, orderFromCheckout];
        assert.deepStrictEqual(check(resources, pods("checkout", "checkout")), {
            hop: "destination ingress",
            allowed: true,
            reason: "AuthorizationPolicy svc/order admits cluster.local/ns/svc/sa/checkout",
        });
        assert.deepStrictEqual(check(resources, pods("user", "user")), {
            hop: "destination ingress",
            allowed: false,
            reason: "AuthorizationPolicies of svc on gke (svc/allow-nothing, svc/order) admit no cluster.local/ns/svc/sa/user on 8080",
        });
        assert.strictEqual(
            check(resources, undefined)!.reason,
            "AuthorizationPolicies of svc on gke (svc/allow-nothing, svc/order) admit no caller without a mesh identity on 8080",
        );
    });

    it("reads the namespace's empty policy as allow-nothing, and no policy as no opinion", () => {
        assert.strictEqual(check([svc, allowNothing], pods("checkout", "checkout"))!.allowed, false);
        assert.strictEqual(check([svc], pods("checkout", "checkout")), undefined);
        // Without sidecar injection in the destination's namespace there is no proxy to enforce anything.
        assert.strictEqual(check([namespace("svc", {}), allowNothing], pods("user", "user")), undefined);
    });

    it("lets a matching DENY win over an ALLOW, and root-namespace policies apply everywhere", () => {
        const denyUser = authz("deny-user", "istio-system", {
            action: "DENY",
            rules: [{ from: [{ source: { principals: ["*/sa/user"] } }] }],
        });
        const openAll = authz("open", "svc", { selector: { matchLabels: { app: "order" } }, rules: [{}] });
        assert.strictEqual(check([svc, openAll], pods("user", "user"))!.allowed, true);
        assert.deepStrictEqual(check([svc, openAll, denyUser], pods("user", "user")), {
            hop: "destination ingress",
            allowed: false,
            reason: "AuthorizationPolicy istio-system/deny-user denies cluster.local/ns/svc/sa/user",
        });
        assert.strictEqual(check([svc, openAll, denyUser], pods("checkout", "checkout"))!.allowed, true);
    });

    it("matches the destination port and the source namespace a rule names", () => {
        const onPort = authz("order", "svc", {
            selector: { matchLabels: { app: "order" } },
            rules: [{ from: [{ source: { namespaces: ["svc"] } }], to: [{ operation: { ports: ["8080"] } }] }],
        });
        assert.strictEqual(check([svc, onPort], pods("user", "user"), 8080)!.allowed, true);
        assert.strictEqual(check([svc, onPort], pods("user", "user"), 9090)!.allowed, false);
        const elsewhere = { ...pods("user", "user"), namespace: "other" };
        assert.strictEqual(
            check([svc, namespace("other", { "istio-injection": "enabled" }), onPort], elsewhere)!.allowed,
            false,
        );
    });
});
