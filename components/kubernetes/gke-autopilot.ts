import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { isPrivate, parseCidr } from "../shared/cidr";
import { GKE_PODS_RANGE_NAME, GKE_SERVICES_RANGE_NAME } from "../network/gcp-network";
import { VERSIONS } from "../versions";

export const GKE_AUTOPILOT_DEFAULTS = {
    /**
     * The API only on its internal endpoint. The deployer and the AWS-side istiod reach it over the VPN,
     * which needs the control-plane peering to export the VPC's routes (see `controlPlaneRoutes`) and the
     * Cloud Router to advertise the master range (GcpNetwork `controlPlaneCidr`):
     * https://cloud.google.com/architecture/creating-kubernetes-engine-private-clusters-with-net-proxies
     * ("To access the controller from on-premises or from another VPC network connected by Cloud VPN ...
     * enable route export from your VPC network to the Google-owned VPC network").
     */
    enablePrivateEndpoint: true,
    deletionProtection: true,
    /**
     * Saturday and Sunday, 01:00 to 07:00 UTC (evenings in the Americas, before dawn in Europe): 12 hours a
     * week, above GKE's minimum of 48 hours in any 32 days, each window longer than its 4-hour minimum. The
     * date only anchors the recurrence; 2025-01-04 is a Saturday.
     */
    maintenanceWindow: {
        startTime: "2025-01-04T01:00:00Z",
        endTime: "2025-01-04T07:00:00Z",
        recurrence: "FREQ=WEEKLY;BYDAY=SA,SU",
    },
} as const;

/**
 * Roles of the node service account: the one predefined role Google documents for a minimally privileged
 * node identity (logging, monitoring, autoscaling metrics). Workloads use workload identity, not this
 * account; pulling from a private Artifact Registry needs `roles/artifactregistry.reader` granted on that
 * repository. https://cloud.google.com/kubernetes-engine/docs/how-to/service-accounts#default-gke-service-agent
 * and https://cloud.google.com/kubernetes-engine/security/configure-node-service-accounts
 */
export const GKE_NODE_SERVICE_ACCOUNT_ROLES = ["roles/container.defaultNodeServiceAccount"] as const;

/** The node VMs' access scope: everything, so that IAM (the roles above) alone decides, as Google recommends. */
export const GKE_NODE_OAUTH_SCOPES = ["https://www.googleapis.com/auth/cloud-platform"] as const;

/** IAM service account ids: 6 to 30 characters, a lowercase letter first, no trailing hyphen. */
const SERVICE_ACCOUNT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

/** GKE's limit on authorized networks for a cluster with a public endpoint. */
export const MAX_MASTER_AUTHORIZED_CIDRS = 50;

/** What the kubeconfig tells kubectl and the Kubernetes provider to run for a token. */
export const GKE_AUTH_PLUGIN = {
    apiVersion: "client.authentication.k8s.io/v1beta1",
    command: "gke-gcloud-auth-plugin",
    installHint:
        "Install gke-gcloud-auth-plugin for use with kubectl by following " +
        "https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin",
    provideClusterInfo: true,
} as const;

export interface GkeAutopilotArgs {
    /** Project of the cluster; also names the workload identity pool (`<project>.svc.id.goog`). */
    readonly project: string;
    /** Region of the (regional) cluster. */
    readonly region: string;
    /** VPC network (id or self link). */
    readonly network: pulumi.Input<string>;
    /** Name of the same network: the control-plane peering's route export is configured on it. */
    readonly networkName: pulumi.Input<string>;
    /** Node subnetwork (id or self link); holds the pod and service secondary ranges. */
    readonly subnetwork: pulumi.Input<string>;
    /** Secondary range of the subnetwork for pods. @default "pods" */
    readonly podsRangeName?: string;
    /** Secondary range of the subnetwork for services. @default "services" */
    readonly servicesRangeName?: string;
    /** Private /28 for the control plane; must not overlap any range of either cloud. */
    readonly masterIpv4CidrBlock: string;
    /**
     * IPv4 ranges allowed to reach the control plane (the deployers, the other cloud's istiod); never `/0`.
     * Enforced on the private endpoint too. @default none: only the cluster's own nodes and pods
     */
    readonly masterAuthorizedCidrs?: readonly string[];
    /**
     * Serve the API on the private endpoint only; `endpoint` and the kubeconfig then use the private
     * address. @default true. `false` adds a public endpoint limited to `masterAuthorizedCidrs`
     */
    readonly enablePrivateEndpoint?: boolean;
    /** Id (the part before `@`) of the node service account the component creates. @default "<name>-nodes" */
    readonly nodeServiceAccountId?: string;
    /** Cloud KMS crypto key (id `projects/…/cryptoKeys/…`) for application-layer encryption of Kubernetes secrets. */
    readonly secretsKmsKeyId: pulumi.Input<string>;
    /** Refuse to delete the cluster (the provider's deletionProtection and Pulumi `protect`). @default true */
    readonly deletionProtection?: boolean;
    /**
     * Let Autopilot admit containers that add NET_ADMIN (`allowNetAdmin`, gcloud
     * `--workload-policies=allow-net-admin`): what a sidecar's istio-init needs where no CNI agent can
     * run. Warden still refuses privileged pods and host access. @default false
     */
    readonly allowNetAdmin?: boolean;
}

