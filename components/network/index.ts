/** The network domain: re-exports only. */
export * from "./aws-network";
export * from "./cross-cloud-vpn";
export * from "./gcp-network";
export * from "./subnet-plan";
export * from "./vpn-plan";
