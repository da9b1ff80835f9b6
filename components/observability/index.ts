/** The observability domain: re-exports only. */
export * from "./encrypted-log-group";
