import * as assert from "assert";
import {
    credentialsField,
    rotationPeriodStart,
    secretReference,
    workerProperties,
} from "../../components/messaging/pubsub-federation";
import { one, ofType } from "../../harness/lookup";
import type { RecordedResource } from "../../harness/recorder";
import { GCP_PROJECT, MESSAGING_KEY, REGION, evaluated } from "./fixture";

/** The Pub/Sub sink's Google credentials: a rotated key in Secrets Manager, read through a config provider. */
describe("PubSubBridge credentials", () => {
    const KEY = "gcp:serviceaccount/key:Key";
    const SECRET = "aws:secretsmanager/secret:Secret";
    const VERSION = "aws:secretsmanager/secretVersion:SecretVersion";
    const connectors = (rs: readonly RecordedResource[]) => ofType(rs, "aws:mskconnect/connector:Connector");
    /** The key file GCP returned for the sink's key, decoded. */
    const keyFile = (rs: readonly RecordedResource[]) =>
        JSON.parse(Buffer.from(one(rs, KEY, "dr-bridge-sink").outputs.privateKey, "base64").toString("utf8"));

    it("gives each connector only the config-provider reference to the current period's field of the secret", async () => {
        const rs = await evaluated("prod");
        const secret = one(rs, SECRET, "dr-bridge-sink-key");
        const arn: string = secret.outputs.arn;
        const expected = "${secretsmanager:" + encodeURIComponent(arn) + ":key-2026-09-04}";
        for (const c of connectors(rs)) {
            const config = c.inputs.connectorConfiguration;
            assert.strictEqual(config["gcp.credentials.json"], expected);
            assert.strictEqual(config["config.action.reload"], "none");
            assert.ok(!("gcp.credentials.file.path" in config));
            assert.ok(!c.secretInputs.includes("connectorConfiguration"), "a reference needs no secrecy");
        }
    });

    it("declares the Secrets Manager config provider on the workers, in the connector's region", async () => {
        const rs = await evaluated("prod");
        const workers = one(rs, "aws:mskconnect/workerConfiguration:WorkerConfiguration", "dr-bridge-workers");
        assert.strictEqual(
            workers.inputs.propertiesFileContent,
            [
                "key.converter=org.apache.kafka.connect.storage.StringConverter",
                "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter",
                "config.providers=secretsmanager",
                "config.providers.secretsmanager.class=com.amazonaws.kafka.config.providers.SecretsManagerConfigProvider",
                `config.providers.secretsmanager.param.region=${REGION}`,
                "",
            ].join("\n"),
        );
    });

    for (const env of ["dev", "prod"] as const) {
        it(`${env}: the private key is in no plain input of any resource, only in the secret version`, async () => {
            const rs = await evaluated(env);
            const file = keyFile(rs);
            assert.match(file.private_key, /^-----BEGIN PRIVATE KEY-----\n/);
            // The key's body (no characters JSON escapes), and the key file as GCP returns it.
            const body: string = file.private_key.split("\n")[1];
            const encoded = one(rs, KEY, "dr-bridge-sink").outputs.privateKey;
            const holders: string[] = [];
            for (const r of rs) {
                for (const [input, value] of Object.entries(r.inputs)) {
                    const text = JSON.stringify(value);
                    if (!text.includes(body) && !text.includes(encoded)) continue;
                    holders.push(`${r.type}::${r.name}.${input}`);
                    assert.ok(
                        r.secretInputs.includes(input),
                        `${r.type} ${r.name}.${input} holds the key in plain text`,
                    );
                }
            }
            assert.deepStrictEqual(holders, [`${VERSION}::dr-bridge-sink-key.secretString`]);
        });
    }

    it("keeps the key under the messaging key, in the current period's field, recoverable for 30 days in prod", async () => {
        for (const [env, window] of [
            ["prod", 30],
            ["dev", 7],
        ] as const) {
            const rs = await evaluated(env);
            const secret = one(rs, SECRET, "dr-bridge-sink-key");
            assert.strictEqual(secret.inputs.kmsKeyId, MESSAGING_KEY);
            assert.strictEqual(secret.inputs.recoveryWindowInDays, window);
            const version = one(rs, VERSION, "dr-bridge-sink-key");
            assert.strictEqual(version.inputs.secretId, secret.outputs.id);
            assert.deepStrictEqual(version.secretInputs, ["secretString"]);
            const stored = JSON.parse(version.inputs.secretString);
            assert.deepStrictEqual(Object.keys(stored), ["key-2026-09-04"]);
            assert.deepStrictEqual(JSON.parse(stored["key-2026-09-04"]), keyFile(rs));
        }
    });

    it("creates one key of the sink account per rotation period", async () => {
        const rs = await evaluated("prod");
        const account = one(rs, "gcp:serviceaccount/account:Account", "dr-bridge-sink");
        assert.strictEqual(account.inputs.accountId, "dr-bridge-sink");
        assert.deepStrictEqual(ofType(rs, KEY).length, 1);
        assert.deepStrictEqual(one(rs, KEY, "dr-bridge-sink").inputs, {
            serviceAccountId: account.outputs.name,
            keepers: { rotationPeriodStart: "2026-09-04" },
        });
    });

    it("rotates when a new period starts: a new key keeper, field and connector reference", async () => {
        const later = await evaluated("dev", { now: new Date("2027-02-01T00:00:00Z") });
        assert.deepStrictEqual(one(later, KEY, "dr-bridge-sink").inputs.keepers, {
            rotationPeriodStart: "2026-12-03",
        });
        const arn: string = one(later, SECRET, "dr-bridge-sink-key").outputs.arn;
        for (const c of connectors(later)) {
            assert.strictEqual(
                c.inputs.connectorConfiguration["gcp.credentials.json"],
                "${secretsmanager:" + encodeURIComponent(arn) + ":key-2026-12-03}",
            );
        }
        const monthly = await evaluated("dev", { keyRotationDays: 30 });
        assert.deepStrictEqual(one(monthly, KEY, "dr-bridge-sink").inputs.keepers, {
            rotationPeriodStart: "2026-11-03",
        });
    });

    it("starts connectors only after the secret holds the key and the role policy and publisher grants exist", async () => {
        const rs = await evaluated("prod");
        for (const c of connectors(rs)) {
            for (const dep of [
                one(rs, VERSION, "dr-bridge-sink-key"),
                one(rs, "aws:iam/rolePolicy:RolePolicy", "dr-bridge-connector"),
                one(rs, "gcp:pubsub/topicIAMMember:TopicIAMMember", "dr-bridge-orders-publisher"),
                one(rs, "gcp:pubsub/topicIAMMember:TopicIAMMember", "dr-bridge-payments-publisher"),
            ])
                assert.ok(c.dependencies.includes(dep.urn), `${c.name} waits for ${dep.name}`);
        }
    });

    it("keeps no federation and no long-lived AWS key: the sink account has no IAM bindings of its own", async () => {
        for (const env of ["dev", "prod"] as const) {
            const rs = await evaluated(env);
            for (const type of [
                "gcp:iam/workloadIdentityPool:WorkloadIdentityPool",
                "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider",
                "gcp:serviceaccount/iAMMember:IAMMember",
                "aws:iam/accessKey:AccessKey",
            ])
                assert.deepStrictEqual(ofType(rs, type), [], type);
            const email = `dr-bridge-sink@${GCP_PROJECT}.iam.gserviceaccount.com`;
            const grants = rs.filter((r) => JSON.stringify(r.inputs).includes(`serviceAccount:${email}`));
            assert.deepStrictEqual(
                grants.map((g) => [g.type, g.inputs.role]),
                [
                    ["gcp:pubsub/topicIAMMember:TopicIAMMember", "roles/pubsub.publisher"],
                    ["gcp:pubsub/topicIAMMember:TopicIAMMember", "roles/pubsub.publisher"],
                ],
            );
        }
    });

    describe("helpers", () => {
        it("URL-encode the secret ARN in the reference, since Kafka's syntax splits on ':'", () => {
            assert.strictEqual(
                secretReference("arn:aws:secretsmanager:us-east-1:111122223333:secret:sink-AbCdEf", "key-2026-09-04"),
                "${secretsmanager:arn%3Aaws%3Asecretsmanager%3Aus-east-1%3A111122223333%3Asecret%3Asink-AbCdEf:key-2026-09-04}",
            );
            assert.strictEqual(credentialsField("2026-09-04"), "key-2026-09-04");
        });

        it("count rotation periods from the epoch: the same start through a period, a new one at its end", () => {
            assert.strictEqual(rotationPeriodStart(90, new Date("2026-09-04T00:00:00Z")), "2026-09-04");
            assert.strictEqual(rotationPeriodStart(90, new Date("2026-12-02T23:59:59Z")), "2026-09-04");
            assert.strictEqual(rotationPeriodStart(90, new Date("2026-12-03T00:00:00Z")), "2026-12-03");
            assert.strictEqual(rotationPeriodStart(1, new Date("2026-12-02T12:00:00Z")), "2026-12-02");
        });

        it("build the worker properties with the provider's region", () => {
            assert.match(
                workerProperties("eu-west-1"),
                /\nconfig\.providers\.secretsmanager\.param\.region=eu-west-1\n$/,
            );
        });
    });
});
