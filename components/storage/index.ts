/** The storage domain: re-exports only. */
export * from "./secure-bucket";
