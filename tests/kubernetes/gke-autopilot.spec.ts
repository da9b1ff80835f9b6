import * as assert from "assert";
import { validateGkeAutopilotArgs, withGkeAutopilotDefaults, type GkeAutopilotArgs } from "../../components/kubernetes";
import { VERSIONS } from "../../components/versions";
import { childrenOf, one, ofType } from "../../harness/lookup";
import { dev, DEV_EKS, DEV_GKE, GKE_KEY, prod, PROD_GKE, resourcesOf, runClusters } from "./fixture";

describe("GkeAutopilot", () => {
    it("is a regional Autopilot cluster with private nodes and endpoint, authorized networks only, and secrets encrypted with the key", async () => {
        const gke = one(await resourcesOf(prod), "gcp:container/cluster:Cluster", "gke-cluster");
        assert.deepStrictEqual(gke.inputs, {
            project: "acme-dr",
            location: "us-east4",
            enableAutopilot: true,
            // Off unless asked for: only the platform's mesh needs NET_ADMIN (istio-init).
            allowNetAdmin: false,
            network: "projects/acme-dr/global/networks/dr",
            subnetwork: "projects/acme-dr/regions/us-east4/subnetworks/gke",
            networkingMode: "VPC_NATIVE",
            ipAllocationPolicy: { clusterSecondaryRangeName: "pods", servicesSecondaryRangeName: "services" },
            privateClusterConfig: {
                enablePrivateNodes: true,
                enablePrivateEndpoint: true,
                masterIpv4CidrBlock: "172.16.0.0/28",
            },
            masterAuthorizedNetworksConfig: {
                cidrBlocks: ["10.100.0.0/16", "10.101.0.0/16", "198.51.100.0/24"].map((c) => ({
                    cidrBlock: c,
                    displayName: c,
                })),
                gcpPublicCidrsAccessEnabled: false,
                privateEndpointEnforcementEnabled: true,
            },
            clusterAutoscaling: {
                autoProvisioningDefaults: {
                    serviceAccount: "gke-nodes@acme-dr.iam.gserviceaccount.com",
                    oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
                },
            },
            releaseChannel: { channel: VERSIONS.gkeReleaseChannel },
            databaseEncryption: { state: "ENCRYPTED", keyName: GKE_KEY },
            workloadIdentityConfig: { workloadPool: "acme-dr.svc.id.goog" },
            maintenancePolicy: {
                recurringWindow: {
                    startTime: "2025-01-04T01:00:00Z",
                    endTime: "2025-01-04T07:00:00Z",
                    recurrence: "FREQ=WEEKLY;BYDAY=SA,SU",
                },
            },
            deletionProtection: true,
        });
    });

    it("is protected (provider deletionProtection and Pulumi protect) with prod-style args only", async () => {
        for (const [which, expected] of [
            [dev, false],
            [prod, true],
        ] as const) {
            const gke = one(await resourcesOf(which), "gcp:container/cluster:Cluster", "gke-cluster");
            assert.deepStrictEqual([gke.inputs.deletionProtection, gke.protect], [expected, expected]);
        }
    });

    it("admits no outside network when no authorized ranges are given, and can add a public endpoint", async () => {
        const { run } = await runClusters(DEV_EKS, {
            ...DEV_GKE,
            masterAuthorizedCidrs: undefined,
            enablePrivateEndpoint: false,
        });
        assert.strictEqual(run.error, undefined);
        const gke = one(run.resources, "gcp:container/cluster:Cluster", "gke-cluster");
        assert.deepStrictEqual(gke.inputs.masterAuthorizedNetworksConfig, {
            cidrBlocks: [],
            gcpPublicCidrsAccessEnabled: false,
            privateEndpointEnforcementEnabled: true,
        });
        assert.strictEqual(gke.inputs.privateClusterConfig.enablePrivateEndpoint, false);
        // With a public endpoint the kubeconfig keeps the address GKE reports as the endpoint.
        const config = JSON.parse(one(run.resources, "pulumi:providers:kubernetes", "gke-k8s").inputs.kubeconfig);
        assert.strictEqual(config.clusters[0].cluster.server, `https://${gke.outputs.endpoint}`);
    });

    it("builds a secret kubeconfig for the private endpoint that gets its credentials from gke-gcloud-auth-plugin", async () => {
        const rs = await resourcesOf(prod);
        const gke = one(rs, "gcp:container/cluster:Cluster", "gke-cluster");
        const provider = one(rs, "pulumi:providers:kubernetes", "gke-k8s");
        assert.ok(provider.secretInputs.includes("kubeconfig"));
        assert.strictEqual(provider.inputs.enableServerSideApply, "true");
        const config = JSON.parse(provider.inputs.kubeconfig);
        const context = `gke_acme-dr_us-east4_${gke.outputs.name}`;
        assert.strictEqual(config["current-context"], context);
        assert.deepStrictEqual(config.clusters, [
            {
                name: context,
                cluster: {
                    // The internal address (the mock's second host of the master /28), not `endpoint`.
                    server: "https://172.16.0.2",
                    "certificate-authority-data": gke.outputs.masterAuth.clusterCaCertificate,
                },
            },
        ]);
        const exec = config.users[0].user.exec;
        assert.deepStrictEqual(
            [exec.apiVersion, exec.command, exec.provideClusterInfo],
            ["client.authentication.k8s.io/v1beta1", "gke-gcloud-auth-plugin", true],
        );
        assert.match(exec.installHint, /gke-gcloud-auth-plugin/);
        assert.strictEqual(config.users[0].user.token, undefined);
    });
});

