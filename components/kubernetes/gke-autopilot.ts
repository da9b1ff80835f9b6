import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { isPrivate, parseCidr } from "../shared/cidr";
import { GKE_PODS_RANGE_NAME, GKE_SERVICES_RANGE_NAME } from "../network/gcp-network";
import { VERSIONS } from "../versions";

export const GKE_AUTOPILOT_DEFAULTS = {
    enablePrivateEndpoint: false,
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
    /** Node subnetwork (id or self link); holds the pod and service secondary ranges. */
    readonly subnetwork: pulumi.Input<string>;
    /** Secondary range of the subnetwork for pods. @default "pods" */
    readonly podsRangeName?: string;
    /** Secondary range of the subnetwork for services. @default "services" */
    readonly servicesRangeName?: string;
    /** Private /28 for the control plane; must not overlap any range of either cloud. */
    readonly masterIpv4CidrBlock: string;
    /**
     * IPv4 ranges allowed to reach the control plane (the AWS VPCs over the VPN, CI runners); never `/0`.
     * @default none: only the cluster's own network
     */
    readonly masterAuthorizedCidrs?: readonly string[];
    /** Serve the API on the private endpoint only. @default false: a public endpoint limited to `masterAuthorizedCidrs` */
    readonly enablePrivateEndpoint?: boolean;
    /** Cloud KMS crypto key (id `projects/…/cryptoKeys/…`) for application-layer encryption of Kubernetes secrets. */
    readonly secretsKmsKeyId: pulumi.Input<string>;
    /** Refuse to delete the cluster (the provider's deletionProtection and Pulumi `protect`). @default true */
    readonly deletionProtection?: boolean;
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
            | "deletionProtection"
        >
    >;

export function withGkeAutopilotDefaults(args: GkeAutopilotArgs): ResolvedGkeAutopilotArgs {
    return {
        ...args,
        podsRangeName: args.podsRangeName ?? GKE_PODS_RANGE_NAME,
        servicesRangeName: args.servicesRangeName ?? GKE_SERVICES_RANGE_NAME,
        masterAuthorizedCidrs: args.masterAuthorizedCidrs ?? [],
        enablePrivateEndpoint: args.enablePrivateEndpoint ?? GKE_AUTOPILOT_DEFAULTS.enablePrivateEndpoint,
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
 * The disaster-recovery Kubernetes cluster: regional GKE Autopilot with private nodes, a control plane that
 * only authorized networks reach, secrets encrypted with a Cloud KMS key, workload identity, the pinned
 * release channel and a weekend maintenance window. The GKE service agent must already be allowed to use the
 * key (see GcpKmsKeys), or creation fails. Needs a `gcp` provider in its options.
 */
export class GkeAutopilot extends pulumi.ComponentResource {
    public readonly clusterName: pulumi.Output<string>;
    /** Control-plane IP (the private one when `enablePrivateEndpoint`). */
    public readonly endpoint: pulumi.Output<string>;
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
        const settings = withGkeAutopilotDefaults(args);
        validateGkeAutopilotArgs(name, settings);
        this.workloadIdentityPool = `${settings.project}.svc.id.goog`;

        const cluster = new gcp.container.Cluster(
            `${name}-cluster`,
            {
                project: settings.project,
                location: settings.region,
                enableAutopilot: true,
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
                },
                releaseChannel: { channel: VERSIONS.gkeReleaseChannel },
                databaseEncryption: { state: "ENCRYPTED", keyName: settings.secretsKmsKeyId },
                // Autopilot turns workload identity on by itself; stated so that the plan shows the pool.
                workloadIdentityConfig: { workloadPool: this.workloadIdentityPool },
                maintenancePolicy: { recurringWindow: { ...GKE_AUTOPILOT_DEFAULTS.maintenanceWindow } },
                deletionProtection: settings.deletionProtection,
            },
            { parent: this, protect: settings.deletionProtection },
        );
        this.clusterName = cluster.name;
        this.endpoint = cluster.endpoint;
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
            caCertificate: this.caCertificate,
            kubeconfig: this.kubeconfig,
        });
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
    if (args.masterAuthorizedCidrs.length > MAX_MASTER_AUTHORIZED_CIDRS) {
        problems.push(
            `masterAuthorizedCidrs may hold at most ${MAX_MASTER_AUTHORIZED_CIDRS} ranges; received ` +
                `${args.masterAuthorizedCidrs.length}. Summarize adjacent ranges`,
        );
    }
    if (problems.length > 0) throw new Error(`GkeAutopilot ${name}: ${problems.join("; ")}`);
}
