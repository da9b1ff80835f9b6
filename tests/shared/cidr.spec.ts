import * as assert from "assert";
import fc from "fast-check";
import {
    contains,
    formatCidr,
    host,
    isPrivate,
    mustParseCidr,
    overlaps,
    parseCidr,
    subnet,
} from "../../components/shared/cidr";

describe("cidr", () => {
    it("parses canonical blocks and rejects malformed ones", () => {
        assert.deepStrictEqual(parseCidr("10.10.0.0/16"), { base: 0x0a0a0000, prefix: 16 });
        for (const bad of [
            "10.10.0.0",
            "10.10.0.0/33",
            "256.0.0.0/8",
            "10.10.0.1/16",
            " 10.0.0.0/8",
            "10.0.0/8",
            "a.b.c.d/8",
            // Leading zeros: not canonical, and copied verbatim by the resources that take the range.
            "010.010.000.000/16",
            "10.0.0.0/08",
            "10.00.0.0/16",
        ]) {
            assert.strictEqual(parseCidr(bad), undefined, bad);
        }
    });

    it("detects overlap and containment", () => {
        const a = mustParseCidr("10.10.0.0/16");
        assert.ok(overlaps(a, mustParseCidr("10.10.128.0/20")));
        assert.ok(overlaps(mustParseCidr("10.0.0.0/8"), a));
        assert.ok(!overlaps(a, mustParseCidr("10.11.0.0/16")));
        assert.ok(contains(a, mustParseCidr("10.10.255.0/24")));
        assert.ok(!contains(a, mustParseCidr("10.0.0.0/8")));
        assert.ok(isPrivate(a) && !isPrivate(mustParseCidr("100.64.0.0/16")));
    });

    it("carves subnets by index like cidrsubnet", () => {
        const vpc = mustParseCidr("10.10.0.0/16");
        assert.strictEqual(formatCidr(subnet(vpc, 20, 0)), "10.10.0.0/20");
        assert.strictEqual(formatCidr(subnet(vpc, 20, 15)), "10.10.240.0/20");
        assert.throws(() => subnet(vpc, 20, 16), /holds 16 \/20 blocks; index 16 is out of range/);
        assert.strictEqual(host(mustParseCidr("169.254.10.0/30"), 1), "169.254.10.1");
    });

    it("never carves overlapping siblings, and every one lies in its parent (property)", () => {
        fc.assert(
            fc.property(
                fc.integer({ min: 0, max: 0xffff }),
                fc.integer({ min: 8, max: 24 }),
                fc.integer({ min: 1, max: 6 }),
                (hi, prefix, extra) => {
                    const parent = {
                        base: ((hi << 16) >>> 0) & (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0),
                        prefix,
                    };
                    const newPrefix = Math.min(32, prefix + extra);
                    const count = Math.min(2 ** (newPrefix - prefix), 64);
                    const subs = Array.from({ length: count }, (_, i) => subnet(parent, newPrefix, i));
                    for (let i = 0; i < subs.length; i++) {
                        assert.ok(contains(parent, subs[i]));
                        for (let j = 0; j < i; j++) assert.ok(!overlaps(subs[i], subs[j]));
                    }
                },
            ),
        );
    });
});
