/**
 * The parts of an entry a stack may override: resources, scaling, the canary's weight and image. The same rules
 * run on the entry in `catalog/services.yaml` and on the entry after a stack's overrides.
 */
import {
    CANARY_WEIGHT_PERCENT,
    CPU_MILLICORES,
    cpuMillicores,
    MEMORY_MIB,
    memoryMiB,
    REPLICAS,
    TARGET_CPU_UTILIZATION_PERCENT,
} from "../../components/catalog";
import { isWholeInRange, type WholeRange, wholeRangeText } from "../../components/shared";
import { imageRule } from "./image";
import { isObject, missingOr, objectRule, unknownKeyRules, valueAt, valueRule, type CatalogRule } from "./format";

/** Keys an override may set, each a section of the entry. */
export const OVERRIDABLE_KEYS = ["resources", "scaling", "canaryWeightPercent", "canaryImage"] as const;

const SCALING_KEYS = ["minReplicas", "maxReplicas", "targetCpuUtilizationPercent"];

export function wholeRule(key: string, range: WholeRange, example: number, optional = false): CatalogRule {
    return valueRule(
        key,
        (v) => (optional && v === undefined) || isWholeInRange(v, range),
        (v) => ({
            what: missingOr(v, "must be a whole number in range"),
            allowed: wholeRangeText(range),
            fix: `set '${key}: ${example}'`,
        }),
    );
}

function quantityRules(key: string): CatalogRule[] {
    const cpu = `${key}.cpu`;
    const memory = `${key}.memory`;
    return [
        valueRule(
            cpu,
            (v) => isWholeInRange(cpuMillicores(v), CPU_MILLICORES),
            (v) => ({
                what: missingOr(v, "is not a CPU quantity in range"),
                allowed: `millicores such as 250m or cores such as "1", from ${CPU_MILLICORES.min}m to ${CPU_MILLICORES.max / 1000} cores`,
                fix: `set '${cpu}: 250m'`,
            }),
        ),
        valueRule(
            memory,
            (v) => {
                const mib = memoryMiB(v);
                return mib !== undefined && mib >= MEMORY_MIB.min && mib <= MEMORY_MIB.max;
            },
            (v) => ({
                what: missingOr(v, "is not a memory quantity in range"),
                allowed: `binary units such as 256Mi or 1Gi, from ${MEMORY_MIB.min}Mi to ${MEMORY_MIB.max / 1024}Gi`,
                fix: `set '${memory}: 256Mi'`,
            }),
        ),
    ];
}

/** A limit below its request: Kubernetes refuses the pod. Holds when either is unreadable (reported above). */
function limitRule(resource: "cpu" | "memory", parse: (v: unknown) => number | undefined): CatalogRule {
    const key = `resources.limits.${resource}`;
    const request = (v: Record<string, unknown>) => valueAt(v, `resources.requests.${resource}`);
    return {
        key,
        check: ({ value }) => {
            const [req, lim] = [parse(request(value)), parse(valueAt(value, key))];
            return req === undefined || lim === undefined || lim >= req;
        },
        message: ({ value }) => ({
            what: `is below the ${resource} request ${String(request(value))}`,
            allowed: `a ${resource} limit at least the request`,
            fix: `raise '${key}' to ${String(request(value))} or more, or lower 'resources.requests.${resource}'`,
        }),
    };
}

function scalingRules(v: Record<string, unknown>): CatalogRule[] {
    const scaling = v.scaling;
    const rules = [objectRule("scaling", "{ minReplicas: 2, maxReplicas: 6, targetCpuUtilizationPercent: 70 }")];
    if (!isObject(scaling)) return rules;
    return [
        ...rules,
        ...unknownKeyRules("scaling", scaling, SCALING_KEYS),
        wholeRule("scaling.minReplicas", REPLICAS, 2),
        wholeRule("scaling.maxReplicas", REPLICAS, 6),
        wholeRule("scaling.targetCpuUtilizationPercent", TARGET_CPU_UTILIZATION_PERCENT, 70),
        {
            key: "scaling.minReplicas",
            check: () =>
                !isWholeInRange(scaling.minReplicas, REPLICAS) ||
                !isWholeInRange(scaling.maxReplicas, REPLICAS) ||
                scaling.minReplicas <= scaling.maxReplicas,
            message: () => ({
                what: `is above maxReplicas ${String(scaling.maxReplicas)}`,
                allowed: "minReplicas at most maxReplicas",
                fix: `lower 'scaling.minReplicas' to ${String(scaling.maxReplicas)} or raise 'scaling.maxReplicas'`,
            }),
        },
    ];
}

function resourceRules(v: Record<string, unknown>): CatalogRule[] {
    const example = "{ requests: { cpu: 250m, memory: 256Mi }, limits: { cpu: 1, memory: 512Mi } }";
    const rules = [objectRule("resources", example)];
    if (!isObject(v.resources)) return rules;
    rules.push(...unknownKeyRules("resources", v.resources, ["requests", "limits"]));
    for (const side of ["requests", "limits"]) {
        const key = `resources.${side}`;
        rules.push(objectRule(key, "{ cpu: 250m, memory: 256Mi }"));
        if (isObject(v.resources[side])) {
            rules.push(...unknownKeyRules(key, v.resources[side], ["cpu", "memory"]), ...quantityRules(key));
        }
    }
    return [...rules, limitRule("cpu", cpuMillicores), limitRule("memory", memoryMiB)];
}

/** Rules of the overridable sections of an entry (or of the sections `only` names). */
export function sizingRules(v: Record<string, unknown>, only: readonly string[] = OVERRIDABLE_KEYS): CatalogRule[] {
    return [
        ...(only.includes("resources") ? resourceRules(v) : []),
        ...(only.includes("scaling") ? scalingRules(v) : []),
        ...(only.includes("canaryWeightPercent")
            ? [wholeRule("canaryWeightPercent", CANARY_WEIGHT_PERCENT, 10, true)]
            : []),
        ...(only.includes("canaryImage") ? [imageRule("canaryImage", true)] : []),
    ];
}
