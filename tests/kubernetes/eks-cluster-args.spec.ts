import * as assert from "assert";
import { validateEksClusterArgs, withEksClusterDefaults, type EksClusterArgs } from "../../components/kubernetes";
import { VERSIONS } from "../../components/versions";
import { allPolicies } from "../../policy/policies";
import { childrenOf, ofType, providerOf } from "../../harness/lookup";
import { runPolicies } from "../../harness/policy-runner";
import { ADMIN_ROLE, dev, DEV_EKS, prod, PROD_EKS, resourcesOf, runClusters } from "./fixture";

describe("cluster components together", () => {
    // 14 AWS resources with one workload group, one more template and group in MIXED, two API rules in prod,
    // and the GKE cluster with its node service account, role binding and peering route export (Istio's two
    // security-group rules belong to the mesh: tests/mesh/istio-eks-node-access.spec.ts).
    for (const [stack, which, count] of [
        ["dev", dev, 18],
        ["prod", prod, 22],
    ] as const) {
        it(`${stack}-style args: every custom resource names an explicit provider of its own package`, async () => {
            const rs = await resourcesOf(which);
            const custom = rs.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
            assert.strictEqual(custom.length, count);
            for (const r of custom) {
                const p = providerOf(rs, r);
                assert.ok(p, `${r.urn} has no explicit provider`);
                assert.strictEqual(p.type, `pulumi:providers:${r.type.split(":")[0]}`, r.urn);
            }
        });

        it(`${stack}-style args: no policy of the pack finds anything`, async () => {
            assert.deepStrictEqual(await runPolicies(await resourcesOf(which), allPolicies), []);
        });
    }
});

describe("EksCluster arguments", () => {
    const valid = withEksClusterDefaults(DEV_EKS);
    const problem = (changes: Partial<EksClusterArgs>, hasAwsProvider = true) => {
        try {
            validateEksClusterArgs("eks", { ...valid, ...changes } as typeof valid, { hasAwsProvider });
        } catch (e) {
            return (e as Error).message;
        }
        return "no error";
    };
    const cases: [string, Partial<EksClusterArgs>, string][] = [
        [
            "a world-open public endpoint",
            { publicEndpointCidrs: ["203.0.113.0/24", "0.0.0.0/0"] },
            'publicEndpointCidrs[1] must not be a /0 range, which would open the Kubernetes API to the whole internet; received "0.0.0.0/0". List only the networks that need the public endpoint, or leave publicEndpointCidrs unset to keep it private',
        ],
        [
            "a public range with host bits",
            { publicEndpointCidrs: ["203.0.113.7/24"] },
            'publicEndpointCidrs[0] must be a canonical IPv4 CIDR such as "203.0.113.0/24"; received "203.0.113.7/24"',
        ],
        [
            "API client ranges that are public or repeated",
            { apiClientCidrs: ["10.10.0.0/19", "203.0.113.0/24", "10.10.0.0/19"] },
            'apiClientCidrs[1] must be a canonical private (RFC 1918) IPv4 CIDR such as "10.10.0.0/19", a network routed to the VPC; received "203.0.113.0/24"; apiClientCidrs[2] repeats 10.10.0.0/19; list each range once',
        ],
        [
            "a version that is not a minor version",
            { kubernetesVersion: "v1.33" },
            `kubernetesVersion must be a minor version such as "${VERSIONS.kubernetes}"; received "v1.33"`,
        ],
        [
            "an unknown capacity type",
            { workloadCapacityType: "spot" as never },
            'workloadCapacityType must be one of SPOT, ON_DEMAND, MIXED; received "spot"',
        ],
        [
            "no workload instance types",
            { workloadNodeInstanceTypes: [] },
            "workloadNodeInstanceTypes must name at least one instance type; received []",
        ],
        [
            "an empty system group",
            { systemNodeMinSize: 0, systemNodeMaxSize: 2 },
            "systemNodeMinSize must be a whole number of at least 1; received 0",
        ],
        [
            "a maximum below the minimum",
            { workloadNodeMinSize: 3, workloadNodeMaxSize: 2 },
            "workloadNodeMaxSize must be a whole number of at least 1 and no smaller than workloadNodeMinSize (3); received 2",
        ],
        [
            "an admin that is not a role",
            { adminRoleArns: ["arn:aws:iam::123456789012:user/alice"] },
            'adminRoleArns[0] must be an IAM role ARN (arn:aws:iam::<account>:role/<name>); received "arn:aws:iam::123456789012:user/alice"',
        ],
        [
            "two admin roles with one name",
            { adminRoleArns: [ADMIN_ROLE, "arn:aws:iam::210987654321:role/teams/platform-admin"] },
            'adminRoleArns[1] repeats the role name "platform-admin"; list each role once',
        ],
    ];
    for (const [what, changes, message] of cases) {
        it(`rejects ${what}`, () => assert.strictEqual(problem(changes), `EksCluster eks: ${message}`));
    }

    it("rejects a component without an aws provider", () => {
        assert.strictEqual(
            problem({}, false),
            "EksCluster eks: an explicit aws provider is required ({ provider: awsProvider } in the options): " +
                "eks.Cluster does not inherit one, and default providers are disabled",
        );
    });

    it("reports every problem at once, and accepts the dev and prod arguments", () => {
        assert.strictEqual(
            problem({ publicEndpointCidrs: ["::/0"], workloadNodeInstanceTypes: [] }),
            "EksCluster eks: " +
                'publicEndpointCidrs[0] must not be a /0 range, which would open the Kubernetes API to the whole internet; received "::/0". List only the networks that need the public endpoint, or leave publicEndpointCidrs unset to keep it private; ' +
                "workloadNodeInstanceTypes must name at least one instance type; received []",
        );
        assert.strictEqual(problem({}), "no error");
        assert.strictEqual(problem(withEksClusterDefaults(PROD_EKS)), "no error");
    });

    it("throws before any child exists", async () => {
        const { run } = await runClusters({ ...DEV_EKS, publicEndpointCidrs: ["0.0.0.0/0"] });
        assert.match(run.error?.message ?? "", /^EksCluster eks: publicEndpointCidrs\[0\] must not be a \/0 range/);
        const component = run.resources.find((r) => r.type === "multicloud:kubernetes:EksCluster");
        assert.deepStrictEqual(component ? childrenOf(run.resources, component) : [], []);
        assert.deepStrictEqual(ofType(run.resources, "eks:index:Cluster"), []);
    });
});
