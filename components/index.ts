/** The component package, by domain. Each domain's `index.ts` re-exports its components and helpers. */
export * as security from "./security";
export * as network from "./network";
export * as kubernetes from "./kubernetes";
export * as mesh from "./mesh";
export * as data from "./data";
export * as storage from "./storage";
export * as messaging from "./messaging";
export * as observability from "./observability";
export * as shared from "./shared";
export * as cicd from "./cicd";
export * as catalog from "./catalog";
export * from "./versions";
