/** The benchmark's generated services: whole catalog entries the validator accepts, appended to the catalog's own. */
import * as assert from "assert";
import { loadServiceCatalog } from "../../catalog/load";
import { platformOptions } from "../../tools/bench/services";

describe("bench: generated catalog services", () => {
    it("200 services: the catalog's 4 unchanged, then 196 entries that pass every catalog rule", () => {
        const { catalog } = platformOptions(200, "prod");
        const loaded = loadServiceCatalog("prod", catalog);
        const seeds = loadServiceCatalog("prod");
        assert.strictEqual(loaded.services.length, 200);
        assert.deepStrictEqual(loaded.services.slice(0, 4), seeds.services);
        const generated = loaded.services.slice(4);
        assert.deepStrictEqual(generated[0].calls, ["user"]);
        assert.deepStrictEqual(generated[1].calls, ["bench-001"]);
        // The rotation: every store kind the shared stores serve, and entries without one.
        assert.deepStrictEqual(
            generated.slice(0, 4).map((s) => s.store?.kind),
            ["aurora-database", "dynamodb-table", "aurora-database", undefined],
        );
        assert.deepStrictEqual(
            generated.slice(0, 2).map((s) => s.cache?.keyPrefix),
            ["bench-001:", undefined],
        );
    });

    it("fewer services than the catalog holds: refused, naming the minimum", () => {
        assert.throws(() => platformOptions(3, "prod"), {
            message: "--services must be at least 4 (the catalog's entries)",
        });
    });
});
