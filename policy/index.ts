// The CrossGuard entry point: `pulumi preview --policy-pack policy`. Constructing PolicyPack starts the
// analyzer's gRPC server, so nothing else may import this file; tests and the offline plan import
// ./policies instead.
import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./policies";

new PolicyPack("multicloud-platform-policies", { policies: allPolicies });