/** The arguments with every default applied. */
export type ResolvedGkeAutopilotArgs = GkeAutopilotArgs &
    Required<
        Pick<
            GkeAutopilotArgs,
            | "podsRangeName"
            | "servicesRangeName"
            | "masterAuthorizedCidrs"
            | "enablePrivateEndpoint"
            | "nodeServiceAccountId"
            | "deletionProtection"
        >
    >;

export function withGkeAutopilotDefaults(name: string, args: GkeAutopilotArgs): ResolvedGkeAutopilotArgs {
    return {
        ...args,
        podsRangeName: args.podsRangeName ?? GKE_PODS_RANGE_NAME,
        servicesRangeName: args.servicesRangeName ?? GKE_SERVICES_RANGE_NAME,
        masterAuthorizedCidrs: args.masterAuthorizedCidrs ?? [],
        enablePrivateEndpoint: args.enablePrivateEndpoint ?? GKE_AUTOPILOT_DEFAULTS.enablePrivateEndpoint,
        nodeServiceAccountId: args.nodeServiceAccountId ?? `${name}-nodes`,
        deletionProtection: args.deletionProtection ?? GKE_AUTOPILOT_DEFAULTS.deletionProtection,
    };
}

/** A kubeconfig whose credentials come from `gke-gcloud-auth-plugin`, so it holds no token of its own. */
export function gkeKubeconfig(contextName: string, endpoint: string, caCertificate: string): object {
    return {
        apiVersion: "v1",
        kind: "Config",
        clusters: [
            {
                name: contextName,
                cluster: { server: `https://${endpoint}`, "certificate-authority-data": caCertificate },
            },
        ],
        contexts: [{ name: contextName, context: { cluster: contextName, user: contextName } }],
        "current-context": contextName,
        users: [{ name: contextName, user: { exec: { ...GKE_AUTH_PLUGIN } } }],
    };
}

/**
 * The disaster-recovery Kubernetes cluster: regional GKE Autopilot with private nodes running as a dedicated
 * least-privilege service account, a control plane on its private endpoint that only authorized networks
 * reach (with the peering exporting the VPC's routes, so networks behind the VPN get answers), secrets
 * encrypted with a Cloud KMS key, workload identity, the pinned release channel and a weekend maintenance window. The GKE service agent must already be allowed to use the
 * key (see GcpKmsKeys), or creation fails. Needs a `gcp` provider in its options.
 */
export class GkeAutopilot extends pulumi.ComponentResource {
    public readonly clusterName: pulumi.Output<string>;
    /** Control-plane IP (the private one when `enablePrivateEndpoint`). */
    public readonly endpoint: pulumi.Output<string>;
    /** Email of the node service account. */
    public readonly nodeServiceAccountEmail: pulumi.Output<string>;
    /** Base64 PEM of the cluster CA. */
    public readonly caCertificate: pulumi.Output<string>;
    /** Workload identity pool Kubernetes service accounts map into. */
    public readonly workloadIdentityPool: string;
    /** Kubeconfig (JSON) using `gke-gcloud-auth-plugin`; secret. */
    public readonly kubeconfig: pulumi.Output<string>;
    /** Kubernetes provider for this cluster, with server-side apply. */
    public readonly kubernetesProvider: k8s.Provider;

