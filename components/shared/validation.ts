/**
 * Validation rules as data, run by one runner that collects every problem (the shape aws-cdk uses for
 * its `validate-*-props` files). Components and the config validator both use it, so a limit and the
 * check of that limit are written once.
 */

/** One rule: what it is about, when it holds, and what to say when it does not. */
export interface Rule<S, M = string> {
    /** The argument or config key the rule is about, such as `readerCount` or `sizing.databaseReaderCount`. */
    readonly key: string;
    /** True when `subject` satisfies the rule. A rule whose preconditions fail holds: another rule reports them. */
    readonly check: (subject: S) => boolean;
    /** What is wrong; only called when `check` failed. */
    readonly message: (subject: S) => M;
}

/** A failed rule. */
export interface Problem<M = string> {
    readonly key: string;
    readonly message: M;
}

/** Runs every rule against `subject` and returns the failures in rule order; never stops at the first. */
export function runRules<S, M>(subject: S, rules: readonly Rule<S, M>[]): Problem<M>[] {
    return rules.filter((r) => !r.check(subject)).map((r) => ({ key: r.key, message: r.message(subject) }));
}

/** An inclusive range of whole numbers: a limit that a component and the config validator share. */
export interface WholeRange {
    readonly min: number;
    readonly max: number;
}

/** True for a whole number inside `range` (and false for anything that is not a number). */
export function isWholeInRange(value: unknown, range: WholeRange): value is number {
    return typeof value === "number" && Number.isInteger(value) && value >= range.min && value <= range.max;
}

/** `a whole number from <min> to <max>`: the wording every message about a range uses. */
export function wholeRangeText(range: WholeRange): string {
    return `a whole number from ${range.min} to ${range.max}`;
}

/** The values of `ranges` that every one of them allows, or undefined when they do not meet. */
export function intersectRanges(...ranges: readonly WholeRange[]): WholeRange | undefined {
    const min = Math.max(...ranges.map((r) => r.min));
    const max = Math.min(...ranges.map((r) => r.max));
    return min <= max ? { min, max } : undefined;
}

/** True when `value` is one of `allowed` (a closed choice), with the narrowed type. */
export function isOneOf<T>(value: unknown, allowed: readonly T[]): value is T {
    return (allowed as readonly unknown[]).includes(value);
}

/** Values that appear more than once in `values`, each named once, in first-seen order. */
export function duplicates<T>(values: readonly T[]): T[] {
    const seen = new Set<T>();
    const repeated = new Set<T>();
    for (const v of values) (seen.has(v) ? repeated : seen).add(v);
    return [...repeated];
}

/** Edit distance (insertions, deletions, substitutions, swaps of neighbours) between two strings. */
export function editDistance(a: string, b: string): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            // A typo swaps two neighbours ("platfrom") more often than it replaces two letters.
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
                d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length];
}

/**
 * The candidate nearest to `value`, when it is near enough to be a likely typo (at most a third of its
 * length away, and at most `maxDistance` edits); otherwise undefined.
 */
export function closest(value: string, candidates: readonly string[], maxDistance = 3): string | undefined {
    let best: { c: string; d: number } | undefined;
    for (const c of candidates) {
        const d = editDistance(value, c);
        if (!best || d < best.d) best = { c, d };
    }
    return best && best.d <= Math.min(maxDistance, Math.ceil(best.c.length / 3)) ? best.c : undefined;
}
