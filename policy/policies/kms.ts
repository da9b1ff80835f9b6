import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";

/** Parses a GCP duration such as `7776000s` into seconds. */
function durationSeconds(d: unknown): number | undefined {
    const m = typeof d === "string" ? /^(\d+(?:\.\d+)?)s$/.exec(d) : null;
    return m ? Number(m[1]) : undefined;
}

export const kmsKeyRotation: ResourceValidationPolicy = {
    name: "kms-key-rotation",
    description:
        "Customer-managed symmetric keys rotate automatically, at most every maximumRotationDays (AWS) or gcpMaximumRotationDays (GCP).",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: {
        properties: {
            maximumRotationDays: {
                type: "number",
                default: 365,
                description: "Longest AWS KMS rotation period allowed.",
            },
            gcpMaximumRotationDays: {
                type: "number",
                default: 90,
                description: "Longest GCP KMS rotation period allowed.",
            },
        },
    },
    remediationSteps:
        "AWS: set enableKeyRotation: true (and rotationPeriodInDays within the limit) on aws.kms.Key. " +
        "GCP: set rotationPeriod (e.g. '7776000s') on gcp.kms.CryptoKey.",
    validateResource: [
        validateResourceOfType(aws.kms.Key, (key, args, reportViolation) => {
            // Asymmetric and HMAC keys cannot rotate automatically; the rule does not apply to them.
            const spec = key.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
            if (spec !== "SYMMETRIC_DEFAULT") args.notApplicable(`key spec ${spec} does not support rotation`);
            const { maximumRotationDays } = args.getConfig<{ maximumRotationDays: number }>();
            if (key.enableKeyRotation !== true) {
                reportViolation("KMS key rotation is not enabled. Set enableKeyRotation: true.");
            } else if ((key.rotationPeriodInDays ?? 365) > maximumRotationDays) {
                reportViolation(
                    `KMS key rotates every ${key.rotationPeriodInDays} days; at most ${maximumRotationDays} is allowed.`,
                );
            }
        }),
        validateResourceOfType(gcp.kms.CryptoKey, (key, args, reportViolation) => {
            if ((key.purpose ?? "ENCRYPT_DECRYPT") !== "ENCRYPT_DECRYPT") {
                args.notApplicable(`purpose ${key.purpose} does not support automatic rotation`);
            }
            const { gcpMaximumRotationDays } = args.getConfig<{ gcpMaximumRotationDays: number }>();
            const seconds = durationSeconds(key.rotationPeriod);
            if (seconds === undefined) {
                reportViolation(
                    "Crypto key has no rotationPeriod, so it never rotates. Set rotationPeriod, e.g. '7776000s'.",
                );
            } else if (seconds > gcpMaximumRotationDays * 86400) {
                reportViolation(
                    `Crypto key rotates every ${seconds / 86400} days; at most ${gcpMaximumRotationDays} is allowed.`,
                );
            }
        }),
    ],
};
