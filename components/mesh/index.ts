/** The mesh domain: re-exports only. */
export * from "./istio-helm";
export * from "./istio-mesh";
export * from "./mesh-ca";
export * from "./mesh-policies";
