import * as assert from "assert";
import { gkeAutopilotAdmission } from "../../policy/policies";
import { AUTOPILOT_DEFAULT_CAPABILITIES } from "../../policy/policies/kubernetes-autopilot";
import type { RecordedResource } from "../../harness/recorder";
import { check, messages, resource } from "./fixtures";

const cluster = (inputs: Record<string, unknown> = {}) =>
    resource("gcp:container/cluster:Cluster", "gke-cluster", {
        location: "us-east4",
        enableAutopilot: true,
        ...inputs,
    });
const CLUSTER_URN = cluster().urn;
/** The Kubernetes provider built from the cluster's outputs, as the plan records it. */
const provider = (clusterUrn = CLUSTER_URN) =>
    resource(
        "pulumi:providers:kubernetes",
        "gke-k8s",
        { kubeconfig: "[secret]" },
        { dependencies: [clusterUrn], propertyDependencies: { kubeconfig: [clusterUrn] } },
    );
const PROVIDER_URN = provider().urn;
const onGke = (type: string, name: string, inputs: Record<string, unknown>) =>
    resource(type, name, inputs, { provider: PROVIDER_URN });
const release = (chart: string) =>
    onGke("kubernetes:helm.sh/v3:Release", `istio-gcp-${chart}`, { chart, name: `istio-${chart}`, values: {} });
const synchronizer = () =>
    onGke("kubernetes:auto.gke.io/v1:AllowlistSynchronizer", "allowlist", { spec: { allowlistPaths: ["Vendor/x/*"] } });

/** A DaemonSet Autopilot admits: a log shipper reading /var/log read-only, with no added capabilities. */
const POD = {
    volumes: [{ name: "logs", hostPath: { path: "/var/log" } }],
    containers: [
        { name: "agent", image: "agent:1", volumeMounts: [{ name: "logs", mountPath: "/logs", readOnly: true }] },
    ],
};
const daemonSet = (change: (pod: any) => void = () => {}) => {
    const pod = structuredClone(POD) as any;
    change(pod);
    return onGke("kubernetes:apps/v1:DaemonSet", "agent", { spec: { template: { spec: pod } } });
};
const stack = (...rs: RecordedResource[]) => [cluster(), provider(), ...rs];
const refused = (what: string, allowed = AUTOPILOT_DEFAULT_CAPABILITIES) =>
    `DaemonSet "agent" would be refused by GKE Autopilot cluster "gke-cluster": ${what}. ` +
    `Autopilot allows added capabilities ${allowed.join(", ")} only.`;
const CNI_REFUSED =
    'Helm release "istio-gcp-cni" installs chart "cni" on GKE Autopilot cluster "gke-cluster", whose admission ' +
    "refuses that chart's workloads without a Google-approved allowlist, and no AllowlistSynchronizer is installed " +
    "on that cluster. Install the allowlist, or do not run the chart there.";

