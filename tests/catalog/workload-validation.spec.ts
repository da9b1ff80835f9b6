import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import { ServiceWorkload, serviceWorkloadProblems, type ServiceWorkloadArgs } from "../../components/catalog";
import { runStack } from "../../harness/run";
import { ORDER, ORDER_ROLE, PRODUCT_WARM, SINGLE, USER_DR } from "./workload-fixture";

const cases: [string, Partial<ServiceWorkloadArgs>, string[]][] = [
    [
        "a name that is not a DNS label",
        { name: "Order_Svc" },
        ['name must be a lowercase DNS label; received "Order_Svc"'],
    ],
    [
        "the latest tag",
        { image: "ghcr.io/acme/order:latest" },
        [
            `image uses the moving tag 'latest'; received "ghcr.io/acme/order:latest". Fix: pin the image by digest (@sha256:...) or by its version tag`,
        ],
    ],
    [
        "no tag at all (a registry port is not a tag)",
        { image: "registry.acme.io:5000/order" },
        [
            `image uses the moving tag 'latest' (no tag means latest); received "registry.acme.io:5000/order". Fix: pin the image by digest (@sha256:...) or by its version tag`,
        ],
    ],
    [
        "a port Envoy listens on",
        { port: 15001 },
        [
            "port must be a TCP port from 1 to 65535 outside Istio's reserved 15000, 15001, 15004, 15006, 15008, 15009, 15020, 15021, 15053, 15090; received 15001",
        ],
    ],
    [
        "memory limit below request",
        { resources: { memoryRequest: "512Mi", memoryLimit: "256Mi" } },
        ["resources.memoryLimit (256Mi) must not be below resources.memoryRequest (512Mi)"],
    ],
    [
        "a quantity that is not one",
        { resources: { cpuRequest: "half" } },
        ['resources.cpuRequest must be a Kubernetes quantity such as "250m" or "256Mi"; received "half"'],
    ],
    [
        "min replicas above max",
        { scaling: { minReplicas: 4, maxReplicas: 3 } },
        ["scaling.minReplicas (4) must not exceed scaling.maxReplicas (3)"],
    ],
    [
        "a CPU target over 100%",
        { scaling: { targetCpuPercent: 150 } },
        ["scaling.targetCpuPercent must be a whole number from 1 to 100; received 150"],
    ],
    [
        "a DR override above the maximum",
        { replicas: 7 },
        ["replicas must be a whole number from 0 (cold standby) to scaling.maxReplicas (6); received 7"],
    ],
    [
        "a negative DR override",
        { replicas: -1 },
        ["replicas must be a whole number from 0 (cold standby) to scaling.maxReplicas (6); received -1"],
    ],
    [
        "canary weights not summing to 100",
        { canary: { ...ORDER.canary!, stableWeight: 80, canaryWeight: 10 } },
        ["canary: stable.weight + canary.weight must equal 100; received 80 + 10 = 90"],
    ],
    [
        "a canary with the stable version",
        { canary: { ...ORDER.canary!, version: "v7" } },
        ['canary: stable.version and canary.version must differ; both are "v7"'],
    ],
    [
        "a service calling itself",
        { callees: [{ name: "order", namespace: "services-prod" }] },
        ["callees[0] is the service itself (services-prod/order); a service never lists itself"],
    ],
    [
        "a caller listed twice",
        { callers: [ORDER.callers![0], ORDER.callers![0]] },
        ["callers lists services-prod/payment twice"],
    ],
    ["a route without its slash", { routes: ["orders"] }, ['routes: "orders" must be a path prefix starting with "/"']],
    ["a duplicate route", { routes: ["/orders", "/orders"] }, ['routes lists "/orders" twice']],
    [
        "routes without a gateway",
        { ingress: undefined },
        ["ingress is required when routes are given: name the gateway"],
    ],
    [
        "an open data store range",
        { dataStores: [{ store: "aurora", cidrs: ["0.0.0.0/0"], ports: [5432] }] },
        ['dataStores[0] (aurora).cidrs: "0.0.0.0/0" is not an IPv4 CIDR narrower than /0'],
    ],
    [
        "a retry timeout shorter than one try",
        { retries: { perTryTimeout: "6s", timeout: "5s" } },
        [
            "retries.perTryTimeout (6s) must not exceed retries.timeout (5s): the overall timeout would cut every retry short",
        ],
    ],
    [
        "a rate limit refilling too fast",
        { rateLimit: { maxTokens: 10, fillInterval: "10ms" } },
        ['rateLimit.fillInterval must be a duration of at least 50ms; received "10ms"'],
    ],
    [
        "both cloud identities",
        { identity: { awsIamRoleArn: ORDER_ROLE, gcpServiceAccountEmail: "a@b" } as never },
        [
            "identity must set exactly one of awsIamRoleArn, gcpServiceAccountEmail; received awsIamRoleArn, gcpServiceAccountEmail",
        ],
    ],
    [
        "an IAM user instead of a role",
        { identity: { awsIamRoleArn: "arn:aws:iam::123456789012:user/order" } },
        ['identity.awsIamRoleArn must be an IAM role ARN; received "arn:aws:iam::123456789012:user/order"'],
    ],
    ["root", { runAsUser: 0 }, ["runAsUser must be a whole number of at least 1 (never root); received 0"]],
];

describe("ServiceWorkload validator", () => {
    it("accepts the fixtures", () => {
        for (const args of [ORDER, USER_DR, PRODUCT_WARM, SINGLE])
            assert.deepStrictEqual(serviceWorkloadProblems(args), [], args.name);
    });

    for (const [what, change, expected] of cases) {
        it(`refuses ${what}`, () => {
            assert.deepStrictEqual(serviceWorkloadProblems({ ...ORDER, ...change }), expected);
        });
    }

    it("reports every problem at once", () => {
        const problems = serviceWorkloadProblems({
            ...ORDER,
            image: "order",
            scaling: { minReplicas: 0 },
            canary: { ...ORDER.canary!, canaryWeight: 20 },
        });
        assert.deepStrictEqual(problems, [
            `image uses the moving tag 'latest' (no tag means latest); received "order". Fix: pin the image by digest (@sha256:...) or by its version tag`,
            "scaling.minReplicas must be a whole number of at least 1; received 0",
            "canary: stable.weight + canary.weight must equal 100; received 90 + 20 = 110",
        ]);
    });

    it("throws before creating any child, naming the component", async () => {
        const run = await runStack({
            stack: "dev",
            program: async () => {
                const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
                new ServiceWorkload("order", { ...ORDER, replicas: 9, runAsUser: 0 }, { provider });
            },
        });
        assert.strictEqual(
            run.error?.message,
            "ServiceWorkload order: replicas must be a whole number from 0 (cold standby) to scaling.maxReplicas (6); received 9; runAsUser must be a whole number of at least 1 (never root); received 0",
        );
        assert.deepStrictEqual(
            run.resources.filter((r) => r.parent?.includes("ServiceWorkload")).map((r) => r.name),
            [],
        );
    });

    it("needs a Kubernetes provider", async () => {
        const run = await runStack({ stack: "dev", program: async () => void new ServiceWorkload("order", ORDER) });
        assert.strictEqual(
            run.error?.message,
            "ServiceWorkload order: a kubernetes provider is required (pass { provider: <k8s.Provider> })",
        );
    });
});
