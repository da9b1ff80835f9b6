/** The kubeconfig inside an Istio remote secret: pure, so it is tested without the Pulumi runtime. */

/** The API server as a URL: GKE reports a bare IP, EKS an https URL. */
export function apiServerUrl(endpoint: string): string {
    return /^https?:\/\//.test(endpoint) ? endpoint : `https://${endpoint}`;
}

/** A kubeconfig for one cluster and a bearer token, as `istioctl create-remote-secret` writes it (JSON is YAML). */
export function remoteSecretKubeconfig(a: {
    clusterName: string;
    server: string;
    certificateAuthorityData: string;
    token: string;
}): string {
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [
            {
                name: a.clusterName,
                cluster: { server: apiServerUrl(a.server), "certificate-authority-data": a.certificateAuthorityData },
            },
        ],
        contexts: [{ name: a.clusterName, context: { cluster: a.clusterName, user: a.clusterName } }],
        "current-context": a.clusterName,
        preferences: {},
        users: [{ name: a.clusterName, user: { token: a.token } }],
    });
}
