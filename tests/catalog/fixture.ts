/** The repository's catalog documents, cloned so each test can change them, and the validator's answer. */
import { catalogDocuments } from "../../catalog/load";
import { validateCatalog, type CatalogDocuments } from "../../catalog/validate";

/** A raw entry, as a test edits it. */
export type RawEntry = Record<string, any>;

export interface EditableDocs {
    services: { services: RawEntry[] };
    overrides?: { services: Record<string, RawEntry> };
}

export function repositoryDocs(stack = "prod"): EditableDocs {
    const docs = catalogDocuments(stack);
    if ("problems" in docs) throw new Error(docs.problems.join("\n"));
    return structuredClone(docs) as EditableDocs;
}

export function entryOf(docs: EditableDocs, name: string): RawEntry {
    const e = docs.services.services.find((s) => s.name === name);
    if (!e) throw new Error(`no entry ${name}`);
    return e;
}

/** The problems after `edit` changed the prod documents; [] when they validate. */
export function problemsAfter(edit: (docs: EditableDocs) => void, stack = "prod"): string[] {
    const docs = repositoryDocs(stack);
    edit(docs);
    const result = validateCatalog(docs as CatalogDocuments, stack);
    return result.ok ? [] : result.problems;
}

/**
 * A fifth service: calls order, hears OrderPlaced and PaymentProcessed over SNS and ShipmentRequested
 * over EventBridge (which {@link withShipping} has order publish).
 */
export function shippingEntry(): RawEntry {
    return {
        name: "shipping",
        team: "logistics",
        image: "111111111111.dkr.ecr.us-east-1.amazonaws.com/shipping-service:0.3.0",
        ports: { http: 8080 },
        health: { liveness: "/healthz", readiness: "/readyz", startup: "/startupz" },
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
        scaling: { minReplicas: 2, maxReplicas: 4, targetCpuUtilizationPercent: 70 },
        routes: ["/shipments"],
        calls: ["order"],
        store: { kind: "dynamodb-table" },
        publishes: { events: ["ShipmentDispatched"] },
        subscribes: {
            sns: [
                { topic: "order-events", filter: { event_type: ["OrderPlaced"] } },
                { topic: "payment-events", filter: { event_type: ["PaymentProcessed"] } },
            ],
            events: ["ShipmentRequested"],
        },
        dr: { posture: "cold" },
        slo: { availabilityPercent: 99.5, latencyP99Ms: 800 },
    };
}

/** The repository's documents with the shipping entry added, and order publishing ShipmentRequested. */
export function withShipping(stack = "prod"): EditableDocs {
    const docs = repositoryDocs(stack);
    docs.services.services.push(shippingEntry());
    entryOf(docs, "order").publishes.events.push("ShipmentRequested");
    return docs;
}

/**
 * The repository's documents without `service`: its entry, its overrides, and its name in every other
 * entry's `calls` (its callers must let go of it first, or the validator names them).
 */
export function withoutService(service: string, stack = "dev"): EditableDocs {
    const docs = repositoryDocs(stack);
    docs.services.services = docs.services.services.filter((s) => s.name !== service);
    if (docs.overrides) delete docs.overrides.services[service];
    for (const e of docs.services.services) e.calls = (e.calls ?? []).filter((c: string) => c !== service);
    return docs;
}
