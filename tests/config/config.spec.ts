import * as assert from "assert";
import { ConfigValidationError } from "../../config/load";
import { validatePlatformConfig, type RawConfig } from "../../config/validate";
import { runStack } from "../../harness/run";
import { loadStackConfig } from "../../harness/stack-config";

/** The dev stack file's project keys, parsed: the valid baseline every case changes one thing in. */
function devRaw(): RawConfig {
    const raw: RawConfig = {};
    for (const [k, v] of Object.entries(loadStackConfig("dev").config)) {
        if (!k.startsWith("multicloud-platform:")) continue;
        try {
            raw[k.slice("multicloud-platform:".length)] = JSON.parse(v);
        } catch {
            raw[k.slice("multicloud-platform:".length)] = v;
        }
    }
    return raw;
}

const PLAN =
    "Allowed: a block disjoint from every other range of the address plan, because the VPN and Transit Gateway route between them.";
const LABEL = "Allowed: up to 63 lowercase letters, digits, '_' or '-' (GCP label rules).";

const cases: { name: string; change: (raw: any) => void; message: string }[] = [
    {
        name: "an invalid CIDR",
        change: (r) => (r.network.awsPrimaryVpcCidr = "10.10.0.0/33"),
        message: `multicloud-platform:network.awsPrimaryVpcCidr: is not a canonical IPv4 CIDR block; received "10.10.0.0/33". Allowed: an RFC 1918 IPv4 block with prefix /16 to /20 and no host bits set, such as 10.10.0.0/16. Fix: pulumi config set --path 'network.awsPrimaryVpcCidr' 10.10.0.0/16.`,
    },
    {
        name: "a CIDR with host bits set",
        change: (r) => (r.network.awsSecondaryVpcCidr = "10.11.0.1/16"),
        message: `multicloud-platform:network.awsSecondaryVpcCidr: is not a canonical IPv4 CIDR block; received "10.11.0.1/16". Allowed: an RFC 1918 IPv4 block with prefix /16 to /20 and no host bits set, such as 10.20.0.0/16. Fix: pulumi config set --path 'network.awsSecondaryVpcCidr' 10.20.0.0/16.`,
    },
    {
        name: "overlapping AWS VPCs",
        change: (r) => (r.network.awsSecondaryVpcCidr = "10.10.128.0/17"),
        message: `multicloud-platform:network.awsSecondaryVpcCidr: overlaps multicloud-platform:network.awsPrimaryVpcCidr (10.10.0.0/16); received "10.10.128.0/17". ${PLAN} Fix: choose a block outside 10.10.0.0/16 with pulumi config set --path 'network.awsSecondaryVpcCidr' <cidr>.`,
    },
    {
        name: "a GCP range overlapping AWS",
        change: (r) => (r.network.gcpSubnetCidr = "10.10.16.0/20"),
        message: `multicloud-platform:network.gcpSubnetCidr: overlaps multicloud-platform:network.awsPrimaryVpcCidr (10.10.0.0/16); received "10.10.16.0/20". ${PLAN} Fix: choose a block outside 10.10.0.0/16 with pulumi config set --path 'network.gcpSubnetCidr' <cidr>.`,
    },
    {
        name: "a range outside RFC 1918",
        change: (r) => (r.network.gkePodsCidr = "100.64.0.0/14"),
        message: `multicloud-platform:network.gkePodsCidr: is not in private (RFC 1918) space; received "100.64.0.0/14". Allowed: an RFC 1918 IPv4 block with prefix /12 to /21 and no host bits set, such as 10.32.0.0/14. Fix: pulumi config set --path 'network.gkePodsCidr' 10.32.0.0/14.`,
    },
    {
        name: "an unknown AWS region",
        change: (r) => (r.aws.primaryRegion = "us-east-9"),
        message: `multicloud-platform:aws.primaryRegion: is not an allowed value; received "us-east-9". Allowed: one of us-east-1, us-east-2, us-west-1, us-west-2, ca-central-1, eu-west-1, eu-west-2, eu-west-3, eu-central-1, eu-central-2, eu-north-1, eu-south-1, ap-south-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, ap-northeast-2, ap-northeast-3, sa-east-1. Fix: pulumi config set --path 'aws.primaryRegion' us-east-1.`,
    },
    {
        name: "primary region equal to secondary",
        change: (r) => (r.aws.secondaryRegion = "us-east-1"),
        message: `multicloud-platform:aws.secondaryRegion: equals aws.primaryRegion; a second region in the same place protects nothing; received "us-east-1". Allowed: an AWS region other than us-east-1. Fix: pulumi config set --path 'aws.secondaryRegion' us-west-2.`,
    },
    {
        name: "an unknown GCP region",
        change: (r) => (r.gcp.region = "europe-west99"),
        message: `multicloud-platform:gcp.region: is not an allowed value; received "europe-west99". Allowed: one of us-central1, us-east1, us-east4, us-east5, us-west1, us-west2, us-west3, us-west4, northamerica-northeast1, northamerica-northeast2, europe-west1, europe-west2, europe-west3, europe-west4, europe-west6, europe-north1, asia-east1, asia-northeast1, asia-southeast1, australia-southeast1, southamerica-east1. Fix: pulumi config set --path 'gcp.region' us-central1.`,
    },
    {
        name: "a tag value GCP labels cannot hold",
        change: (r) => (r.tags.owner = "Platform Team"),
        message: `multicloud-platform:tags.owner: tag value cannot be a GCP label value; received "Platform Team". ${LABEL} Fix: pulumi config set --path 'tags.owner' platform-team.`,
    },
    {
        name: "a tag key GCP labels cannot hold",
        change: (r) => (r.tags.CostCenter = "x"),
        message: `multicloud-platform:tags.CostCenter: tag key cannot be a GCP label key; received "CostCenter". Allowed: a key that starts with a lowercase letter, then up to 62 lowercase letters, digits, '_' or '-'. Fix: rename the key under 'multicloud-platform:tags'.`,
    },
    {
        name: "a missing environment",
        change: (r) => delete r.environment,
        message: `multicloud-platform:environment: required value is missing; received nothing. Allowed: one of dev, prod. Fix: pulumi config set environment dev.`,
    },
    {
        name: "a missing address plan",
        change: (r) => delete r.network,
        message: `multicloud-platform:network: required key is missing; received nothing. Allowed: an object with the address plan keys awsPrimaryVpcCidr, awsSecondaryVpcCidr, gcpSubnetCidr, gcpDataSubnetCidr, gkePodsCidr, gkeServicesCidr, gcpPrivateServicesCidr, gkeMasterCidr, awsBgpAsn, gcpBgpAsn, deployerCidrs. Fix: add 'multicloud-platform:network' to Pulumi.dev.yaml (see README, "Config reference").`,
    },
    {
        name: "a missing required tag",
        change: (r) => delete r.tags.owner,
        message: `multicloud-platform:tags.owner: required tag is missing; received nothing. ${LABEL} Fix: pulumi config set --path 'tags.owner' <value>.`,
    },
    {
        name: "a public BGP ASN",
        change: (r) => (r.network.awsBgpAsn = 7224),
        message: `multicloud-platform:network.awsBgpAsn: is not a private BGP ASN; received 7224. Allowed: a private ASN, 64512 to 65534 or 4200000000 to 4294967294. Fix: pulumi config set --path 'network.awsBgpAsn' 64512.`,
    },
    {
        name: "equal BGP ASNs",
        change: (r) => (r.network.gcpBgpAsn = 64512),
        message: `multicloud-platform:network.gcpBgpAsn: equals network.awsBgpAsn; the two BGP speakers need different ASNs; received 64512. Allowed: a private ASN, 64512 to 65534 or 4200000000 to 4294967294, different from 64512. Fix: pulumi config set --path 'network.gcpBgpAsn' 65010.`,
    },
    {
        name: "a VPN tunnel block AWS reserves",
        change: (r) =>
            (r.network.vpnTunnelInsideCidrs = [
                "169.254.21.0/30",
                "169.254.21.4/30",
                "169.254.22.0/30",
                "169.254.169.252/30",
            ]),
        message: `multicloud-platform:network.vpnTunnelInsideCidrs: 169.254.169.252/30 is reserved by AWS (169.254.0.0/30, 169.254.1.0/30, 169.254.2.0/30, 169.254.3.0/30, 169.254.4.0/30, 169.254.5.0/30, 169.254.169.252/30); received ["169.254.21.0/30","169.254.21.4/30","169.254.22.0/30","169.254.169.252/30"]. Allowed: four distinct /30 blocks inside 169.254.0.0/16, none of 169.254.0.0/30, 169.254.1.0/30, 169.254.2.0/30, 169.254.3.0/30, 169.254.4.0/30, 169.254.5.0/30, 169.254.169.252/30. Fix: remove the key to use 169.254.21.0/30, 169.254.21.4/30, 169.254.22.0/30, 169.254.22.4/30, or list four valid blocks.`,
    },
    {
        name: "VPN tunnel blocks that are not link-local /30s or overlap",
        change: (r) =>
            (r.network.vpnTunnelInsideCidrs = ["10.0.0.0/30", "169.254.21.0/29", "169.254.30.0/30", "169.254.30.0/30"]),
        message: `multicloud-platform:network.vpnTunnelInsideCidrs: "10.0.0.0/30" is not a /30 inside 169.254.0.0/16; "169.254.21.0/29" is not a /30 inside 169.254.0.0/16; 169.254.30.0/30 overlaps another tunnel's block; received ["10.0.0.0/30","169.254.21.0/29","169.254.30.0/30","169.254.30.0/30"]. Allowed: four distinct /30 blocks inside 169.254.0.0/16, none of 169.254.0.0/30, 169.254.1.0/30, 169.254.2.0/30, 169.254.3.0/30, 169.254.4.0/30, 169.254.5.0/30, 169.254.169.252/30. Fix: remove the key to use 169.254.21.0/30, 169.254.21.4/30, 169.254.22.0/30, 169.254.22.4/30, or list four valid blocks.`,
    },
    {
        name: "no deployer ranges",
        change: (r) => delete r.network.deployerCidrs,
        message: `multicloud-platform:network.deployerCidrs: required value is missing; received nothing. Allowed: 1 to 10 distinct RFC 1918 blocks, /16 to /32, inside network.awsPrimaryVpcCidr (the only network routed to both private cluster APIs): where the CI runner and any operator host run. Fix: pulumi config set --path 'network.deployerCidrs[0]' 10.10.0.0/19 (see README, "Config reference").`,
    },
    {
        name: "deployer ranges that are public, too wide, outside the primary VPC or repeated",
        change: (r) =>
            (r.network.deployerCidrs = [
                "203.0.113.0/24",
                "10.0.0.0/8",
                "10.11.0.0/24",
                "10.10.0.0/19",
                "10.10.0.0/19",
            ]),
        message: `multicloud-platform:network.deployerCidrs: [0] 203.0.113.0/24 is not in private (RFC 1918) space; [1] 10.0.0.0/8 is wider than /16; [2] 10.11.0.0/24 is outside network.awsPrimaryVpcCidr (10.10.0.0/16); [4] 10.10.0.0/19 is listed twice; received ["203.0.113.0/24","10.0.0.0/8","10.11.0.0/24","10.10.0.0/19","10.10.0.0/19"]. Allowed: 1 to 10 distinct RFC 1918 blocks, /16 to /32, inside network.awsPrimaryVpcCidr (the only network routed to both private cluster APIs): where the CI runner and any operator host run. Fix: pulumi config set --path 'network.deployerCidrs[0]' 10.10.0.0/19 (see README, "Config reference").`,
    },
    {
        name: "an unknown environment",
        change: (r) => (r.environment = "staging"),
        message: `multicloud-platform:environment: is not an allowed value; received "staging". Allowed: one of dev, prod. Fix: pulumi config set environment dev.`,
    },
    {
        name: "a backup retention AWS does not allow",
        change: (r) => (r.sizing = { backupRetentionDays: 40 }),
        message: `multicloud-platform:sizing.backupRetentionDays: must be a whole number in range; received 40. Allowed: a whole number from 1 to 35. Fix: pulumi config set --path 'sizing.backupRetentionDays' 7.`,
    },
    {
        name: "a misspelt sizing key",
        change: (r) => (r.sizing = { natGateway: "single" }),
        message: `multicloud-platform:sizing.natGateway: unknown key; received "single". Allowed: one of availabilityZoneCount, natGateways, logRetentionDays, backupRetentionDays, kubernetesNodeInstanceTypes, databaseInstanceClass, databaseReaderCount, kafkaBrokerInstanceType, cacheNodeType, serviceDatabaseInstanceClass, allowUnlistedInstanceTypes, allowReducedDurability. Fix: rename or remove 'natGateway' under 'multicloud-platform:sizing'.`,
    },
    {
        name: "an invalid GCP project id",
        change: (r) => (r.gcp.project = "Acme_Project"),
        message: `multicloud-platform:gcp.project: has the wrong form; received "Acme_Project". Allowed: a GCP project id: 6 to 30 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen. Fix: pulumi config set --path 'gcp.project' acme-platform-dr.`,
    },
    {
        name: "an unknown data classification",
        change: (r) => (r.tags["data-classification"] = "secret"),
        message: `multicloud-platform:tags.data-classification: is not a known data classification; received "secret". Allowed: one of public, internal, confidential, restricted. Fix: pulumi config set --path 'tags.data-classification' internal.`,
    },
    {
        name: "an overridden derived tag",
        change: (r) => (r.tags["managed-by"] = "terraform"),
        message: `multicloud-platform:tags.managed-by: is set by the platform and cannot be overridden; received "terraform". Allowed: "pulumi". Fix: remove 'managed-by' from 'multicloud-platform:tags'.`,
    },
];

