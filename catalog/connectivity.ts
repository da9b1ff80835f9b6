/**
 * The network paths the platform needs, and the ones it must never open, as data. `npm run plan`
 * evaluates every flow over the offline plan hop by hop (harness/connectivity) and fails on a blocked
 * `allow` flow or an open `deny` flow. The service catalog's flows, per service (catalog/service-flows.ts),
 * are appended through {@link connectivityFlows}.
 *
 * Endpoints are symbolic; the engine resolves them from the plan:
 * - `deployer`: where `pulumi up` runs; its ranges are `network.deployerCidrs` in the stack config.
 * - `internet`: any public address.
 * - `eks-api`, `gke-api`: the address each cluster's kubeconfig dials.
 * - `eks-control-plane`, `gke-master`: the API servers as callers (webhooks).
 * - `eks-nodes`, `gke-nodes`: the nodes (and, on GKE, the pod range behind them) as webhook targets.
 * - `eks-pods[:<namespace>]`, `gke-pods[:<namespace>]`: pods, subject to that namespace's
 *   NetworkPolicies; a trailing `*` matches every namespace with that prefix, and no namespace means a
 *   pod that no NetworkPolicy selects (the widest a `deny` flow must hold against).
 * - `eks-pods:<namespace>/<app>`, `gke-pods:<namespace>/<app>`: the pods of one service (labels
 *   `{ app }`, the ServiceAccount of its Deployment as mesh identity), as source or destination; as a
 *   destination they are also judged by the Istio AuthorizationPolicies at their sidecars.
 * - `aurora-writer`, `elasticache`, `msk`, `cloudsql`, `memorystore`: the data stores.
 * - `rds:<service>`: the service's own RDS instance (identifier `platform-<env>-<service>`).
 * - `aws-api:<service>` (sts, sqs, sns, events, secretsmanager, dynamodb, ...): an AWS API, through its
 *   interface endpoint when the pods' VPC has one with private DNS, else at its public addresses (through a
 *   gateway endpoint for S3 and DynamoDB, else the NAT gateway).
 * - `dms`: the Database Migration Service's workers (the private services range on GCP).
 * - `msk-connect`: the MSK Connect workers; `google-apis`: Google's public APIs.
 * - `eastwest-gateway@aws|gcp`, `ingress-gateway@aws|gcp`: the Istio gateways' load balancers.
 */

/** A symbolic endpoint: a kind, optionally `:<namespace>` for pods. */
export type EndpointRef = string;

export interface ConnectivityFlow {
    /** Stable kebab-case id; tests and the plan JSON refer to it. */
    readonly id: string;
    readonly source: EndpointRef;
    readonly destination: EndpointRef;
    /** Destination ports; each must pass (or, for `deny`, each must be blocked). */
    readonly ports: readonly number[];
    /** @default "tcp" */
    readonly protocol?: "tcp" | "udp";
    /** `allow`: the platform needs this path. `deny`: it must never exist. */
    readonly expect: "allow" | "deny";
    /** Why the platform needs (or must refuse) the path. */
    readonly why: string;
    /**
     * The fix this flow waits for (`issue 12: ...`). A pending flow that fails its expectation is
     * reported, not fatal; one that passes is reported so the mark is removed.
     */
    readonly pending?: string;
}

const SERVICE_PODS = "services-*";

