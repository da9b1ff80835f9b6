/**
 * Istio on one cluster of a multi-primary, multi-network mesh ({@link IstioCluster}). Wiring:
 * MeshCertificateAuthority -> one IstioCluster per cluster -> remote secrets both ways
 * ({@link connectIstioClusters}).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { helmAddOn, type ChartSource, type HelmAddOnArgs, type HelmValues } from "../kubernetes/addons/helm-addon";
import { MESH_PORTS } from "../shared/mesh-ports";
import { CHARTS, ISTIO_GATEWAYS } from "./istio-charts";
import {
    ISTIO_HELM_TIMEOUT_SECONDS,
    ISTIO_REMOTE_READER,
    ISTIO_REMOTE_READER_RULES,
    type IstioChartValues,
    type IstioPlatform,
} from "./istio-settings";
import { usesIstioCni } from "./istio-data-plane";
import { istioClusterProblems } from "./istio-validation";
import {
    baseValues,
    cniValues,
    eastWestGatewayValues,
    ingressGatewayValues,
    istiodValues,
    kialiValues,
} from "./istio-values";
import type { IntermediateCa } from "./mesh-ca";
import { ISTIO_API_VERSIONS, meshWideMtls, type MtlsMode } from "./mesh-policies";
import { apiServerUrl } from "./remote-kubeconfig";

export interface IstioClusterArgs {
    /** Name of the cluster in the mesh (`global.multiCluster.clusterName`); a lowercase DNS label. */
    readonly clusterName: string;
    /** Network the cluster's pods are on (`global.network`); clusters on one network reach pods directly. */
    readonly network: string;
    /** Mesh ID, the same on every cluster of the mesh (`global.meshID`). */
    readonly meshId: string;
    /**
     * Where the cluster runs; decides how sidecars capture traffic (the CNI agent on EKS, istio-init on GKE
     * Autopilot: see istio-data-plane.ts) and the internal load balancer annotations.
     */
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
 * `base` -> `cni` (EKS only) -> `istiod` -> gateways (both on internal load balancers), an east-west gateway exposing `*.local` with
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
        // CNI before istiod: pods scheduled before the node agent runs would start without traffic capture.
        // Not on GKE Autopilot, which refuses the agent's DaemonSet (istio-data-plane.ts).
        const cni = usesIstioCni(args.platform)
            ? release(
                  "cni",
                  chart(CHARTS.istioCni, "istio-cni", cniValues(), values.cni, ISTIO_HELM_TIMEOUT_SECONDS.cni),
                  [base],
              )
            : undefined;
        const istiod = release(
            "istiod",
            chart(CHARTS.istiod, "istiod", istiodValues(args, ns), values.istiod, ISTIO_HELM_TIMEOUT_SECONDS.istiod),
            [base, ...(cni ? [cni] : []), cacerts],
        );
        this.istiod = istiod;

        // Gateway pods carry `image: auto` and only become runnable through istiod's injection webhook.
        const ingress = release(
            "ingress-gateway",
            chart(
                CHARTS.istioGateway,
                ISTIO_GATEWAYS.ingress.releaseName,
                ingressGatewayValues(args.platform),
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
                apiVersion: ISTIO_API_VERSIONS.networking,
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

        const releases: Record<string, k8s.helm.v3.Release> = {
            base,
            ...(cni ? { cni } : {}),
            istiod,
            ingress,
            eastWest,
        };
        if (args.kiali ?? true) {
            releases.kiali = release(
                "kiali",
                chart(
                    CHARTS.kiali,
                    "kiali",
                    kialiValues(args.clusterName),
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

function chart(
    source: ChartSource,
    releaseName: string,
    defaultValues: HelmValues,
    values: HelmValues | undefined,
    timeoutSeconds: number,
): Omit<HelmAddOnArgs, "namespace"> {
    return { source, releaseName, defaultValues, values, timeoutSeconds };
}
