/** The catalog domain: a service entry's vocabulary and the components built from one. Re-exports only. */
export * from "./image-ref";
export * from "./limits";
export * from "./namespace-default-deny";
export * from "./quantity";
export * from "./service-aws-identity";
export * from "./service-entry";
export * from "./service-gcp-identity";
export * from "./service-grants";
export * from "./service-identity-subject";
export * from "./service-workload";
export * from "./workload-args";
export * from "./workload-mesh";
export * from "./workload-network";
export * from "./workload-pods";
export * from "./workload-validation";
