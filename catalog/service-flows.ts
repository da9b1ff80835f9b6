/**
 * The connectivity flows of the service catalog, per entry, derived from the catalog alone: a new entry
 * gets its flows with no change here. Each service's pods must reach exactly what it uses (its store, the
 * cache, Kafka, its AWS APIs, its callees) and nothing it does not (another service's store, a service it
 * does not call). Pure: the plan (tools/plan.ts) and the tests evaluate them over the offline plan.
 */
import type { ServiceCatalog, ServiceEntry } from "../components/catalog";
import type { ConnectivityFlow } from "./connectivity";
import { HTTPS_PORT, serviceNeeds, STORE_PORTS } from "./service-needs";

/**
 * The `deny` flows between services sample instead of enumerating: each service's pods and its RDS
 * instance are probed by one service that must not reach them, the first such in catalog order. What
 * refuses them (the target's AuthorizationPolicy, the instance's security group and the prober's
 * NetworkPolicy) is built the same way for every peer, so one refused peer proves each target's rule, and
 * the flows grow with the catalog instead of with its square (200 services would be 80,000 pairs).
 */
function firstOutsider(catalog: ServiceCatalog, target: ServiceEntry): ServiceEntry | undefined {
    return catalog.services.find((s) => s.name !== target.name && !s.calls.includes(target.name));
}

type Cluster = "eks" | "gke";

const pods = (cluster: Cluster, namespace: string, service: string) => `${cluster}-pods:${namespace}/${service}`;

function flow(
    id: string,
    source: string,
    destination: string,
    port: number,
    expect: "allow" | "deny",
    why: string,
): ConnectivityFlow {
    return { id, source, destination, ports: [port], expect, why };
}

/** The primary side (EKS): every path the entry uses, then the stores and services it must not reach. */
function primaryFlows(entry: ServiceEntry, catalog: ServiceCatalog, namespace: string): ConnectivityFlow[] {
    const n = entry.name;
    const me = pods("eks", namespace, n);
    const needs = serviceNeeds(entry);
    const out: ConnectivityFlow[] = [];
    const allow = (id: string, to: string, port: number, why: string) =>
        out.push(flow(`svc-${n}-${id}`, me, to, port, "allow", why));
    const deny = (id: string, to: string, port: number, why: string) =>
        out.push(flow(`svc-${n}-${id}`, me, to, port, "deny", why));

    if (needs.aurora) allow("to-aurora", "aurora-writer", STORE_PORTS.aurora, `${n} uses its Aurora database`);
    if (needs.rdsPort !== undefined) allow("to-rds", `rds:${n}`, needs.rdsPort, `${n} uses its own RDS instance`);
    if (needs.cache) allow("to-elasticache", "elasticache", STORE_PORTS.elasticache, `${n} keeps its cache slice`);
    if (needs.kafka) allow("to-msk", "msk", STORE_PORTS.msk, `${n} produces or consumes Kafka topics (SASL/IAM)`);
    for (const api of needs.awsApis) allow(`to-${api}`, `aws-api:${api}`, HTTPS_PORT, `${n} calls AWS ${api}`);
    for (const callee of entry.calls) {
        const port = catalog.services.find((s) => s.name === callee)?.ports.http;
        if (port !== undefined) allow(`calls-${callee}`, pods("eks", namespace, callee), port, `${n} calls ${callee}`);
    }

    if (!needs.aurora)
        deny("no-aurora", "aurora-writer", STORE_PORTS.aurora, `${n} has no Aurora database; its pods reach none`);
    if (!needs.cache)
        deny("no-elasticache", "elasticache", STORE_PORTS.elasticache, `${n} uses no cache; its pods reach none`);
    if (!needs.kafka) deny("no-msk", "msk", STORE_PORTS.msk, `${n} uses no Kafka; its pods reach no broker`);
    // Probes into this service (see firstOutsider): written as the outsider's flows.
    const outsider = firstOutsider(catalog, entry);
    if (outsider) {
        const o = outsider.name;
        const from = pods("eks", namespace, o);
        out.push(flow(`svc-${o}-not-${n}`, from, me, entry.ports.http, "deny", `${o} does not call ${n}`));
        if (needs.rdsPort !== undefined)
            out.push(
                flow(
                    `svc-${o}-no-rds-${n}`,
                    from,
                    `rds:${n}`,
                    needs.rdsPort,
                    "deny",
                    `only ${n} reaches its RDS instance`,
                ),
            );
    }
    return out;
}

/** The DR side (GKE): Cloud SQL for an Aurora database, Memorystore for the cache, Google APIs, callees. */
function drFlows(entry: ServiceEntry, catalog: ServiceCatalog, namespace: string): ConnectivityFlow[] {
    const n = entry.name;
    const me = pods("gke", namespace, n);
    const needs = serviceNeeds(entry);
    const out: ConnectivityFlow[] = [];
    const add = (id: string, to: string, port: number, expect: "allow" | "deny", why: string) =>
        out.push(flow(`svc-${n}-dr-${id}`, me, to, port, expect, why));

    if (needs.aurora)
        add("to-cloudsql", "cloudsql", STORE_PORTS.cloudsql, "allow", `after failover ${n} uses Cloud SQL`);
    else add("no-cloudsql", "cloudsql", STORE_PORTS.cloudsql, "deny", `${n} has no database on Cloud SQL`);
    if (needs.cache)
        add(
            "to-memorystore",
            "memorystore",
            STORE_PORTS.memorystore,
            "allow",
            `after failover ${n} caches in Memorystore`,
        );
    else add("no-memorystore", "memorystore", STORE_PORTS.memorystore, "deny", `${n} uses no cache`);
    add("to-google-apis", "google-apis", HTTPS_PORT, "allow", `after failover ${n} calls Google APIs`);
    for (const callee of catalog.services.filter((s) => entry.calls.includes(s.name)))
        add(
            `calls-${callee.name}`,
            pods("gke", namespace, callee.name),
            callee.ports.http,
            "allow",
            `${n} calls ${callee.name} on GKE`,
        );
    const outsider = firstOutsider(catalog, entry);
    if (outsider) {
        const o = outsider.name;
        out.push(
            flow(
                `svc-${o}-dr-not-${n}`,
                pods("gke", namespace, o),
                me,
                entry.ports.http,
                "deny",
                `${o} does not call ${n}`,
            ),
        );
    }
    return out;
}

/** Every flow of every entry, both sides, in catalog order. Ids are `svc-<service>-...`, stable and unique. */
export function serviceFlows(catalog: ServiceCatalog, namespace: string): ConnectivityFlow[] {
    return catalog.services.flatMap((e) => [...primaryFlows(e, catalog, namespace), ...drFlows(e, catalog, namespace)]);
}
