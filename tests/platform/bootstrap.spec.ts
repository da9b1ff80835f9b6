/**
 * The bootstrap switch (`deploy.inClusterLayers: false`): the first `up` runs where neither private
 * cluster API is reachable, so it must register nothing that talks to a cluster, and the next `up` (from
 * the in-VPC runner it created) adds exactly what it left out, changing nothing it created.
 */
import * as assert from "assert";
import { runStack, type StackRun } from "../../harness/run";
import { loadStackConfig } from "../../harness/stack-config";
import { evaluated } from "../../harness/stacks";

const IN_CLUSTER = /^kubernetes:/;

async function withInClusterLayers(stack: "dev" | "prod", on: boolean | undefined): Promise<StackRun> {
    const deploy = JSON.parse(loadStackConfig(stack).config["multicloud-platform:deploy"]);
    const run = await runStack({ stack, overrides: { deploy: { ...deploy, inClusterLayers: on } } });
    assert.ifError(run.error);
    return run;
}

/**
 * Inputs with the mock's ids masked: the mock numbers ids (and the generated values and tunnel addresses
 * it derives from them) in registration order (harness/mocks.ts), so they shift when fewer resources come first.
 */
const masked = (inputs: unknown) =>
    JSON.stringify(inputs)
        .replace(/(?<![0-9a-f])[0-9a-f]{6,}(?![0-9a-f])/gi, "<id>")
        .replace(/\b52\.0\.\d+\./g, "52.0.<id>.");
const inputsByUrn = (run: StackRun) => new Map(run.resources.map((r) => [r.urn, masked(r.inputs)]));

for (const stack of ["dev", "prod"] as const) {
    describe(`bootstrap of ${stack}: deploy.inClusterLayers`, () => {
        let off: StackRun;
        let on: StackRun;
        let unset: StackRun;
        before(async () => {
            off = await withInClusterLayers(stack, false);
            on = await withInClusterLayers(stack, true);
            // The committed stack file leaves the key unset.
            unset = (await evaluated(stack)).run;
        });

        it("false: no Kubernetes object is registered, but the clusters and the CI runner are", () => {
            assert.deepStrictEqual(
                off.resources.filter((r) => IN_CLUSTER.test(r.type)).map((r) => r.urn),
                [],
            );
            const types = new Set(off.resources.map((r) => r.type));
            for (const t of ["eks:index:Cluster", "gcp:container/cluster:Cluster", "aws:codebuild/project:Project"]) {
                assert.ok(types.has(t), `the bootstrap up creates ${t}`);
            }
        });

        it("true (the default): every in-cluster object of the mesh layer is registered", () => {
            const k8s = on.resources.filter((r) => IN_CLUSTER.test(r.type));
            assert.ok(k8s.length >= 50, `expected the namespaces and Istio, found ${k8s.length} objects`);
            assert.deepStrictEqual(
                unset.resources.map((r) => r.urn),
                on.resources.map((r) => r.urn),
            );
        });

        it("the next up only adds: what the bootstrap created is unchanged, and every Kubernetes object is new", () => {
            const full = inputsByUrn(on);
            for (const r of off.resources) {
                assert.strictEqual(full.get(r.urn), masked(r.inputs), `${r.urn} differs between the two ups`);
            }
            const bootstrapped = new Set(off.resources.map((r) => r.urn));
            const added = on.resources.filter((r) => !bootstrapped.has(r.urn));
            assert.deepStrictEqual(
                added.filter((r) => IN_CLUSTER.test(r.type)).length,
                on.resources.filter((r) => IN_CLUSTER.test(r.type)).length,
            );
        });
    });
}