describe("stack configuration", () => {
    it("accepts both stack files", async () => {
        for (const stack of ["dev", "prod"]) {
            const raw: RawConfig = {};
            for (const [k, v] of Object.entries(loadStackConfig(stack).config)) {
                if (k.startsWith("multicloud-platform:"))
                    raw[k.split(":")[1]] = JSON.parse(v.startsWith("{") ? v : JSON.stringify(v));
            }
            const result = validatePlatformConfig(raw, stack);
            assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
        }
    });

    it("derives prod protection and sizing defaults from the environment", () => {
        const raw = devRaw();
        const dev = validatePlatformConfig(raw, "dev");
        const prod = validatePlatformConfig({ ...raw, environment: "prod" }, "prod");
        assert.ok(dev.ok && prod.ok);
        assert.strictEqual(dev.config.protectStatefulResources, false);
        assert.strictEqual(prod.config.protectStatefulResources, true);
        assert.strictEqual(dev.config.sizing.natGateways, "single");
        assert.strictEqual(prod.config.sizing.natGateways, "one-per-az");
        assert.strictEqual(prod.config.sizing.backupRetentionDays, 35);
        assert.deepStrictEqual(prod.config.tags, {
            ...(raw.tags as object),
            "managed-by": "pulumi",
            environment: "prod",
        });
    });

    describe("rejects, with the exact message and before any resource is registered,", () => {
        for (const c of cases) {
            it(c.name, async () => {
                const raw = devRaw();
                c.change(raw);
                const run = await runStack({
                    stack: "dev",
                    overrides: { ...Object.fromEntries(Object.keys(devRaw()).map((k) => [k, undefined])), ...raw },
                });
                assert.ok(
                    run.error instanceof ConfigValidationError,
                    `expected a ConfigValidationError, got ${run.error}`,
                );
                assert.deepStrictEqual(run.error.problems, [c.message]);
                assert.deepStrictEqual(
                    run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.urn),
                    [],
                );
            });
        }
    });

    it("reports every problem at once, in config order", () => {
        const picked = [
            "an unknown AWS region",
            "an invalid GCP project id",
            "a range outside RFC 1918",
            "equal BGP ASNs",
            "a missing required tag",
            "a misspelt sizing key",
        ].map((n) => cases.find((c) => c.name === n)!);
        const raw = devRaw();
        for (const c of picked) c.change(raw);
        const result = validatePlatformConfig(raw, "dev");
        assert.ok(!result.ok);
        assert.deepStrictEqual(
            result.problems,
            picked.map((c) => c.message),
        );
    });
});
