/**
 * One entry's own shape: each case changes one thing of the repository's catalog and asserts the exact
 * messages (file, key path, value, what is allowed, how to fix it), and nothing else.
 */
import * as assert from "assert";
import { entryOf, problemsAfter, type EditableDocs } from "./fixture";

const F = "catalog/services.yaml";
const ECR = "111111111111.dkr.ecr.us-east-1.amazonaws.com";
const IMAGE_ALLOWED =
    "an image from *.dkr.ecr.*.amazonaws.com, *-docker.pkg.dev, pinned by digest (@sha256:<64 hex>) or by an immutable tag (1.4.2, v2.0.0-rc.1, a commit id); never latest, stable, main, master, dev, prod";
const PIN = "pin the image by digest (@sha256:...) or by its version tag";

const cases: { name: string; edit: (d: EditableDocs) => void; expected: string[] }[] = [
    {
        name: "a `latest` image",
        edit: (d) => void (entryOf(d, "user").image = `${ECR}/user-service:latest`),
        expected: [
            `${F}: services[0].image: uses the moving tag 'latest'; received "${ECR}/user-service:latest". Allowed: ${IMAGE_ALLOWED}. Fix: ${PIN}.`,
        ],
    },
    {
        name: "an image without a tag (which is latest)",
        edit: (d) => void (entryOf(d, "user").image = `${ECR}/user-service`),
        expected: [
            `${F}: services[0].image: uses the moving tag 'latest' (no tag means latest); received "${ECR}/user-service". Allowed: ${IMAGE_ALLOWED}. Fix: ${PIN}.`,
        ],
    },
    {
        name: "an image from a registry that is not allowed",
        edit: (d) => void (entryOf(d, "user").image = "docker.io/library/user-service:1.4.2"),
        expected: [
            `${F}: services[0].image: comes from registry docker.io, which is not allowed; received "docker.io/library/user-service:1.4.2". Allowed: ${IMAGE_ALLOWED}. Fix: push the image to the platform's ECR or Artifact Registry and name it there.`,
        ],
    },
    {
        name: "a branch-like tag",
        edit: (d) => void (entryOf(d, "user").image = `${ECR}/user-service:feature-x`),
        expected: [
            `${F}: services[0].image: has tag 'feature-x', which does not name one build; received "${ECR}/user-service:feature-x". Allowed: ${IMAGE_ALLOWED}. Fix: ${PIN}.`,
        ],
    },
    {
        name: "a malformed digest",
        edit: (d) => void (entryOf(d, "order").image = `${ECR}/order-service@sha256:abc`),
        expected: [
            `${F}: services[2].image: has a malformed digest; received "${ECR}/order-service@sha256:abc". Allowed: ${IMAGE_ALLOWED}. Fix: use the digest the registry printed: '@sha256:' and 64 hex digits.`,
        ],
    },
    {
        name: "a service name that is not a DNS label",
        edit: (d) => void (entryOf(d, "payment").name = "Payment_Svc"),
        expected: [
            `${F}: services[3].name: is not a valid service name; received "Payment_Svc". Allowed: 1 to 30 lowercase letters, digits or '-', starting with a letter, not ending with '-'. Fix: rename the service, for example 'order'.`,
            // order still calls `payment`, which no longer exists under that name.
            `${F}: services[2].calls[2]: is not a service of the catalog; received "payment". Allowed: one of user, product, Payment_Svc. Fix: add that service's entry first, or remove it from calls.`,
        ],
    },
    {
        name: "a team name with spaces",
        edit: (d) => void (entryOf(d, "user").team = "Identity Team"),
        expected: [
            `${F}: services[0].team: is not a valid team name; received "Identity Team". Allowed: a DNS label: 1 to 63 lowercase letters, digits or '-', starting with a letter. Fix: set 'team: <owning team>'.`,
        ],
    },
    {
        name: "minReplicas above maxReplicas",
        edit: (d) => void (entryOf(d, "user").scaling.minReplicas = 8),
        expected: [
            `${F}: services[0].scaling.minReplicas: is above maxReplicas 6; received 8. Allowed: minReplicas at most maxReplicas. Fix: lower 'scaling.minReplicas' to 6 or raise 'scaling.maxReplicas'.`,
        ],
    },
    {
        name: "a memory limit below the request",
        edit: (d) => void (entryOf(d, "user").resources.limits.memory = "128Mi"),
        expected: [
            `${F}: services[0].resources.limits.memory: is below the memory request 256Mi; received "128Mi". Allowed: a memory limit at least the request. Fix: raise 'resources.limits.memory' to 256Mi or more, or lower 'resources.requests.memory'.`,
        ],
    },
    {
        name: "a CPU limit below the request",
        edit: (d) => void (entryOf(d, "user").resources.limits.cpu = "100m"),
        expected: [
            `${F}: services[0].resources.limits.cpu: is below the cpu request 250m; received "100m". Allowed: a cpu limit at least the request. Fix: raise 'resources.limits.cpu' to 250m or more, or lower 'resources.requests.cpu'.`,
        ],
    },
    {
        name: "a CPU quantity Kubernetes cannot read",
        edit: (d) => void (entryOf(d, "user").resources.requests.cpu = "2 cores"),
        expected: [
            `${F}: services[0].resources.requests.cpu: is not a CPU quantity in range; received "2 cores". Allowed: millicores such as 250m or cores such as "1", from 10m to 16 cores. Fix: set 'resources.requests.cpu: 250m'.`,
        ],
    },
    {
        name: "an unknown data store kind",
        edit: (d) => void (entryOf(d, "payment").store = { kind: "dynamo-table" }),
        expected: [
            `${F}: services[3].store.kind: is not a data store kind; received "dynamo-table". Allowed: one of aurora-database, dynamodb-table, rds-instance. Fix: set 'store.kind: dynamodb-table'.`,
        ],
    },
    {
        name: "an RDS engine the platform does not run",
        edit: (d) => void (entryOf(d, "product").store = { kind: "rds-instance", engine: "oracle" }),
        expected: [
            `${F}: services[1].store.engine: is not an RDS engine; received "oracle". Allowed: one of postgres, mysql. Fix: set 'store.engine: postgres'.`,
        ],
    },
    {
        name: "an unknown DR posture",
        edit: (d) => void (entryOf(d, "product").dr = { posture: "hot" }),
        expected: [
            `${F}: services[1].dr.posture: is not a DR posture; received "hot". Allowed: one of cold, warm (cold: 0 replicas on GCP until failover; warm: some always running). Fix: set 'dr.posture: cold', or 'dr.posture: warm' with 'dr.replicas'.`,
        ],
    },
    {
        name: "a warm posture with no replica",
        edit: (d) => void (entryOf(d, "user").dr = { posture: "warm", replicas: 0 }),
        expected: [
            `${F}: services[0].dr.replicas: must run at least one replica for a warm posture; received 0. Allowed: a whole number from 1 to 50. Fix: set 'dr.replicas: 1', or 'dr.posture: cold' for none.`,
        ],
    },
    {
        name: "a cold posture with replicas",
        edit: (d) => void (entryOf(d, "product").dr = { posture: "cold", replicas: 2 }),
        expected: [
            `${F}: services[1].dr.replicas: must be 0 for a cold posture; received 2. Allowed: 0 or nothing. Fix: remove 'dr.replicas', or set 'dr.posture: warm'.`,
        ],
    },
    {
        name: "an availability SLO of 100%",
        edit: (d) => void (entryOf(d, "user").slo.availabilityPercent = 100),
        expected: [
            `${F}: services[0].slo.availabilityPercent: is out of range; received 100. Allowed: a percentage from 90 to 99.999. Fix: set 'slo.availabilityPercent: 99.9'.`,
        ],
    },
    {
        name: "a latency SLO of 0 ms",
        edit: (d) => void (entryOf(d, "user").slo.latencyP99Ms = 0),
        expected: [
            `${F}: services[0].slo.latencyP99Ms: must be a whole number in range; received 0. Allowed: a whole number from 1 to 60000. Fix: set 'slo.latencyP99Ms: 300'.`,
        ],
    },
    {
        name: "a port inside Istio's range",
        edit: (d) => void (entryOf(d, "user").ports.http = 15001),
        expected: [
            `${F}: services[0].ports.http: is not a usable container port; received 15001. Allowed: a whole number from 1024 to 65535 outside Istio's 15000-15090. Fix: set 'ports.http: 8080'.`,
        ],
    },
    {
        name: "a privileged port",
        edit: (d) => void (entryOf(d, "user").ports.http = 80),
        expected: [
            `${F}: services[0].ports.http: is not a usable container port; received 80. Allowed: a whole number from 1024 to 65535 outside Istio's 15000-15090. Fix: set 'ports.http: 8080'.`,
        ],
    },
    {
        name: "a probe that is not a path",
        edit: (d) => void (entryOf(d, "user").health.startup = "healthz"),
        expected: [
            `${F}: services[0].health.startup: is not an HTTP path; received "healthz". Allowed: a path such as /healthz. Fix: set 'health.startup: /healthz'.`,
        ],
    },
    {
        name: "a misspelt top-level key (and so a missing one)",
        edit: (d) => {
            const e = entryOf(d, "user");
            e.scalling = e.scaling;
            delete e.scaling;
        },
        expected: [
            `${F}: services[0].scalling: unknown key; received {"minReplicas":2,"maxReplicas":6,"targetCpuUtilizationPercent":70}. Allowed: one of name, team, image, ports, health, resources, scaling, canaryWeightPercent, canaryImage, routes, calls, store, cache, publishes, subscribes, dr, slo. Fix: rename 'scalling' to 'scaling'.`,
            `${F}: services[0].scaling: required value is missing; received nothing. Allowed: an object such as { minReplicas: 2, maxReplicas: 6, targetCpuUtilizationPercent: 70 }. Fix: write 'scaling: { minReplicas: 2, maxReplicas: 6, targetCpuUtilizationPercent: 70 }'.`,
        ],
    },
    {
        name: "a misspelt nested key",
        edit: (d) => void (entryOf(d, "user").health.livenes = "/x"),
        expected: [
            `${F}: services[0].health.livenes: unknown key; received "/x". Allowed: one of liveness, readiness, startup. Fix: rename 'livenes' to 'liveness'.`,
        ],
    },
    {
        name: "a Kafka topic without partitions",
        edit: (d) => void (entryOf(d, "order").publishes.kafka[0].partitions = 0),
        expected: [
            `${F}: services[2].publishes.kafka[0].partitions: must be a whole number in range; received 0. Allowed: a whole number from 1 to 256. Fix: set 'publishes.kafka[0].partitions: 6'.`,
        ],
    },
];

describe("catalog entry rules", () => {
    it("the repository's catalog validates for dev and prod", () => {
        assert.deepStrictEqual(
            problemsAfter(() => undefined, "dev"),
            [],
        );
        assert.deepStrictEqual(
            problemsAfter(() => undefined, "prod"),
            [],
        );
    });

    for (const c of cases) {
        it(`refuses ${c.name}`, () => assert.deepStrictEqual(problemsAfter(c.edit), c.expected));
    }

    it("reports every problem of every entry at once: by entry in file order, by section within one", () => {
        const named = (n: string) => cases.find((c) => c.name === n)!;
        const picked = [
            "minReplicas above maxReplicas",
            "an unknown data store kind",
            "a `latest` image",
            "an unknown DR posture",
            "a memory limit below the request",
        ].map(named);
        const problems = problemsAfter((d) => picked.forEach((c) => c.edit(d)));
        assert.deepStrictEqual(problems, [
            ...named("a `latest` image").expected,
            ...named("a memory limit below the request").expected,
            ...named("minReplicas above maxReplicas").expected,
            ...named("an unknown DR posture").expected,
            ...named("an unknown data store kind").expected,
        ]);
    });
});
