/** GCP endpoints of the flows, resolved from the plan. */
import type { RecordedResource } from "../recorder";
import { gatewayExposure, gatewayRelease, gatewayService, namespacesOf } from "./endpoints-aws";
import { lastSegment, type PlanIndex } from "./plan-index";
import { ANYWHERE } from "./ranges";
import { UnresolvedEndpoint, type Endpoint, type GcpPlace, type PodPlace } from "./types";

/**
 * The network tag GKE gives every node of the cluster (`gke-<cluster>-<hash>-node`); its value is only
 * known once the cluster exists, so rules GKE makes with it, and ones the platform may target at it
 * through `nodePoolAutoConfig.networkTags`, are matched by this symbol.
 */
export const GKE_NODE_TAG = "gke-<cluster>-node";

/** Default node service account when the cluster names none: the Compute Engine default one. */
export const GCE_DEFAULT_SA = "<project-number>-compute@developer.gserviceaccount.com";

function gke(idx: PlanIndex): RecordedResource {
    const c = idx.gkeCluster();
    if (!c) throw new UnresolvedEndpoint("no gcp:container/cluster:Cluster in the plan");
    return c;
}

/** Node primary range and pod range of the cluster's subnetwork. */
export function gkeRanges(idx: PlanIndex, c: RecordedResource) {
    const subnet = idx.gcpByRef("gcp:compute/subnetwork:Subnetwork", c.inputs.subnetwork);
    if (!subnet) throw new UnresolvedEndpoint(`the subnetwork of ${c.name} is not in the plan`);
    const secondary: { rangeName: string; ipCidrRange: string }[] = subnet.inputs.secondaryIpRanges ?? [];
    const pods = secondary.find((s) => s.rangeName === c.inputs.ipAllocationPolicy?.clusterSecondaryRangeName);
    return { nodes: subnet.inputs.ipCidrRange as string, pods: pods?.ipCidrRange ?? "", subnet };
}

function nodePlace(c: RecordedResource): GcpPlace {
    const tags: string[] = c.inputs.nodePoolAutoConfig?.networkTags?.tags ?? [];
    const sa =
        c.inputs.clusterAutoscaling?.autoProvisioningDefaults?.serviceAccount ??
        c.inputs.nodeConfig?.serviceAccount ??
        GCE_DEFAULT_SA;
    return { network: lastSegment(c.inputs.network), tags: [GKE_NODE_TAG, ...tags], serviceAccount: sa };
}

/** The name of the GKE control-plane peering, or a stand-in when it is only known after creation. */
export function gkePeering(c: RecordedResource): string {
    return c.outputs.privateClusterConfig?.peeringName ?? `${c.name}:privateClusterConfig.peeringName`;
}

export function gkeEndpoint(idx: PlanIndex, kind: string, namespace: string | undefined, ref: string): Endpoint {
    const c = gke(idx);
    const { nodes, pods } = gkeRanges(idx, c);
    const pcc = c.inputs.privateClusterConfig;
    const master: string = pcc?.masterIpv4CidrBlock ?? "";
    const controlPlane: GcpPlace = {
        network: lastSegment(c.inputs.network),
        peering: gkePeering(c),
        peeringLabel: "the GKE control-plane peering",
        peeringOwner: c.urn,
    };
    switch (kind) {
        case "gke-api": {
            const privateEndpoint = pcc?.enablePrivateEndpoint === true;
            const man = c.inputs.masterAuthorizedNetworksConfig;
            return {
                ref,
                label: `GKE API of ${c.name}`,
                cloud: "gcp",
                // With the public endpoint on, `cluster.endpoint` (what the kubeconfigs use) is public.
                cidrs: privateEndpoint ? [master] : [ANYWHERE],
                public: !privateEndpoint,
                gcp: controlPlane,
                admission: {
                    resource: `${c.name} masterAuthorizedNetworksConfig`,
                    ports: [443],
                    portsDetail: "HTTPS",
                    authorizedNetworks: man ? (man.cidrBlocks ?? []).map((b: any) => b.cidrBlock) : undefined,
                    // The cluster's own nodes and pods reach its private endpoint whatever the list says.
                    alwaysAdmitted: privateEndpoint ? [nodes, pods] : [],
                },
                exposure: {
                    resource: c.name,
                    public: !privateEndpoint,
                    private: !!pcc,
                    detail: `privateClusterConfig.enablePrivateEndpoint: ${privateEndpoint}`,
                },
            };
        }
        case "gke-master":
            return {
                ref,
                label: `GKE control plane of ${c.name}`,
                cloud: "gcp",
                cidrs: [master],
                gcp: controlPlane,
                egressOutsidePlan: "the control plane's egress is Google's",
            };
        case "gke-nodes":
            return {
                ref,
                label: `GKE nodes (and istiod pods) of ${c.name}`,
                cloud: "gcp",
                cidrs: [nodes, pods],
                gcp: nodePlace(c),
                pods: [{ cluster: "gke", namespace: "istio-system", labels: { app: "istiod" } }],
                exposure: { resource: c.name, public: false, private: true, detail: "enablePrivateNodes" },
            };
        case "gke-pods": {
            const places: PodPlace[] = namespace
                ? namespacesOf(idx, "gke", namespace).map((ns) => ({ cluster: "gke", namespace: ns, labels: {} }))
                : [{ cluster: "gke", labels: {} }];
            return {
                ref,
                label: `GKE pods ${namespace ?? "(no namespace)"}`,
                cloud: "gcp",
                cidrs: [pods],
                gcp: nodePlace(c),
                pods: places,
            };
        }
    }
    throw new UnresolvedEndpoint(`unknown endpoint ${ref}`);
}

