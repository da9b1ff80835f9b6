/**
 * Istio on one cluster of a multi-primary, multi-network mesh ({@link IstioCluster}), and the remote
 * secrets that let each cluster's istiod discover the other's endpoints ({@link IstioRemoteSecret},
 * {@link connectIstioClusters}). Wiring: MeshCertificateAuthority -> one IstioCluster per cluster ->
 * remote secrets both ways.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    CHARTS,
    helmAddOn,
    ISTIO_GATEWAYS,
    MESH_PORTS,
    type ChartSource,
    type HelmAddOnArgs,
    type HelmValues,
} from "./istio-helm";
import { isDnsLabel, type IntermediateCa } from "./mesh-ca";
import { meshWideMtls, MTLS_MODES, type MtlsMode } from "./mesh-policies";
import { isLabelValue } from "../kubernetes/platform-namespaces";

/** Platforms whose differences the install handles (CNI paths and quotas, load balancer annotations). */
export const ISTIO_PLATFORMS = ["eks", "gke"] as const;
export type IstioPlatform = (typeof ISTIO_PLATFORMS)[number];

/**
 * Annotations that make the east-west gateway's load balancer internal: the other cloud reaches it
 * over the VPN, never over the internet. EKS carries both spellings because the in-tree controller
 * reads `-internal` and the AWS Load Balancer Controller reads `-scheme`; which one runs is decided
 * by the cluster, not here.
 */
export const INTERNAL_LOAD_BALANCER_ANNOTATIONS: Readonly<Record<IstioPlatform, Readonly<Record<string, string>>>> = {
    eks: {
        "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
        "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
    },
    gke: { "networking.gke.io/load-balancer-type": "Internal" },
};

/** Service ports of the east-west gateway (names pick the protocol: `tls` is SNI-routed mTLS). */
export const EAST_WEST_GATEWAY_PORTS = [
    { name: "status-port", port: MESH_PORTS.status, targetPort: MESH_PORTS.status },
    { name: "tls", port: MESH_PORTS.crossNetwork, targetPort: MESH_PORTS.crossNetwork },
    // istiod and its webhook, for remote (primary-remote) clusters or VMs joining later.
    { name: "tls-istiod", port: 15012, targetPort: 15012 },
    { name: "tls-webhook", port: 15017, targetPort: 15017 },
] as const;

/**
 * Seconds Helm waits per release. Gateways wait longest: Helm's wait covers the load balancer's
 * address, and a gateway pod created in the window where istiod reports Ready but its injection
 * webhook does not answer yet (istio#61049) is only fixed by the ReplicaSet retrying, within this time.
 */
export const ISTIO_HELM_TIMEOUT_SECONDS = {
    base: 300,
    // A DaemonSet on every node; Autopilot may add nodes first.
    cni: 600,
    istiod: 600,
    gateway: 900,
    kiali: 600,
} as const;

/**
 * The service account other clusters' istiod read this cluster with. Not the chart's
 * `istio-reader-service-account`: the base chart already creates that name, and creating it here too
 * fails one of the two owners. A separate account also keeps the remote-secret token's lifetime out of
 * Helm's hands.
 */
export const ISTIO_REMOTE_READER = "istio-remote-reader";

