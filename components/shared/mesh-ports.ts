/**
 * Every port of the Istio mesh, named once. Security groups, firewall rules, NetworkPolicies, gateway
 * Services and Istio resources all read this table, so a port can never differ between the component
 * that opens it and the one that uses it. Port numbers: https://istio.io/latest/docs/ops/deployment/application-requirements/#ports-used-by-istio
 */
export const MESH_PORTS = {
    /** istiod: xDS and the certificate authority, for sidecars, gateways and remote clusters. */
    xds: 15012,
    /** istiod: sidecar-injection and validation webhooks, called by the Kubernetes API server. */
    webhook: 15017,
    /** istiod's Service port in front of the webhooks (targets 15017). */
    webhookService: 443,
    /** istiod: plaintext xDS; debug only, opened nowhere here. */
    xdsPlaintext: 15010,
    /** istiod: control-plane monitoring (Prometheus). */
    controlPlaneMonitoring: 15014,
    /** East-west gateway: mTLS between networks, routed on SNI (AUTO_PASSTHROUGH). */
    crossNetwork: 15443,
    /** Gateways: health checks for load balancers. */
    status: 15021,
    /** Sidecars: merged application and agent metrics (pilot-agent). */
    mergedMetrics: 15020,
    /** Sidecars and gateways: Envoy's own Prometheus metrics. */
    envoyMetrics: 15090,
    /** Ingress gateway: HTTPS, the only application port reachable from outside a cluster. */
    https: 443,
    /** Ingress gateway: HTTP, redirected to HTTPS. */
    http: 80,
} as const;

/** What a sidecar opens to istiod: xDS and CA, and the webhooks behind the Service port. */
export const ISTIOD_CLIENT_PORTS = [MESH_PORTS.xds, MESH_PORTS.webhook, MESH_PORTS.webhookService] as const;

/** Prometheus ports of a meshed pod: merged app metrics (pilot-agent) and Envoy's own. */
export const MESH_METRICS_PORTS = [MESH_PORTS.mergedMetrics, MESH_PORTS.envoyMetrics] as const;

/** What the other cloud reaches on a cluster's network: HTTPS and the east-west gateway. */
export const MESH_PEER_PORTS = [MESH_PORTS.https, MESH_PORTS.crossNetwork] as const;

/**
 * {@link MESH_PEER_PORTS} plus istiod's xDS and webhook, for a network whose istiod serves remote
 * (primary-remote) clusters or VMs across the VPN.
 */
export const MESH_PEER_CONTROL_PLANE_PORTS = [...MESH_PEER_PORTS, MESH_PORTS.xds, MESH_PORTS.webhook] as const;
