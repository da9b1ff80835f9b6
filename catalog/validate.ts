/**
 * Pure validation of the service catalog and a stack's overrides into a typed {@link ServiceCatalog}.
 * Every rule runs (`catalog/rules/*`): an operator fixes the files in one pass. Each message names the
 * file, the key path, the value received, what is allowed and how to fix it.
 */
import {
    cpuMillicores,
    memoryMiB,
    SERVICE_NAME,
    type ComputeAmount,
    type ServiceCatalog,
    type ServiceEntry,
} from "../components/catalog";
import { graphProblems } from "./rules/graph";
import { entryRules } from "./rules/entry";
import { catalogProblem, isObject, siteProblems, unknownKeyRules, type Site } from "./rules/format";
import { applyOverrides } from "./rules/overrides";

/** The catalog file, relative to the repository root (messages name it). */
export const CATALOG_FILE = "catalog/services.yaml";

/** A stack's overrides file, relative to the repository root. */
export function overridesFile(stack: string): string {
    return `catalog/overrides/${stack}.yaml`;
}

/** The parsed documents: `services.yaml`, and the stack's overrides when it has any. */
export interface CatalogDocuments {
    readonly services: unknown;
    readonly overrides?: unknown;
}

export type CatalogResult = { ok: true; catalog: ServiceCatalog } | { ok: false; problems: string[] };

function rootProblems(doc: unknown): string[] {
    if (isObject(doc) && Array.isArray(doc.services) && doc.services.length > 0)
        return siteProblems({ file: CATALOG_FILE, path: "", value: doc }, unknownKeyRules("", doc, ["services"]));
    return [
        catalogProblem(
            CATALOG_FILE,
            "services",
            {
                what: "must be a non-empty list of service entries",
                allowed: "services: [ { name: ..., ... } ]",
                fix: "list the services under 'services:' (README, \"Service catalog\")",
            },
            isObject(doc) ? doc.services : doc,
        ),
    ];
}

const amount = (v: Record<string, unknown>): ComputeAmount => ({
    cpu: String(v.cpu),
    memory: String(v.memory),
    cpuMillicores: cpuMillicores(v.cpu)!,
    memoryMiB: memoryMiB(v.memory)!,
});

/** The typed entry of raw data whose every rule passed. */
function typedEntry(v: Record<string, unknown>): ServiceEntry {
    const r = v as Record<string, Record<string, unknown>>;
    const pub = r.publishes ?? {};
    const sub = r.subscribes ?? {};
    const subSns = (sub.sns ?? []) as { topic: string; filter: { event_type: string[] } }[];
    return {
        name: v.name as string,
        team: v.team as string,
        image: v.image as string,
        ports: { ...(v.ports as ServiceEntry["ports"]) },
        health: { ...(v.health as ServiceEntry["health"]) },
        resources: {
            requests: amount(r.resources.requests as Record<string, unknown>),
            limits: amount(r.resources.limits as Record<string, unknown>),
        },
        scaling: { ...(v.scaling as unknown as ServiceEntry["scaling"]) },
        canaryWeightPercent: (v.canaryWeightPercent as number | undefined) ?? 0,
        ...(v.canaryImage !== undefined ? { canaryImage: v.canaryImage as string } : {}),
        routes: [...((v.routes as string[] | undefined) ?? [])],
        calls: [...((v.calls as string[] | undefined) ?? [])],
        ...(v.store ? { store: { ...(v.store as unknown as NonNullable<ServiceEntry["store"]>) } } : {}),
        ...(v.cache ? { cache: { keyPrefix: r.cache.keyPrefix as string } } : {}),
        publishes: {
            sns: ((pub.sns ?? []) as ServiceEntry["publishes"]["sns"]).map((p) => ({
                topic: p.topic,
                eventTypes: [...p.eventTypes],
            })),
            events: [...((pub.events ?? []) as string[])],
            kafka: ((pub.kafka ?? []) as ServiceEntry["publishes"]["kafka"]).map((k) => ({ ...k })),
        },
        subscribes: {
            sns: subSns.map((s) => ({ topic: s.topic, eventTypes: [...s.filter.event_type] })),
            events: [...((sub.events ?? []) as string[])],
            kafka: [...((sub.kafka ?? []) as string[])],
        },
        dr:
            r.dr.posture === "warm"
                ? { posture: "warm", replicas: r.dr.replicas as number }
                : { posture: "cold", replicas: 0 },
        slo: { availabilityPercent: r.slo.availabilityPercent as number, latencyP99Ms: r.slo.latencyP99Ms as number },
    };
}

/** Validates the catalog for `stack` (whose overrides file names the problems found in it). */
export function validateCatalog(docs: CatalogDocuments, stack: string): CatalogResult {
    const root = rootProblems(docs.services);
    if (root.length > 0 && !(isObject(docs.services) && Array.isArray(docs.services.services)))
        return { ok: false, problems: root };
    const raw = (docs.services as { services: unknown[] }).services;
    const problems = [...root];
    const named: { site: Site; name: string }[] = [];
    raw.forEach((value, i) => {
        const path = `services[${i}]`;
        if (!isObject(value)) {
            problems.push(
                catalogProblem(
                    CATALOG_FILE,
                    path,
                    {
                        what: "must be a service entry",
                        allowed: "an object with name, team, image, ...",
                        fix: "write the entry as a YAML mapping",
                    },
                    value,
                ),
            );
            return;
        }
        const site = { file: CATALOG_FILE, path, value };
        problems.push(...siteProblems(site, entryRules(value)));
        // A malformed name is reported above; the others still resolve it, so one typo is one problem.
        if (typeof value.name === "string" && value.name !== "") named.push({ site, name: value.name });
    });
    problems.push(...graphProblems(named));
    const byName = new Map<string, Record<string, unknown>>();
    for (const { site, name } of named) if (!byName.has(name) && SERVICE_NAME.test(name)) byName.set(name, site.value);
    const overrides = applyOverrides(overridesFile(stack), docs.overrides, byName);
    problems.push(...overrides.problems);
    if (problems.length > 0) return { ok: false, problems };
    return { ok: true, catalog: { services: named.map(({ name }) => typedEntry(overrides.merged.get(name)!)) } };
}
