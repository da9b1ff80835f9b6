import * as assert from "assert";
import { descendantsOf, one, ofType } from "../../harness/lookup";
import type { RecordedResource } from "../../harness/recorder";
import { ORDER, ORDER_ROLE, TYPES, workloadResources } from "./workload-fixture";

const RESTRICTED_POD = {
    runAsNonRoot: true,
    runAsUser: 65532,
    runAsGroup: 65532,
    fsGroup: 65532,
    seccompProfile: { type: "RuntimeDefault" },
};
const RESTRICTED_CONTAINER = {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};

describe("ServiceWorkload: pods", () => {
    let rs: readonly RecordedResource[];
    before(async () => {
        rs = await workloadResources();
    });
    const deployment = (name: string) => one(rs, TYPES.deployment, name).inputs;

    it("runs every pod at the restricted Pod Security level with a writable /tmp only", () => {
        for (const name of ["order-deployment", "order-canary-deployment", "user-deployment", "reports-deployment"]) {
            const pod = deployment(name).spec.template.spec;
            assert.deepStrictEqual(pod.securityContext, RESTRICTED_POD, name);
            assert.strictEqual(pod.containers.length, 1);
            assert.deepStrictEqual(pod.containers[0].securityContext, RESTRICTED_CONTAINER, name);
            assert.deepStrictEqual(pod.containers[0].volumeMounts, [{ name: "tmp", mountPath: "/tmp" }]);
            assert.deepStrictEqual(pod.volumes, [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }]);
            assert.strictEqual(pod.automountServiceAccountToken, false);
        }
    });

    it("gives the container its probes, requests and limits, and its named http port", () => {
        const c = deployment("order-deployment").spec.template.spec.containers[0];
        assert.deepStrictEqual(c.resources, {
            requests: { cpu: "250m", memory: "256Mi" },
            limits: { cpu: "1", memory: "512Mi" },
        });
        assert.deepStrictEqual(c.ports, [{ name: "http", containerPort: 8080, protocol: "TCP" }]);
        assert.deepStrictEqual(c.startupProbe, {
            httpGet: { path: "/healthz", port: "http" },
            periodSeconds: 5,
            failureThreshold: 30,
            timeoutSeconds: 2,
        });
        assert.deepStrictEqual(c.livenessProbe.httpGet, { path: "/healthz", port: "http" });
        assert.deepStrictEqual(c.readinessProbe.httpGet, { path: "/ready", port: "http" });
        assert.deepStrictEqual(c.env, [{ name: "DB_HOST", value: ORDER.env!.DB_HOST }]);
        const defaults = deployment("user-deployment").spec.template.spec.containers[0];
        assert.deepStrictEqual(defaults.resources, {
            requests: { cpu: "100m", memory: "128Mi" },
            limits: { cpu: "500m", memory: "256Mi" },
        });
        assert.deepStrictEqual(
            [
                defaults.livenessProbe.httpGet.path,
                defaults.readinessProbe.httpGet.path,
                defaults.startupProbe.httpGet.path,
            ],
            ["/healthz", "/readyz", "/healthz"],
        );
    });

    it("labels pods with app, version and app.kubernetes.io/*, and spreads them over zones and nodes", () => {
        const stable = deployment("order-deployment");
        assert.deepStrictEqual(stable.metadata.name, "order");
        assert.deepStrictEqual(stable.spec.selector, { matchLabels: { app: "order", track: "stable" } });
        assert.deepStrictEqual(stable.spec.template.metadata.labels, {
            app: "order",
            track: "stable",
            version: "v7",
            team: "checkout",
            "app.kubernetes.io/name": "order",
            "app.kubernetes.io/instance": "order-stable",
            "app.kubernetes.io/version": "v7",
            "app.kubernetes.io/component": "service",
            "app.kubernetes.io/managed-by": "pulumi",
        });
        const spread = (key: string, when: string) => ({
            maxSkew: 1,
            topologyKey: key,
            whenUnsatisfiable: when,
            labelSelector: { matchLabels: { app: "order", track: "stable" } },
            matchLabelKeys: ["pod-template-hash"],
        });
        assert.deepStrictEqual(stable.spec.template.spec.topologySpreadConstraints, [
            spread("topology.kubernetes.io/zone", "DoNotSchedule"),
            spread("kubernetes.io/hostname", "ScheduleAnyway"),
        ]);
        assert.deepStrictEqual(stable.spec.strategy.rollingUpdate, { maxUnavailable: 0, maxSurge: 1 });
    });

    it("runs the canary as its own Deployment with its image and version", () => {
        const canary = deployment("order-canary-deployment");
        assert.strictEqual(canary.metadata.name, "order-canary");
        assert.strictEqual(canary.spec.template.spec.containers[0].image, ORDER.canary!.image);
        assert.strictEqual(canary.spec.template.metadata.labels.version, "v8");
        assert.deepStrictEqual(canary.spec.selector.matchLabels, { app: "order", track: "canary" });
        assert.strictEqual(deployment("order-deployment").spec.template.spec.containers[0].image, ORDER.image);
    });

    it("leaves the count to the HPA, except for a cold standby which stays at 0", () => {
        assert.ok(!("replicas" in deployment("order-deployment").spec), "the HPA owns spec.replicas");
        assert.strictEqual(deployment("user-deployment").spec.replicas, 0);
        // The HPA of a Deployment at 0 replicas is idle (ScalingActive false) rather than scaling it up.
        const hpa = one(rs, TYPES.hpa, "user-hpa").inputs.spec;
        assert.deepStrictEqual([hpa.minReplicas, hpa.maxReplicas], [2, 6]);
        // A warm standby raises the HPA's floor and still leaves the count to it.
        assert.ok(!("replicas" in deployment("product-deployment").spec));
        const warm = one(rs, TYPES.hpa, "product-hpa").inputs.spec;
        assert.deepStrictEqual([warm.minReplicas, warm.maxReplicas], [3, 6]);
    });

    it("scales each track on CPU with autoscaling/v2, targeting its own Deployment", () => {
        const hpa = one(rs, TYPES.hpa, "order-hpa").inputs.spec;
        assert.deepStrictEqual(hpa, {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "order" },
            minReplicas: 2,
            maxReplicas: 6,
            metrics: [
                {
                    type: "Resource",
                    resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 65 } },
                },
            ],
        });
        const canary = one(rs, TYPES.hpa, "order-canary-hpa").inputs.spec;
        assert.deepStrictEqual(
            [canary.scaleTargetRef.name, canary.minReplicas, canary.maxReplicas],
            ["order-canary", 1, 6],
        );
    });

    it("guards every track that can exceed one pod with a PDB whose selector matches its pods", () => {
        assert.deepStrictEqual(
            ofType(rs, TYPES.pdb)
                .map((p) => p.name)
                .sort(),
            ["order-canary-pdb", "order-pdb", "product-pdb", "user-pdb"],
        );
        for (const [pdb, dep] of [
            ["order-pdb", "order-deployment"],
            ["order-canary-pdb", "order-canary-deployment"],
            ["user-pdb", "user-deployment"],
        ]) {
            const spec = one(rs, TYPES.pdb, pdb).inputs.spec;
            assert.strictEqual(spec.maxUnavailable, 1);
            const labels = deployment(dep).spec.template.metadata.labels;
            for (const [k, v] of Object.entries(spec.selector.matchLabels))
                assert.strictEqual(labels[k], v, `${pdb} ${k}`);
            assert.deepStrictEqual(spec.selector.matchLabels, deployment(dep).spec.selector.matchLabels);
        }
    });

    it("binds the ServiceAccount to the cloud identity and names it after the service", () => {
        const aws = one(rs, TYPES.serviceAccount, "order-sa").inputs;
        assert.deepStrictEqual(aws.metadata.annotations, { "eks.amazonaws.com/role-arn": ORDER_ROLE });
        assert.strictEqual(aws.metadata.name, "order");
        assert.strictEqual(aws.automountServiceAccountToken, false);
        assert.deepStrictEqual(one(rs, TYPES.serviceAccount, "user-sa").inputs.metadata.annotations, {
            "iam.gke.io/gcp-service-account": "svc-user@acme-dr.iam.gserviceaccount.com",
        });
        assert.deepStrictEqual(one(rs, TYPES.serviceAccount, "reports-sa").inputs.metadata.annotations, {});
        assert.strictEqual(deployment("order-deployment").spec.template.spec.serviceAccountName, "order");
    });

    it("exposes a ClusterIP Service on a port named http over both tracks", () => {
        assert.deepStrictEqual(one(rs, TYPES.service, "order-service").inputs.spec, {
            type: "ClusterIP",
            selector: { app: "order" },
            ports: [{ name: "http", port: 8080, targetPort: "http", protocol: "TCP", appProtocol: "http" }],
        });
    });

    it("creates every child under the component with the caller's provider", () => {
        for (const [name, count] of [
            ["order", 14],
            ["user", 9],
            ["product", 9],
            ["reports", 8],
        ] as const) {
            const component = one(rs, TYPES.component, name);
            const children = descendantsOf(rs, component);
            assert.strictEqual(children.length, count, children.map((c) => c.name).join(", "));
            for (const c of children) assert.match(c.provider ?? "", /::k8s$/, `${c.name} uses the k8s provider`);
        }
    });
});