/** Ranges allocated to private services access on a network, and the peering they sit behind. */
function privateServices(idx: PlanIndex, network: string) {
    const ranges = idx
        .of("gcp:compute/globalAddress:GlobalAddress")
        .filter((a) => a.inputs.purpose === "VPC_PEERING" && lastSegment(a.inputs.network) === network)
        .map((a) => `${a.inputs.address}/${a.inputs.prefixLength}`);
    const conn = idx
        .of("gcp:servicenetworking/connection:Connection")
        .find((c) => lastSegment(c.inputs.network) === network);
    if (ranges.length === 0 || !conn) throw new UnresolvedEndpoint(`no private services access on ${network}`);
    const place: GcpPlace = {
        network,
        peering: conn.outputs.peering ?? "servicenetworking-googleapis-com",
        peeringLabel: "the private services peering",
        peeringOwner: conn.urn,
    };
    return { ranges, place };
}

export function gcpDataEndpoint(idx: PlanIndex, kind: string, ref: string): Endpoint {
    switch (kind) {
        case "cloudsql": {
            const sql = idx.of("gcp:sql/databaseInstance:DatabaseInstance")[0];
            if (!sql) throw new UnresolvedEndpoint("no Cloud SQL instance in the plan");
            const ip = sql.inputs.settings?.ipConfiguration ?? {};
            const { ranges, place } = privateServices(idx, lastSegment(ip.privateNetwork));
            const pub = ip.ipv4Enabled !== false;
            const authorized: string[] = (ip.authorizedNetworks ?? []).map((n: any) => n.value);
            return {
                ref,
                label: `Cloud SQL ${sql.name}`,
                cloud: "gcp",
                cidrs: ranges,
                gcp: place,
                admission: {
                    resource: sql.name,
                    ports: [String(sql.inputs.databaseVersion).startsWith("MYSQL") ? 3306 : 5432],
                    portsDetail: String(sql.inputs.databaseVersion),
                    // Authorized networks guard the public address only; private IP admits the network.
                },
                exposure: {
                    resource: sql.name,
                    public: pub && authorized.length > 0,
                    private: !!ip.privateNetwork,
                    detail: `ipConfiguration.ipv4Enabled: ${pub}${pub ? `, authorizedNetworks: ${authorized.join(", ") || "none"}` : ""}`,
                },
            };
        }
        case "memorystore": {
            const redis = idx.of("gcp:redis/instance:Instance")[0];
            if (!redis) throw new UnresolvedEndpoint("no Memorystore instance in the plan");
            const { ranges, place } = privateServices(idx, lastSegment(redis.inputs.authorizedNetwork));
            // With in-transit encryption Memorystore for Redis serves on 6378 only
            // (https://cloud.google.com/memorystore/docs/redis/about-in-transit-encryption).
            const tls = redis.inputs.transitEncryptionMode === "SERVER_AUTHENTICATION";
            return {
                ref,
                label: `Memorystore ${redis.name}`,
                cloud: "gcp",
                cidrs: ranges,
                gcp: place,
                admission: { resource: redis.name, ports: [tls ? 6378 : 6379], portsDetail: tls ? "TLS" : "plain" },
                exposure: { resource: redis.name, public: false, private: true, detail: "Memorystore is private" },
            };
        }
        case "dms": {
            const job = idx.of("gcp:databasemigrationservice/migrationJob:MigrationJob")[0];
            const network = job?.inputs.vpcPeeringConnectivity?.vpc;
            if (!network) throw new UnresolvedEndpoint("no DMS migration job with VPC peering connectivity");
            // A Cloud SQL destination pulls from the source itself, from its private IP in the
            // private services range (https://cloud.google.com/database-migration/docs/postgres/configure-connectivity-vpc-peering).
            const { ranges, place } = privateServices(idx, lastSegment(network));
            return {
                ref,
                label: `DMS job ${job.name}`,
                cloud: "gcp",
                cidrs: ranges,
                gcp: place,
                egressOutsidePlan: "the migration's egress is in Google's service producer network",
            };
        }
    }
    throw new UnresolvedEndpoint(`unknown endpoint ${ref}`);
}

/**
 * An Istio gateway on GKE: an internal passthrough load balancer with
 * `networking.gke.io/load-balancer-type: Internal`, its frontend in the cluster's subnet; otherwise an
 * external one. GKE creates the firewall rule admitting `loadBalancerSourceRanges` (default 0.0.0.0/0)
 * on the Service's ports to the nodes (https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer-parameters).
 */
export function gcpGatewayEndpoint(idx: PlanIndex, label: string, ref: string): Endpoint {
    const c = gke(idx);
    const release = gatewayRelease(idx, "gke", label);
    const svc = gatewayService(release);
    const kind =
        svc.annotations["networking.gke.io/load-balancer-type"] ??
        svc.annotations["cloud.google.com/load-balancer-type"];
    const internal = String(kind).toLowerCase() === "internal";
    return {
        ref,
        label: `${label} load balancer on GKE (${release.name})`,
        cloud: "gcp",
        gcp: nodePlace(c),
        pods: [{ cluster: "gke", namespace: svc.namespace, labels: svc.labels }],
        ...gatewayExposure(release, svc, internal, [gkeRanges(idx, c).nodes], "external"),
    };
}
