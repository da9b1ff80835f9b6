/** Every policy of the pack, in one list: the pack, the offline plan and the tests all use this. */
import type { Policies } from "@pulumi/policy";
import { kmsKeyRotation } from "./kms";
import { messagingPolicies } from "./messaging";
import { awsVpcFlowLogs, cloudwatchLogGroupEncrypted, gcpSubnetFlowLogs, noWorldOpenIngress } from "./network";
import { awsRequiredTags, gcpRequiredLabels } from "./tagging";

export const allPolicies: Policies = [
    awsRequiredTags,
    gcpRequiredLabels,
    kmsKeyRotation,
    cloudwatchLogGroupEncrypted,
    awsVpcFlowLogs,
    gcpSubnetFlowLogs,
    noWorldOpenIngress,
    ...messagingPolicies,
];

export {
    awsRequiredTags,
    awsVpcFlowLogs,
    cloudwatchLogGroupEncrypted,
    gcpRequiredLabels,
    gcpSubnetFlowLogs,
    kmsKeyRotation,
    noWorldOpenIngress,
};