    constructor(name: string, args: GkeAutopilotArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:kubernetes:GkeAutopilot", name, {}, opts);
        const settings = withGkeAutopilotDefaults(name, args);
        validateGkeAutopilotArgs(name, settings);
        this.workloadIdentityPool = `${settings.project}.svc.id.goog`;
        const nodeIdentity = this.nodeIdentity(name, settings);
        this.nodeServiceAccountEmail = nodeIdentity.email;

        const cluster = new gcp.container.Cluster(
            `${name}-cluster`,
            {
                project: settings.project,
                location: settings.region,
                enableAutopilot: true,
                allowNetAdmin: args.allowNetAdmin ?? false,
                network: settings.network,
                subnetwork: settings.subnetwork,
                networkingMode: "VPC_NATIVE",
                ipAllocationPolicy: {
                    clusterSecondaryRangeName: settings.podsRangeName,
                    servicesSecondaryRangeName: settings.servicesRangeName,
                },
                privateClusterConfig: {
                    enablePrivateNodes: true,
                    enablePrivateEndpoint: settings.enablePrivateEndpoint,
                    masterIpv4CidrBlock: settings.masterIpv4CidrBlock,
                },
                // Always present, even empty: the block turns authorized networks on, so an empty list admits
                // no outside network at all rather than every one.
                masterAuthorizedNetworksConfig: {
                    cidrBlocks: settings.masterAuthorizedCidrs.map((cidrBlock) => ({
                        cidrBlock,
                        displayName: cidrBlock,
                    })),
                    // Otherwise any Google Cloud VM's public IP, anyone's, may reach the public endpoint.
                    gcpPublicCidrsAccessEnabled: false,
                    // The list also guards the internal endpoint, so that being routed to it is not enough.
                    privateEndpointEnforcementEnabled: true,
                },
                // Autopilot takes the node identity from the auto-provisioning defaults; without it nodes
                // run as the Compute Engine default service account (project Editor in many projects).
                clusterAutoscaling: {
                    autoProvisioningDefaults: {
                        serviceAccount: nodeIdentity.email,
                        oauthScopes: [...GKE_NODE_OAUTH_SCOPES],
                    },
                },
                releaseChannel: { channel: VERSIONS.gkeReleaseChannel },
                databaseEncryption: { state: "ENCRYPTED", keyName: settings.secretsKmsKeyId },
                // Autopilot turns workload identity on by itself; stated so that the plan shows the pool.
                workloadIdentityConfig: { workloadPool: this.workloadIdentityPool },
                maintenancePolicy: { recurringWindow: { ...GKE_AUTOPILOT_DEFAULTS.maintenanceWindow } },
                deletionProtection: settings.deletionProtection,
            },
            { parent: this, protect: settings.deletionProtection, dependsOn: nodeIdentity.bindings },
        );
        this.clusterName = cluster.name;
        // With a private endpoint, `cluster.endpoint` is still reported; the internal address is the one
        // callers behind the VPN can route to.
        this.endpoint = settings.enablePrivateEndpoint
            ? cluster.privateClusterConfig.apply((c) => c?.privateEndpoint ?? "")
            : cluster.endpoint;
        this.controlPlaneRoutes(name, settings, cluster);
        this.caCertificate = cluster.masterAuth.clusterCaCertificate.apply((ca) => ca ?? "");

        const contextName = pulumi.interpolate`gke_${settings.project}_${settings.region}_${cluster.name}`;
        this.kubeconfig = pulumi.secret(
            pulumi
                .all([contextName, this.endpoint, this.caCertificate])
                .apply(([context, endpoint, ca]) => JSON.stringify(gkeKubeconfig(context, endpoint, ca))),
        );
        this.kubernetesProvider = new k8s.Provider(
            `${name}-k8s`,
            { kubeconfig: this.kubeconfig, enableServerSideApply: true },
            { parent: this },
        );
        this.registerOutputs({
            clusterName: this.clusterName,
            endpoint: this.endpoint,
            nodeServiceAccountEmail: this.nodeServiceAccountEmail,
            caCertificate: this.caCertificate,
            kubeconfig: this.kubeconfig,
        });
    }

