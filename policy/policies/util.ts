/** Helpers shared by the policies. No PolicyPack here: importing this never starts a server. */
import {
    UnknownValueError,
    type PolicyConfigSchema,
    type PolicyProviderResource,
    type ResourceValidationArgs,
} from "@pulumi/policy";
import tagSupport from "../generated/tag-support.json";

/** Provider inputs of object type reach policies JSON-encoded (the SDK serializes them that way). */
export function decodeProviderInput(value: unknown): any {
    if (typeof value !== "string") return value;
    try {
        return JSON.parse(value);
    } catch {
        return undefined;
    }
}

/** The `defaultTags.tags` of an AWS provider, or `{}`. */
export function awsProviderDefaultTags(provider: PolicyProviderResource | undefined): Record<string, string> {
    if (!provider || provider.type !== "pulumi:providers:aws") return {};
    return decodeProviderInput(provider.props.defaultTags)?.tags ?? {};
}

/** The `defaultLabels` of a GCP provider, or `{}`. */
export function gcpProviderDefaultLabels(provider: PolicyProviderResource | undefined): Record<string, string> {
    if (!provider || provider.type !== "pulumi:providers:gcp") return {};
    return decodeProviderInput(provider.props.defaultLabels) ?? {};
}

const awsTaggable = new Set<string>(tagSupport.awsTaggable);
const gcpLabelable = tagSupport.gcpLabelable as Record<string, string>;

export function isAwsTaggable(type: string): boolean {
    return awsTaggable.has(type);
}

/** Name of the label input of a GCP type (`labels` or `resourceLabels`), or undefined if it has none. */
export function gcpLabelField(type: string): string | undefined {
    return gcpLabelable[type];
}

export const GCP_LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
export const GCP_LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;

/**
 * Reads a value that may be unknown during preview; unknown reads as undefined. Reading an unknown
 * through the analyzer's proxy throws, and one such read would otherwise abort a whole stack policy.
 */
export function known<T>(read: () => T): T | undefined {
    try {
        return read();
    } catch (e) {
        if (e instanceof UnknownValueError) return undefined;
        throw e;
    }
}

/**
 * Whether a string input is set. A value unknown during preview (the ARN of a key created in the same
 * deployment) counts as set: the program named something, and the update will know what.
 */
export function isSet(read: () => unknown): boolean {
    try {
        const v = read();
        return typeof v === "string" && v !== "";
    } catch (e) {
        if (e instanceof UnknownValueError) return true;
        throw e;
    }
}

/** The `requireCustomerManagedKey` option every encryption policy offers, on by default. */
export function customerManagedKeySchema(description: string): PolicyConfigSchema {
    return { properties: { requireCustomerManagedKey: { type: "boolean", default: true, description } } };
}

export type CmkConfig = { requireCustomerManagedKey: boolean };

/** Skips the policy when customer-managed keys are not required and the service encrypts regardless. */
export function requireCmk(args: ResourceValidationArgs): void {
    if (!args.getConfig<CmkConfig>().requireCustomerManagedKey)
        args.notApplicable("requireCustomerManagedKey is false");
}
