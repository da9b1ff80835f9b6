/** The security domain: re-exports only. */
export * from "./aws-kms-keys";
export * from "./gcp-kms-keys";
export * from "./key-purposes";

export * from "./key-ring";
