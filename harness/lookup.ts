/** Small finders over recorded resources, so tests read as assertions, not searches. */
import type { RecordedResource } from "./recorder";

export function ofType(resources: readonly RecordedResource[], type: string): RecordedResource[] {
    return resources.filter((r) => r.type === type);
}

/** The one resource of `type` named `name`; throws with the names that do exist otherwise. */
export function one(resources: readonly RecordedResource[], type: string, name: string): RecordedResource {
    const found = resources.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) {
        const names = ofType(resources, type).map((r) => r.name);
        throw new Error(
            `expected one ${type} named ${name}, found ${found.length}; names of that type: ${names.join(", ") || "none"}`,
        );
    }
    return found[0];
}

export function byUrn(resources: readonly RecordedResource[], urn: string): RecordedResource | undefined {
    return resources.find((r) => r.urn === urn);
}

/** Direct children of `parent`. */
export function childrenOf(resources: readonly RecordedResource[], parent: RecordedResource): RecordedResource[] {
    return resources.filter((r) => r.parent === parent.urn);
}

/** Every resource below `ancestor`, at any depth. */
export function descendantsOf(resources: readonly RecordedResource[], ancestor: RecordedResource): RecordedResource[] {
    const out: RecordedResource[] = [];
    const frontier = [ancestor.urn];
    while (frontier.length > 0) {
        const urn = frontier.pop()!;
        for (const r of resources) {
            if (r.parent === urn) {
                out.push(r);
                frontier.push(r.urn);
            }
        }
    }
    return out;
}

/** The provider resource a resource was registered with. */
export function providerOf(resources: readonly RecordedResource[], r: RecordedResource): RecordedResource | undefined {
    return r.provider ? byUrn(resources, r.provider) : undefined;
}
