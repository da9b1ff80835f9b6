/**
 * Every topology decision of a stack, named and derived once from its configuration. Layers read these
 * names; none of them writes `prod ? … : …` itself.
 */
import type { PlatformConfig } from "../config/schema";
import { awsSubnetPlan, PROD_INTERFACE_ENDPOINTS } from "../components/network";
import { serviceNamespace, type WorkloadCapacityType } from "../components/kubernetes";
import { contains, mustParseCidr, recoveryWindowDays } from "../components/shared";
import { createProviders, type PlatformProviders } from "./providers";

/** How big and how redundant a stack is. */
export interface Topology {
    /** Regional HA for the DR-side stores (Cloud SQL, Memorystore) and a replica for the primary cache. */
    readonly highAvailability: boolean;
    /** The secondary AWS region carries an Aurora secondary cluster and DynamoDB replicas. */
    readonly secondRegion: boolean;
    /** AWS interface endpoints in the VPCs (private API access without NAT). */
    readonly interfaceEndpoints: readonly string[];
    /** EKS workload capacity: spot is cheap for dev; prod keeps an on-demand floor beside spot. */
    readonly workloadCapacityType: WorkloadCapacityType;
    /** ElastiCache nodes: a primary, plus a replica to fail over to when HA. */
    readonly cacheNodeCount: number;
    /** `protect`, deletion protection and final snapshots on everything stateful. */
    readonly protect: boolean;
    /** Days a deleted KMS key or secret stays recoverable. */
    readonly recoveryWindowDays: number;
}

/** The address ranges each cloud routes to the other over the VPN. */
export interface PeerRanges {
    /** Every GCP range: GKE nodes, pods and services, the data subnet, private service access. */
    readonly gcp: readonly string[];
    /** Both AWS VPCs. */
    readonly aws: readonly string[];
    /** Where `pulumi up` and the CI runners run (config `network.deployerCidrs`). */
    readonly deployers: readonly string[];
    /** The primary VPC's app subnets: the EKS nodes and, with the VPC CNI, their pods (the AWS istiod). */
    readonly eksPods: readonly string[];
    /** The primary VPC's data subnets: Aurora, ElastiCache and MSK. */
    readonly awsDataStores: readonly string[];
    /** Who calls the EKS API from outside the cluster: the deployers and the GKE istiod (GKE pods). */
    readonly eksApiClients: readonly string[];
    /** Who calls the GKE API from the other side of the VPN: the deployers and the EKS pods (the AWS istiod). */
    readonly gkeApiClients: readonly string[];
    /**
     * Where DMS connects to Aurora from. With VPC-peering connectivity the Cloud SQL destination opens the
     * connection from its private IP, in the private services range:
     * https://cloud.google.com/database-migration/docs/postgres/configure-connectivity
     */
    readonly dmsSources: readonly string[];
}

/** `ranges` without those that another range of the list already covers (the first of equal ones is kept). */
export function withoutCovered(ranges: readonly string[]): string[] {
    const parsed = ranges.map(mustParseCidr);
    return ranges.filter((_, i) =>
        parsed.every((other, j) => j === i || !contains(other, parsed[i]) || (contains(parsed[i], other) && j > i)),
    );
}

/** What every layer is given: the validated config, the providers and the named decisions. */
export interface PlatformContext {
    readonly cfg: PlatformConfig;
    readonly providers: PlatformProviders;
    /** `platform-<environment>`: the prefix of names that must be unique per account or project. */
    readonly prefix: string;
    readonly topology: Topology;
    readonly ranges: PeerRanges;
    /**
     * Whether this run deploys the objects inside the clusters (the mesh layer). Off only for the
     * bootstrap `up`, which runs where neither private cluster API is reachable yet; the next `up`, from
     * the in-VPC runner that the bootstrap created, deploys them (README, "Bootstrap").
     */
    readonly inClusterLayers: boolean;
    /**
     * The one namespace where this stack runs the catalog's services, on both clusters: its own
     * environment's (`services-dev` in dev, `services-prod` in prod). The other `services-*` namespaces
     * are still created (cheap, and their URNs stay stable) with their default deny, but run nothing
     * (README, "Service catalog").
     */
    readonly serviceNamespace: string;
}

/** The topology of a stack: prod is HA and spans two AWS regions; protection follows its own flag. */
export function topologyFor(cfg: PlatformConfig): Topology {
    const prod = cfg.environment === "prod";
    const protect = cfg.protectStatefulResources;
    return {
        highAvailability: prod,
        secondRegion: prod,
        interfaceEndpoints: prod ? PROD_INTERFACE_ENDPOINTS : [],
        workloadCapacityType: prod ? "MIXED" : "SPOT",
        cacheNodeCount: prod ? 2 : 1,
        protect,
        recoveryWindowDays: recoveryWindowDays(protect),
    };
}

export function peerRanges(cfg: PlatformConfig): PeerRanges {
    const n = cfg.network;
    const primary = awsSubnetPlan(n.awsPrimaryVpcCidr, cfg.sizing.availabilityZoneCount);
    return {
        gcp: [n.gcpSubnetCidr, n.gcpDataSubnetCidr, n.gkePodsCidr, n.gkeServicesCidr, n.gcpPrivateServicesCidr],
        aws: [n.awsPrimaryVpcCidr, n.awsSecondaryVpcCidr],
        deployers: n.deployerCidrs,
        eksPods: primary.app,
        awsDataStores: primary.data,
        eksApiClients: withoutCovered([...n.deployerCidrs, n.gkePodsCidr]),
        gkeApiClients: withoutCovered([...n.deployerCidrs, ...primary.app]),
        dmsSources: [n.gcpPrivateServicesCidr],
    };
}

/** Builds the context; creates the providers, so call it after config validation succeeded. */
export function platformContext(cfg: PlatformConfig): PlatformContext {
    return {
        cfg,
        providers: createProviders(cfg),
        prefix: `platform-${cfg.environment}`,
        topology: topologyFor(cfg),
        ranges: peerRanges(cfg),
        inClusterLayers: cfg.deploy.inClusterLayers,
        serviceNamespace: serviceNamespace(cfg.environment),
    };
}
