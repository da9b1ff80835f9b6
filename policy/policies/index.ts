/** Every policy of the pack, in one list: the pack, the offline plan and the tests all use this. */
import type { Policies } from "@pulumi/policy";
import { dataPolicies } from "./data";
import { kmsKeyRotation } from "./kms";
import { messagingPolicies } from "./messaging";
import { eksPrivateEndpoint, eksSecretsEncryption, gkeSecretsEncryption, launchTemplateHardening } from "./kubernetes";
import { gkeAutopilotAdmission } from "./kubernetes-autopilot";
import { eksUpgradePolicyStandard, eksVersionInStandardSupport } from "./kubernetes-versions";
import { awsVpcFlowLogs, cloudwatchLogGroupEncrypted, gcpSubnetFlowLogs, noWorldOpenIngress } from "./network";
import { awsRequiredTags, gcpRequiredLabels } from "./tagging";
import { vpnStrongIpsec } from "./vpn";
import { workloadPolicies } from "./workloads";

export const allPolicies: Policies = [
    awsRequiredTags,
    gcpRequiredLabels,
    kmsKeyRotation,
    cloudwatchLogGroupEncrypted,
    awsVpcFlowLogs,
    gcpSubnetFlowLogs,
    noWorldOpenIngress,
    vpnStrongIpsec,
    eksSecretsEncryption,
    gkeSecretsEncryption,
    launchTemplateHardening,
    eksPrivateEndpoint,
    eksVersionInStandardSupport,
    eksUpgradePolicyStandard,
    gkeAutopilotAdmission,
    ...messagingPolicies,
    ...dataPolicies,
    ...workloadPolicies,
];

export {
    awsRequiredTags,
    awsVpcFlowLogs,
    cloudwatchLogGroupEncrypted,
    eksPrivateEndpoint,
    eksSecretsEncryption,
    eksUpgradePolicyStandard,
    eksVersionInStandardSupport,
    gcpRequiredLabels,
    gcpSubnetFlowLogs,
    gkeAutopilotAdmission,
    gkeSecretsEncryption,
    kmsKeyRotation,
    launchTemplateHardening,
    noWorldOpenIngress,
    vpnStrongIpsec,
};
