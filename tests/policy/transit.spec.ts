/**
 * The policies on data moving between systems (VPN tunnels, MSK Connect, DMS), the config knobs of the
 * MSK transit and authentication rules, and the `requireCustomerManagedKey: false` escape of the
 * encryption rules whose service encrypts regardless.
 */
import * as assert from "assert";
import { dmsSourceSsl } from "../../policy/policies/data";
import {
    eventBridgeEncrypted,
    mskConnectEncryptedInTransit,
    mskEncryptionInTransit,
    mskNoUnauthenticatedAccess,
    pubsubTopicCmek,
} from "../../policy/policies/messaging";
import { eksSecretsEncryption, gkeSecretsEncryption } from "../../policy/policies/kubernetes";
import { vpnStrongIpsec } from "../../policy/policies/vpn";
import { VPN_IPSEC } from "../../components/network/cross-cloud-vpn";
import { runPolicies } from "../../harness/policy-runner";
import { check, messages, resource } from "./fixtures";

/** The proposals the platform's VPN component sets, for both tunnels. */
function tunnelInputs(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const inputs: Record<string, unknown> = {};
    for (const n of [1, 2]) {
        inputs[`tunnel${n}IkeVersions`] = [...VPN_IPSEC.ikeVersions];
        inputs[`tunnel${n}Phase1EncryptionAlgorithms`] = [...VPN_IPSEC.encryption];
        inputs[`tunnel${n}Phase2EncryptionAlgorithms`] = [...VPN_IPSEC.encryption];
        inputs[`tunnel${n}Phase1IntegrityAlgorithms`] = [...VPN_IPSEC.integrity];
        inputs[`tunnel${n}Phase2IntegrityAlgorithms`] = [...VPN_IPSEC.integrity];
        inputs[`tunnel${n}Phase1DhGroupNumbers`] = [...VPN_IPSEC.dhGroups];
        inputs[`tunnel${n}Phase2DhGroupNumbers`] = [...VPN_IPSEC.dhGroups];
    }
    return { customerGatewayId: "cgw-1", transitGatewayId: "tgw-1", type: "ipsec.1", ...inputs, ...overrides };
}
const vpn = (overrides: Record<string, unknown> = {}) => [
    resource("aws:ec2/vpnConnection:VpnConnection", "to-gcp-0", tunnelInputs(overrides)),
];

describe("policy vpn-strong-ipsec", () => {
    it("passes the proposals the VPN component sets", async () => {
        assert.deepStrictEqual(await check(vpnStrongIpsec, vpn()), []);
    });

    it("catches an unset proposal list, which means AWS's weak defaults", async () => {
        const vs = await check(vpnStrongIpsec, vpn({ tunnel2IkeVersions: undefined }));
        assert.deepStrictEqual(messages(vs), [
            "VPN connection leaves tunnel2IkeVersions unset, so AWS offers its defaults, which include weak proposals. " +
                "Set tunnel2IkeVersions to values from: ikev2.",
        ]);
        assert.strictEqual(vs[0].level, "mandatory");
    });

    it("names each weak proposal offered", async () => {
        assert.deepStrictEqual(
            messages(
                await check(
                    vpnStrongIpsec,
                    vpn({
                        tunnel1IkeVersions: ["ikev1", "ikev2"],
                        tunnel1Phase1EncryptionAlgorithms: ["AES128", "AES256"],
                        tunnel2Phase2DhGroupNumbers: [2, 20],
                    }),
                ),
            ),
            [
                "VPN connection tunnel1IkeVersions offers ikev1, which is not allowed. Allowed: ikev2.",
                "VPN connection tunnel1Phase1EncryptionAlgorithms offers AES128, which is not allowed. Allowed: AES256, AES256-GCM-16.",
                "VPN connection tunnel2Phase2DhGroupNumbers offers 2, which is not allowed. Allowed: 14, 15, 16, 17, 18, 19, 20, 21.",
            ],
        );
    });

    it("follows the configured lists", async () => {
        const gcm = vpn({ tunnel1Phase1EncryptionAlgorithms: ["AES256-GCM-16"] });
        assert.deepStrictEqual(await check(vpnStrongIpsec, gcm), []);
        assert.deepStrictEqual(
            messages(await check(vpnStrongIpsec, gcm, { allowedEncryptionAlgorithms: ["AES256"] })),
            [
                "VPN connection tunnel1Phase1EncryptionAlgorithms offers AES256-GCM-16, which is not allowed. Allowed: AES256.",
            ],
        );
    });

    it("catches a Cloud VPN tunnel on IKEv1, and accepts the IKEv2 default", async () => {
        const tunnel = (ikeVersion?: number) => [
            resource("gcp:compute/vPNTunnel:VPNTunnel", "to-aws-0", { ikeVersion, sharedSecret: "x" }),
        ];
        assert.deepStrictEqual(await check(vpnStrongIpsec, tunnel(2)), []);
        assert.deepStrictEqual(await check(vpnStrongIpsec, tunnel(undefined)), []);
        assert.deepStrictEqual(messages(await check(vpnStrongIpsec, tunnel(1))), [
            "Cloud VPN tunnel uses IKEv1, which is not allowed (ikev2). Set ikeVersion: 2.",
        ]);
    });
});

