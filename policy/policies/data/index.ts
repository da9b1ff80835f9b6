/**
 * Data-layer policies, split by concern: at rest (customer-managed keys), in transit (TLS), and the
 * durability of stateful resources in protected environments.
 */
export * from "./all";
export * from "./at-rest";
export * from "./at-rest-s3";
export * from "./durability";
export * from "./in-transit";
