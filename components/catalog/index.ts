/** The catalog domain: re-exports only. */
export * from "./namespace-default-deny";
export * from "./service-workload";
export * from "./workload-args";
export * from "./workload-mesh";
export * from "./workload-network";
export * from "./workload-pods";
export * from "./workload-validation";
