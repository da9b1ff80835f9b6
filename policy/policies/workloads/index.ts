/**
 * Workload policies, split by concern: pod security, container resources and probes, images, disruption
 * budgets, service-account roles, and namespace default-deny.
 */
export * from "./all";
export * from "./container-resources";
export * from "./disruption-budget";
export * from "./iam-documents";
export * from "./images";
export * from "./namespace-default-deny";
export * from "./pod-security";
export * from "./pod-spec";
export * from "./service-account-roles";
