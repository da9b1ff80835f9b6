/**
 * How close each pinned version is to the end of its upstream support, for `npm run plan`, and the EKS
 * support table the policy pack reads (policy/generated/eks-support.json, which a test keeps equal to
 * components/versions.ts).
 *
 * Usage: npx tsx tools/version-support.ts [--write]   (prints, or writes, the policy pack's copy)
 */
import * as fs from "fs";
import * as path from "path";
import {
    EKS_VERSION_SUPPORT,
    EKS_VERSION_SUPPORT_SOURCE,
    PINNED_VERSIONS,
    type PinnedVersion,
} from "../components/versions";

/** A pin closer than this to its support end is reported: enough for one upgrade cycle. */
export const SUPPORT_WARNING_DAYS = 90;

const DAY_MS = 86_400_000;

export interface VersionWarning {
    /** Key in `PINNED_VERSIONS`. */
    readonly key: string;
    readonly version: string;
    readonly supportEnds: string;
    /** Whole days from `now` to the end of support; negative once it has passed. */
    readonly daysLeft: number;
    readonly source: string;
    readonly message: string;
}

/** Days from the UTC day of `now` to `date` (a `YYYY-MM-DD` day, UTC). */
export function daysUntil(date: string, now: Date): number {
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    return Math.round((Date.parse(`${date}T00:00:00Z`) - today) / DAY_MS);
}

/**
 * The pins whose support ends within `windowDays` of `now`, or has ended. `now` is a parameter so that
 * a test can put the clock anywhere; the plan passes the real date.
 */
export function versionWarnings(
    now: Date,
    pins: Readonly<Record<string, PinnedVersion>> = PINNED_VERSIONS,
    windowDays: number = SUPPORT_WARNING_DAYS,
): VersionWarning[] {
    return Object.entries(pins).flatMap(([key, pin]) => {
        if (pin.supportEnds === null) return [];
        const daysLeft = daysUntil(pin.supportEnds, now);
        if (daysLeft > windowDays) return [];
        const when =
            daysLeft < 0
                ? `ended on ${pin.supportEnds}, ${-daysLeft} days ago`
                : `ends on ${pin.supportEnds}, in ${daysLeft} days`;
        return [
            {
                key,
                version: pin.version,
                supportEnds: pin.supportEnds,
                daysLeft,
                source: pin.source,
                message: `${key} ${pin.version}: upstream support ${when}; move to a supported version in components/versions.ts (${pin.source})`,
            },
        ];
    });
}

/** The text-summary section of the plan. */
export function versionWarningLines(warnings: readonly VersionWarning[]): string[] {
    if (warnings.length === 0)
        return [`Version support: every pinned version has more than ${SUPPORT_WARNING_DAYS} days left`];
    return [
        `Version support: ${warnings.length} pinned version(s) within ${SUPPORT_WARNING_DAYS} days of their end or past it`,
        ...warnings.map((w) => `  [warning] ${w.message}`),
    ];
}

export const EKS_SUPPORT_FILE = path.resolve(__dirname, "../policy/generated/eks-support.json");

/** The policy pack's copy of the EKS table: the pack is published on its own, so it cannot import components/. */
export function serializeEksSupport(): string {
    return JSON.stringify({ source: EKS_VERSION_SUPPORT_SOURCE, versions: EKS_VERSION_SUPPORT }, null, 1) + "\n";
}

if (require.main === module) {
    const text = serializeEksSupport();
    if (process.argv.includes("--write")) {
        fs.writeFileSync(EKS_SUPPORT_FILE, text);
        console.log(`wrote ${EKS_SUPPORT_FILE}`);
    } else {
        process.stdout.write(text);
    }
}
