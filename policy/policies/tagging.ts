import type { ResourceValidationPolicy } from "@pulumi/policy";
import {
    awsProviderDefaultTags,
    GCP_LABEL_KEY,
    GCP_LABEL_VALUE,
    gcpLabelField,
    gcpProviderDefaultLabels,
    isAwsTaggable,
} from "./util";

/** Tags every resource must carry: who owns it, who pays, how sensitive its data is. */
export const DEFAULT_REQUIRED_TAGS = ["environment", "owner", "cost-center", "data-classification", "managed-by"];

const requiredTagsSchema = {
    properties: {
        requiredTags: {
            type: "array" as const,
            items: { type: "string" as const },
            default: DEFAULT_REQUIRED_TAGS,
            description: "Tag keys every taggable resource must carry with a non-empty value.",
        },
    },
};

function missing(required: readonly string[], tags: Record<string, unknown>): string[] {
    return required.filter((k) => typeof tags[k] !== "string" || tags[k] === "");
}

export const awsRequiredTags: ResourceValidationPolicy = {
    name: "aws-required-tags",
    description:
        "Every taggable AWS resource carries the required tags, from its own tags or the provider's defaultTags.",
    enforcementLevel: "mandatory",
    tags: ["tagging"],
    configSchema: requiredTagsSchema,
    remediationSteps:
        "Set the tags on the explicit AWS provider's defaultTags (program/providers.ts takes them from the stack's " +
        "'multicloud-platform:tags'), or on the resource's own tags.",
    validateResource: (args, reportViolation) => {
        if (!isAwsTaggable(args.type)) return;
        const { requiredTags } = args.getConfig<{ requiredTags: string[] }>();
        const merged = { ...awsProviderDefaultTags(args.provider), ...(args.props.tags ?? {}) };
        const absent = missing(requiredTags, merged);
        if (absent.length > 0) {
            reportViolation(
                `Missing required tags: ${absent.join(", ")}. Add them to the resource's tags or the provider's defaultTags.`,
            );
        }
    },
};

export const gcpRequiredLabels: ResourceValidationPolicy = {
    name: "gcp-required-labels",
    description:
        "Every labelable GCP resource carries the required labels (own labels merged with provider defaultLabels), all valid GCP labels.",
    enforcementLevel: "mandatory",
    tags: ["tagging"],
    configSchema: {
        properties: {
            requiredLabels: {
                ...requiredTagsSchema.properties.requiredTags,
                description: "Label keys every labelable resource must carry.",
            },
        },
    },
    remediationSteps:
        "Set the labels on the explicit GCP provider's defaultLabels, or on the resource. Keys start with a lowercase " +
        "letter; keys and values hold at most 63 lowercase letters, digits, '_' or '-'.",
    validateResource: (args, reportViolation) => {
        const field = gcpLabelField(args.type);
        if (!field) return;
        const { requiredLabels } = args.getConfig<{ requiredLabels: string[] }>();
        const merged: Record<string, unknown> = {
            ...gcpProviderDefaultLabels(args.provider),
            ...(args.props[field] ?? {}),
        };
        const absent = missing(requiredLabels, merged);
        if (absent.length > 0) {
            reportViolation(
                `Missing required labels: ${absent.join(", ")}. Add them to the resource's ${field} or the provider's defaultLabels.`,
            );
        }
        for (const [k, v] of Object.entries(merged)) {
            if (!GCP_LABEL_KEY.test(k)) {
                reportViolation(
                    `Label key ${JSON.stringify(k)} is not a valid GCP label key (lowercase letter first, then up to 62 lowercase letters, digits, '_' or '-').`,
                );
            } else if (typeof v !== "string" || !GCP_LABEL_VALUE.test(v)) {
                reportViolation(
                    `Label ${k}=${JSON.stringify(v)} has an invalid GCP label value (up to 63 lowercase letters, digits, '_' or '-').`,
                );
            }
        }
    },
};
