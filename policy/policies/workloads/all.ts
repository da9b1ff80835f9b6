/** Every workload policy, in the pack's order: the pod, its containers, its images, its budget, its identity, its namespace. */
import { containerResourcesAndProbes } from "./container-resources";
import { workloadDisruptionBudget } from "./disruption-budget";
import { containerImagesPinned } from "./images";
import { serviceNamespaceDefaultDeny } from "./namespace-default-deny";
import { podSecurityRestricted } from "./pod-security";
import { serviceAccountRolesLeastPrivilege } from "./service-account-roles";

export const workloadPolicies = [
    podSecurityRestricted,
    containerResourcesAndProbes,
    containerImagesPinned,
    workloadDisruptionBudget,
    serviceAccountRolesLeastPrivilege,
    serviceNamespaceDefaultDeny,
];
