import * as assert from "assert";
import { one } from "../../harness/lookup";
import type { RecordedResource } from "../../harness/recorder";
import { CLUSTER_NAMES, meshResources } from "./fixture";

/**
 * The rules of `istio-reader-clusterrole` as the pinned istiod chart renders them: istio/istio tag 1.31.1
 * (branch release-1.31), manifests/charts/istio-control/istio-discovery/templates/reader-clusterrole.yaml,
 * with the chart's defaults for `env.MCS_API_GROUP` (unset: multicluster.x-k8s.io) and
 * `istiodRemote.enabled` (false). Written out here, not imported, so a change to the component's list must
 * be made against the chart.
 */
const CHART_READER_RULES = [
    {
        apiGroups: [
            "config.istio.io",
            "security.istio.io",
            "networking.istio.io",
            "authentication.istio.io",
            "rbac.istio.io",
            "telemetry.istio.io",
            "extensions.istio.io",
        ],
        resources: ["*"],
        verbs: ["get", "list", "watch"],
    },
    {
        apiGroups: [""],
        resources: [
            "endpoints",
            "pods",
            "services",
            "nodes",
            "replicationcontrollers",
            "namespaces",
            "secrets",
            "configmaps",
        ],
        verbs: ["get", "list", "watch"],
    },
    { apiGroups: ["networking.istio.io"], verbs: ["get", "watch", "list"], resources: ["workloadentries"] },
    {
        apiGroups: ["networking.x-k8s.io", "gateway.networking.k8s.io"],
        resources: ["gateways"],
        verbs: ["get", "watch", "list"],
    },
    { apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: ["get", "list", "watch"] },
    { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list", "watch"] },
    {
        apiGroups: ["multicluster.x-k8s.io"],
        resources: ["serviceexports"],
        verbs: ["get", "list", "watch", "create", "delete"],
    },
    { apiGroups: ["multicluster.x-k8s.io"], resources: ["serviceimports"], verbs: ["get", "list", "watch"] },
    { apiGroups: ["apps"], resources: ["replicasets"], verbs: ["get", "list", "watch"] },
    { apiGroups: ["authentication.k8s.io"], resources: ["tokenreviews"], verbs: ["create"] },
    { apiGroups: ["authorization.k8s.io"], resources: ["subjectaccessreviews"], verbs: ["create"] },
];

describe("remote reader ClusterRole", () => {
    let rs: readonly RecordedResource[];

    before(async () => {
        rs = await meshResources();
    });

    it("grants exactly the rules of the pinned chart's istio-reader-clusterrole, in the chart's order", () => {
        for (const name of CLUSTER_NAMES) {
            const role = one(rs, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", `istio-${name}-remote-reader`);
            assert.deepStrictEqual(role.inputs.rules, CHART_READER_RULES, name);
        }
    });
});