describe("policy mskconnect-encrypted-in-transit", () => {
    const connector = (inputs: Record<string, unknown>) => [
        resource("aws:mskconnect/connector:Connector", "sink", {
            kafkaClusterEncryptionInTransit: { encryptionType: "TLS" },
            kafkaClusterClientAuthentication: { authenticationType: "IAM" },
            ...inputs,
        }),
    ];

    it("passes TLS with IAM", async () => {
        assert.deepStrictEqual(await check(mskConnectEncryptedInTransit, connector({})), []);
    });

    it("catches plaintext and unauthenticated connectors", async () => {
        assert.deepStrictEqual(
            messages(
                await check(
                    mskConnectEncryptedInTransit,
                    connector({
                        kafkaClusterEncryptionInTransit: { encryptionType: "PLAINTEXT" },
                        kafkaClusterClientAuthentication: { authenticationType: "NONE" },
                    }),
                ),
            ),
            [
                "MSK Connect connector talks to Kafka with encryptionType PLAINTEXT, so records cross the network in " +
                    "plaintext. Set kafkaClusterEncryptionInTransit.encryptionType to 'TLS'.",
                "MSK Connect connector authenticates to Kafka with NONE; allowed: IAM. Set " +
                    "kafkaClusterClientAuthentication.authenticationType to 'IAM'.",
            ],
        );
    });
});

describe("policy dms-source-ssl", () => {
    const profile = (postgresql: Record<string, unknown>) => [
        resource("gcp:databasemigrationservice/connectionProfile:ConnectionProfile", "source", {
            location: "us-east4",
            connectionProfileId: "source",
            postgresql,
        }),
    ];
    const source = { host: "10.100.1.10", port: 5432, username: "replicator", password: "p" };

    it("passes REQUIRED and SERVER_ONLY sources and a Cloud SQL destination without ssl", async () => {
        assert.deepStrictEqual(await check(dmsSourceSsl, profile({ ...source, ssl: { type: "REQUIRED" } })), []);
        assert.deepStrictEqual(
            await check(dmsSourceSsl, profile({ ...source, ssl: { type: "SERVER_ONLY", caCertificate: "pem" } })),
            [],
        );
        assert.deepStrictEqual(await check(dmsSourceSsl, profile({ cloudSqlId: "dr-postgres" })), []);
    });

    it("catches a source without ssl and one with ssl NONE", async () => {
        const message = (type: string) =>
            `DMS connection profile reaches its postgresql source with ssl ${type}, so replicated rows may cross the ` +
            "network in plaintext. Set postgresql.ssl.type to one of: REQUIRED, SERVER_ONLY, SERVER_CLIENT.";
        assert.deepStrictEqual(messages(await check(dmsSourceSsl, profile(source))), [message("unset")]);
        assert.deepStrictEqual(messages(await check(dmsSourceSsl, profile({ ...source, ssl: { type: "NONE" } }))), [
            message("NONE"),
        ]);
    });

    it("can demand certificate verification through allowedSslTypes", async () => {
        const vs = await check(dmsSourceSsl, profile({ ...source, ssl: { type: "REQUIRED" } }), {
            allowedSslTypes: ["SERVER_ONLY", "SERVER_CLIENT"],
        });
        assert.strictEqual(vs.length, 1);
        assert.match(vs[0].message, /with ssl REQUIRED/);
    });
});

