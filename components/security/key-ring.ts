/**
 * A typed view of the keys a KMS component issued: `keys.arn("logs")` instead of `keyArns.logs!`. A
 * purpose that was not requested fails at once, naming it and the purposes that exist, rather than
 * leaking `undefined` into a resource's inputs.
 */
import type { KeyPurpose } from "./key-purposes";

/** Looks up `purpose` in a component's issued keys; throws naming the purpose and what was issued. */
export function issuedKey<P extends KeyPurpose, T>(
    owner: string,
    issued: Readonly<Partial<Record<KeyPurpose, T>>>,
    purpose: P,
): T {
    const key = issued[purpose];
    if (key === undefined) {
        const have = Object.keys(issued);
        throw new Error(
            `${owner} has no '${purpose}' key; it issued ${have.length ? have.join(", ") : "none"}. Add '${purpose}' to its purposes.`,
        );
    }
    return key;
}
