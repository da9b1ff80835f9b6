/** The service environments of every cluster and the size of each one's namespace (quota and container defaults). */

/** Environments that get a service namespace (`services-<env>`) in every cluster. */
export const SERVICE_ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type ServiceEnvironment = (typeof SERVICE_ENVIRONMENTS)[number];

/** Size of one service namespace. Quantities in Kubernetes notation (`500m`, `2Gi`). */
export interface NamespaceSizing {
    /** Pods the namespace may hold. */
    readonly maxPods: number;
    /** Sum of CPU requests (`requests.cpu`). */
    readonly requestsCpu: string;
    /** Sum of memory requests (`requests.memory`). */
    readonly requestsMemory: string;
    /** Sum of CPU limits (`limits.cpu`). */
    readonly limitsCpu: string;
    /** Sum of memory limits (`limits.memory`). */
    readonly limitsMemory: string;
    /** CPU request of a container that sets none. */
    readonly containerRequestCpu: string;
    /** Memory request of a container that sets none. */
    readonly containerRequestMemory: string;
    /** CPU limit of a container that sets none. */
    readonly containerLimitCpu: string;
    /** Memory limit of a container that sets none. */
    readonly containerLimitMemory: string;
}

/**
 * Default sizes. Each quota holds `maxPods` pods at the container defaults **plus** Istio's default
 * sidecar (100m/128Mi requested, 2 CPU/1Gi limit), which counts against the quota like any container.
 */
export const NAMESPACE_SIZING_DEFAULTS: Readonly<Record<ServiceEnvironment, NamespaceSizing>> = {
    dev: {
        maxPods: 40,
        requestsCpu: "10",
        requestsMemory: "20Gi",
        limitsCpu: "100",
        limitsMemory: "60Gi",
        containerRequestCpu: "100m",
        containerRequestMemory: "128Mi",
        containerLimitCpu: "500m",
        containerLimitMemory: "512Mi",
    },
    staging: {
        maxPods: 80,
        requestsCpu: "20",
        requestsMemory: "40Gi",
        limitsCpu: "200",
        limitsMemory: "120Gi",
        containerRequestCpu: "100m",
        containerRequestMemory: "128Mi",
        containerLimitCpu: "500m",
        containerLimitMemory: "512Mi",
    },
    prod: {
        maxPods: 200,
        requestsCpu: "80",
        requestsMemory: "160Gi",
        limitsCpu: "600",
        limitsMemory: "400Gi",
        containerRequestCpu: "250m",
        containerRequestMemory: "256Mi",
        containerLimitCpu: "1",
        containerLimitMemory: "1Gi",
    },
};

/** Sizes per environment with the caller's fields over the defaults. */
export function resolveSizing(
    overrides: Readonly<Partial<Record<ServiceEnvironment, Partial<NamespaceSizing>>>> | undefined,
): Readonly<Record<ServiceEnvironment, NamespaceSizing>> {
    const out = {} as Record<ServiceEnvironment, NamespaceSizing>;
    for (const env of SERVICE_ENVIRONMENTS)
        out[env] = { ...NAMESPACE_SIZING_DEFAULTS[env], ...(overrides?.[env] ?? {}) };
    return out;
}

const QUANTITY = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;
const QUANTITY_FACTORS: Record<string, number> = {
    "": 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
};

/** A Kubernetes quantity as a number (cores or bytes), or undefined when it is not one this module writes. */
export function parseQuantity(text: string): number | undefined {
    const m = QUANTITY.exec(text);
    return m ? Number(m[1]) * QUANTITY_FACTORS[m[2] ?? ""] : undefined;
}
