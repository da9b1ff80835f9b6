import * as assert from "assert";
import { withoutCovered } from "../../program/context";

describe("topology context: API client ranges", () => {
    it("drops a range another one already covers, and keeps the first of two equal ones", () => {
        assert.deepStrictEqual(
            withoutCovered(["10.10.0.0/19", "10.10.0.0/19", "10.10.32.0/19", "10.10.40.0/24", "10.16.0.0/14"]),
            ["10.10.0.0/19", "10.10.32.0/19", "10.16.0.0/14"],
        );
    });

    it("keeps disjoint ranges in their order", () => {
        assert.deepStrictEqual(
            withoutCovered(["10.16.0.0/14", "10.10.0.0/19"]),
            ["10.16.0.0/14"].concat("10.10.0.0/19"),
        );
    });
});
