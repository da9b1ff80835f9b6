/**
 * The charts the mesh installs, pinned in components/versions.ts, and the names the charts derive
 * selector labels from. The Helm mechanics are the shared add-on base (components/kubernetes/addons).
 */
import type { ChartSource } from "../kubernetes/addons/helm-addon";
import { VERSIONS } from "../versions";

/**
 * The charts the mesh installs. Istio's four charts are released together, so they share one
 * version; mixing them is unsupported upstream.
 */
export const CHARTS = {
    istioBase: { chart: "base", repo: VERSIONS.istioChartRepo, version: VERSIONS.istio },
    istioCni: { chart: "cni", repo: VERSIONS.istioChartRepo, version: VERSIONS.istio },
    istiod: { chart: "istiod", repo: VERSIONS.istioChartRepo, version: VERSIONS.istio },
    istioGateway: { chart: "gateway", repo: VERSIONS.istioChartRepo, version: VERSIONS.istio },
    kiali: { chart: "kiali-server", repo: VERSIONS.kialiChartRepo, version: VERSIONS.kiali },
} as const satisfies Record<string, ChartSource>;

/**
 * The two gateway releases. The gateway chart derives the pods' `istio` selector label from the release
 * name without its `istio-` prefix; NetworkPolicies and `Gateway` resources select on it.
 */
export const ISTIO_GATEWAYS = {
    ingress: { releaseName: "istio-ingressgateway", selector: "ingressgateway" },
    eastWest: { releaseName: "istio-eastwestgateway", selector: "eastwestgateway" },
} as const;

/** Labels of the istiod pods (set by the istiod chart). */
export const ISTIOD_POD_LABELS = { app: "istiod" } as const;
