/** Pure validation of a {@link ServiceWorkloadArgs}: every problem at once, each naming its key and value. */
import { parseCidr } from "../shared/cidr";
import { duplicates } from "../shared/validation";
import { parseQuantity } from "../kubernetes/namespace-sizing";
import { isLabelValue } from "../kubernetes/platform-namespaces";
import { isDnsLabel } from "../mesh/mesh-ca";
import { RETRY_DEFAULTS } from "../mesh/mesh-policies";
import { canaryProblems, retryPolicyProblems } from "../mesh/mesh-policy-validation";
import { localRateLimitProblems } from "../mesh/mesh-rate-limit";
import { imagePinProblem } from "./image-ref";
import { resolveWorkload, type ServicePeer, type ServiceWorkloadArgs } from "./workload-args";

/**
 * Ports the sidecar takes in every pod (https://istio.io/latest/docs/ops/deployment/application-requirements/#ports-used-by-istio):
 * an application listening on one of them would clash with Envoy or pilot-agent.
 */
export const ISTIO_RESERVED_PORTS = [15000, 15001, 15004, 15006, 15008, 15009, 15020, 15021, 15053, 15090] as const;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const json = (v: unknown) => JSON.stringify(v);
const isPort = (p: unknown) => typeof p === "number" && Number.isInteger(p) && p >= 1 && p <= 65535;

/** Problems with an image reference: it must pin one build (a digest or an immutable tag), never `latest`. */
export function imageProblems(key: string, image: string): string[] {
    if (typeof image !== "string" || image.length === 0)
        return [`${key} must be an image reference; received ${json(image)}`];
    const problem = imagePinProblem(image);
    return problem ? [`${key} ${problem.what}; received ${json(image)}. Fix: ${problem.fix}`] : [];
}

function peerProblems(key: string, peers: readonly ServicePeer[], self: ServicePeer): string[] {
    const problems: string[] = [];
    peers.forEach((p, i) => {
        for (const field of ["name", "namespace"] as const) {
            if (!isDnsLabel(p[field])) {
                problems.push(`${key}[${i}].${field} must be a lowercase DNS label; received ${json(p[field])}`);
            }
        }
        if (p.name === self.name && p.namespace === self.namespace) {
            problems.push(
                `${key}[${i}] is the service itself (${self.namespace}/${self.name}); a service never lists itself`,
            );
        }
    });
    for (const d of duplicates(peers.map((p) => `${p.namespace}/${p.name}`))) problems.push(`${key} lists ${d} twice`);
    return problems;
}

/** Every problem with the arguments, without the Pulumi runtime. */
export function serviceWorkloadProblems(args: ServiceWorkloadArgs): string[] {
    const w = resolveWorkload(args);
    const problems: string[] = [];
    if (!isDnsLabel(args.name)) problems.push(`name must be a lowercase DNS label; received ${json(args.name)}`);
    if (!isDnsLabel(args.namespace)) {
        problems.push(`namespace must be a lowercase DNS label; received ${json(args.namespace)}`);
    }
    if (!args.team || !isLabelValue(args.team)) {
        problems.push(`team must be a non-empty Kubernetes label value; received ${json(args.team)}`);
    }
    problems.push(...imageProblems("image", args.image));
    if (!w.version || !isLabelValue(w.version)) {
        problems.push(`version must be a non-empty Kubernetes label value; received ${json(w.version)}`);
    }
    if (!isPort(w.port) || (ISTIO_RESERVED_PORTS as readonly number[]).includes(w.port)) {
        problems.push(
            `port must be a TCP port from 1 to 65535 outside Istio's reserved ${ISTIO_RESERVED_PORTS.join(", ")}; received ${w.port}`,
        );
    }
    for (const [k, path] of Object.entries(w.health)) {
        if (typeof path !== "string" || !path.startsWith("/")) {
            problems.push(`health.${k} must be a path starting with "/"; received ${json(path)}`);
        }
    }
    problems.push(...resourceProblems(w.resources));
    problems.push(...scalingProblems(w.scaling, args.replicas));

    const routes = args.routes ?? [];
    for (const r of routes) {
        if (!/^\/[A-Za-z0-9._~\-/]*$/.test(r))
            problems.push(`routes: ${json(r)} must be a path prefix starting with "/"`);
    }
    for (const d of duplicates(routes)) problems.push(`routes lists ${json(d)} twice`);
    if (routes.length > 0 && !args.ingress)
        problems.push("ingress is required when routes are given: name the gateway");
    if (args.ingress && !/^[a-z0-9-]+\/[a-z0-9-]+$/.test(args.ingress.gateway)) {
        problems.push(`ingress.gateway must be <namespace>/<name>; received ${json(args.ingress.gateway)}`);
    }

    const self = { name: args.name, namespace: args.namespace };
    problems.push(...peerProblems("callers", args.callers ?? [], self));
    problems.push(...peerProblems("callees", args.callees ?? [], self));
    (args.callees ?? []).forEach((c, i) => {
        if (c.port !== undefined && !isPort(c.port)) {
            problems.push(`callees[${i}].port must be a TCP port from 1 to 65535; received ${c.port}`);
        }
    });
    (args.dataStores ?? []).forEach((s, i) => {
        const key = `dataStores[${i}] (${s.store})`;
        if (s.cidrs.length === 0) problems.push(`${key}.cidrs must list at least one range`);
        for (const cidr of s.cidrs) {
            const c = parseCidr(cidr);
            if (!c || c.prefix === 0) problems.push(`${key}.cidrs: ${json(cidr)} is not an IPv4 CIDR narrower than /0`);
        }
        if (s.ports.length === 0 || !s.ports.every(isPort)) {
            problems.push(`${key}.ports must list TCP ports from 1 to 65535; received ${json(s.ports)}`);
        }
    });

    if (args.canary) {
        const c = args.canary;
        problems.push(...imageProblems("canary.image", c.image));
        problems.push(
            ...canaryProblems(
                { version: w.version, weight: c.stableWeight },
                { version: c.version, weight: c.canaryWeight },
            ).map((p) => `canary: ${p}`),
        );
    }
    problems.push(...retryPolicyProblems({ ...RETRY_DEFAULTS, ...args.retries }));
    if (args.rateLimit) {
        problems.push(
            ...localRateLimitProblems({ namespace: args.namespace, ...args.rateLimit }).map((p) => `rateLimit.${p}`),
        );
    }
    problems.push(...identityProblems(args));
    for (const k of Object.keys(args.env ?? {})) {
        if (!ENV_NAME.test(k)) problems.push(`env: ${json(k)} is not an environment variable name`);
    }
    if (!Number.isInteger(w.runAsUser) || w.runAsUser < 1) {
        problems.push(`runAsUser must be a whole number of at least 1 (never root); received ${w.runAsUser}`);
    }
    return problems;
}

