import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import { AwsKmsKeys } from "../../components/security/aws-kms-keys";
import { GcpKmsKeys } from "../../components/security/gcp-kms-keys";
import { issuedKey } from "../../components/security/key-ring";
import { one } from "../../harness/lookup";
import { runStack } from "../../harness/run";

describe("key accessor", () => {
    it("names the missing purpose and the purposes that were issued", () => {
        assert.throws(() => issuedKey("AwsKmsKeys kms", { logs: "arn:logs", backups: "arn:backups" }, "database"), {
            message: "AwsKmsKeys kms has no 'database' key; it issued logs, backups. Add 'database' to its purposes.",
        });
        assert.throws(() => issuedKey("GcpKmsKeys kms-gcp", {}, "logs"), {
            message: "GcpKmsKeys kms-gcp has no 'logs' key; it issued none. Add 'logs' to its purposes.",
        });
    });

    it("hands out the key of the purpose asked for, on both clouds", async () => {
        let problem: unknown;
        const run = await runStack({
            stack: "dev",
            program: async () => {
                const awsKeys = new AwsKmsKeys(
                    "kms",
                    { region: "us-east-1", aliasPrefix: "t", purposes: ["logs"], protect: false },
                    { provider: new aws.Provider("aws", { region: "us-east-1" }) },
                );
                const gcpKeys = new GcpKmsKeys(
                    "kms-gcp",
                    { project: "acme-test", location: "us-central1", keyRingName: "t", purposes: ["database"] },
                    { provider: new gcp.Provider("gcp", { project: "acme-test" }) },
                );
                // The accessor's value is the key's own output, so a resource that takes it depends on that key.
                new aws.cloudwatch.LogGroup("lg", { kmsKeyId: awsKeys.arn("logs") }, { parent: awsKeys });
                new gcp.pubsub.Topic("t", { kmsKeyName: gcpKeys.id("database") }, { parent: gcpKeys });
                try {
                    awsKeys.arn("database");
                } catch (e) {
                    problem = e;
                }
            },
        });
        assert.ifError(run.error);
        assert.strictEqual(
            (problem as Error).message,
            "AwsKmsKeys kms has no 'database' key; it issued logs. Add 'database' to its purposes.",
        );
        const key = one(run.resources, "aws:kms/key:Key", "kms-logs");
        assert.deepStrictEqual(
            one(run.resources, "aws:cloudwatch/logGroup:LogGroup", "lg").propertyDependencies.kmsKeyId,
            [key.urn],
        );
        const cryptoKey = one(run.resources, "gcp:kms/cryptoKey:CryptoKey", "kms-gcp-database");
        assert.deepStrictEqual(one(run.resources, "gcp:pubsub/topic:Topic", "t").propertyDependencies.kmsKeyName, [
            cryptoKey.urn,
        ]);
    });
});