/** What a remote istiod reads: the istiod chart's own `istio-reader-clusterrole`, for the pinned version. */
export const ISTIO_REMOTE_READER_RULES = [
    {
        apiGroups: [
            "config.istio.io",
            "security.istio.io",
            "networking.istio.io",
            "authentication.istio.io",
            "rbac.istio.io",
        ],
        resources: ["*"],
        verbs: ["get", "list", "watch"],
    },
    {
        apiGroups: [""],
        resources: ["endpoints", "pods", "services", "nodes", "replicationcontrollers", "namespaces", "secrets"],
        verbs: ["get", "list", "watch"],
    },
    { apiGroups: ["networking.istio.io"], resources: ["workloadentries"], verbs: ["get", "watch", "list"] },
    { apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: ["get", "list", "watch"] },
    { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list", "watch"] },
    { apiGroups: ["multicluster.x-k8s.io"], resources: ["serviceexports"], verbs: ["get", "list", "watch"] },
    { apiGroups: ["apps"], resources: ["replicasets"], verbs: ["get", "list", "watch"] },
    { apiGroups: ["authentication.k8s.io"], resources: ["tokenreviews"], verbs: ["create"] },
    { apiGroups: ["authorization.k8s.io"], resources: ["subjectaccessreviews"], verbs: ["create"] },
] as const;

/** Caller values per chart, deep-merged over the component's defaults. */
export interface IstioChartValues {
    readonly base?: HelmValues;
    readonly cni?: HelmValues;
    readonly istiod?: HelmValues;
    readonly ingressGateway?: HelmValues;
    readonly eastWestGateway?: HelmValues;
    readonly kiali?: HelmValues;
}

export interface IstioClusterArgs {
    /** Name of the cluster in the mesh (`global.multiCluster.clusterName`); a lowercase DNS label. */
    readonly clusterName: string;
    /** Network the cluster's pods are on (`global.network`); clusters on one network reach pods directly. */
    readonly network: string;
    /** Mesh ID, the same on every cluster of the mesh (`global.meshID`). */
    readonly meshId: string;
    /** Where the cluster runs; decides CNI settings and load balancer annotations. */
    readonly platform: IstioPlatform;
    /**
     * Namespace to install into: `PlatformNamespaces.istioSystemNamespace`, an output, so the install
     * waits for the namespace and its network label.
     */
    readonly istioNamespace: pulumi.Input<string>;
    /** This cluster's intermediate from `MeshCertificateAuthority.intermediateFor(clusterName)`. */
    readonly intermediateCa: IntermediateCa;
    /** API server address the other clusters' istiod use: an https URL or a bare host (GKE's endpoint). */
    readonly apiServerEndpoint: pulumi.Input<string>;
    /** Base64 CA bundle of the API server (EKS `certificateAuthority.data`, GKE `masterAuth.clusterCaCertificate`). */
    readonly apiServerCaData: pulumi.Input<string>;
    /** mTLS mode of the mesh-wide PeerAuthentication. PERMISSIVE only while migrating. @default "STRICT" */
    readonly mtlsMode?: MtlsMode;
    /** Install Kiali. @default true */
    readonly kiali?: boolean;
    /**
     * GKE Autopilot only: allowlist paths for an `AllowlistSynchronizer`, which Autopilot needs before
     * it admits the privileged Istio CNI DaemonSet. @default none (Standard clusters, or allowlisted already)
     */
    readonly gkeAllowlistPaths?: readonly string[];
    /** Values per chart over the defaults. @default none */
    readonly values?: IstioChartValues;
}

/** What another cluster's istiod needs to read this one: the contents of a remote secret. */
export interface IstioRemoteAccess {
    readonly clusterName: string;
    /** API server URL. */
    readonly server: pulumi.Output<string>;
    /** Base64 CA bundle of the API server. */
    readonly certificateAuthorityData: pulumi.Output<string>;
    /** Bearer token of {@link ISTIO_REMOTE_READER}. Secret. */
    readonly token: pulumi.Output<string>;
}

/**
 * Istio on one cluster of a multi-primary, multi-network mesh: the plugged-in `cacerts`, the charts
 * `base` -> (`cni`) -> `istiod` -> gateways, an east-west gateway exposing `*.local` with
 * AUTO_PASSTHROUGH, mesh-wide mTLS, Kiali, and a reader account other clusters use through remote
 * secrets. Needs a `kubernetes` provider.
 */
export class IstioCluster extends pulumi.ComponentResource {
    public readonly clusterName: string;
    public readonly network: string;
    /** The namespace Istio runs in. */
    public readonly istioNamespace: pulumi.Output<string>;
    /** The istiod release: what Istio custom resources created elsewhere should `dependsOn`. */
    public readonly istiod: k8s.helm.v3.Release;
    /** Every Helm release by chart role, in install order. */
    public readonly releases: Readonly<Record<string, k8s.helm.v3.Release>>;
    /** What another cluster's remote secret for this cluster contains; see {@link connectIstioClusters}. */
    public readonly remoteAccess: IstioRemoteAccess;
    /** The Kubernetes provider the cluster was created with, for remote secrets created into it. */
    public readonly kubernetesProvider: pulumi.ProviderResource;

    constructor(name: string, args: IstioClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:mesh:IstioCluster", name, {}, opts);
        const problems = istioClusterProblems(args);
        const provider = this.getProvider("kubernetes:core/v1:Secret");
        if (!provider) problems.push("a kubernetes provider is required (pass { provider: <k8s.Provider> })");
        if (problems.length > 0) throw new Error(`IstioCluster ${name}: ${problems.join("; ")}`);
        this.kubernetesProvider = provider!;
        this.clusterName = args.clusterName;
        this.network = args.network;
        this.istioNamespace = pulumi.output(args.istioNamespace);
        const ns = args.istioNamespace;
        const values = args.values ?? {};
        const release = (role: string, a: Omit<HelmAddOnArgs, "namespace">, dependsOn: pulumi.Resource[]) =>
            helmAddOn(`${name}-${role}`, { ...a, namespace: ns }, { parent: this, dependsOn });

        // istiod reads its CA at start-up and otherwise generates a self-signed root that no other
        // cluster trusts, so the secret must exist before istiod does.
        const ca = args.intermediateCa;
        const cacerts = new k8s.core.v1.Secret(
            `${name}-cacerts`,
            {
                metadata: { name: "cacerts", namespace: ns },
                stringData: {
                    "ca-cert.pem": ca.certPem,
                    "ca-key.pem": ca.keyPem,
                    "root-cert.pem": ca.rootCertPem,
                    "cert-chain.pem": ca.certChainPem,
                },
            },
            { parent: this },
        );

        const base = release(
            "base",
            chart(CHARTS.istioBase, "istio-base", baseValues(ns), values.base, ISTIO_HELM_TIMEOUT_SECONDS.base),
            [],
        );
        const allowlist = this.autopilotAllowlist(name, args);
        // CNI before istiod: istiod's injector must know CNI is on (no NET_ADMIN init container), and
        // pods scheduled before the node agent runs would start without traffic capture.
        const cni = release(
            "cni",
            chart(CHARTS.istioCni, "istio-cni", cniValues(args.platform), values.cni, ISTIO_HELM_TIMEOUT_SECONDS.cni),
            [base, ...allowlist],
        );
        const istiod = release(
            "istiod",
            chart(CHARTS.istiod, "istiod", istiodValues(args, ns), values.istiod, ISTIO_HELM_TIMEOUT_SECONDS.istiod),
            [base, cni, cacerts],
        );
        this.istiod = istiod;

        // Gateway pods carry `image: auto` and only become runnable through istiod's injection webhook.
        const ingress = release(
            "ingress-gateway",
            chart(
                CHARTS.istioGateway,
                ISTIO_GATEWAYS.ingress.releaseName,
                ingressGatewayValues(),
                values.ingressGateway,
                ISTIO_HELM_TIMEOUT_SECONDS.gateway,
            ),
            [istiod],
        );
        const eastWest = release(
            "eastwest-gateway",
            chart(
                CHARTS.istioGateway,
                ISTIO_GATEWAYS.eastWest.releaseName,
                eastWestGatewayValues(args.network, args.platform),
                values.eastWestGateway,
                ISTIO_HELM_TIMEOUT_SECONDS.gateway,
            ),
            [istiod],
        );
        new k8s.apiextensions.CustomResource(
            `${name}-cross-network-gateway`,
            {
                apiVersion: "networking.istio.io/v1",
                kind: "Gateway",
                metadata: { name: "cross-network-gateway", namespace: ns },
                spec: {
                    selector: { istio: ISTIO_GATEWAYS.eastWest.selector },
                    servers: [
                        {
                            port: { number: MESH_PORTS.crossNetwork, name: "tls", protocol: "TLS" },
                            // The gateway never terminates: it routes on SNI, and the mTLS session stays
                            // end to end between the two sidecars.
                            tls: { mode: "AUTO_PASSTHROUGH" },
                            hosts: ["*.local"],
                        },
                    ],
                },
            },
            { parent: this, dependsOn: [eastWest] },
        );
        meshWideMtls(
            `${name}-mtls`,
            { istioNamespace: ns, mode: args.mtlsMode },
            // Istio resources pass istiod's validating webhook, so they wait for istiod.
            { parent: this, dependsOn: [istiod] },
        );

        const releases: Record<string, k8s.helm.v3.Release> = { base, cni, istiod, ingress, eastWest };
        if (args.kiali ?? true) {
            releases.kiali = release(
                "kiali",
                chart(
                    CHARTS.kiali,
                    "kiali",
                    kialiValues(args.clusterName, ns),
                    values.kiali,
                    ISTIO_HELM_TIMEOUT_SECONDS.kiali,
                ),
                [istiod],
            );
        }
        this.releases = releases;

        this.remoteAccess = {
            clusterName: args.clusterName,
            server: pulumi.output(args.apiServerEndpoint).apply(apiServerUrl),
            certificateAuthorityData: pulumi.output(args.apiServerCaData),
            token: this.remoteReaderToken(name, ns),
        };

        this.registerOutputs({ istioNamespace: this.istioNamespace, clusterName: this.clusterName });
    }

    private autopilotAllowlist(name: string, args: IstioClusterArgs): pulumi.Resource[] {
        const paths = args.gkeAllowlistPaths ?? [];
        if (paths.length === 0) return [];
        return [
            new k8s.apiextensions.CustomResource(
                `${name}-cni-allowlist`,
                {
                    apiVersion: "auto.gke.io/v1",
                    kind: "AllowlistSynchronizer",
                    metadata: { name: "istio-cni" },
                    spec: { allowlistPaths: [...paths] },
                },
                { parent: this },
            ),
        ];
    }

    /**
     * A long-lived token for the reader account (a `kubernetes.io/service-account-token` Secret, which
     * the provider waits on until the token controller has filled it). It is independent of the
     * charts, so other clusters can be connected while this one's gateways are still coming up.
     */
    private remoteReaderToken(name: string, ns: pulumi.Input<string>): pulumi.Output<string> {
        const account = new k8s.core.v1.ServiceAccount(
            `${name}-remote-reader`,
            { metadata: { name: ISTIO_REMOTE_READER, namespace: ns } },
            { parent: this },
        );
        const role = new k8s.rbac.v1.ClusterRole(
            `${name}-remote-reader`,
            {
                metadata: { name: ISTIO_REMOTE_READER },
                rules: ISTIO_REMOTE_READER_RULES.map((r) => ({
                    ...r,
                    apiGroups: [...r.apiGroups],
                    resources: [...r.resources],
                    verbs: [...r.verbs],
                })),
            },
            { parent: this },
        );
        const binding = new k8s.rbac.v1.ClusterRoleBinding(
            `${name}-remote-reader`,
            {
                metadata: { name: ISTIO_REMOTE_READER },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
                subjects: [{ kind: "ServiceAccount", name: account.metadata.name, namespace: ns }],
            },
            { parent: this },
        );
        const tokenSecret = new k8s.core.v1.Secret(
            `${name}-remote-reader-token`,
            {
                metadata: {
                    name: `${ISTIO_REMOTE_READER}-token`,
                    namespace: ns,
                    annotations: { "kubernetes.io/service-account.name": ISTIO_REMOTE_READER },
                },
                type: "kubernetes.io/service-account-token",
            },
            // The token controller only fills the secret for an existing account (and the provider
            // has crashed on a missing one); the binding first, so the token works the moment it exists.
            { parent: this, dependsOn: [account, binding] },
        );
        return pulumi.secret(
            tokenSecret.data.apply((data) => {
                const encoded = data?.token;
                if (!encoded) {
                    throw new Error(
                        `IstioCluster ${name}: Secret ${ISTIO_REMOTE_READER}-token has no token; the service-account token controller has not filled it`,
                    );
                }
                return Buffer.from(encoded, "base64").toString("utf8");
            }),
        );
    }
}

export interface IstioRemoteSecretArgs {
    /** The cluster to be read: `IstioCluster.remoteAccess` of the other cluster. */
    readonly remote: IstioRemoteAccess;
    /** Istio's namespace in the cluster that reads (the one this secret is created in). */
    readonly istioNamespace: pulumi.Input<string>;
}

/**
 * The remote secret `istio-remote-secret-<cluster>` that lets this cluster's istiod discover the
 * endpoints of another cluster, in the format `istioctl create-remote-secret` writes. Create it with
 * the Kubernetes provider of the cluster that reads.
 */
export class IstioRemoteSecret extends pulumi.ComponentResource {
    /** Name of the Secret. */
    public readonly secretName: pulumi.Output<string>;

    constructor(name: string, args: IstioRemoteSecretArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:mesh:IstioRemoteSecret", name, {}, opts);
        const cluster = args.remote.clusterName;
        const problems = isDnsLabel(cluster)
            ? []
            : [`remote.clusterName must be a lowercase DNS label; received ${JSON.stringify(cluster)}`];
        if (!this.getProvider("kubernetes:core/v1:Secret")) {
            problems.push("a kubernetes provider is required (the provider of the cluster that reads)");
        }
        if (problems.length > 0) throw new Error(`IstioRemoteSecret ${name}: ${problems.join("; ")}`);

        const kubeconfig = pulumi
            .all([args.remote.server, args.remote.certificateAuthorityData, args.remote.token])
            .apply(([server, certificateAuthorityData, token]) =>
                remoteSecretKubeconfig({ clusterName: cluster, server, certificateAuthorityData, token }),
            );
        const secret = new k8s.core.v1.Secret(
            `${name}-secret`,
            {
                metadata: {
                    name: `istio-remote-secret-${cluster}`,
                    namespace: args.istioNamespace,
                    labels: { "istio/multiCluster": "true" },
                    annotations: { "networking.istio.io/cluster": cluster },
                },
                stringData: { [cluster]: pulumi.secret(kubeconfig) },
            },
            { parent: this },
        );
        this.secretName = secret.metadata.name;
        this.registerOutputs({ secretName: this.secretName });
    }
}

/**
 * Remote secrets between every pair of clusters, both ways: each cluster's istiod then reads all the
 * others. Each secret is created with the provider of the cluster that reads it.
 */
export function connectIstioClusters(
    name: string,
    clusters: readonly IstioCluster[],
    opts?: pulumi.ComponentResourceOptions,
): IstioRemoteSecret[] {
    const names = clusters.map((c) => c.clusterName);
    const dupes = names.filter((n, i) => names.indexOf(n) !== i);
    if (clusters.length < 2 || dupes.length > 0) {
        throw new Error(
            `connectIstioClusters ${name}: needs at least two clusters with distinct names; received ${JSON.stringify(names)}`,
        );
    }
    return clusters.flatMap((reader) =>
        clusters
            .filter((read) => read !== reader)
            .map(
                (read) =>
                    new IstioRemoteSecret(
                        `${name}-${read.clusterName}-in-${reader.clusterName}`,
                        { remote: read.remoteAccess, istioNamespace: reader.istioNamespace },
                        pulumi.mergeOptions(opts, { provider: reader.kubernetesProvider }),
                    ),
            ),
    );
}

function chart(
    source: ChartSource,
    releaseName: string,
    defaultValues: HelmValues,
    values: HelmValues | undefined,
    timeoutSeconds: number,
): Omit<HelmAddOnArgs, "namespace"> {
    return { source, releaseName, defaultValues, values, timeoutSeconds };
}

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

export function baseValues(ns: pulumi.Input<string>): HelmValues {
    return { global: { istioNamespace: ns } };
}

export function cniValues(platform: IstioPlatform): HelmValues {
    // The gke platform profile moves the CNI binaries to /home/kubernetes/bin and adds the quota that
    // lets system-node-critical pods run outside kube-system.
    return platform === "gke" ? { global: { platform: "gke" } } : {};
}

export function istiodValues(
    args: Pick<IstioClusterArgs, "meshId" | "clusterName" | "network" | "platform">,
    ns: pulumi.Input<string>,
): HelmValues {
    return {
        global: {
            istioNamespace: ns,
            meshID: args.meshId,
            multiCluster: { clusterName: args.clusterName },
            network: args.network,
            ...(args.platform === "gke" ? { platform: "gke" } : {}),
        },
        // CNI on every platform, not only where Autopilot demands it: without it each sidecar brings a
        // NET_ADMIN init container, which the restricted Pod Security level of the service
        // namespaces rejects.
        pilot: { cni: { enabled: true } },
        meshConfig: {
            defaultConfig: {
                // The sidecar answers DNS for services that exist only in the other cluster.
                proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true" },
            },
        },
    };
}

export function ingressGatewayValues(): HelmValues {
    return {
        labels: { app: ISTIO_GATEWAYS.ingress.releaseName, istio: ISTIO_GATEWAYS.ingress.selector },
        service: { type: "LoadBalancer" },
    };
}

/**
 * Set explicitly rather than through the chart's `networkGateway` shortcut, whose port handling has
 * changed between chart versions; these values mean the same in all of them.
 */
export function eastWestGatewayValues(network: string, platform: IstioPlatform): HelmValues {
    return {
        labels: {
            app: ISTIO_GATEWAYS.eastWest.releaseName,
            istio: ISTIO_GATEWAYS.eastWest.selector,
            "topology.istio.io/network": network,
        },
        env: {
            // Adds the SNI clusters AUTO_PASSTHROUGH routes to.
            ISTIO_META_ROUTER_MODE: "sni-dnat",
            // Route only to endpoints of this network; traffic never hops on to a third network.
            ISTIO_META_REQUESTED_NETWORK_VIEW: network,
        },
        service: {
            type: "LoadBalancer",
            annotations: { ...INTERNAL_LOAD_BALANCER_ANNOTATIONS[platform] },
            ports: EAST_WEST_GATEWAY_PORTS.map((p) => ({ ...p, protocol: "TCP" })),
        },
    };
}

export function kialiValues(clusterName: string, ns: pulumi.Input<string>): HelmValues {
    return {
        // Kiali can change mesh config; anonymous access would hand that to anyone who reaches it.
        auth: { strategy: "token" },
        istio_namespace: ns,
        // The same name istiod uses, so Kiali's multi-cluster views line up with the mesh's.
        kubernetes_config: { cluster_name: clusterName },
    };
}

/** Every problem with the arguments, without the Pulumi runtime. */
export function istioClusterProblems(args: IstioClusterArgs): string[] {
    const problems: string[] = [];
    if (!isDnsLabel(args.clusterName)) {
        problems.push(
            `clusterName must be a lowercase DNS label (it names the remote secret and its key); received ${JSON.stringify(args.clusterName)}`,
        );
    }
    for (const [key, v] of [
        ["network", args.network],
        ["meshId", args.meshId],
    ] as const) {
        if (!v || !isLabelValue(v))
            problems.push(`${key} must be a non-empty label value; received ${JSON.stringify(v)}`);
    }
    if (!ISTIO_PLATFORMS.includes(args.platform)) {
        problems.push(
            `platform must be one of ${ISTIO_PLATFORMS.join(", ")}; received ${JSON.stringify(args.platform)}`,
        );
    }
    if (args.mtlsMode !== undefined && !MTLS_MODES.includes(args.mtlsMode)) {
        problems.push(`mtlsMode must be one of ${MTLS_MODES.join(", ")}; received ${JSON.stringify(args.mtlsMode)}`);
    }
    if ((args.gkeAllowlistPaths ?? []).length > 0 && args.platform !== "gke") {
        problems.push(
            `gkeAllowlistPaths applies to platform "gke" only; received platform ${JSON.stringify(args.platform)}`,
        );
    }
    if (args.intermediateCa.clusterName !== args.clusterName) {
        problems.push(
            `intermediateCa was issued for ${JSON.stringify(args.intermediateCa.clusterName)}, not for clusterName ${JSON.stringify(args.clusterName)}; pass ca.intermediateFor(${JSON.stringify(args.clusterName)})`,
        );
    }
    return problems;
}