describe("GkeAutopilot arguments", () => {
    const valid = withGkeAutopilotDefaults("gke", PROD_GKE);
    const problem = (changes: Partial<GkeAutopilotArgs>) => {
        try {
            validateGkeAutopilotArgs("gke", { ...valid, ...changes } as typeof valid);
        } catch (e) {
            return (e as Error).message;
        }
        return "no error";
    };
    const MASTER = (received: string) =>
        `masterIpv4CidrBlock must be a private (RFC 1918) /28, the size GKE requires for the control plane; received "${received}"`;
    const cases: [string, Partial<GkeAutopilotArgs>, string][] = [
        ["a control-plane range that is not a /28", { masterIpv4CidrBlock: "172.16.0.0/24" }, MASTER("172.16.0.0/24")],
        ["a public control-plane range", { masterIpv4CidrBlock: "100.64.0.0/28" }, MASTER("100.64.0.0/28")],
        [
            "a world-open authorized network",
            { masterAuthorizedCidrs: ["10.100.0.0/16", "0.0.0.0/0"] },
            'masterAuthorizedCidrs[1] must not be a /0 range, which would open the control plane to the whole internet; received "0.0.0.0/0". List the AWS VPC ranges and the CI runners\' ranges instead',
        ],
        [
            "an authorized network that is not a CIDR",
            { masterAuthorizedCidrs: ["10.100.0.0"] },
            'masterAuthorizedCidrs[0] must be a canonical IPv4 CIDR such as "10.100.0.0/16"; received "10.100.0.0"',
        ],
        [
            "more authorized networks than GKE takes",
            { masterAuthorizedCidrs: Array.from({ length: 51 }, (_, i) => `10.200.${i}.0/24`) },
            "masterAuthorizedCidrs may hold at most 50 ranges; received 51. Summarize adjacent ranges",
        ],
        [
            "a node service account id IAM refuses",
            { nodeServiceAccountId: "GKE_nodes" },
            'nodeServiceAccountId must be 6 to 30 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen; received "GKE_nodes"',
        ],
    ];
    for (const [what, changes, message] of cases) {
        it(`rejects ${what}`, () => assert.strictEqual(problem(changes), `GkeAutopilot gke: ${message}`));
    }

    it("accepts the prod arguments and the defaults", () => {
        assert.strictEqual(problem({}), "no error");
        assert.deepStrictEqual(
            [valid.podsRangeName, valid.servicesRangeName, valid.enablePrivateEndpoint, valid.nodeServiceAccountId],
            ["pods", "services", true, "gke-nodes"],
        );
    });

    it("throws before any child exists", async () => {
        const { run } = await runClusters(DEV_EKS, { ...DEV_GKE, masterIpv4CidrBlock: "172.16.0.0/24" });
        assert.strictEqual(run.error?.message, `GkeAutopilot gke: ${MASTER("172.16.0.0/24")}`);
        assert.deepStrictEqual(ofType(run.resources, "gcp:container/cluster:Cluster"), []);
        const component = run.resources.find((r) => r.type === "multicloud:kubernetes:GkeAutopilot");
        assert.deepStrictEqual(component ? childrenOf(run.resources, component) : [], []);
    });
});
