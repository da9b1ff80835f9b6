/**
 * CloudWatch Logs retention: the values the service accepts, in one place for the config validator and
 * every component that creates a log group.
 */

/** Retention values CloudWatch Logs accepts (`PutRetentionPolicy`), in days. */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];

/** Whether CloudWatch Logs accepts `days` as a retention. */
export function isLogRetention(days: number): days is LogRetentionDays {
    return (LOG_RETENTION_DAYS as readonly number[]).includes(days);
}

/** The problem with `days` as the retention named `key`, or none: for validators that collect problems. */
export function logRetentionProblems(key: string, days: number): string[] {
    return isLogRetention(days)
        ? []
        : [`${key} must be a CloudWatch Logs retention (${LOG_RETENTION_DAYS.join(", ")}); received ${days}`];
}
