import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { mustParseCidr, formatIp } from "../shared/cidr";
import { MESH_PEER_CONTROL_PLANE_PORTS, MESH_PORTS } from "../shared/mesh-ports";

export const GCP_NETWORK_DEFAULTS = {
    /** Half of the flows, every 5 seconds: enough to investigate an incident at half the log cost. */
    flowLogSampling: 0.5,
    flowLogInterval: "INTERVAL_5_SEC",
    /** Ports the other cloud may reach: HTTPS, Istio east-west (15443), istiod xDS (15012) and webhooks (15017). */
    peerTcpPorts: MESH_PEER_CONTROL_PLANE_PORTS.map(String),
    /** Google's load-balancer health-check ranges; the only outside sources a load balancer needs. */
    healthCheckRanges: ["35.191.0.0/16", "130.211.0.0/22"],
    /**
     * The ports those health checks probe, and no others. 10256: kube-proxy's health endpoint, which GKE's
     * passthrough load balancers probe on every node for a Service with `externalTrafficPolicy: Cluster`;
     * 15021: the Istio gateways' status port (`/healthz/ready`), probed on the pod where backends are
     * container-native (NEG) endpoints. A `Local` Service's `healthCheckNodePort` gets its own rule from
     * GKE's service controller. https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer
     * and https://istio.io/latest/docs/ops/deployment/application-requirements/#ports-used-by-istio
     */
    healthCheckTcpPorts: ["10256", String(MESH_PORTS.status)],
    /**
     * What the GKE control plane calls on the nodes beyond what GKE opens itself (443 and 10250): istiod's
     * webhook. Google's mesh docs for private clusters require 15017 from the master range, or sidecar
     * injection and config validation time out:
     * https://cloud.google.com/service-mesh/docs/private-cluster-open-port
     */
    controlPlaneTcpPorts: [String(MESH_PORTS.webhook)],
} as const;

export const GKE_PODS_RANGE_NAME = "pods";
export const GKE_SERVICES_RANGE_NAME = "services";

export interface GcpNetworkArgs {
    readonly project: string;
    readonly region: string;
    /** GKE node subnet. */
    readonly subnetCidr: string;
    /** Data subnet (DMS, connectors, other data-side workloads). */
    readonly dataSubnetCidr: string;
    /** GKE pod secondary range on the node subnet. */
    readonly podsCidr: string;
    /** GKE service secondary range on the node subnet. */
    readonly servicesCidr: string;
    /** Range reserved for private service access (Cloud SQL, Memorystore private IPs). */
    readonly privateServicesCidr: string;
    /**
     * The GKE control plane's /28 (`masterIpv4CidrBlock`): advertised to the other cloud, so callers there
     * reach the private API endpoint, and admitted to the nodes on {@link GCP_NETWORK_DEFAULTS.controlPlaneTcpPorts}.
     * @default none: no cluster control plane in this network
     */
    readonly controlPlaneCidr?: string;
    /** Ranges of the other cloud, reachable over the VPN, admitted on the mesh ports. @default none */
    readonly peerCidrs?: readonly string[];
    /** Fraction of flows sampled into flow logs, 0 to 1. @default 0.5 */
    readonly flowLogSampling?: number;
}

/**
 * A custom-mode VPC for the DR side: a GKE subnet with pod and service ranges, a data subnet, flow logs
 * and Private Google Access on both, Cloud NAT, private service access for managed databases (with
 * custom routes exchanged so they can reach AWS over the VPN), and firewall rules that deny by default.
 */
export class GcpNetwork extends pulumi.ComponentResource {
    public readonly networkId: pulumi.Output<string>;
    public readonly networkName: pulumi.Output<string>;
    public readonly networkSelfLink: pulumi.Output<string>;
    public readonly subnetId: pulumi.Output<string>;
    public readonly subnetSelfLink: pulumi.Output<string>;
    public readonly dataSubnetId: pulumi.Output<string>;
    public readonly podsRangeName = GKE_PODS_RANGE_NAME;
    public readonly servicesRangeName = GKE_SERVICES_RANGE_NAME;
    /** The private service access connection; resources with private IPs depend on it. */
    public readonly privateServicesConnection: gcp.servicenetworking.Connection;
    /** Every range of this network that the other cloud must route to. */
    public readonly advertisedRanges: readonly string[];

