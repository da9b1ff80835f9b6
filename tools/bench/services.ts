/**
 * Synthetic catalog entries for the benchmark: the repository's catalog plus generated services, each
 * a whole entry like today's average one (a data store, the cache for some, an SNS subscription, an
 * EventBridge event, a callee, a route), passed to `main` as catalog documents. The program cannot tell
 * them from real entries: they get every piece an entry gets (identity, data, messaging, workloads, flows).
 */
import { catalogDocuments } from "../../catalog/load";
import type { PlatformOptions } from "../../program/main";

/** Store kinds in rotation: the shared Aurora cluster is the common case, a table the next, some have none. */
const STORES = [{ kind: "aurora-database" }, { kind: "dynamodb-table" }, { kind: "aurora-database" }, undefined];

/** bench-001 -> Bench001: event names are letters and digits. */
const pascal = (service: string) => service.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());

function generatedEntry(name: string, index: number, previous: string): Record<string, unknown> {
    const store = STORES[index % STORES.length];
    return {
        name,
        team: "bench",
        image: `111111111111.dkr.ecr.us-east-1.amazonaws.com/${name}:1.0.${index}`,
        ports: { http: 8080 },
        health: { liveness: "/healthz", readiness: "/readyz", startup: "/startupz" },
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
        scaling: { minReplicas: 2, maxReplicas: 4, targetCpuUtilizationPercent: 70 },
        routes: [`/${name}`],
        calls: [previous],
        ...(store ? { store } : {}),
        ...(index % 2 === 0 ? { cache: { keyPrefix: `${name}:` } } : {}),
        publishes: { events: [`${pascal(name)}Happened`] },
        subscribes: { sns: [{ topic: "order-events", filter: { event_type: ["OrderPlaced"] } }] },
        dr: index % 3 === 0 ? { posture: "warm", replicas: 1 } : { posture: "cold" },
        slo: { availabilityPercent: 99.5, latencyP99Ms: 500 },
    };
}

/** The repository's catalog (`stack`'s overrides included) grown to `services` entries. */
export function platformOptions(services: number, stack: string): PlatformOptions {
    const docs = catalogDocuments(stack);
    if ("problems" in docs) throw new Error(docs.problems.join("\n"));
    const base = structuredClone(docs.services) as { services: { name: string }[] };
    const today = base.services.length;
    if (services < today) throw new Error(`--services must be at least ${today} (the catalog's entries)`);
    const names = Array.from({ length: services - today }, (_, i) => `bench-${String(i + 1).padStart(3, "0")}`);
    names.forEach((name, i) => base.services.push(generatedEntry(name, i, i === 0 ? "user" : names[i - 1]) as never));
    return { catalog: { services: base, overrides: docs.overrides } };
}
