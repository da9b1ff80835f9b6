/** The shared domain: re-exports only. */
export * from "./aliases";
export * from "./cidr";
export * from "./iam";
export * from "./instance-types";
export * from "./log-retention";
export * from "./mesh-ports";
export * from "./protection";
export * from "./tags";
export * from "./validation";