    constructor(name: string, args: GcpNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:network:GcpNetwork", name, {}, opts);
        const sampling = args.flowLogSampling ?? GCP_NETWORK_DEFAULTS.flowLogSampling;
        if (!(sampling > 0 && sampling <= 1)) {
            throw new Error(`GcpNetwork ${name}: flowLogSampling must be above 0 and at most 1; received ${sampling}`);
        }
        const common = { project: args.project };
        const logConfig = {
            aggregationInterval: GCP_NETWORK_DEFAULTS.flowLogInterval,
            flowSampling: sampling,
            metadata: "INCLUDE_ALL_METADATA",
        };

        const network = new gcp.compute.Network(
            `${name}-vpc`,
            {
                ...common,
                autoCreateSubnetworks: false,
                // Global routing: routes learned over the VPN reach every region of the network.
                routingMode: "GLOBAL",
                description: "Platform DR network",
            },
            { parent: this },
        );
        this.networkId = network.id;
        this.networkName = network.name;
        this.networkSelfLink = network.selfLink;

        const subnet = new gcp.compute.Subnetwork(
            `${name}-gke`,
            {
                ...common,
                region: args.region,
                network: network.id,
                ipCidrRange: args.subnetCidr,
                secondaryIpRanges: [
                    { rangeName: GKE_PODS_RANGE_NAME, ipCidrRange: args.podsCidr },
                    { rangeName: GKE_SERVICES_RANGE_NAME, ipCidrRange: args.servicesCidr },
                ],
                privateIpGoogleAccess: true,
                logConfig,
            },
            { parent: this },
        );
        const dataSubnet = new gcp.compute.Subnetwork(
            `${name}-data`,
            {
                ...common,
                region: args.region,
                network: network.id,
                ipCidrRange: args.dataSubnetCidr,
                privateIpGoogleAccess: true,
                logConfig,
            },
            { parent: this },
        );
        this.subnetId = subnet.id;
        this.subnetSelfLink = subnet.selfLink;
        this.dataSubnetId = dataSubnet.id;

        const router = new gcp.compute.Router(
            `${name}-nat`,
            { ...common, region: args.region, network: network.id },
            { parent: this },
        );
        new gcp.compute.RouterNat(
            `${name}-nat`,
            {
                ...common,
                region: args.region,
                router: router.name,
                natIpAllocateOption: "AUTO_ONLY",
                sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
                logConfig: { enable: true, filter: "ERRORS_ONLY" },
            },
            { parent: this },
        );

        const psa = mustParseCidr(args.privateServicesCidr);
        const psaRange = new gcp.compute.GlobalAddress(
            `${name}-private-services`,
            {
                ...common,
                network: network.id,
                purpose: "VPC_PEERING",
                addressType: "INTERNAL",
                address: formatIp(psa.base),
                prefixLength: psa.prefix,
            },
            { parent: this },
        );
        this.privateServicesConnection = new gcp.servicenetworking.Connection(
            `${name}-private-services`,
            {
                network: network.id,
                service: "servicenetworking.googleapis.com",
                reservedPeeringRanges: [psaRange.name],
            },
            { parent: this },
        );
        // Managed databases live in Google's producer network: it must learn the VPN routes to AWS, and
        // AWS must learn its range, or DMS and replicas cannot reach Aurora.
        new gcp.compute.NetworkPeeringRoutesConfig(
            `${name}-private-services`,
            {
                ...common,
                network: network.name,
                peering: this.privateServicesConnection.peering,
                importCustomRoutes: true,
                exportCustomRoutes: true,
            },
            { parent: this },
        );

        this.firewalls(name, args, network, common.project);
        this.advertisedRanges = [
            args.subnetCidr,
            args.dataSubnetCidr,
            args.podsCidr,
            args.servicesCidr,
            args.privateServicesCidr,
            ...(args.controlPlaneCidr ? [args.controlPlaneCidr] : []),
        ];
        this.registerOutputs({ networkId: this.networkId, subnetId: this.subnetId, dataSubnetId: this.dataSubnetId });
    }

    /** Deny everything inbound at the lowest priority, then allow only what the platform needs. */
    private firewalls(name: string, args: GcpNetworkArgs, network: gcp.compute.Network, project: string): void {
        const rule = (suffix: string, a: Omit<gcp.compute.FirewallArgs, "network" | "project">) =>
            new gcp.compute.Firewall(
                `${name}-${suffix}`,
                {
                    project,
                    network: network.id,
                    direction: "INGRESS",
                    logConfig: { metadata: "INCLUDE_ALL_METADATA" },
                    ...a,
                },
                { parent: this },
            );
        rule("deny-all-ingress", { priority: 65534, sourceRanges: ["0.0.0.0/0"], denies: [{ protocol: "all" }] });
        rule("allow-internal", {
            priority: 1000,
            sourceRanges: [args.subnetCidr, args.dataSubnetCidr, args.podsCidr, args.servicesCidr],
            allows: [{ protocol: "tcp" }, { protocol: "udp" }, { protocol: "icmp" }],
        });
        if ((args.peerCidrs ?? []).length > 0) {
            rule("allow-from-peer", {
                priority: 1000,
                sourceRanges: [...(args.peerCidrs ?? [])],
                allows: [{ protocol: "tcp", ports: [...GCP_NETWORK_DEFAULTS.peerTcpPorts] }, { protocol: "icmp" }],
            });
        }
        rule("allow-health-checks", {
            priority: 1000,
            sourceRanges: [...GCP_NETWORK_DEFAULTS.healthCheckRanges],
            allows: [{ protocol: "tcp", ports: [...GCP_NETWORK_DEFAULTS.healthCheckTcpPorts] }],
        });
        if (args.controlPlaneCidr) {
            rule("allow-from-control-plane", {
                priority: 1000,
                sourceRanges: [args.controlPlaneCidr],
                allows: [{ protocol: "tcp", ports: [...GCP_NETWORK_DEFAULTS.controlPlaneTcpPorts] }],
            });
        }
    }
}
