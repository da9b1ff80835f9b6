/** Data in transit: TLS to caches and databases. */
import * as assert from "assert";
import {
    auroraPostgresForceSsl,
    cloudsqlSslRequired,
    elasticacheEncryptedInTransit,
    memorystoreEncryptedInTransit,
} from "../../../policy/policies/data";
import { check, resource } from "../fixtures";
import { expectViolations } from "./helpers";

describe("policy elasticache-encrypted-in-transit", () => {
    const group = (inputs: Record<string, unknown>) => [
        resource("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
            transitEncryptionEnabled: true,
            transitEncryptionMode: "required",
            ...inputs,
        }),
    ];
    it("passes TLS required", async () => {
        assert.deepStrictEqual(await check(elasticacheEncryptedInTransit, group({})), []);
        assert.deepStrictEqual(
            await check(elasticacheEncryptedInTransit, group({ transitEncryptionMode: undefined })),
            [],
        );
    });
    it("catches plaintext and the preferred mode", async () => {
        await expectViolations(elasticacheEncryptedInTransit, group({ transitEncryptionEnabled: false }), [
            'ElastiCache replication group accepts plaintext connections. Set transitEncryptionEnabled: true and transitEncryptionMode: "required".',
        ]);
        await expectViolations(elasticacheEncryptedInTransit, group({ transitEncryptionMode: "preferred" }), [
            'ElastiCache replication group\'s transitEncryptionMode is "preferred", which still accepts plaintext. Set transitEncryptionMode: "required".',
        ]);
    });
});

describe("policy memorystore-encrypted-in-transit", () => {
    const redis = (inputs: Record<string, unknown>) => [
        resource("gcp:redis/instance:Instance", "cache", {
            transitEncryptionMode: "SERVER_AUTHENTICATION",
            authEnabled: true,
            ...inputs,
        }),
    ];
    it("passes server-authenticated TLS", async () => {
        assert.deepStrictEqual(await check(memorystoreEncryptedInTransit, redis({})), []);
    });
    it("catches an unset and a disabled mode", async () => {
        await expectViolations(memorystoreEncryptedInTransit, redis({ transitEncryptionMode: undefined }), [
            'Memorystore instance\'s transitEncryptionMode is unset (DISABLED), so clients connect in plaintext. Set transitEncryptionMode: "SERVER_AUTHENTICATION".',
        ]);
        await expectViolations(memorystoreEncryptedInTransit, redis({ transitEncryptionMode: "DISABLED" }), [
            'Memorystore instance\'s transitEncryptionMode is DISABLED, so clients connect in plaintext. Set transitEncryptionMode: "SERVER_AUTHENTICATION".',
        ]);
    });
    it("catches AUTH off unless requireAuth is false", async () => {
        await expectViolations(memorystoreEncryptedInTransit, redis({ authEnabled: false }), [
            "Memorystore instance has authEnabled off, so any client on the network can issue commands. Set " +
                "authEnabled: true and give clients the authString from a secret.",
        ]);
        assert.deepStrictEqual(
            await check(memorystoreEncryptedInTransit, redis({ authEnabled: false }), { requireAuth: false }),
            [],
        );
    });
});

describe("policy cloudsql-ssl-required", () => {
    const instance = (sslMode: string | undefined) => [
        resource("gcp:sql/databaseInstance:DatabaseInstance", "db", {
            settings: { tier: "db-custom-2-7680", ipConfiguration: { ipv4Enabled: false, sslMode } },
        }),
    ];
    it("passes ENCRYPTED_ONLY and TRUSTED_CLIENT_CERTIFICATE_REQUIRED", async () => {
        for (const mode of ["ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"]) {
            assert.deepStrictEqual(await check(cloudsqlSslRequired, instance(mode)), [], mode);
        }
    });
    it("catches a mode that admits plaintext, and no mode at all", async () => {
        await expectViolations(cloudsqlSslRequired, instance("ALLOW_UNENCRYPTED_AND_ENCRYPTED"), [
            "Cloud SQL instance accepts unencrypted connections (sslMode ALLOW_UNENCRYPTED_AND_ENCRYPTED). Set " +
                'settings.ipConfiguration.sslMode to "ENCRYPTED_ONLY" or "TRUSTED_CLIENT_CERTIFICATE_REQUIRED".',
        ]);
        await expectViolations(cloudsqlSslRequired, instance(undefined), [
            "Cloud SQL instance accepts unencrypted connections (sslMode unset). Set " +
                'settings.ipConfiguration.sslMode to "ENCRYPTED_ONLY" or "TRUSTED_CLIENT_CERTIFICATE_REQUIRED".',
        ]);
    });
    it("narrows to allowedSslModes", async () => {
        await expectViolations(
            cloudsqlSslRequired,
            instance("ENCRYPTED_ONLY"),
            [
                "Cloud SQL instance's sslMode is ENCRYPTED_ONLY; allowed: TRUSTED_CLIENT_CERTIFICATE_REQUIRED. Set " +
                    "settings.ipConfiguration.sslMode to an allowed mode.",
            ],
            { allowedSslModes: ["TRUSTED_CLIENT_CERTIFICATE_REQUIRED"] },
        );
    });
});

