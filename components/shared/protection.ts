/**
 * How a stateful resource is kept, decided once. Every component that creates something worth keeping
 * reads these instead of writing its own `protect ?? true` or `protect ? 30 : 7`.
 */

/** A component without an explicit `protect` keeps its stateful children: losing data is the worse default. */
export const PROTECT_BY_DEFAULT = true;

/** Resolves a component's optional `protect` argument. */
export function isProtected(protect: boolean | undefined): boolean {
    return protect ?? PROTECT_BY_DEFAULT;
}

/**
 * Days a deleted secret or key can still be recovered: the longest AWS allows (30) for protected
 * stacks, the shortest (7) for throwaway ones so a re-created stack does not collide with the old name.
 * Secrets Manager takes 7 to 30 and KMS 7 to 30, so one pair serves both.
 */
export const RECOVERY_WINDOW_DAYS = { protected: 30, unprotected: 7 } as const;

/** The recovery window for a stack that does (or does not) protect its stateful resources. */
export function recoveryWindowDays(protect: boolean): number {
    return protect ? RECOVERY_WINDOW_DAYS.protected : RECOVERY_WINDOW_DAYS.unprotected;
}
