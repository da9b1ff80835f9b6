/** Add-ons of the Kubernetes clusters: re-exports only. */
export * from "./helm-addon";