describe("policy aurora-postgres-force-ssl", () => {
    const group = (parameters: { name: string; value: string }[], family = "aurora-postgresql16") => [
        resource("aws:rds/clusterParameterGroup:ClusterParameterGroup", "pg", { family, parameters }),
    ];
    const FORCE = { name: "rds.force_ssl", value: "1" };
    const LOGICAL = { name: "rds.logical_replication", value: "1" };
    const TLS12 = { name: "ssl_min_protocol_version", value: "TLSv1.2" };

    it("passes a group that forces TLS 1.2 or later, and a cluster that uses a custom group", async () => {
        assert.deepStrictEqual(await check(auroraPostgresForceSsl, group([LOGICAL, FORCE, TLS12])), []);
        assert.deepStrictEqual(
            await check(auroraPostgresForceSsl, group([FORCE, { name: "ssl_min_protocol_version", value: "TLSv1.3" }])),
            [],
        );
        assert.deepStrictEqual(
            await check(auroraPostgresForceSsl, [
                resource("aws:rds/cluster:Cluster", "db", {
                    engine: "aurora-postgresql",
                    dbClusterParameterGroupName: "pg-1",
                }),
            ]),
            [],
        );
    });

    it("catches a missing and a disabled rds.force_ssl", async () => {
        await expectViolations(auroraPostgresForceSsl, group([LOGICAL, TLS12]), [
            "Cluster parameter group (family aurora-postgresql16) does not set rds.force_ssl, so clients may connect " +
                'without TLS. Add the parameter { name: "rds.force_ssl", value: "1" }.',
        ]);
        await expectViolations(auroraPostgresForceSsl, group([{ name: "rds.force_ssl", value: "0" }, TLS12]), [
            "Cluster parameter group (family aurora-postgresql16) sets rds.force_ssl to 0, so clients may connect " +
                'without TLS. Add the parameter { name: "rds.force_ssl", value: "1" }.',
        ]);
    });

    it("catches an unpinned or too low ssl_min_protocol_version, against minimumTlsVersion", async () => {
        await expectViolations(auroraPostgresForceSsl, group([FORCE]), [
            "Cluster parameter group (family aurora-postgresql16) does not set ssl_min_protocol_version, below " +
                'minimumTlsVersion TLSv1.2. Add { name: "ssl_min_protocol_version", value: "TLSv1.2" }.',
        ]);
        await expectViolations(
            auroraPostgresForceSsl,
            group([FORCE, TLS12]),
            [
                "Cluster parameter group (family aurora-postgresql16) sets ssl_min_protocol_version to TLSv1.2, below " +
                    'minimumTlsVersion TLSv1.3. Add { name: "ssl_min_protocol_version", value: "TLSv1.3" }.',
            ],
            { minimumTlsVersion: "TLSv1.3" },
        );
    });

    it("catches an Aurora PostgreSQL cluster on the default parameter group", async () => {
        await expectViolations(
            auroraPostgresForceSsl,
            [resource("aws:rds/cluster:Cluster", "db", { engine: "aurora-postgresql" })],
            [
                "Aurora PostgreSQL cluster uses the default cluster parameter group, which does not force TLS. Set " +
                    "dbClusterParameterGroupName to a group with rds.force_ssl = 1.",
            ],
        );
    });

    it("ignores other families and engines", async () => {
        assert.deepStrictEqual(await check(auroraPostgresForceSsl, group([], "aurora-mysql8.0")), []);
        assert.deepStrictEqual(
            await check(auroraPostgresForceSsl, [
                resource("aws:rds/cluster:Cluster", "db", { engine: "aurora-mysql" }),
            ]),
            [],
        );
    });
});
