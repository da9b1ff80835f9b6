import * as assert from "assert";
import { awsRequiredTags, gcpRequiredLabels } from "../../policy/policies";
import { awsProvider, check, gcpProvider, messages, resource, TAGS } from "./fixtures";

describe("policy aws-required-tags", () => {
    const bucket = (tags: Record<string, string> | undefined, providerTags?: Record<string, string>) => {
        const p = awsProvider(providerTags);
        return [p, resource("aws:s3/bucket:Bucket", "logs", tags ? { tags } : {}, { provider: p.urn })];
    };

    it("passes a resource that carries every required tag", async () => {
        assert.deepStrictEqual(await check(awsRequiredTags, bucket(TAGS)), []);
    });

    it("is mandatory and names each missing tag", async () => {
        const { owner: _o, "cost-center": _c, ...rest } = TAGS;
        const vs = await check(awsRequiredTags, bucket(rest));
        assert.deepStrictEqual(messages(vs), [
            "Missing required tags: owner, cost-center. Add them to the resource's tags or the provider's defaultTags.",
        ]);
        assert.strictEqual(vs[0].level, "mandatory");
        assert.strictEqual(vs[0].urn, bucket(rest)[1].urn);
    });

    it("passes a tag supplied only through the provider's defaultTags", async () => {
        assert.deepStrictEqual(await check(awsRequiredTags, bucket(undefined, TAGS)), []);
        const { owner: _o, ...partial } = TAGS;
        assert.deepStrictEqual(await check(awsRequiredTags, bucket({ owner: "team-a" }, partial)), []);
    });

    it("treats an empty value as missing", async () => {
        assert.deepStrictEqual(messages(await check(awsRequiredTags, bucket({ ...TAGS, owner: "" }))), [
            "Missing required tags: owner. Add them to the resource's tags or the provider's defaultTags.",
        ]);
    });

    it("ignores types that cannot be tagged", async () => {
        const p = awsProvider(undefined);
        assert.deepStrictEqual(
            await check(awsRequiredTags, [p, resource("aws:kms/alias:Alias", "a", {}, { provider: p.urn })]),
            [],
        );
    });

    it("takes the required list from the pack config", async () => {
        const vs = await check(awsRequiredTags, bucket(TAGS), { requiredTags: ["owner", "service"] });
        assert.deepStrictEqual(messages(vs), [
            "Missing required tags: service. Add them to the resource's tags or the provider's defaultTags.",
        ]);
    });
});

describe("policy gcp-required-labels", () => {
    const key = (labels: Record<string, string> | undefined, providerLabels?: Record<string, string>) => {
        const p = gcpProvider(providerLabels);
        return [p, resource("gcp:kms/cryptoKey:CryptoKey", "db", labels ? { labels } : {}, { provider: p.urn })];
    };

    it("passes a compliant resource", async () => {
        assert.deepStrictEqual(await check(gcpRequiredLabels, key(TAGS)), []);
    });

    it("names missing labels", async () => {
        const { environment: _e, ...rest } = TAGS;
        assert.deepStrictEqual(messages(await check(gcpRequiredLabels, key(rest))), [
            "Missing required labels: environment. Add them to the resource's labels or the provider's defaultLabels.",
        ]);
    });

    it("passes labels supplied only through the provider's defaultLabels", async () => {
        assert.deepStrictEqual(await check(gcpRequiredLabels, key(undefined, TAGS)), []);
    });

    it("rejects an invalid GCP label key and value", async () => {
        assert.deepStrictEqual(
            messages(await check(gcpRequiredLabels, key({ ...TAGS, owner: "Platform Team", CostCentre: "x" }))),
            [
                "Label owner=\"Platform Team\" has an invalid GCP label value (up to 63 lowercase letters, digits, '_' or '-').",
                "Label key \"CostCentre\" is not a valid GCP label key (lowercase letter first, then up to 62 lowercase letters, digits, '_' or '-').",
            ],
        );
    });

    it("reads GKE clusters' resourceLabels", async () => {
        const p = gcpProvider(undefined);
        const cluster = resource(
            "gcp:container/cluster:Cluster",
            "dr",
            { resourceLabels: { owner: "x" } },
            { provider: p.urn },
        );
        assert.deepStrictEqual(messages(await check(gcpRequiredLabels, [p, cluster])), [
            "Missing required labels: environment, cost-center, data-classification, managed-by. Add them to the resource's resourceLabels or the provider's defaultLabels.",
        ]);
    });
});
