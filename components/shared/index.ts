/** The shared domain: re-exports only. */
export * from "./aliases";
export * from "./cidr";
export * from "./iam";
export * from "./log-retention";
export * from "./mesh-ports";
export * from "./protection";
