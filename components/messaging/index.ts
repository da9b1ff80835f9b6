/** The messaging domain: re-exports only. */
export * from "./event-bus";
export * from "./kafka-settings";
export * from "./kafka-topics-settings";
export * from "./kafka-topics";
export * from "./messaging-routes";
export * from "./msk-cluster";
export * from "./pubsub-bridge-settings";
export * from "./pubsub-bridge";
export * from "./pubsub-federation";
export * from "./service-messaging";
