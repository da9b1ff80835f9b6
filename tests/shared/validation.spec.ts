import * as assert from "assert";
import {
    closest,
    duplicates,
    editDistance,
    intersectRanges,
    isWholeInRange,
    runRules,
    type Rule,
} from "../../components/shared/validation";

describe("validation runner", () => {
    const rules: Rule<{ n: number; s: string }>[] = [
        { key: "n", check: (x) => x.n > 0, message: (x) => `n must be positive; received ${x.n}` },
        { key: "s", check: (x) => x.s !== "", message: () => "s must not be empty" },
        { key: "n", check: (x) => x.n < 10, message: (x) => `n must be below 10; received ${x.n}` },
    ];

    it("collects every failed rule, in rule order, and only those", () => {
        assert.deepStrictEqual(runRules({ n: -1, s: "" }, rules), [
            { key: "n", message: "n must be positive; received -1" },
            { key: "s", message: "s must not be empty" },
        ]);
        assert.deepStrictEqual(runRules({ n: 5, s: "x" }, rules), []);
    });

    it("takes whole numbers in range only", () => {
        const r = { min: 0, max: 14 };
        assert.deepStrictEqual(
            [0, 14, 15, -1, 1.5, NaN, Infinity, "3", null, undefined].map((v) => isWholeInRange(v, r)),
            [true, true, false, false, false, false, false, false, false, false],
        );
    });

    it("intersects the ranges of several consumers, or says they do not meet", () => {
        assert.deepStrictEqual(intersectRanges({ min: 1, max: 35 }, { min: 1, max: 365 }, { min: 0, max: 35 }), {
            min: 1,
            max: 35,
        });
        assert.strictEqual(intersectRanges({ min: 1, max: 2 }, { min: 3, max: 4 }), undefined);
    });

    it("names each repeated value once", () => {
        assert.deepStrictEqual(duplicates(["a", "b", "a", "a", "c", "b"]), ["a", "b"]);
    });

    it("suggests the nearest candidate for a typo, swapped letters included, and nothing for a stranger", () => {
        assert.strictEqual(editDistance("platfrom", "platform"), 1);
        const ns = ["multicloud-platform", "pulumi", "aws", "gcp", "kubernetes"];
        assert.strictEqual(closest("multicloud-platfrom", ns), "multicloud-platform");
        assert.strictEqual(closest("gpc", ns), "gcp");
        assert.strictEqual(closest("awz", ns), "aws");
        assert.strictEqual(closest("datadog", ns), undefined);
    });
});