describe("MSK transit and authentication config", () => {
    const cluster = (inputs: Record<string, unknown>) => [
        resource("aws:msk/cluster:Cluster", "kafka", {
            encryptionInfo: { encryptionInTransit: { clientBroker: "TLS", inCluster: true } },
            clientAuthentication: { sasl: { iam: true }, unauthenticated: false },
            ...inputs,
        }),
    ];

    it("accepts TLS_PLAINTEXT only when allowedClientBrokerModes lists it", async () => {
        const mixed = cluster({ encryptionInfo: { encryptionInTransit: { clientBroker: "TLS_PLAINTEXT" } } });
        assert.strictEqual((await check(mskEncryptionInTransit, mixed)).length, 1);
        assert.deepStrictEqual(
            await check(mskEncryptionInTransit, mixed, { allowedClientBrokerModes: ["TLS", "TLS_PLAINTEXT"] }),
            [],
        );
    });

    it("can require IAM only through allowedMechanisms", async () => {
        const scram = cluster({ clientAuthentication: { sasl: { scram: true }, unauthenticated: false } });
        assert.deepStrictEqual(await check(mskNoUnauthenticatedAccess, scram), []);
        assert.deepStrictEqual(
            messages(await check(mskNoUnauthenticatedAccess, scram, { allowedMechanisms: ["iam"] })),
            [
                "MSK cluster authenticates clients only with scram; allowed: iam. Enable an allowed mechanism in clientAuthentication.",
            ],
        );
    });
});

describe("requireCustomerManagedKey: false, where the service encrypts regardless", () => {
    const cases = [
        { policy: pubsubTopicCmek, r: resource("gcp:pubsub/topic:Topic", "orders", { name: "orders" }) },
        { policy: eventBridgeEncrypted, r: resource("aws:cloudwatch/eventBus:EventBus", "bus", { name: "bus" }) },
        { policy: eksSecretsEncryption, r: resource("aws:eks/cluster:Cluster", "eks", { roleArn: "arn" }) },
        { policy: gkeSecretsEncryption, r: resource("gcp:container/cluster:Cluster", "gke", { location: "x" }) },
    ];
    for (const { policy, r } of cases) {
        it(`${policy.name}: a violation by default, none when the key is not required`, async () => {
            const strict = await check(policy, [r]);
            assert.ok(strict.length >= 1 && strict.every((v) => v.level === "mandatory"), policy.name);
            assert.deepStrictEqual(await check(policy, [r], { requireCustomerManagedKey: false }), []);
        });
    }
});

describe("pack configuration", () => {
    const unencrypted = resource("gcp:pubsub/topic:Topic", "orders", { name: "orders" });

    it('"all" sets every level, and a policy\'s own entry wins over it', async () => {
        assert.deepStrictEqual(
            (await runPolicies([unencrypted], [pubsubTopicCmek], { config: { all: "advisory" } })).map((v) => v.level),
            ["advisory"],
        );
        assert.deepStrictEqual(
            (
                await runPolicies([unencrypted], [pubsubTopicCmek], {
                    config: { all: "advisory", "pubsub-topic-cmek": { enforcementLevel: "mandatory" } },
                })
            ).map((v) => v.level),
            ["mandatory"],
        );
        assert.deepStrictEqual(
            await runPolicies([unencrypted], [pubsubTopicCmek], { config: { all: "disabled" } }),
            [],
        );
    });
});
