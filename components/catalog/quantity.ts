/**
 * Kubernetes CPU and memory quantities in whole units, for comparing a limit with its request. Only the
 * forms `limits.ts` admits are parsed; anything else is undefined (the validator reports it).
 */
import { CPU_QUANTITY, MEMORY_QUANTITY } from "./limits";

/** `250m` -> 250, `0.5` -> 500, `2` -> 2000. */
export function cpuMillicores(value: unknown): number | undefined {
    if (typeof value === "number") value = String(value);
    if (typeof value !== "string" || !CPU_QUANTITY.test(value)) return undefined;
    return value.endsWith("m") ? Number(value.slice(0, -1)) : Math.round(Number(value) * 1000);
}

const MIB_PER_UNIT: Record<string, number> = { Ki: 1 / 1024, Mi: 1, Gi: 1024 };

/** `256Mi` -> 256, `1Gi` -> 1024, `512Ki` -> 0.5. */
export function memoryMiB(value: unknown): number | undefined {
    if (typeof value !== "string" || !MEMORY_QUANTITY.test(value)) return undefined;
    const unit = value.slice(-2);
    return Number(value.slice(0, -2)) * MIB_PER_UNIT[unit];
}
