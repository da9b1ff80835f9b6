/** Fixtures shared by the data-policy specs: keys, a provider-tagged resource, and the exact-violation check. */
import * as assert from "assert";
import * as policyProxy from "@pulumi/policy/proxy";
import { s3BucketKmsEncrypted } from "../../../policy/policies/data";
import type { RecordedResource } from "../../../harness/recorder";
import { awsProvider, check, gcpProvider, messages, resource, TAGS } from "../fixtures";

export const KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
export const KEY_WEST = "arn:aws:kms:us-west-2:123456789012:key/5678abcd-12ab-34cd-56ef-1234567890ab";
export const GCP_KEY = "projects/acme-dr/locations/us-east4/keyRings/platform/cryptoKeys/database";
// The SDK's sentinel for a string unknown during preview (internal to @pulumi/policy 1.21).
export const UNKNOWN: string = (policyProxy as any).unknownStringValue;

/** One resource of `type` with `inputs`, created with a provider that tags it `environment: <env>`. */
export function tagged(
    cloud: "aws" | "gcp",
    type: string,
    inputs: Record<string, any>,
    env = "prod",
    extra: Partial<RecordedResource> = {},
): RecordedResource[] {
    const p = cloud === "aws" ? awsProvider({ ...TAGS, environment: env }) : gcpProvider({ ...TAGS, environment: env });
    return [p, resource(type, "data", inputs, { provider: p.urn, ...extra })];
}

/** Asserts the exact messages, and that each is mandatory and reported on the resource itself. */
export async function expectViolations(
    policy: Parameters<typeof check>[0],
    resources: RecordedResource[],
    expected: string[],
    config?: Record<string, unknown>,
): Promise<void> {
    const vs = await check(policy, resources, config);
    assert.deepStrictEqual(messages(vs), expected);
    const target = resources[resources.length - 1].urn;
    for (const v of vs) {
        assert.strictEqual(v.level, "mandatory");
        if (policy.name !== s3BucketKmsEncrypted.name) assert.strictEqual(v.urn, target);
    }
}

/** A prod resource that passes a durability policy, and single changes that each break it with one message. */
export interface DurabilityCase {
    cloud: "aws" | "gcp";
    type: string;
    good: Record<string, unknown>;
    changes: [Record<string, unknown>, string][];
}

export function itCatchesEachChange(policy: Parameters<typeof check>[0], cases: DurabilityCase[], title: string): void {
    for (const c of cases) {
        it(`${c.type}: ${title}`, async () => {
            assert.deepStrictEqual(await check(policy, tagged(c.cloud, c.type, c.good)), []);
            for (const [change, message] of c.changes) {
                await expectViolations(policy, tagged(c.cloud, c.type, { ...c.good, ...change }), [message]);
            }
        });
    }
}