function resourceProblems(r: Record<"cpuRequest" | "memoryRequest" | "cpuLimit" | "memoryLimit", string>): string[] {
    const problems: string[] = [];
    for (const [k, v] of Object.entries(r)) {
        if (parseQuantity(v) === undefined) {
            problems.push(
                `resources.${k} must be a Kubernetes quantity such as "250m" or "256Mi"; received ${json(v)}`,
            );
        }
    }
    for (const [request, limit] of [
        ["cpuRequest", "cpuLimit"],
        ["memoryRequest", "memoryLimit"],
    ] as const) {
        const q = parseQuantity(r[request]);
        const l = parseQuantity(r[limit]);
        if (q !== undefined && l !== undefined && l < q) {
            problems.push(`resources.${limit} (${r[limit]}) must not be below resources.${request} (${r[request]})`);
        }
    }
    return problems;
}

function scalingProblems(
    s: { minReplicas: number; maxReplicas: number; targetCpuPercent: number },
    replicas: number | undefined,
): string[] {
    const problems: string[] = [];
    const whole = (v: number, min: number) => Number.isInteger(v) && v >= min;
    if (!whole(s.minReplicas, 1)) {
        problems.push(`scaling.minReplicas must be a whole number of at least 1; received ${s.minReplicas}`);
    }
    if (!whole(s.maxReplicas, 1)) {
        problems.push(`scaling.maxReplicas must be a whole number of at least 1; received ${s.maxReplicas}`);
    } else if (whole(s.minReplicas, 1) && s.minReplicas > s.maxReplicas) {
        problems.push(`scaling.minReplicas (${s.minReplicas}) must not exceed scaling.maxReplicas (${s.maxReplicas})`);
    }
    if (!Number.isInteger(s.targetCpuPercent) || s.targetCpuPercent < 1 || s.targetCpuPercent > 100) {
        problems.push(`scaling.targetCpuPercent must be a whole number from 1 to 100; received ${s.targetCpuPercent}`);
    }
    if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 0 || replicas > s.maxReplicas)) {
        problems.push(
            `replicas must be a whole number from 0 (cold standby) to scaling.maxReplicas (${s.maxReplicas}); received ${replicas}`,
        );
    }
    return problems;
}

function identityProblems(args: ServiceWorkloadArgs): string[] {
    const id = args.identity as Record<string, unknown> | undefined;
    if (!id) return [];
    const keys = ["awsIamRoleArn", "gcpServiceAccountEmail"].filter((k) => id[k] !== undefined);
    if (keys.length !== 1) {
        return [
            `identity must set exactly one of awsIamRoleArn, gcpServiceAccountEmail; received ${keys.join(", ") || "none"}`,
        ];
    }
    const v = id[keys[0]];
    // Outputs of other resources are checked by the resources that make them.
    if (typeof v !== "string") return [];
    if (keys[0] === "awsIamRoleArn" && !/^arn:aws[a-z-]*:iam::\d{12}:role\/\S+$/.test(v)) {
        return [`identity.awsIamRoleArn must be an IAM role ARN; received ${json(v)}`];
    }
    if (
        keys[0] === "gcpServiceAccountEmail" &&
        !/^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z0-9-]+\.iam\.gserviceaccount\.com$/.test(v)
    ) {
        return [
            `identity.gcpServiceAccountEmail must be a Google service account email (<id>@<project>.iam.gserviceaccount.com); received ${json(v)}`,
        ];
    }
    return [];
}
