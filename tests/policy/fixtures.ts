/** Builds recorded-resource fixtures for policy tests: one passing resource, changed one property at a time. */
import type { Policy, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { runPolicies, type Violation } from "../../harness/policy-runner";
import type { RecordedResource } from "../../harness/recorder";

const URN = "urn:pulumi:test::multicloud-platform::";

export const TAGS = {
    environment: "prod",
    owner: "platform-team",
    "cost-center": "cc-1001",
    "data-classification": "confidential",
    "managed-by": "pulumi",
};

export function resource(
    type: string,
    name: string,
    inputs: Record<string, any>,
    extra: Partial<RecordedResource> = {},
): RecordedResource {
    return {
        urn: `${URN}${type}::${name}`,
        type,
        name,
        custom: true,
        remote: false,
        providers: {},
        dependencies: [],
        propertyDependencies: {},
        protect: false,
        retainOnDelete: false,
        aliases: [],
        inputs,
        secretInputs: [],
        outputs: inputs,
        ...extra,
    };
}

/** An AWS provider as the SDK registers it: `defaultTags` JSON-encoded. */
export function awsProvider(tags: Record<string, string> | undefined): RecordedResource {
    return resource("pulumi:providers:aws", "aws-primary", {
        region: "us-east-1",
        ...(tags ? { defaultTags: JSON.stringify({ tags }) } : {}),
    });
}

export function gcpProvider(labels: Record<string, string> | undefined): RecordedResource {
    return resource("pulumi:providers:gcp", "gcp", {
        project: "p",
        ...(labels ? { defaultLabels: JSON.stringify(labels) } : {}),
    });
}

/** Runs one policy over the resources and returns its violations. */
export function check(
    policy: Policy & (ResourceValidationPolicy | StackValidationPolicy),
    resources: RecordedResource[],
    config?: Record<string, unknown>,
): Promise<Violation[]> {
    return runPolicies(resources, [policy], config ? { config: { [policy.name]: config } } : {});
}

export const messages = (vs: Violation[]) => vs.map((v) => v.message);