/** The flows of issue 12. */
export const PLATFORM_FLOWS: readonly ConnectivityFlow[] = [
    {
        id: "deployer-to-eks-api",
        source: "deployer",
        destination: "eks-api",
        ports: [443],
        expect: "allow",
        why: "pulumi up and the in-cluster layer's Kubernetes provider call the private EKS API",
    },
    {
        id: "deployer-to-gke-api",
        source: "deployer",
        destination: "gke-api",
        ports: [443],
        expect: "allow",
        why: "pulumi up and the GKE Kubernetes provider call the GKE API",
    },
    {
        id: "gke-istiod-to-eks-api",
        source: "gke-pods:istio-system",
        destination: "eks-api",
        ports: [443],
        expect: "allow",
        why: "the GKE istiod watches EKS endpoints through its remote secret",
    },
    {
        id: "eks-istiod-to-gke-api",
        source: "eks-pods:istio-system",
        destination: "gke-api",
        ports: [443],
        expect: "allow",
        why: "the EKS istiod watches GKE endpoints through its remote secret",
    },
    {
        id: "eks-control-plane-to-istiod",
        source: "eks-control-plane",
        destination: "eks-nodes",
        ports: [15017, 15012],
        expect: "allow",
        why: "the API server calls istiod's injection and validation webhooks; istiod serves xDS",
    },
    {
        id: "gke-master-to-istiod-webhook",
        source: "gke-master",
        destination: "gke-nodes",
        ports: [15017],
        expect: "allow",
        why: "the GKE control plane calls istiod's webhooks (Google's private-cluster mesh docs)",
    },
    {
        id: "eks-pods-to-gcp-eastwest",
        source: `eks-pods:${SERVICE_PODS}`,
        destination: "eastwest-gateway@gcp",
        ports: [15443],
        expect: "allow",
        why: "cross-network mesh traffic from AWS to GCP services",
    },
    {
        id: "gke-pods-to-aws-eastwest",
        source: `gke-pods:${SERVICE_PODS}`,
        destination: "eastwest-gateway@aws",
        ports: [15443],
        expect: "allow",
        why: "cross-network mesh traffic from GCP to AWS services",
    },
    {
        id: "dms-to-aurora",
        source: "dms",
        destination: "aurora-writer",
        ports: [5432],
        expect: "allow",
        why: "the DR migration job replicates Aurora into Cloud SQL",
    },
    {
        id: "msk-connect-to-msk",
        source: "msk-connect",
        destination: "msk",
        ports: [9098],
        expect: "allow",
        why: "the Pub/Sub bridge consumes the bridged topics",
    },
    {
        id: "msk-connect-to-google-apis",
        source: "msk-connect",
        destination: "google-apis",
        ports: [443],
        expect: "allow",
        why: "the Pub/Sub sink connector publishes to Pub/Sub and exchanges its credentials with Google STS",
    },
    // Each catalog service's own NetworkPolicy opens its stores (catalog/service-flows.ts proves each one);
    // a pod of no catalog service, in any service namespace, reaches none of them.
    ...(
        [
            ["eks", "aurora", "aurora-writer", 5432],
            ["eks", "elasticache", "elasticache", 6379],
            ["eks", "msk", "msk", 9098],
            ["gke", "cloudsql", "cloudsql", 5432],
            ["gke", "memorystore", "memorystore", 6378],
        ] as const
    ).map(([cluster, name, store, port]): ConnectivityFlow => ({
        id: `${cluster}-unlisted-pods-to-${name}`,
        source: `${cluster}-pods:${SERVICE_PODS}`,
        destination: store,
        ports: [port],
        expect: "deny",
        why: "the service namespaces open no data store; only a service's own policy opens its own",
    })),
    ...(
        [
            ["aurora-writer", [5432]],
            ["elasticache", [6379]],
            // Inside AWS and, with public access, the public listeners.
            ["msk", [9094, 9098, 9194, 9198]],
            ["cloudsql", [5432]],
            ["memorystore", [6378, 6379]],
        ] as const
    ).map(([store, ports]): ConnectivityFlow => ({
        id: `internet-to-${store}`,
        source: "internet",
        destination: store,
        ports,
        expect: "deny",
        why: "no data store faces the internet",
    })),
    {
        id: "internet-to-eks-api",
        source: "internet",
        destination: "eks-api",
        ports: [443],
        expect: "deny",
        why: "the cluster APIs are private",
    },
    {
        id: "internet-to-gke-api",
        source: "internet",
        destination: "gke-api",
        ports: [443],
        expect: "deny",
        why: "the cluster APIs are private",
    },
    ...(["aws", "gcp"] as const).map((cloud): ConnectivityFlow => ({
        id: `internet-to-ingress-gateway-${cloud}`,
        source: "internet",
        destination: `ingress-gateway@${cloud}`,
        ports: [80, 443],
        expect: "deny",
        why: "nothing faces the internet until the edge (API gateway, DNS failover) exists",
    })),
    {
        id: "gke-pods-to-aurora",
        source: "gke-pods",
        destination: "aurora-writer",
        ports: [5432],
        expect: "deny",
        why: "only the DMS range reaches Aurora from GCP",
    },
];

/**
 * Every flow the plan checks: the platform's, then any a caller appends (issue 13's service catalog
 * adds its services' flows here). Ids must be unique.
 */
export function connectivityFlows(extra: readonly ConnectivityFlow[] = []): readonly ConnectivityFlow[] {
    const all = [...PLATFORM_FLOWS, ...extra];
    const seen = new Set<string>();
    for (const f of all) {
        if (seen.has(f.id)) throw new Error(`connectivity flow id ${f.id} is used twice`);
        seen.add(f.id);
    }
    return all;
}
