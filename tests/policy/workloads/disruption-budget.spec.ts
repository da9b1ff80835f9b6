/** A Deployment or StatefulSet with more than one replica (by spec or HPA minimum) has a PDB selecting its pods. */
import * as assert from "assert";
import { selects, workloadDisruptionBudget } from "../../../policy/policies/workloads";
import { check, messages, resource } from "../fixtures";
import { deployment } from "./helpers";

const pdb = (selector: unknown, namespace = "services-prod", extra = {}) =>
    resource(
        "kubernetes:policy/v1:PodDisruptionBudget",
        "orders-pdb",
        { metadata: { namespace }, spec: { maxUnavailable: 1, selector } },
        extra,
    );
const hpa = (minReplicas: number | undefined, target = "orders") =>
    resource("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "orders-hpa", {
        metadata: { namespace: "services-prod" },
        spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: target },
            minReplicas,
            maxReplicas: 6,
        },
    });
const MATCHING = { matchLabels: { app: "orders" } };
const UNCOVERED = (replicas: string) =>
    `Deployment "orders" in namespace "services-prod" runs ${replicas}, but no PodDisruptionBudget in that namespace ` +
    "selects its pods (app=orders,version=stable), so a node drain may evict them all at once.";

describe("policy workload-disruption-budget", () => {
    it("passes a two-replica Deployment with a PDB selecting its pods", async () => {
        assert.deepStrictEqual(await check(workloadDisruptionBudget, [deployment(), pdb(MATCHING)]), []);
    });

    it("catches a two-replica Deployment without a PDB, on the Deployment", async () => {
        const d = deployment();
        const vs = await check(workloadDisruptionBudget, [d]);
        assert.deepStrictEqual(
            vs.map((v) => [v.urn, v.message, v.level]),
            [[d.urn, UNCOVERED("2 replicas"), "mandatory"]],
        );
    });

    it("catches a PDB whose selector misses the pods", async () => {
        const vs = await check(workloadDisruptionBudget, [deployment(), pdb({ matchLabels: { app: "users" } })]);
        assert.deepStrictEqual(messages(vs), [UNCOVERED("2 replicas")]);
    });

    it("catches a PDB in another namespace", async () => {
        const vs = await check(workloadDisruptionBudget, [deployment(), pdb(MATCHING, "services-dev")]);
        assert.deepStrictEqual(messages(vs), [UNCOVERED("2 replicas")]);
    });

    it("catches a PDB on another cluster", async () => {
        const eks = resource("pulumi:providers:kubernetes", "eks-k8s", {});
        const gke = resource("pulumi:providers:kubernetes", "gke-k8s", {});
        const d = deployment(undefined, "orders", { provider: eks.urn });
        const onGke = pdb(MATCHING, "services-prod", { provider: gke.urn });
        assert.deepStrictEqual(messages(await check(workloadDisruptionBudget, [eks, gke, d, onGke])), [
            UNCOVERED("2 replicas"),
        ]);
        const onEks = pdb(MATCHING, "services-prod", { provider: eks.urn });
        assert.deepStrictEqual(await check(workloadDisruptionBudget, [eks, gke, d, onEks]), []);
    });

    it("counts an HPA's minReplicas above the spec's", async () => {
        const one = deployment((d) => delete d.spec.replicas);
        assert.deepStrictEqual(messages(await check(workloadDisruptionBudget, [one, hpa(3)])), [
            UNCOVERED('at least 3 replicas (HorizontalPodAutoscaler "orders-hpa" minReplicas)'),
        ]);
        assert.deepStrictEqual(await check(workloadDisruptionBudget, [one, hpa(1)]), []);
        assert.deepStrictEqual(await check(workloadDisruptionBudget, [one, hpa(3, "users")]), []);
        assert.deepStrictEqual(await check(workloadDisruptionBudget, [one, hpa(3), pdb(MATCHING)]), []);
    });

    it("leaves single-replica workloads and exempt namespaces alone", async () => {
        assert.deepStrictEqual(await check(workloadDisruptionBudget, [deployment((d) => (d.spec.replicas = 1))]), []);
        const system = deployment((d) => (d.metadata.namespace = "kube-system"));
        assert.deepStrictEqual(await check(workloadDisruptionBudget, [system]), []);
    });

    it("judges StatefulSets too", async () => {
        const sts = resource("kubernetes:apps/v1:StatefulSet", "cache", {
            metadata: { namespace: "services-prod" },
            spec: { replicas: 3, template: { metadata: { labels: { app: "cache" } } } },
        });
        assert.deepStrictEqual(messages(await check(workloadDisruptionBudget, [sts])), [
            'StatefulSet "cache" in namespace "services-prod" runs 3 replicas, but no PodDisruptionBudget in that ' +
                "namespace selects its pods (app=cache), so a node drain may evict them all at once.",
        ]);
    });

    it("evaluates label selectors as Kubernetes does", () => {
        const labels = { app: "orders", version: "stable" };
        assert.ok(selects({}, labels));
        assert.ok(!selects(undefined, labels));
        assert.ok(
            selects({ matchExpressions: [{ key: "version", operator: "In", values: ["stable", "canary"] }] }, labels),
        );
        assert.ok(!selects({ matchExpressions: [{ key: "version", operator: "NotIn", values: ["stable"] }] }, labels));
        assert.ok(selects({ matchExpressions: [{ key: "app", operator: "Exists" }] }, labels));
        assert.ok(!selects({ matchExpressions: [{ key: "tier", operator: "Exists" }] }, labels));
        assert.ok(selects({ matchExpressions: [{ key: "tier", operator: "DoesNotExist" }] }, labels));
    });
});
