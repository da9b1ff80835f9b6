/**
 * The egress of one catalog service's NetworkPolicy, as data: exactly its stores, on their ports, and the
 * cloud APIs it calls. Pure; `workloads.ts` hands it to the ServiceWorkload as `dataStores`.
 */
import type { ServiceEntry } from "../components/catalog";
import type { DataStoreEgress } from "../components/kubernetes";
import { contains, formatCidr, mustParseCidr, overlaps, type Cidr } from "../components/shared";
import { HTTPS_PORT, serviceNeeds, STORE_PORTS } from "./service-needs";

/** Where the stores and APIs of a stack are, from the context's named ranges and topology. */
export interface ServiceEgressRanges {
    /** The primary VPC's data subnets: Aurora, ElastiCache, MSK and the dedicated RDS instances. */
    readonly awsDataStores: readonly string[];
    /** The GCP private services range: Cloud SQL and Memorystore take their private IPs from it. */
    readonly gcpPrivateServices: readonly string[];
    /** AWS APIs with an interface endpoint (private DNS) in the primary VPC. */
    readonly interfaceEndpoints: readonly string[];
    /** The subnets those interface endpoints sit in (the primary VPC's app subnets). */
    readonly interfaceEndpointCidrs: readonly string[];
}

/**
 * Addresses that are never a public API: "this network", RFC 1918, shared address space (100.64/10),
 * loopback, link-local (169.254/16: the instance metadata services, which pods must not reach for node
 * credentials) and multicast and reserved (224/3).
 */
export const NON_PUBLIC_IPV4 = [
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "224.0.0.0/3",
] as const;

function complement(block: Cidr, excluded: readonly Cidr[]): Cidr[] {
    if (excluded.some((e) => contains(e, block))) return [];
    if (!excluded.some((e) => overlaps(e, block))) return [block];
    const prefix = block.prefix + 1;
    const half = 2 ** (32 - prefix);
    return [
        ...complement({ base: block.base, prefix }, excluded),
        ...complement({ base: block.base + half, prefix }, excluded),
    ];
}

let publicBlocks: readonly string[] | undefined;

/**
 * Every public IPv4 address, as the fewest CIDR blocks: 0.0.0.0/0 without {@link NON_PUBLIC_IPV4}. AWS and
 * Google API addresses are not fixed (they change with the published ranges), so a policy cannot list
 * them; this admits any public address and no private one. The blocks stand for an ipBlock of 0.0.0.0/0
 * with every non-public range in `except`, which `DataStoreEgress` (cidrs only, never /0) cannot express.
 */
export function publicIpv4Blocks(): string[] {
    // The same blocks every time; worked out once (it was per service and side), a fresh array per caller.
    publicBlocks ??= complement({ base: 0, prefix: 0 }, NON_PUBLIC_IPV4.map(mustParseCidr)).map(formatCidr);
    return [...publicBlocks];
}

/** The EKS side: the service's stores in the data subnets, then its AWS APIs on 443. */
function primaryEgress(entry: ServiceEntry, r: ServiceEgressRanges): DataStoreEgress[] {
    const needs = serviceNeeds(entry);
    const data = (store: string, port: number): DataStoreEgress => ({ store, cidrs: r.awsDataStores, ports: [port] });
    const out: DataStoreEgress[] = [];
    if (needs.aurora) out.push(data("aurora", STORE_PORTS.aurora));
    if (needs.rdsPort !== undefined) out.push(data(`rds-${entry.name}`, needs.rdsPort));
    if (needs.cache) out.push(data("elasticache", STORE_PORTS.elasticache));
    if (needs.kafka) out.push(data("msk", STORE_PORTS.msk));
    // With private DNS an API with an interface endpoint resolves to the endpoint's addresses; any other
    // resolves to public addresses, reached through the NAT (or the DynamoDB gateway endpoint's route).
    const viaEndpoint = needs.awsApis.filter((a) => r.interfaceEndpoints.includes(a));
    if (viaEndpoint.length > 0)
        out.push({
            store: `aws-apis (${viaEndpoint.join(", ")})`,
            cidrs: r.interfaceEndpointCidrs,
            ports: [HTTPS_PORT],
        });
    const publicApis = needs.awsApis.filter((a) => !r.interfaceEndpoints.includes(a));
    if (publicApis.length > 0)
        out.push({ store: `aws-apis (${publicApis.join(", ")})`, cidrs: publicIpv4Blocks(), ports: [HTTPS_PORT] });
    return out;
}

/**
 * The GKE side: Cloud SQL and Memorystore in the private services range, and Google APIs on 443. The
 * network enables Private Google Access but maps no DNS to private.googleapis.com, so the APIs answer at
 * their default, public addresses (https://cloud.google.com/vpc/docs/configure-private-google-access).
 */
function drEgress(entry: ServiceEntry, r: ServiceEgressRanges): DataStoreEgress[] {
    const needs = serviceNeeds(entry);
    const out: DataStoreEgress[] = [];
    if (needs.aurora) out.push({ store: "cloudsql", cidrs: r.gcpPrivateServices, ports: [STORE_PORTS.cloudsql] });
    if (needs.cache) out.push({ store: "memorystore", cidrs: r.gcpPrivateServices, ports: [STORE_PORTS.memorystore] });
    out.push({ store: "google-apis", cidrs: publicIpv4Blocks(), ports: [HTTPS_PORT] });
    out.push(...GKE_METADATA_SERVER);
    return out;
}

/**
 * Workload Identity: a pod's Google token comes from the GKE metadata server on its node. Pods dial
 * 169.254.169.254:80, which the node redirects to the metadata server at 169.254.169.252:988, and GKE's
 * Workload Identity docs ask NetworkPolicies to admit the address a policy sees (which of the two depends on
 * the GKE version and dataplane), so both, and nothing else of the link-local range. Only on GKE: on EKS
 * the same address is the EC2 instance metadata service, whose node credentials pods must never reach.
 */
export const GKE_METADATA_SERVER: readonly DataStoreEgress[] = [
    { store: "gke-metadata-server", cidrs: ["169.254.169.254/32"], ports: [80] },
    { store: "gke-metadata-server (redirected)", cidrs: ["169.254.169.252/32"], ports: [988] },
];

/** The service's egress beyond its callees, on the primary (EKS) or DR (GKE) side. */
export function serviceEgress(entry: ServiceEntry, side: "primary" | "dr", r: ServiceEgressRanges): DataStoreEgress[] {
    return side === "primary" ? primaryEgress(entry, r) : drEgress(entry, r);
}
