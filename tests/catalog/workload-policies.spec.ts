/**
 * The component and the pack agree: what `ServiceWorkload` creates passes every workload policy, so a
 * catalog entry can never produce a workload the policies would refuse on the first real preview.
 */
import * as assert from "assert";
import { workloadPolicies } from "../../policy/policies/workloads";
import { runPolicies } from "../../harness/policy-runner";
import { workloadResources } from "./workload-fixture";

describe("ServiceWorkload under the workload policies", () => {
    it("every Deployment, probe, image, budget and pod spec it makes passes the pack", async () => {
        const resources = await workloadResources();
        // The fixtures pull the order canary and a worker from GHCR; the stacks allow ECR and Artifact Registry.
        const config = {
            "container-images-pinned": {
                allowedRegistries: ["*.dkr.ecr.*.amazonaws.com/", "*-docker.pkg.dev/", "ghcr.io/"],
            },
        };
        const violations = await runPolicies(resources, workloadPolicies, { config });
        // Namespaces are the catalog layer's (it adds the default-deny once per namespace), not the component's.
        const relevant = violations.filter((v) => v.policy !== "service-namespace-default-deny");
        assert.deepStrictEqual(
            relevant.map((v) => `${v.policy}: ${v.message}`),
            [],
        );
        assert.ok(
            resources.some((r) => r.type === "kubernetes:apps/v1:Deployment"),
            "the fixture made Deployments",
        );
    });

    it("an image from a registry the stack does not allow is refused", async () => {
        const violations = await runPolicies(await workloadResources(), workloadPolicies);
        const images = violations.filter((v) => v.policy === "container-images-pinned");
        assert.ok(images.length > 0);
        assert.ok(
            images.every((v) => v.message.includes("ghcr.io/acme/")),
            images.map((v) => v.message).join("\n"),
        );
    });
});
