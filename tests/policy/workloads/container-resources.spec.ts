/** Every container has requests and limits; long-running app containers have the three probes. */
import * as assert from "assert";
import { containerResourcesAndProbes } from "../../../policy/policies/workloads";
import { check, messages, resource } from "../fixtures";
import { appContainer, container, deployment, pod } from "./helpers";

const PREFIX = 'Deployment "orders" in namespace "services-prod": ';

describe("policy container-resources-and-probes", () => {
    it("passes a container with requests, limits and liveness, readiness and startup probes", async () => {
        assert.deepStrictEqual(await check(containerResourcesAndProbes, [deployment()]), []);
    });

    const cases: [string, (c: any) => void, string][] = [
        ["a missing cpu request", (c) => delete c.resources.requests.cpu, "requests.cpu"],
        ["a missing memory request", (c) => delete c.resources.requests.memory, "requests.memory"],
        ["a missing cpu limit", (c) => delete c.resources.limits.cpu, "limits.cpu"],
        ["a missing memory limit", (c) => delete c.resources.limits.memory, "limits.memory"],
        ["no resources at all", (c) => delete c.resources, "requests.cpu, requests.memory, limits.cpu, limits.memory"],
        ["a missing liveness probe", (c) => delete c.livenessProbe, "livenessProbe"],
        ["a missing readiness probe", (c) => delete c.readinessProbe, "readinessProbe"],
        ["a missing startup probe", (c) => delete c.startupProbe, "startupProbe"],
    ];
    for (const [what, change, missing] of cases) {
        it(`catches ${what}`, async () => {
            assert.deepStrictEqual(
                messages(await check(containerResourcesAndProbes, [deployment(container(change))])),
                [`${PREFIX}container "app" has no ${missing}.`],
            );
        });
    }

    it("makes the startup probe optional, and the resource list configurable", async () => {
        const d = deployment(container((c) => delete c.startupProbe));
        assert.deepStrictEqual(await check(containerResourcesAndProbes, [d], { requireStartupProbe: false }), []);
        const noCpuLimit = deployment(container((c) => delete c.resources.limits.cpu));
        assert.deepStrictEqual(
            await check(containerResourcesAndProbes, [noCpuLimit], { requiredResources: ["memory"] }),
            [],
        );
    });

    it("asks init containers for resources but not probes, and Jobs for no probes", async () => {
        const init = { ...appContainer("migrate"), resources: undefined, livenessProbe: undefined };
        const d = deployment(pod((p) => (p.initContainers = [init])));
        assert.deepStrictEqual(messages(await check(containerResourcesAndProbes, [d])), [
            `${PREFIX}init container "migrate" has no requests.cpu, requests.memory, limits.cpu, limits.memory.`,
        ]);
        const c = appContainer();
        delete c.livenessProbe;
        delete c.readinessProbe;
        delete c.startupProbe;
        const job = resource("kubernetes:batch/v1:Job", "export", {
            metadata: { namespace: "services-prod" },
            spec: { template: { spec: { containers: [c] } } },
        });
        assert.deepStrictEqual(await check(containerResourcesAndProbes, [job]), []);
        delete c.resources.limits.memory;
        assert.deepStrictEqual(messages(await check(containerResourcesAndProbes, [job])), [
            'Job "export" in namespace "services-prod": container "app" has no limits.memory.',
        ]);
    });

    it("skips exempt namespaces", async () => {
        const d = deployment(container((c) => delete c.resources));
        d.inputs.metadata.namespace = "istio-system";
        assert.deepStrictEqual(await check(containerResourcesAndProbes, [d]), []);
    });
});
