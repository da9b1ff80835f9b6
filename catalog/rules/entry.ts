/**
 * The shape of one entry, on its own: name, team, image, ports, probes, data store, cache, DR and SLO.
 * What needs the other entries (callees, routes, topics) is in `graph.ts`; sizes in `sizing.ts`.
 */
import {
    CACHE_KEY_PREFIX,
    CONTAINER_PORT,
    DATA_STORE_KINDS,
    DR_POSTURES,
    HTTP_PATH,
    MESH_RESERVED_PORTS,
    PORT_NAMES,
    PROBES,
    RDS_ENGINES,
    REPLICAS,
    ROUTE_PREFIX,
    SERVICE_NAME,
    SERVICE_NAME_TEXT,
    SLO_AVAILABILITY_PERCENT,
    SLO_LATENCY_P99_MS,
    TEAM_NAME,
    TEAM_NAME_TEXT,
} from "../../components/catalog";
import { closest, isOneOf, isWholeInRange } from "../../components/shared";
import {
    isObject,
    list,
    missingOr,
    objectRule,
    stringListRule,
    unknownKeyRules,
    valueRule,
    type CatalogRule,
} from "./format";
import { imageRule } from "./image";
import { messagingShapeRules } from "./messaging";
import { OVERRIDABLE_KEYS, sizingRules, wholeRule } from "./sizing";

export const ENTRY_KEYS = [
    "name",
    "team",
    "image",
    "ports",
    "health",
    ...OVERRIDABLE_KEYS,
    "routes",
    "calls",
    "store",
    "cache",
    "publishes",
    "subscribes",
    "dr",
    "slo",
] as const;

function identityRules(): CatalogRule[] {
    return [
        valueRule(
            "name",
            (v) => typeof v === "string" && SERVICE_NAME.test(v),
            (v) => ({
                what: missingOr(v, "is not a valid service name"),
                allowed: SERVICE_NAME_TEXT,
                fix: "rename the service, for example 'order'",
            }),
        ),
        valueRule(
            "team",
            (v) => typeof v === "string" && TEAM_NAME.test(v),
            (v) => ({
                what: missingOr(v, "is not a valid team name"),
                allowed: TEAM_NAME_TEXT,
                fix: "set 'team: <owning team>'",
            }),
        ),
        imageRule("image"),
    ];
}

function portRules(v: Record<string, unknown>): CatalogRule[] {
    const rules = [objectRule("ports", "{ http: 8080 }")];
    const ports = v.ports;
    if (!isObject(ports)) return rules;
    rules.push(...unknownKeyRules("ports", ports, PORT_NAMES));
    for (const name of PORT_NAMES.filter((n) => n === "http" || ports[n] !== undefined)) {
        const key = `ports.${name}`;
        rules.push(
            valueRule(
                key,
                (p) => isWholeInRange(p, CONTAINER_PORT) && !isWholeInRange(p, MESH_RESERVED_PORTS),
                (p) => ({
                    what: missingOr(p, "is not a usable container port"),
                    allowed: `a whole number from ${CONTAINER_PORT.min} to ${CONTAINER_PORT.max} outside Istio's ${MESH_RESERVED_PORTS.min}-${MESH_RESERVED_PORTS.max}`,
                    fix: `set '${key}: 8080'`,
                }),
            ),
        );
    }
    return rules;
}

function healthRules(v: Record<string, unknown>): CatalogRule[] {
    const rules = [objectRule("health", "{ liveness: /healthz, readiness: /readyz, startup: /startupz }")];
    if (!isObject(v.health)) return rules;
    rules.push(...unknownKeyRules("health", v.health, PROBES));
    for (const probe of PROBES) {
        rules.push(
            valueRule(
                `health.${probe}`,
                (p) => typeof p === "string" && HTTP_PATH.test(p),
                (p) => ({
                    what: missingOr(p, "is not an HTTP path"),
                    allowed: "a path such as /healthz",
                    fix: `set 'health.${probe}: /healthz'`,
                }),
            ),
        );
    }
    return rules;
}

