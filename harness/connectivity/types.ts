/** Shapes shared by the connectivity evaluators: resolved endpoints, one probe, a hop's answer. */

/** The four hops every flow crosses, in order. */
export const HOPS = ["source egress", "routing", "destination ingress", "exposure"] as const;
export type Hop = (typeof HOPS)[number];

export interface HopResult {
    readonly hop: Hop;
    readonly allowed: boolean;
    /** Names the resource or rule that decided. */
    readonly reason: string;
}

/** Where an endpoint sits on AWS. */
export interface AwsPlace {
    readonly vpcId: string;
    /** Route tables of the subnets the endpoint's addresses live in. */
    readonly routeTables: readonly string[];
    /**
     * Security groups the endpoint wears; undefined when they are outside the plan (their egress is then
     * assumed open, and said so).
     */
    readonly securityGroups?: readonly string[];
}

/** Where an endpoint sits on GCP. */
export interface GcpPlace {
    /** Network name (last segment of its self link). */
    readonly network: string;
    /**
     * Name of the VPC peering to the Google-owned network the endpoint lives in (GKE control plane,
     * private services); undefined for VMs and pods in the platform's own network.
     */
    readonly peering?: string;
    /** What the peering is, for messages (`GKE control-plane peering`). */
    readonly peeringLabel?: string;
    /** URN of the resource that creates the peering (its name may be known only after creation). */
    readonly peeringOwner?: string;
    /** Network tags of the instances (GKE nodes); firewall rules target these. */
    readonly tags?: readonly string[];
    /** Service account of the instances. */
    readonly serviceAccount?: string;
}

/** A destination's own admission beyond the network: who may connect, on which ports. */
export interface Admission {
    /** Resource named in messages. */
    readonly resource: string;
    /** Ports the destination listens on; undefined: any. */
    readonly ports?: readonly number[];
    /** What listens, for messages (`SASL/IAM over TLS`). */
    readonly portsDetail?: string;
    /** Master authorized networks: source ranges admitted; undefined: not enforced. */
    readonly authorizedNetworks?: readonly string[];
    /** Ranges admitted regardless of {@link authorizedNetworks} (the cluster's own node and pod ranges). */
    readonly alwaysAdmitted?: readonly string[];
}

/** Whether a destination has a public and/or a private address. */
export interface Exposure {
    readonly resource: string;
    readonly public: boolean;
    readonly private: boolean;
    /** The settings that decide, for messages. */
    readonly detail: string;
}

/** Kubernetes identity of pods, for NetworkPolicies. */
export interface PodPlace {
    readonly cluster: "eks" | "gke";
    readonly namespace?: string;
    readonly labels: Readonly<Record<string, string>>;
    /**
     * ServiceAccount of one service's pods (its Deployment's `serviceAccountName`): their mesh identity.
     * Undefined for a whole namespace, whose pods have no one identity.
     */
    readonly serviceAccount?: string;
}

/** A symbolic endpoint resolved against the plan. */
export interface Endpoint {
    readonly ref: string;
    readonly label: string;
    readonly cloud: "aws" | "gcp" | "internet";
    /** Address ranges traffic leaves from (source) or arrives at (destination). */
    readonly cidrs: readonly string[];
    /** The addresses are on the internet (the internet itself, or an address behind a NAT). */
    readonly public?: boolean;
    readonly aws?: AwsPlace;
    readonly gcp?: GcpPlace;
    /** One entry per namespace the ref matched. */
    readonly pods?: readonly PodPlace[];
    /** Extra ingress rules the platform does not declare but a controller creates (load balancers). */
    readonly controllerIngress?: readonly ControllerRule[];
    readonly admission?: Admission;
    readonly exposure?: Exposure;
    /** Source: egress filtering outside the plan (Google-managed networks), said instead of checked. */
    readonly egressOutsidePlan?: string;
    /**
     * A public AWS API a VPC gateway endpoint (S3, DynamoDB) carries: route tables listed on the endpoint
     * send the service's prefix list to it instead of to the NAT gateway.
     */
    readonly gatewayEndpoint?: {
        readonly resource: string;
        readonly vpcId: string;
        readonly routeTables: readonly string[];
    };
}

/** An ingress rule a controller creates for a Service of type LoadBalancer. */
export interface ControllerRule {
    readonly resource: string;
    readonly sourceRanges: readonly string[];
    readonly ports: readonly number[];
}

/** One concrete connection attempt: one source range, one destination range, one port. */
export interface Probe {
    readonly source: Endpoint;
    readonly destination: Endpoint;
    readonly sourceCidr: string;
    readonly destinationCidr: string;
    readonly port: number;
    readonly protocol: "tcp" | "udp";
    /** The source pods' namespace, when the source is pods. */
    readonly sourcePods?: PodPlace;
    readonly destinationPods?: PodPlace;
    /** The source's address seen by the destination is a NAT's public address. */
    readonly natted?: boolean;
}

/** A failed resolution: the endpoint does not exist in this plan. */
export class UnresolvedEndpoint extends Error {}