    /** The node service account and its project roles; the cluster waits for the bindings. */
    private nodeIdentity(name: string, settings: ResolvedGkeAutopilotArgs) {
        const account = new gcp.serviceaccount.Account(
            `${name}-nodes`,
            {
                project: settings.project,
                accountId: settings.nodeServiceAccountId,
                displayName: `${name}: GKE Autopilot nodes (least privilege)`,
            },
            { parent: this },
        );
        // Known before the account exists, so the cluster's inputs (and the policy pack) can read it.
        const email = pulumi.output(`${settings.nodeServiceAccountId}@${settings.project}.iam.gserviceaccount.com`);
        const bindings = GKE_NODE_SERVICE_ACCOUNT_ROLES.map(
            (role) =>
                new gcp.projects.IAMMember(
                    `${name}-nodes-${role.slice(role.lastIndexOf("/") + 1)}`,
                    { project: settings.project, role, member: pulumi.interpolate`serviceAccount:${email}` },
                    { parent: this, dependsOn: [account] },
                ),
        );
        return { email, bindings: [account, ...bindings] };
    }

    /**
     * Exports the VPC's custom routes (the VPN's dynamic routes to AWS) over the control-plane peering, so that
     * the control plane can answer callers behind the VPN. Import stays off: the master range reaches the VPC
     * as a peering subnet route without it. Only the peering-based private cluster (a `masterIpv4CidrBlock`
     * given) has a peering to configure; https://cloud.google.com/kubernetes-engine/docs/concepts/private-cluster-concept
     */
    private controlPlaneRoutes(name: string, settings: ResolvedGkeAutopilotArgs, cluster: gcp.container.Cluster) {
        new gcp.compute.NetworkPeeringRoutesConfig(
            `${name}-control-plane-routes`,
            {
                project: settings.project,
                network: settings.networkName,
                peering: cluster.privateClusterConfig.apply((c) => c?.peeringName ?? ""),
                exportCustomRoutes: true,
                importCustomRoutes: false,
            },
            { parent: this },
        );
    }
}

/** Each authorized network must be a canonical IPv4 CIDR, and none may be world-wide. */
function authorizedCidrProblems(cidrs: readonly string[]): string[] {
    return cidrs.flatMap((cidr, i) => {
        if (/\/0$/.test(cidr.trim())) {
            return [
                `masterAuthorizedCidrs[${i}] must not be a /0 range, which would open the control plane to the whole internet; ` +
                    `received ${JSON.stringify(cidr)}. List the AWS VPC ranges and the CI runners' ranges instead`,
            ];
        }
        return parseCidr(cidr)
            ? []
            : [
                  `masterAuthorizedCidrs[${i}] must be a canonical IPv4 CIDR such as "10.100.0.0/16"; received ${JSON.stringify(cidr)}`,
              ];
    });
}

/** Throws one error listing every invalid argument. */
export function validateGkeAutopilotArgs(name: string, args: ResolvedGkeAutopilotArgs): void {
    const problems: string[] = [];
    const master = parseCidr(args.masterIpv4CidrBlock);
    if (!master || master.prefix !== 28 || !isPrivate(master)) {
        problems.push(
            `masterIpv4CidrBlock must be a private (RFC 1918) /28, the size GKE requires for the control plane; ` +
                `received ${JSON.stringify(args.masterIpv4CidrBlock)}`,
        );
    }
    problems.push(...authorizedCidrProblems(args.masterAuthorizedCidrs));
    if (!SERVICE_ACCOUNT_ID.test(args.nodeServiceAccountId)) {
        problems.push(
            `nodeServiceAccountId must be 6 to 30 lowercase letters, digits or hyphens, starting with a letter and ` +
                `not ending with a hyphen; received ${JSON.stringify(args.nodeServiceAccountId)}`,
        );
    }
    if (args.masterAuthorizedCidrs.length > MAX_MASTER_AUTHORIZED_CIDRS) {
        problems.push(
            `masterAuthorizedCidrs may hold at most ${MAX_MASTER_AUTHORIZED_CIDRS} ranges; received ` +
                `${args.masterAuthorizedCidrs.length}. Summarize adjacent ranges`,
        );
    }
    if (problems.length > 0) throw new Error(`GkeAutopilot ${name}: ${problems.join("; ")}`);
}
