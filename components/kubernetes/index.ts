/** The kubernetes domain: re-exports only. */
export * from "./addons";
export * from "./eks-cluster";
export * from "./eks-cluster-args";
export * from "./eks-node-groups";
export * from "./irsa";
export * from "./gke-autopilot";
export * from "./namespace-sizing";
export * from "./platform-namespaces";
