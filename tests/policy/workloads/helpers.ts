/** A workload that passes every workload policy, changed one property at a time by the tests. */
import type { RecordedResource } from "../../../harness/recorder";
import { resource } from "../fixtures";

export const IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/orders:1.4.2";
export const DIGEST = `sha256:${"a".repeat(64)}`;

const probe = (path: string) => ({ httpGet: { path, port: 8080 } });

/** A restricted, fully specified app container. */
export function appContainer(name = "app"): Record<string, any> {
    return {
        name,
        image: IMAGE,
        ports: [{ containerPort: 8080 }],
        resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
        livenessProbe: probe("/healthz"),
        readinessProbe: probe("/ready"),
        startupProbe: probe("/healthz"),
        securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
        },
    };
}

/** The pod spec of {@link deployment}: non-root, RuntimeDefault seccomp, an emptyDir for writes. */
export function podSpec(): Record<string, any> {
    return {
        securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
        containers: [appContainer()],
        volumes: [{ name: "tmp", emptyDir: {} }],
    };
}

type Change = (inputs: any) => void;

/** A Deployment of `orders` in services-prod, after `change` edits its inputs. */
export function deployment(change: Change = () => {}, name = "orders", extra: Partial<RecordedResource> = {}) {
    const inputs: any = {
        metadata: { name, namespace: "services-prod" },
        spec: {
            replicas: 2,
            selector: { matchLabels: { app: name } },
            template: { metadata: { labels: { app: name, version: "stable" } }, spec: podSpec() },
        },
    };
    change(inputs);
    return resource("kubernetes:apps/v1:Deployment", name, inputs, extra);
}

/** Edits the first container of a Deployment's pod template. */
export const container =
    (change: (c: any) => void): Change =>
    (d) =>
        change(d.spec.template.spec.containers[0]);

/** Edits the Deployment's pod spec. */
export const pod =
    (change: (p: any) => void): Change =>
    (d) =>
        change(d.spec.template.spec);
