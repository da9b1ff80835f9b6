/** Helpers shared by the policies. No PolicyPack here: importing this never starts a server. */
import {
    UnknownValueError,
    type PolicyConfigSchema,
    type PolicyProviderResource,
    type ResourceValidationArgs,
} from "@pulumi/policy";
import tagSupport from "../generated/tag-support.json";

/** Object-typed inputs (provider settings, policy documents) reach policies JSON-encoded; undefined if not JSON. */
export function decodeJsonInput(value: unknown): any {
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
    return decodeJsonInput(provider.props.defaultTags)?.tags ?? {};
}

/** The `defaultLabels` of a GCP provider, or `{}`. */
export function gcpProviderDefaultLabels(provider: PolicyProviderResource | undefined): Record<string, string> {
    if (!provider || provider.type !== "pulumi:providers:gcp") return {};
    return decodeJsonInput(provider.props.defaultLabels) ?? {};
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

/** {@link customerManagedKeySchema} for a service that encrypts anyway: `what` is what false then accepts. */
export function requireCustomerManagedKeySchema(what: string): PolicyConfigSchema {
    return customerManagedKeySchema(`Require a customer-managed key; false also accepts ${what}.`);
}

export type CmkConfig = { requireCustomerManagedKey: boolean };

/** Skips the policy when customer-managed keys are not required and the service encrypts regardless. */
export function requireCmk(args: Pick<ResourceValidationArgs, "getConfig" | "notApplicable">): void {
    if (!args.getConfig<CmkConfig>().requireCustomerManagedKey)
        args.notApplicable("requireCustomerManagedKey is false");
}
