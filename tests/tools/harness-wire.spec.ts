/**
 * The offline run's stand-ins for SDK machinery (harness/wire.ts, harness/run.ts): a PlainStruct gives
 * back exactly what a protobuf Struct round trip gives, and a run puts the SDK's own functions back.
 */
import * as assert from "assert";
import { PlainStruct, usePlainStructs } from "../../harness/wire";
import { runStack } from "../../harness/run";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const structPb = require("google-protobuf/google/protobuf/struct_pb") as {
    Struct: { fromJavaScript(v: Record<string, unknown>): { toJavaScript(): Record<string, unknown> } };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: unknown };

class Tagged {
    readonly kind = "tagged";
}

const VALUES: [string, Record<string, unknown>][] = [
    ["scalars", { s: "x", n: 1.5, zero: -0, t: true, f: false, nil: null }],
    ["key order", { b: 1, a: 2, "10": 3, "9": 4, A: 5, nested: { z: [1, { y: 2, x: 3 }], c: {} } }],
    ["class instances become their enumerable fields", { t: new Tagged(), d: new Date(0) }],
    ["arrays of arrays", { m: [[1, 2], [], [{ k: "v" }]] }],
    [
        "wire signatures stay as they are",
        { secret: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "p" } },
    ],
];

/** Keys in order, at every depth: deepStrictEqual ignores order. */
const ordered = (v: unknown): string => JSON.stringify(v, (_k, x) => (Object.is(x, -0) ? "-0" : x));

describe("harness wire: PlainStruct", () => {
    for (const [label, value] of VALUES) {
        it(`gives back what a Struct gives back: ${label}`, () => {
            const want = structPb.Struct.fromJavaScript(value).toJavaScript();
            const got = new PlainStruct(value).toJavaScript();
            assert.deepStrictEqual(got, want);
            assert.strictEqual(ordered(got), ordered(want));
        });
    }

    it("copies on the way in and on the way out, as a Struct does", () => {
        const value = { list: [1], obj: { a: 1 } };
        const s = new PlainStruct(value);
        value.list.push(2);
        value.obj.a = 2;
        const first = s.toJavaScript() as { list: number[] };
        first.list.push(3);
        assert.deepStrictEqual(s.toJavaScript(), { list: [1], obj: { a: 1 } });
    });

    for (const [label, value] of [
        ["an undefined field", { a: undefined }],
        ["an undefined element", { a: [1, undefined] }],
        ["a function", { f: () => 1 }],
    ] as [string, Record<string, unknown>][]) {
        it(`refuses ${label} with the protobuf library's message`, () => {
            assert.throws(() => structPb.Struct.fromJavaScript(value), { message: "Unexpected struct type." });
            assert.throws(() => new PlainStruct(value), { message: "Unexpected struct type." });
        });
    }

    it("usePlainStructs swaps Struct.fromJavaScript and its result puts the original back", () => {
        const original = structPb.Struct.fromJavaScript;
        const restore = usePlainStructs();
        assert.ok(structPb.Struct.fromJavaScript({ a: 1 }) instanceof PlainStruct);
        restore();
        assert.strictEqual(structPb.Struct.fromJavaScript, original);
    });
});

describe("harness run: the SDK's own functions after a run", () => {
    it("Struct.fromJavaScript and debuggablePromise are the SDK's again, and were swapped during the run", async () => {
        const fromJavaScript = structPb.Struct.fromJavaScript;
        const debuggablePromise = debuggable.debuggablePromise;
        let during: { struct: unknown; promise: unknown } | undefined;
        const run = await runStack({
            stack: "dev",
            program: async () => {
                during = { struct: structPb.Struct.fromJavaScript, promise: debuggable.debuggablePromise };
                return {};
            },
        });
        assert.strictEqual(run.error, undefined);
        assert.notStrictEqual(during?.struct, fromJavaScript);
        assert.notStrictEqual(during?.promise, debuggablePromise);
        assert.strictEqual(structPb.Struct.fromJavaScript, fromJavaScript);
        assert.strictEqual(debuggable.debuggablePromise, debuggablePromise);
    });
});
