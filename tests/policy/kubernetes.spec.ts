import * as assert from "assert";
import * as policyProxy from "@pulumi/policy/proxy";
import {
    eksPrivateEndpoint,
    eksSecretsEncryption,
    gkeSecretsEncryption,
    launchTemplateHardening,
} from "../../policy/policies";
import { check, messages, resource } from "./fixtures";

const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const GCP_KEY = "projects/acme-platform-prod/locations/us-east4/keyRings/platform-prod/cryptoKeys/kubernetes";
// The SDK's sentinel for a string that is unknown during preview (internal to @pulumi/policy 1.21).
const UNKNOWN: string = (policyProxy as any).unknownStringValue;

/** The eks.Cluster component as the offline plan records it: its inputs, no children. */
const eksComponent = (inputs: Record<string, unknown> = {}) =>
    resource(
        "eks:index:Cluster",
        "eks-cluster",
        {
            vpcId: "vpc-0123456789abcdef0",
            encryptionConfigKeyArn: KEY_ARN,
            endpointPrivateAccess: true,
            endpointPublicAccess: false,
            ...inputs,
        },
        { custom: false, remote: true },
    );

/** The aws.eks.Cluster that eks.Cluster registers in a real preview. */
const eksCluster = (inputs: Record<string, unknown> = {}, vpcConfig: Record<string, unknown> = {}) =>
    resource("aws:eks/cluster:Cluster", "eks-cluster-eksCluster", {
        roleArn: "arn:aws:iam::123456789012:role/eks",
        vpcConfig: {
            subnetIds: ["subnet-a", "subnet-b"],
            endpointPrivateAccess: true,
            endpointPublicAccess: false,
            ...vpcConfig,
        },
        encryptionConfig: { resources: ["secrets"], provider: { keyArn: KEY_ARN } },
        ...inputs,
    });

describe("policy eks-secrets-encryption", () => {
    const NO_KEY =
        "EKS cluster has no encryptionConfigKeyArn, so Kubernetes secrets are not encrypted with a " +
        "customer-managed KMS key. Set encryptionConfigKeyArn to a KMS key ARN.";

    it("passes the component and the cluster resource when secrets are encrypted with a key", async () => {
        assert.deepStrictEqual(await check(eksSecretsEncryption, [eksComponent(), eksCluster()]), []);
    });

    it("catches a component without encryptionConfigKeyArn, as mandatory, on the component", async () => {
        const vs = await check(eksSecretsEncryption, [eksComponent({ encryptionConfigKeyArn: undefined })]);
        assert.deepStrictEqual(messages(vs), [NO_KEY]);
        assert.strictEqual(vs[0].level, "mandatory");
        assert.strictEqual(vs[0].urn, eksComponent().urn);
    });

    it("treats an empty key ARN as missing, and a key ARN unknown during preview as set", async () => {
        assert.deepStrictEqual(
            messages(await check(eksSecretsEncryption, [eksComponent({ encryptionConfigKeyArn: "" })])),
            [NO_KEY],
        );
        assert.deepStrictEqual(
            await check(eksSecretsEncryption, [eksComponent({ encryptionConfigKeyArn: UNKNOWN })]),
            [],
        );
    });

    it("catches a cluster resource without encryptionConfig", async () => {
        assert.deepStrictEqual(
            messages(await check(eksSecretsEncryption, [eksCluster({ encryptionConfig: undefined })])),
            [
                "EKS cluster has no encryptionConfig, so Kubernetes secrets are not encrypted with a customer-managed " +
                    "KMS key. Set encryptionConfig: { resources: ['secrets'], provider: { keyArn } }.",
            ],
        );
    });

    it("catches an encryptionConfig that does not cover secrets", async () => {
        const config = { resources: [], provider: { keyArn: KEY_ARN } };
        assert.deepStrictEqual(
            messages(await check(eksSecretsEncryption, [eksCluster({ encryptionConfig: config })])),
            ["EKS cluster encryptionConfig does not cover secrets. Set resources: ['secrets']."],
        );
    });

    it("catches an encryptionConfig without a key ARN", async () => {
        const config = { resources: ["secrets"], provider: {} };
        assert.deepStrictEqual(
            messages(await check(eksSecretsEncryption, [eksCluster({ encryptionConfig: config })])),
            ["EKS cluster encryptionConfig has no provider.keyArn. Set it to a customer-managed KMS key ARN."],
        );
    });
});