describe("policy gke-autopilot-admission", () => {
    it("passes the mesh as installed on Autopilot (no CNI chart) and a workload within Autopilot's constraints", async () => {
        const vs = await check(gkeAutopilotAdmission, stack(release("base"), release("istiod"), daemonSet()));
        assert.deepStrictEqual(vs, []);
    });

    it("refuses the Istio CNI chart on Autopilot without an AllowlistSynchronizer, as mandatory, on the release", async () => {
        const vs = await check(gkeAutopilotAdmission, stack(release("cni")));
        assert.deepStrictEqual(messages(vs), [CNI_REFUSED]);
        assert.strictEqual(vs[0].level, "mandatory");
        assert.strictEqual(vs[0].urn, release("cni").urn);
    });

    it("knows the chart by name behind a repository alias or an OCI path", async () => {
        const oci = onGke("kubernetes:helm.sh/v3:Release", "istio-gcp-cni", { chart: "oci://example/charts/cni" });
        assert.deepStrictEqual(messages(await check(gkeAutopilotAdmission, stack(oci))), [CNI_REFUSED]);
    });

    it("accepts the chart once an AllowlistSynchronizer exists on the same cluster", async () => {
        assert.deepStrictEqual(await check(gkeAutopilotAdmission, stack(release("cni"), synchronizer())), []);
    });

    it("leaves clusters that are not Autopilot, and other clusters' releases, alone", async () => {
        const standard = [cluster({ enableAutopilot: false }), provider(), release("cni")];
        assert.deepStrictEqual(await check(gkeAutopilotAdmission, standard), []);
        const otherProvider = resource("pulumi:providers:kubernetes", "eks-k8s", {}, { dependencies: [] });
        const onEks = resource(
            "kubernetes:helm.sh/v3:Release",
            "istio-aws-cni",
            { chart: "cni" },
            { provider: otherProvider.urn },
        );
        assert.deepStrictEqual(await check(gkeAutopilotAdmission, stack(otherProvider, onEks)), []);
    });

    it("takes the chart list from config", async () => {
        const vs = await check(gkeAutopilotAdmission, stack(release("cni")), { allowlistCharts: ["ztunnel"] });
        assert.deepStrictEqual(vs, []);
    });

    const cases: [string, (pod: any) => void, string][] = [
        [
            "a privileged container",
            (p) => (p.containers[0].securityContext = { privileged: true }),
            'container "agent" is privileged',
        ],
        ["the host network", (p) => (p.hostNetwork = true), "hostNetwork is true"],
        ["the host PID namespace", (p) => (p.hostPID = true), "hostPID is true"],
        [
            "a writable host path",
            (p) => (p.containers[0].volumeMounts[0].readOnly = false),
            'container "agent" mounts host path volume "logs" writable',
        ],
        [
            "SYS_ADMIN on an init container",
            (p) => (p.initContainers = [{ name: "setup", securityContext: { capabilities: { add: ["SYS_ADMIN"] } } }]),
            'container "setup" adds SYS_ADMIN',
        ],
        [
            "NET_ADMIN without allowNetAdmin",
            (p) => (p.containers[0].securityContext = { capabilities: { add: ["NET_ADMIN", "NET_RAW"] } }),
            'container "agent" adds NET_ADMIN',
        ],
    ];
    for (const [what, change, problem] of cases) {
        it(`refuses a DaemonSet with ${what}`, async () => {
            const vs = await check(gkeAutopilotAdmission, stack(daemonSet(change)));
            assert.deepStrictEqual(messages(vs), [refused(problem)]);
            assert.strictEqual(vs[0].urn, daemonSet().urn);
        });
    }

    it("admits NET_ADMIN where the cluster sets allowNetAdmin (istio-init's capabilities)", async () => {
        const initCaps = (p: any) =>
            (p.initContainers = [
                { name: "istio-init", securityContext: { capabilities: { add: ["NET_ADMIN", "NET_RAW"] } } },
            ]);
        const resources = [cluster({ allowNetAdmin: true }), provider(), daemonSet(initCaps)];
        assert.deepStrictEqual(await check(gkeAutopilotAdmission, resources), []);
    });

    it("judges pod specs of Deployments and CronJobs where each keeps them", async () => {
        const pod = { containers: [{ name: "app", securityContext: { privileged: true } }] };
        const deployment = onGke("kubernetes:apps/v1:Deployment", "web", { spec: { template: { spec: pod } } });
        const cronJob = onGke("kubernetes:batch/v1:CronJob", "nightly", {
            spec: { jobTemplate: { spec: { template: { spec: pod } } } },
        });
        const vs = await check(gkeAutopilotAdmission, stack(deployment, cronJob));
        assert.deepStrictEqual(
            vs.map((v) => v.message.split(":")[0]),
            [
                'Deployment "web" would be refused by GKE Autopilot cluster "gke-cluster"',
                'CronJob "nightly" would be refused by GKE Autopilot cluster "gke-cluster"',
            ],
        );
    });
});
