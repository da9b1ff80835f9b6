/** The shared domain: re-exports only. */
export * from "./cidr";
export * from "./iam";
export * from "./instance-types";
export * from "./log-retention";
export * from "./protection";
export * from "./tags";
export * from "./validation";