describe("policy gke-secrets-encryption", () => {
    const gke = (inputs: Record<string, unknown> = {}) => [
        resource("gcp:container/cluster:Cluster", "gke-cluster", {
            location: "us-east4",
            enableAutopilot: true,
            databaseEncryption: { state: "ENCRYPTED", keyName: GCP_KEY },
            ...inputs,
        }),
    ];

    it("passes a cluster that encrypts secrets with a Cloud KMS key", async () => {
        assert.deepStrictEqual(await check(gkeSecretsEncryption, gke()), []);
    });

    it("catches a cluster without databaseEncryption, as mandatory", async () => {
        const vs = await check(gkeSecretsEncryption, gke({ databaseEncryption: undefined }));
        assert.deepStrictEqual(messages(vs), [
            "GKE cluster does not encrypt secrets with a Cloud KMS key (databaseEncryption.state is unset). " +
                "Set databaseEncryption: { state: 'ENCRYPTED', keyName }.",
        ]);
        assert.strictEqual(vs[0].level, "mandatory");
    });

    it("catches a cluster whose databaseEncryption is DECRYPTED", async () => {
        assert.deepStrictEqual(
            messages(await check(gkeSecretsEncryption, gke({ databaseEncryption: { state: "DECRYPTED" } }))),
            [
                "GKE cluster does not encrypt secrets with a Cloud KMS key (databaseEncryption.state is DECRYPTED). " +
                    "Set databaseEncryption: { state: 'ENCRYPTED', keyName }.",
            ],
        );
    });

    it("catches ENCRYPTED without a keyName", async () => {
        assert.deepStrictEqual(
            messages(await check(gkeSecretsEncryption, gke({ databaseEncryption: { state: "ENCRYPTED" } }))),
            [
                "GKE cluster databaseEncryption has no keyName. Set it to a Cloud KMS crypto key id (projects/…/cryptoKeys/…).",
            ],
        );
    });
});

describe("policy launch-template-hardening", () => {
    const ROOT = {
        deviceName: "/dev/xvda",
        ebs: { volumeSize: 50, volumeType: "gp3", encrypted: "true", kmsKeyId: KEY_ARN },
    };
    const template = (inputs: Record<string, unknown> = {}) => [
        resource("aws:ec2/launchTemplate:LaunchTemplate", "eks-system", {
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            blockDeviceMappings: [ROOT],
            ...inputs,
        }),
    ];

    it("passes a template with IMDSv2 and an encrypted root volume", async () => {
        assert.deepStrictEqual(await check(launchTemplateHardening, template()), []);
    });

    it("catches IMDSv1 left optional, as mandatory", async () => {
        const vs = await check(
            launchTemplateHardening,
            template({ metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 1 } }),
        );
        assert.deepStrictEqual(messages(vs), [
            "Launch template allows IMDSv1 (metadataOptions.httpTokens is optional). Set metadataOptions.httpTokens to 'required'.",
        ]);
        assert.strictEqual(vs[0].level, "mandatory");
    });

    it("catches a template without metadataOptions", async () => {
        assert.deepStrictEqual(
            messages(await check(launchTemplateHardening, template({ metadataOptions: undefined }))),
            [
                "Launch template allows IMDSv1 (metadataOptions.httpTokens is unset). Set metadataOptions.httpTokens to 'required'.",
            ],
        );
    });

    it("catches a hop limit above the configured maximum", async () => {
        const far = template({ metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 3 } });
        assert.deepStrictEqual(messages(await check(launchTemplateHardening, far)), [
            "Launch template lets metadata responses travel 3 hops; at most 2 is allowed.",
        ]);
        assert.deepStrictEqual(await check(launchTemplateHardening, far, { maximumHttpPutResponseHopLimit: 3 }), []);
    });

    it("catches an unencrypted EBS mapping, naming its device", async () => {
        const plain = { deviceName: "/dev/xvdb", ebs: { volumeSize: 100, encrypted: "false" } };
        assert.deepStrictEqual(
            messages(await check(launchTemplateHardening, template({ blockDeviceMappings: [ROOT, plain] }))),
            ["Launch template block device /dev/xvdb is not encrypted. Set ebs.encrypted to 'true'."],
        );
    });

    it("catches a template that maps no block device", async () => {
        assert.deepStrictEqual(
            messages(await check(launchTemplateHardening, template({ blockDeviceMappings: undefined }))),
            [
                "Launch template maps no block devices, so root-volume encryption is left to the AMI and the account " +
                    "default. Map the root device with ebs.encrypted 'true'.",
            ],
        );
    });

    it("ignores instance-store mappings, which have no EBS volume", async () => {
        const ephemeral = { deviceName: "/dev/sdb", virtualName: "ephemeral0" };
        assert.deepStrictEqual(
            await check(launchTemplateHardening, template({ blockDeviceMappings: [ROOT, ephemeral] })),
            [],
        );
    });
});

