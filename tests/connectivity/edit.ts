/** Edits of a real plan's recorded resources, for tests that take away the one thing a flow needs. */
import * as assert from "assert";
import type { FlowResult } from "../../harness/connectivity/evaluate";
import { checkConnectivity } from "../../harness/connectivity/report";
import type { RecordedResource } from "../../harness/recorder";

/** A copy of the plan with one resource's inputs (and outputs) changed. */
export function edit(
    resources: readonly RecordedResource[],
    type: string,
    name: string,
    change: (inputs: Record<string, any>, outputs: Record<string, any>) => void,
): RecordedResource[] {
    let found = 0;
    const out = resources.map((r) => {
        if (r.type !== type || r.name !== name) return r;
        found++;
        const copy = { ...r, inputs: structuredClone(r.inputs), outputs: structuredClone(r.outputs) };
        change(copy.inputs, copy.outputs);
        return copy;
    });
    assert.strictEqual(found, 1, `expected one ${type} named ${name}`);
    return out;
}

/** A copy of the plan without the resources `drop` selects (at least one). */
export function without(
    resources: readonly RecordedResource[],
    drop: (r: RecordedResource) => boolean,
): RecordedResource[] {
    const out = resources.filter((r) => !drop(r));
    assert.ok(out.length < resources.length, "the edit removed nothing");
    return out;
}

export function flow(resources: readonly RecordedResource[], id: string): FlowResult {
    const r = checkConnectivity(resources).results.find((x) => x.flow.id === id);
    assert.ok(r, `no flow ${id}`);
    return r;
}

export const SG_INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
