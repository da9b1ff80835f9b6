/** The kubernetes domain: re-exports only. */
export * from "./eks-cluster";
export * from "./gke-autopilot";
export * from "./platform-namespaces";