function storeRules(v: Record<string, unknown>): CatalogRule[] {
    const rules = [objectRule("store", "{ kind: aurora-database }", false)];
    if (!isObject(v.store)) return rules;
    const kind = v.store.kind;
    const near = typeof kind === "string" ? closest(kind, DATA_STORE_KINDS) : undefined;
    rules.push(
        valueRule(
            "store.kind",
            (k) => isOneOf(k, DATA_STORE_KINDS),
            (k) => ({
                what: missingOr(k, "is not a data store kind"),
                allowed: `one of ${list(DATA_STORE_KINDS)}`,
                fix: near ? `set 'store.kind: ${near}'` : "set 'store.kind' to one of those, or remove 'store'",
            }),
        ),
    );
    if (kind === "rds-instance") {
        rules.push(
            ...unknownKeyRules("store", v.store, ["kind", "engine"]),
            valueRule(
                "store.engine",
                (e) => isOneOf(e, RDS_ENGINES),
                (e) => ({
                    what: missingOr(e, "is not an RDS engine"),
                    allowed: `one of ${list(RDS_ENGINES)}`,
                    fix: "set 'store.engine: postgres'",
                }),
            ),
        );
    } else if (isOneOf(kind, DATA_STORE_KINDS)) {
        rules.push(...unknownKeyRules("store", v.store, ["kind"]));
    }
    return rules;
}

function drRules(v: Record<string, unknown>): CatalogRule[] {
    const rules = [objectRule("dr", "{ posture: cold }")];
    if (!isObject(v.dr)) return rules;
    const { posture } = v.dr;
    rules.push(
        ...unknownKeyRules("dr", v.dr, ["posture", "replicas"]),
        valueRule(
            "dr.posture",
            (p) => isOneOf(p, DR_POSTURES),
            (p) => ({
                what: missingOr(p, "is not a DR posture"),
                allowed: `one of ${list(DR_POSTURES)} (cold: 0 replicas on GCP until failover; warm: some always running)`,
                fix: "set 'dr.posture: cold', or 'dr.posture: warm' with 'dr.replicas'",
            }),
        ),
    );
    if (posture === "cold") {
        rules.push(
            valueRule(
                "dr.replicas",
                (r) => r === undefined || r === 0,
                () => ({
                    what: "must be 0 for a cold posture",
                    allowed: "0 or nothing",
                    fix: "remove 'dr.replicas', or set 'dr.posture: warm'",
                }),
            ),
        );
    }
    if (posture === "warm") {
        rules.push(
            valueRule(
                "dr.replicas",
                (r) => isWholeInRange(r, REPLICAS),
                (r) => ({
                    what: missingOr(r, "must run at least one replica for a warm posture"),
                    allowed: `a whole number from ${REPLICAS.min} to ${REPLICAS.max}`,
                    fix: "set 'dr.replicas: 1', or 'dr.posture: cold' for none",
                }),
            ),
        );
    }
    return rules;
}

function sloRules(v: Record<string, unknown>): CatalogRule[] {
    const rules = [objectRule("slo", "{ availabilityPercent: 99.9, latencyP99Ms: 300 }")];
    if (!isObject(v.slo)) return rules;
    const { min, max } = SLO_AVAILABILITY_PERCENT;
    return [
        ...rules,
        ...unknownKeyRules("slo", v.slo, ["availabilityPercent", "latencyP99Ms"]),
        valueRule(
            "slo.availabilityPercent",
            (a) => typeof a === "number" && a >= min && a <= max,
            (a) => ({
                what: missingOr(a, "is out of range"),
                allowed: `a percentage from ${min} to ${max}`,
                fix: "set 'slo.availabilityPercent: 99.9'",
            }),
        ),
        wholeRule("slo.latencyP99Ms", SLO_LATENCY_P99_MS, 300),
    ];
}

/** Every rule of one entry's own shape. */
export function entryRules(v: Record<string, unknown>): CatalogRule[] {
    return [
        ...unknownKeyRules("", v, ENTRY_KEYS),
        ...identityRules(),
        ...portRules(v),
        ...healthRules(v),
        ...sizingRules(v),
        stringListRule("routes", "[/orders]"),
        ...(Array.isArray(v.routes) ? v.routes : []).map((_, i) =>
            valueRule(
                `routes[${i}]`,
                (r) => typeof r === "string" && ROUTE_PREFIX.test(r),
                () => ({
                    what: "is not a route prefix",
                    allowed: "a path such as /orders, lowercase, no trailing '/'",
                    fix: "write the prefix as /<segment>",
                }),
            ),
        ),
        stringListRule("calls", "[user, payment]"),
        ...storeRules(v),
        objectRule("cache", "{ keyPrefix: 'order:' }", false),
        ...(isObject(v.cache)
            ? [
                  ...unknownKeyRules("cache", v.cache, ["keyPrefix"]),
                  valueRule(
                      "cache.keyPrefix",
                      (p) => typeof p === "string" && CACHE_KEY_PREFIX.test(p),
                      (p) => ({
                          what: missingOr(p, "is not a key prefix"),
                          allowed: "a lowercase name ending in ':', such as 'order:'",
                          fix: "set 'cache.keyPrefix: <service>:'",
                      }),
                  ),
              ]
            : []),
        ...messagingShapeRules(v),
        ...drRules(v),
        ...sloRules(v),
    ];
}
