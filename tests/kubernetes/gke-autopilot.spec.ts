import * as assert from "assert";
import { validateGkeAutopilotArgs, withGkeAutopilotDefaults, type GkeAutopilotArgs } from "../../components/kubernetes";
import { VERSIONS } from "../../components/versions";
import { childrenOf, one, ofType } from "../../harness/lookup";
import { dev, DEV_EKS, DEV_GKE, GKE_KEY, prod, PROD_GKE, resourcesOf, runClusters } from "./fixture";

describe("GkeAutopilot", () => {
    it("is a regional Autopilot cluster with private nodes, authorized networks only, and secrets encrypted with the key", async () => {
        const gke = one(await resourcesOf(prod), "gcp:container/cluster:Cluster", "gke-cluster");
        assert.deepStrictEqual(gke.inputs, {
            project: "acme-dr",
            location: "us-east4",
            enableAutopilot: true,
            network: "projects/acme-dr/global/networks/dr",
            subnetwork: "projects/acme-dr/regions/us-east4/subnetworks/gke",
            networkingMode: "VPC_NATIVE",
            ipAllocationPolicy: { clusterSecondaryRangeName: "pods", servicesSecondaryRangeName: "services" },
            privateClusterConfig: {
                enablePrivateNodes: true,
                enablePrivateEndpoint: false,
                masterIpv4CidrBlock: "172.16.0.0/28",
            },
            masterAuthorizedNetworksConfig: {
                cidrBlocks: ["10.100.0.0/16", "10.101.0.0/16", "198.51.100.0/24"].map((c) => ({
                    cidrBlock: c,
                    displayName: c,
                })),
                gcpPublicCidrsAccessEnabled: false,
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

    it("admits no outside network when no authorized ranges are given, and can serve on the private endpoint only", async () => {
        const { run } = await runClusters(DEV_EKS, {
            ...DEV_GKE,
            masterAuthorizedCidrs: undefined,
            enablePrivateEndpoint: true,
        });
        assert.strictEqual(run.error, undefined);
        const gke = one(run.resources, "gcp:container/cluster:Cluster", "gke-cluster");
        assert.deepStrictEqual(gke.inputs.masterAuthorizedNetworksConfig, {
            cidrBlocks: [],
            gcpPublicCidrsAccessEnabled: false,
        });
        assert.strictEqual(gke.inputs.privateClusterConfig.enablePrivateEndpoint, true);
    });

    it("builds a secret kubeconfig that gets its credentials from gke-gcloud-auth-plugin", async () => {
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
                    server: `https://${gke.outputs.endpoint}`,
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
    const valid = withGkeAutopilotDefaults(PROD_GKE);
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
    ];
    for (const [what, changes, message] of cases) {
        it(`rejects ${what}`, () => assert.strictEqual(problem(changes), `GkeAutopilot gke: ${message}`));
    }

    it("accepts the prod arguments and the defaults", () => {
        assert.strictEqual(problem({}), "no error");
        assert.deepStrictEqual(
            [valid.podsRangeName, valid.servicesRangeName, valid.enablePrivateEndpoint],
            ["pods", "services", false],
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
