/** The CI/CD domain: re-exports only. */
export * from "./github-actions-runner";
export * from "./runner-policy";
export * from "./runner-settings";
