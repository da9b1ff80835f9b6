/** The mesh domain: re-exports only. */
export * from "./istio-charts";
export * from "./istio-cluster";
export * from "./istio-data-plane";
export * from "./istio-eks-node-access";
export * from "./istio-remote-secret";
export * from "./istio-settings";
export * from "./istio-validation";
export * from "./istio-values";
export * from "./mesh-ca";
export * from "./mesh-policies";
export * from "./mesh-policy-validation";
export * from "./mesh-rate-limit";
export * from "./remote-kubeconfig";
