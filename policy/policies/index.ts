/** Every policy of the pack, in one list: the pack, the offline plan and the tests all use this. */
import type { Policies } from "@pulumi/policy";
import { kmsKeyRotation } from "./kms";
import { awsRequiredTags, gcpRequiredLabels } from "./tagging";

export const allPolicies: Policies = [awsRequiredTags, gcpRequiredLabels, kmsKeyRotation];

export { awsRequiredTags, gcpRequiredLabels, kmsKeyRotation };
