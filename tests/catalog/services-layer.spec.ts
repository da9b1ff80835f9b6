/**
 * The services layer in the dev and prod plans: every catalog entry runs on EKS in the stack's own service
 * namespace and stands by on GKE at its DR replica count; a fifth entry (data only) gets the same pieces,
 * and a removed entry takes them all away.
 */
import * as assert from "assert";
import type { CatalogDocuments } from "../../catalog/validate";
import type { RecordedResource } from "../../harness/recorder";
import { runStack } from "../../harness/run";
import { evaluated } from "../../harness/stacks";
import { main } from "../../program/main";
import { withoutService, withShipping } from "./fixture";

const SEEDS = ["user", "product", "order", "payment"];
/** Provider names of the two clusters' Kubernetes providers. */
const CLUSTERS = { aws: "eks-k8s", gcp: "gke-k8s" } as const;

/** The Kubernetes kinds each service gets on each cluster. */
const KINDS = [
    "Deployment",
    "Service",
    "ServiceAccount",
    "HorizontalPodAutoscaler",
    "PodDisruptionBudget",
    "VirtualService",
    "DestinationRule",
    "AuthorizationPolicy",
    "NetworkPolicy",
];

const run = (stack: string, docs: unknown) =>
    runStack({ stack, program: () => main({ catalog: docs as CatalogDocuments }) });

/** The objects of `service` on `cloud`'s cluster: the children of its ServiceWorkload there. */
function piecesOf(rs: readonly RecordedResource[], cloud: "aws" | "gcp", service: string): RecordedResource[] {
    const component = rs.find(
        (r) => r.type === "multicloud:catalog:ServiceWorkload" && r.name === `services-${cloud}-${service}`,
    );
    return component ? rs.filter((r) => r.parent === component.urn) : [];
}

const kindsOf = (pieces: readonly RecordedResource[]) => [...new Set(pieces.map((r) => r.inputs.kind))].sort();
const stableOf = (pieces: readonly RecordedResource[], kind: string, service: string) =>
    pieces.find((r) => r.inputs.kind === kind && r.inputs.metadata.name === service)!;

/** Every piece on the right cluster's provider, in `namespace`; returns the kinds present. */
function assertPlaced(pieces: readonly RecordedResource[], cloud: "aws" | "gcp", namespace: string): string[] {
    for (const r of pieces) {
        assert.strictEqual(r.provider?.split("::").pop(), CLUSTERS[cloud], r.urn);
        assert.strictEqual(r.inputs.metadata.namespace, namespace, r.urn);
    }
    return kindsOf(pieces);
}

describe("the services layer", () => {
    for (const [stack, replicas] of [
        ["dev", { min: 1, max: 2 }],
        ["prod", { min: 2, max: 6 }],
    ] as const) {
        it(`${stack}: each seed service runs on EKS in services-${stack}, HPA ${replicas.min} to ${replicas.max}`, async () => {
            const rs = (await evaluated(stack)).run.resources;
            for (const service of SEEDS) {
                const pieces = piecesOf(rs, "aws", service);
                assert.deepStrictEqual(assertPlaced(pieces, "aws", `services-${stack}`), [...KINDS].sort(), service);
                const hpa = stableOf(pieces, "HorizontalPodAutoscaler", service);
                assert.deepStrictEqual(
                    [hpa.inputs.spec.minReplicas, hpa.inputs.spec.maxReplicas],
                    [replicas.min, replicas.max],
                );
                assert.strictEqual(stableOf(pieces, "Deployment", service).inputs.spec.replicas, undefined, service);
            }
        });

        it(`${stack}: each seed service stands by on GKE in services-${stack} at its DR replicas`, async () => {
            const rs = (await evaluated(stack)).run.resources;
            // Seeds: user warm 1, product cold, order and payment warm 2. A warm floor above the stack's
            // maximum is the HPA's own business: it caps at maxReplicas.
            const dr: Record<string, number> = { user: 1, product: 0, order: 2, payment: 2 };
            for (const service of SEEDS) {
                const pieces = piecesOf(rs, "gcp", service);
                assert.deepStrictEqual(assertPlaced(pieces, "gcp", `services-${stack}`), [...KINDS].sort(), service);
                const deployment = stableOf(pieces, "Deployment", service);
                const hpa = stableOf(pieces, "HorizontalPodAutoscaler", service);
                if (dr[service] === 0) {
                    assert.strictEqual(deployment.inputs.spec.replicas, 0, service);
                } else {
                    assert.strictEqual(deployment.inputs.spec.replicas, undefined, service);
                    assert.strictEqual(hpa.inputs.spec.minReplicas, dr[service], service);
                }
                // The DR side runs no canary.
                assert.deepStrictEqual(
                    pieces.filter((r) => r.inputs.kind === "Deployment").map((r) => r.inputs.metadata.name),
                    [service],
                );
            }
        });
    }

    it("prod: order's canary takes 10% on EKS, and its callees admit it by its principal", async () => {
        const rs = (await evaluated("prod")).run.resources;
        const order = piecesOf(rs, "aws", "order");
        const split = order.find((r) => r.inputs.kind === "VirtualService" && r.name === "services-aws-order-split")!;
        assert.deepStrictEqual(
            split.inputs.spec.http[0].route.map((r: any) => [r.destination.subset, r.weight]),
            [
                ["stable", 90],
                ["canary", 10],
            ],
        );
        for (const callee of ["user", "product", "payment"]) {
            const authz = stableOf(piecesOf(rs, "aws", callee), "AuthorizationPolicy", callee);
            const principals = authz.inputs.spec.rules.flatMap((rule: any) =>
                rule.from.flatMap((f: any) => f.source.principals),
            );
            assert.ok(principals.includes("cluster.local/ns/services-prod/sa/order"), `${callee}: ${principals}`);
        }
    });

    it("a fifth service added as catalog data gets every piece on both clusters", async () => {
        const withFifth = await run("dev", withShipping("dev"));
        assert.ifError(withFifth.error);
        for (const cloud of ["aws", "gcp"] as const) {
            const pieces = piecesOf(withFifth.resources, cloud, "shipping");
            assert.deepStrictEqual(assertPlaced(pieces, cloud, "services-dev"), [...KINDS].sort(), cloud);
        }
        // Cold on GKE, as its entry says.
        const drDeployment = stableOf(piecesOf(withFifth.resources, "gcp", "shipping"), "Deployment", "shipping");
        assert.strictEqual(drDeployment.inputs.spec.replicas, 0);
    });

    it("removing a service removes all its pieces from both clusters", async () => {
        const docs = withoutService("product");
        const without = await run("dev", docs);
        assert.ifError(without.error);
        assert.deepStrictEqual(
            without.resources.filter((r) => /^services-(aws|gcp)-product(-|$)/.test(r.name)).map((r) => r.name),
            [],
        );
        assert.deepStrictEqual(
            without.resources.filter((r) => r.inputs?.metadata?.labels?.app === "product").map((r) => r.name),
            [],
        );
        assert.strictEqual(piecesOf(without.resources, "aws", "user").length > 0, true);
    });
});
