/**
 * The wire format of an offline run. The SDK hands every request to the resource monitor as a protobuf
 * `Struct` (`Struct.fromJavaScript`), and the mock monitor converts it straight back (`toJavaScript`):
 * no bytes ever leave the process. During a run, `Struct.fromJavaScript` makes a {@link PlainStruct}
 * instead, which keeps the same value as plain JavaScript and gives back what a `Struct` would: a fresh
 * copy, every object's keys in order, undefined and functions refused with the protobuf library's
 * message. At 200 catalog services the protobuf objects were a tenth of a plan's time and much of
 * the garbage its collector copied.
 */

// The protobuf library the SDK builds its requests with (the same module instance: one install).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const structPb = require("google-protobuf/google/protobuf/struct_pb") as {
    Struct: { new (): object; fromJavaScript(value: Record<string, unknown>): unknown };
};

/** A value as `Value.fromJavaScript` then `toJavaScript` return it. */
function roundTrip(v: unknown): unknown {
    if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
    if (Array.isArray(v)) return v.map(roundTrip);
    if (typeof v === "object") return structRoundTrip(v as Record<string, unknown>);
    throw new Error("Unexpected struct type.");
}

function structRoundTrip(o: Record<string, unknown>): Record<string, unknown> {
    const keys: string[] = [];
    // `Struct.fromJavaScript` walks with for-in (inherited enumerable keys too); the map gives them sorted.
    for (const k in o) keys.push(k);
    keys.sort();
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = roundTrip(o[k]);
    return out;
}

/**
 * An empty `Struct` (so a request's setters take it as one) that holds its value as plain JavaScript and
 * gives it back from `toJavaScript`, the one method the SDK and the mock monitor read a Struct with.
 */
export class PlainStruct extends structPb.Struct {
    private readonly value: Record<string, unknown>;

    constructor(value: Record<string, unknown>) {
        super();
        // Copied now, as a Struct copies: the caller may change its object after the call.
        this.value = structRoundTrip(value);
    }

    toJavaScript(): Record<string, unknown> {
        return structRoundTrip(this.value);
    }

    /** What the SDK's excessive-debug logging prints. */
    toObject(): Record<string, unknown> {
        return this.toJavaScript();
    }
}

/** Switches `Struct.fromJavaScript` to {@link PlainStruct}; returns the function that switches it back. */
export function usePlainStructs(): () => void {
    const original = structPb.Struct.fromJavaScript;
    structPb.Struct.fromJavaScript = (value) => new PlainStruct(value);
    return () => {
        structPb.Struct.fromJavaScript = original;
    };
}
