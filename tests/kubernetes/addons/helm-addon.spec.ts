import * as assert from "assert";
import { deepMerge } from "../../../components/kubernetes/addons/helm-addon";

describe("Helm add-on base", () => {
    it("deep-merges Helm values: objects merge, lists and scalars replace, undefined keeps", () => {
        const base = { a: { b: 1, c: [1, 2] }, d: "x" };
        assert.deepStrictEqual(deepMerge(base, { a: { c: [3], e: true }, d: undefined }), {
            a: { b: 1, c: [3], e: true },
            d: "x",
        });
        assert.deepStrictEqual(base, { a: { b: 1, c: [1, 2] }, d: "x" }, "inputs are not modified");
    });
});
