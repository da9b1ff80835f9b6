/** The service catalog's shared vocabulary: re-exports only. */
export * from "./limits";
export * from "./quantity";
export * from "./service-entry";
