/**
 * The connectivity flows of the service catalog, per entry, derived from the catalog alone: a new entry
 * gets its flows with no change here. Each service's pods must reach exactly what it uses (its store, the
 * cache, Kafka, its AWS APIs, its callees) and nothing it does not (another service's store, a service it
 * does not call). Pure: the plan (tools/plan.ts) and the tests evaluate them over the offline plan.
 */
import type { ServiceCatalog, ServiceEntry } from "../components/catalog";
import type { ConnectivityFlow } from "./connectivity";
import { HTTPS_PORT, serviceNeeds, STORE_PORTS } from "./service-needs";

/** What the `rds:` flows wait for: the dedicated RDS instance is being added on another branch. */
export const RDS_PENDING = "data store branch";

type Cluster = "eks" | "gke";

const pods = (cluster: Cluster, namespace: string, service: string) => `${cluster}-pods:${namespace}/${service}`;

function flow(
    id: string,
    source: string,
    destination: string,
    port: number,
    expect: "allow" | "deny",
    why: string,
    pending?: string,
): ConnectivityFlow {
    return { id, source, destination, ports: [port], expect, why, ...(pending ? { pending } : {}) };
}

/** The primary side (EKS): every path the entry uses, then the stores and services it must not reach. */
function primaryFlows(entry: ServiceEntry, catalog: ServiceCatalog, namespace: string): ConnectivityFlow[] {
    const n = entry.name;
    const me = pods("eks", namespace, n);
    const needs = serviceNeeds(entry);
    const others = catalog.services.filter((s) => s.name !== n);
    const out: ConnectivityFlow[] = [];
    const allow = (id: string, to: string, port: number, why: string, pending?: string) =>
        out.push(flow(`svc-${n}-${id}`, me, to, port, "allow", why, pending));
    const deny = (id: string, to: string, port: number, why: string, pending?: string) =>
        out.push(flow(`svc-${n}-${id}`, me, to, port, "deny", why, pending));

    if (needs.aurora) allow("to-aurora", "aurora-writer", STORE_PORTS.aurora, `${n} uses its Aurora database`);
    if (needs.rdsPort !== undefined)
        allow("to-rds", `rds:${n}`, needs.rdsPort, `${n} uses its own RDS instance`, RDS_PENDING);
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
    for (const o of others) {
        const port = serviceNeeds(o).rdsPort;
        if (port !== undefined)
            deny(`no-rds-${o.name}`, `rds:${o.name}`, port, `only ${o.name} reaches its RDS instance`, RDS_PENDING);
    }
    for (const o of others.filter((s) => !entry.calls.includes(s.name)))
        deny(`not-${o.name}`, pods("eks", namespace, o.name), o.ports.http, `${n} does not call ${o.name}`);
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
    for (const o of catalog.services.filter((s) => s.name !== n)) {
        const calls = entry.calls.includes(o.name);
        add(
            `${calls ? "calls" : "not"}-${o.name}`,
            pods("gke", namespace, o.name),
            o.ports.http,
            calls ? "allow" : "deny",
            calls ? `${n} calls ${o.name} on GKE` : `${n} does not call ${o.name}`,
        );
    }
    return out;
}

/** Every flow of every entry, both sides, in catalog order. Ids are `svc-<service>-...`, stable and unique. */
export function serviceFlows(catalog: ServiceCatalog, namespace: string): ConnectivityFlow[] {
    return catalog.services.flatMap((e) => [...primaryFlows(e, catalog, namespace), ...drFlows(e, catalog, namespace)]);
}
