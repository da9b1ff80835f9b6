import * as assert from "assert";
import * as fs from "fs";
import { EKS_VERSION_SUPPORT, PINNED_VERSIONS, VERSIONS, type PinnedVersion } from "../../components/versions";
import {
    daysUntil,
    EKS_SUPPORT_FILE,
    serializeEksSupport,
    versionWarningLines,
    versionWarnings,
} from "../../tools/version-support";

/** The day the pins were last reviewed. */
const TODAY = new Date("2026-12-02T15:00:00Z");

describe("pinned version support", () => {
    it("every pin names its support end (a day, or none announced with the reason) and a source", () => {
        for (const [key, pin] of Object.entries(PINNED_VERSIONS) as [string, PinnedVersion][]) {
            assert.match(pin.source, /^https:\/\//, key);
            if (pin.supportEnds === null) assert.ok((pin.note ?? "").length > 10, `${key}: why is there no end?`);
            else assert.match(pin.supportEnds, /^\d{4}-\d{2}-\d{2}$/, key);
        }
        assert.strictEqual(
            PINNED_VERSIONS.kubernetes.supportEnds,
            EKS_VERSION_SUPPORT[VERSIONS.kubernetes].standardEnds,
        );
    });

    it("today, no pinned version is within 90 days of its end", () => {
        assert.deepStrictEqual(versionWarnings(TODAY), []);
        assert.deepStrictEqual(versionWarningLines([]), [
            "Version support: every pinned version has more than 90 days left",
        ]);
    });

    it("on 2027-01-15, warns about EKS 1.35 (71 days left) and Istio 1.31 with its Kiali (90 days), and nothing else", () => {
        const warnings = versionWarnings(new Date("2027-01-15T08:00:00Z"));
        assert.deepStrictEqual(
            warnings.map((w) => [w.key, w.version, w.daysLeft]),
            [
                ["kubernetes", "1.35", 71],
                ["istio", "1.31.1", 90],
                ["kiali", "2.31.0", 90],
            ],
        );
        assert.strictEqual(
            warnings[0].message,
            `kubernetes 1.35: upstream support ends on 2027-03-27, in 71 days; move to a supported version in components/versions.ts (${PINNED_VERSIONS.kubernetes.source})`,
        );
    });

    it("counts whole UTC days, warns from 90 days out, and says when support has ended", () => {
        const pins: Record<string, PinnedVersion> = {
            soon: { version: "1.0", supportEnds: "2027-03-02", source: "https://example.org/soon" },
            later: { version: "2.0", supportEnds: "2027-03-03", source: "https://example.org/later" },
            past: { version: "0.9", supportEnds: "2026-11-30", source: "https://example.org/past" },
            open: { version: "3", supportEnds: null, source: "https://example.org/open", note: "none announced" },
        };
        assert.strictEqual(daysUntil("2027-03-02", new Date("2026-12-02T23:59:59Z")), 90);
        const warnings = versionWarnings(TODAY, pins);
        assert.deepStrictEqual(
            warnings.map((w) => [w.key, w.daysLeft]),
            [
                ["soon", 90],
                ["past", -2],
            ],
        );
        assert.deepStrictEqual(versionWarningLines(warnings), [
            "Version support: 2 pinned version(s) within 90 days of their end or past it",
            "  [warning] soon 1.0: upstream support ends on 2027-03-02, in 90 days; move to a supported version in components/versions.ts (https://example.org/soon)",
            "  [warning] past 0.9: upstream support ended on 2026-11-30, 2 days ago; move to a supported version in components/versions.ts (https://example.org/past)",
        ]);
    });

    it("the policy pack's copy of the EKS table matches versions.ts (regenerate: npx tsx tools/version-support.ts --write)", () => {
        assert.strictEqual(fs.readFileSync(EKS_SUPPORT_FILE, "utf8"), serializeEksSupport());
        assert.deepStrictEqual(JSON.parse(serializeEksSupport()).versions, EKS_VERSION_SUPPORT);
    });
});
