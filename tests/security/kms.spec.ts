import * as assert from "assert";
import { validateAwsKmsKeysArgs } from "../../components/security/aws-kms-keys";
import { KEY_PURPOSES } from "../../components/security/key-purposes";
import { MOCK_AWS_ACCOUNT, MOCK_GCP_PROJECT_NUMBER } from "../../harness/mocks";
import { descendantsOf, one, ofType, providerOf } from "../../harness/lookup";
import { evaluated } from "../../harness/stacks";

describe("encryption keys", () => {
    for (const [component, provider, region] of [
        ["kms-primary", "aws-primary", "us-east-1"],
        ["kms-secondary", "aws-secondary", "us-west-2"],
    ]) {
        it(`${component}: one rotating key per purpose in ${region}, protected in prod only`, async () => {
            for (const stack of ["dev", "prod"] as const) {
                const { run } = await evaluated(stack);
                const parent = one(run.resources, "multicloud:security:AwsKmsKeys", component);
                const keys = ofType(descendantsOf(run.resources, parent), "aws:kms/key:Key");
                assert.deepStrictEqual(
                    keys.map((k) => k.name).sort(),
                    KEY_PURPOSES.map((p) => `${component}-${p}`).sort(),
                );
                for (const k of keys) {
                    assert.strictEqual(k.inputs.enableKeyRotation, true);
                    assert.strictEqual(k.inputs.rotationPeriodInDays, 365);
                    assert.strictEqual(k.protect, stack === "prod", `${stack} ${k.name} protect`);
                    assert.strictEqual(k.inputs.deletionWindowInDays, stack === "prod" ? 30 : 7);
                    assert.strictEqual(providerOf(run.resources, k)?.name, provider);
                }
                const aliases = ofType(descendantsOf(run.resources, parent), "aws:kms/alias:Alias").map(
                    (a) => a.inputs.name,
                );
                assert.deepStrictEqual(aliases.sort(), KEY_PURPOSES.map((p) => `alias/platform-${stack}-${p}`).sort());
            }
        });
    }

    it("key policies admit only each purpose's services, in the key's own region", async () => {
        const { run } = await evaluated("prod");
        const policy = (name: string) => JSON.parse(one(run.resources, "aws:kms/key:Key", name).inputs.policy);
        const statement = (doc: any, sid: string) => doc.Statement.find((s: any) => s.Sid === sid);

        const db = policy("kms-secondary-database");
        assert.deepStrictEqual(statement(db, "AccountAdministration").Principal, {
            AWS: `arn:aws:iam::${MOCK_AWS_ACCOUNT}:root`,
        });
        assert.deepStrictEqual(statement(db, "UseThroughPurposeServices").Condition.StringEquals, {
            "kms:CallerAccount": MOCK_AWS_ACCOUNT,
            "kms:ViaService": ["rds", "dynamodb", "elasticache", "secretsmanager"].map(
                (s) => `${s}.us-west-2.amazonaws.com`,
            ),
        });

        const logs = policy("kms-primary-logs");
        assert.deepStrictEqual(statement(logs, "CloudWatchLogs").Principal, {
            Service: "logs.us-east-1.amazonaws.com",
        });
        assert.deepStrictEqual(statement(logs, "CloudWatchLogs").Condition.ArnLike, {
            "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:us-east-1:${MOCK_AWS_ACCOUNT}:*`,
        });
        assert.strictEqual(statement(logs, "UseThroughPurposeServices"), undefined);

        const messaging = policy("kms-primary-messaging");
        assert.deepStrictEqual(statement(messaging, "ServicePrincipals").Principal.Service, [
            "sns.amazonaws.com",
            "events.amazonaws.com",
        ]);
        // No statement other than the account's own administration grants to every AWS principal unconditionally.
        for (const doc of [db, logs, messaging]) {
            for (const s of doc.Statement)
                if (s.Principal.AWS === "*") assert.ok(s.Condition?.StringEquals?.["kms:CallerAccount"]);
        }
    });

    it("GCP: a key ring with one 90-day key per purpose and the service agents bound to them", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const { run } = await evaluated(stack);
            const ring = one(run.resources, "gcp:kms/keyRing:KeyRing", "kms-gcp-ring");
            assert.strictEqual(ring.protect, stack === "prod");
            assert.strictEqual(ring.inputs.location, stack === "prod" ? "us-east4" : "us-central1");
            const keys = ofType(run.resources, "gcp:kms/cryptoKey:CryptoKey");
            assert.deepStrictEqual(keys.map((k) => k.inputs.name).sort(), [...KEY_PURPOSES].sort());
            for (const k of keys) {
                assert.strictEqual(k.inputs.rotationPeriod, "7776000s");
                assert.strictEqual(k.inputs.keyRing, ring.outputs.id);
                assert.strictEqual(k.protect, stack === "prod");
            }
        }
        const { run } = await evaluated("prod");
        const members = ofType(run.resources, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember");
        const sqlAgent = members.find((m) => m.name === "kms-gcp-database-gcp-sa-cloud-sql")!;
        assert.strictEqual(
            sqlAgent.inputs.member,
            `serviceAccount:service-${MOCK_GCP_PROJECT_NUMBER}@gcp-sa-cloud-sql.iam.gserviceaccount.com`,
        );
        assert.strictEqual(sqlAgent.inputs.role, "roles/cloudkms.cryptoKeyEncrypterDecrypter");
        assert.match(sqlAgent.inputs.cryptoKeyId, /keyRings\/platform-prod\/cryptoKeys\/database$/);
        const gke = members.find((m) => m.name === "kms-gcp-kubernetes-container-engine-robot")!;
        assert.match(gke.inputs.cryptoKeyId, /cryptoKeys\/kubernetes$/);
    });

    it("exports every key ARN as a stack output", async () => {
        const { run } = await evaluated("dev");
        const arns = run.outputs.kmsKeyArnsSecondary as Record<string, string>;
        assert.deepStrictEqual(Object.keys(arns).sort(), [...KEY_PURPOSES].sort());
        assert.match(arns.database, /^arn:aws:kms:us-west-2:123456789012:key\//);
    });
});

describe("AwsKmsKeys arguments", () => {
    it("reports every invalid argument at once", () => {
        assert.throws(
            () =>
                validateAwsKmsKeysArgs("k", {
                    region: "us-east-1",
                    aliasPrefix: "bad prefix",
                    deletionWindowInDays: 3,
                    rotationPeriodInDays: 30,
                }),
            {
                message:
                    "AwsKmsKeys k: deletionWindowInDays must be a whole number from 7 to 30; received 3; " +
                    "rotationPeriodInDays must be a whole number from 90 to 2560; received 30; " +
                    "aliasPrefix may hold only letters, digits, '/', '_' and '-'; received \"bad prefix\"",
            },
        );
        assert.doesNotThrow(() =>
            validateAwsKmsKeysArgs("k", {
                region: "us-east-1",
                aliasPrefix: "platform-dev",
                deletionWindowInDays: 7,
                rotationPeriodInDays: 365,
            }),
        );
    });
});
