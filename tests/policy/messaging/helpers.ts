/** Fixtures shared by the messaging-policy specs. */
import * as policyProxy from "@pulumi/policy/proxy";

export const ACCOUNT = "123456789012";
export const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
// The SDK's sentinel for a string that is unknown during preview (internal to @pulumi/policy 1.21).
export const UNKNOWN: string = (policyProxy as any).unknownStringValue;

/** Sets a nested property (`a.b.c`) on a deep copy; `undefined` removes it. */
export function changed(inputs: Record<string, any>, path: string, value: unknown): Record<string, any> {
    const copy = structuredClone(inputs);
    const keys = path.split(".");
    let o = copy;
    for (const k of keys.slice(0, -1)) o = o[k] ??= {};
    if (value === undefined) delete o[keys.at(-1)!];
    else o[keys.at(-1)!] = value;
    return copy;
}