describe("policy eks-private-endpoint", () => {
    const PUBLIC =
        "EKS cluster API endpoint is public. Set endpointPublicAccess: false and reach the private endpoint from " +
        "the VPC or over the VPN (or allow public endpoints with allowPublicEndpoint).";
    const worldOpen = (cidrs: string) =>
        `EKS cluster API endpoint is public and open to the whole internet (publicAccessCidrs: ${cidrs}). ` +
        "Set endpointPublicAccess: false, or restrict publicAccessCidrs to known ranges.";

    it("passes a private endpoint on the component and on the cluster resource", async () => {
        assert.deepStrictEqual(await check(eksPrivateEndpoint, [eksComponent(), eksCluster()]), []);
    });

    it("catches a component that leaves endpointPublicAccess unset (eks makes it public), as mandatory", async () => {
        const vs = await check(eksPrivateEndpoint, [eksComponent({ endpointPublicAccess: undefined })]);
        assert.deepStrictEqual(messages(vs), [worldOpen("unset, which EKS reads as 0.0.0.0/0")]);
        assert.strictEqual(vs[0].level, "mandatory");
        assert.strictEqual(vs[0].urn, eksComponent().urn);
    });

    it("catches a public endpoint open to 0.0.0.0/0, even when public endpoints are allowed", async () => {
        const open = eksComponent({ endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] });
        assert.deepStrictEqual(messages(await check(eksPrivateEndpoint, [open])), [worldOpen("0.0.0.0/0")]);
        assert.deepStrictEqual(messages(await check(eksPrivateEndpoint, [open], { allowPublicEndpoint: true })), [
            worldOpen("0.0.0.0/0"),
        ]);
    });

    it("catches a restricted public endpoint unless allowPublicEndpoint is set", async () => {
        const restricted = eksComponent({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
        assert.deepStrictEqual(messages(await check(eksPrivateEndpoint, [restricted])), [PUBLIC]);
        assert.deepStrictEqual(await check(eksPrivateEndpoint, [restricted], { allowPublicEndpoint: true }), []);
    });

    it("reads vpcConfig of the cluster resource, where AWS defaults to public and 0.0.0.0/0", async () => {
        assert.deepStrictEqual(
            messages(await check(eksPrivateEndpoint, [eksCluster({}, { endpointPublicAccess: undefined })])),
            [worldOpen("unset, which EKS reads as 0.0.0.0/0")],
        );
        const restricted = eksCluster({}, { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
        assert.deepStrictEqual(messages(await check(eksPrivateEndpoint, [restricted])), [PUBLIC]);
    });
});
