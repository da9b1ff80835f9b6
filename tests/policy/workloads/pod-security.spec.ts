/** Pods meet the restricted Pod Security Standard as declared; one changed property per failing case. */
import * as assert from "assert";
import { podSecurityRestricted } from "../../../policy/policies/workloads";
import { check, messages, resource } from "../fixtures";
import { appContainer, container, deployment, pod, podSpec } from "./helpers";

const PREFIX = 'Deployment "orders" in namespace "services-prod" does not meet the restricted Pod Security Standard: ';

describe("policy pod-security-restricted", () => {
    it("passes a restricted Deployment, mandatory", async () => {
        assert.deepStrictEqual(await check(podSecurityRestricted, [deployment()]), []);
        assert.strictEqual(podSecurityRestricted.enforcementLevel, "mandatory");
    });

    const cases: [string, (d: any) => void, string][] = [
        ["host network", pod((p) => (p.hostNetwork = true)), "hostNetwork is true"],
        ["host PID", pod((p) => (p.hostPID = true)), "hostPID is true"],
        ["host IPC", pod((p) => (p.hostIPC = true)), "hostIPC is true"],
        [
            "a hostPath volume",
            pod((p) => (p.volumes[0] = { name: "tmp", hostPath: { path: "/var" } })),
            'volume "tmp" is of type hostPath',
        ],
        [
            "a privileged container",
            container((c) => (c.securityContext.privileged = true)),
            'container "app" is privileged',
        ],
        [
            "privilege escalation left on",
            container((c) => delete c.securityContext.allowPrivilegeEscalation),
            'container "app" does not set allowPrivilegeEscalation: false',
        ],
        [
            "capabilities not dropped",
            container((c) => (c.securityContext.capabilities.drop = ["NET_RAW"])),
            'container "app" does not drop ALL capabilities',
        ],
        [
            "a capability added beyond NET_BIND_SERVICE",
            container((c) => (c.securityContext.capabilities.add = ["NET_BIND_SERVICE", "NET_ADMIN"])),
            'container "app" adds NET_ADMIN',
        ],
        [
            "runAsNonRoot unset",
            pod((p) => delete p.securityContext.runAsNonRoot),
            'container "app" may run as root (runAsNonRoot is not true)',
        ],
        [
            "a container overriding runAsNonRoot",
            container((c) => (c.securityContext.runAsNonRoot = false)),
            'container "app" may run as root (runAsNonRoot is not true)',
        ],
        ["the pod running as user 0", pod((p) => (p.securityContext.runAsUser = 0)), "the pod runs as user 0"],
        [
            "a container running as user 0",
            container((c) => (c.securityContext.runAsUser = 0)),
            'container "app" runs as user 0',
        ],
        [
            "seccomp unset",
            pod((p) => delete p.securityContext.seccompProfile),
            'container "app" has seccomp profile unset',
        ],
        [
            "a container with seccomp Unconfined",
            container((c) => (c.securityContext.seccompProfile = { type: "Unconfined" })),
            'container "app" has seccomp profile Unconfined',
        ],
        [
            "an unmasked /proc",
            container((c) => (c.securityContext.procMount = "Unmasked")),
            'container "app" sets procMount Unmasked',
        ],
        ["a host port", container((c) => (c.ports[0].hostPort = 8080)), 'container "app" uses host port 8080'],
        [
            "a writable root filesystem",
            container((c) => (c.securityContext.readOnlyRootFilesystem = false)),
            'container "app" has a writable root filesystem',
        ],
        [
            "an init container without a security context",
            pod((p) => (p.initContainers = [{ name: "migrate", image: "x" }])),
            'init container "migrate" does not set allowPrivilegeEscalation: false; init container "migrate" does ' +
                'not drop ALL capabilities; init container "migrate" has a writable root filesystem',
        ],
    ];
    for (const [what, change, problem] of cases) {
        it(`catches ${what}`, async () => {
            assert.deepStrictEqual(messages(await check(podSecurityRestricted, [deployment(change)])), [
                `${PREFIX}${problem}.`,
            ]);
        });
    }

    it("accepts NET_BIND_SERVICE, Localhost seccomp on the container, and non-root set per container", async () => {
        const d = deployment((d) => {
            delete d.spec.template.spec.securityContext;
            Object.assign(d.spec.template.spec.containers[0].securityContext, {
                runAsNonRoot: true,
                seccompProfile: { type: "Localhost", localhostProfile: "profiles/app.json" },
                capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
            });
        });
        assert.deepStrictEqual(await check(podSecurityRestricted, [d]), []);
    });

    it("makes the read-only root filesystem optional by config", async () => {
        const d = deployment(container((c) => delete c.securityContext.readOnlyRootFilesystem));
        assert.strictEqual((await check(podSecurityRestricted, [d])).length, 1);
        assert.deepStrictEqual(await check(podSecurityRestricted, [d], { requireReadOnlyRootFilesystem: false }), []);
    });

    it("judges every workload kind at its pod spec, and skips exempt namespaces", async () => {
        const bad = { ...podSpec(), hostNetwork: true };
        const job = resource("kubernetes:batch/v1:CronJob", "export", {
            metadata: { namespace: "services-prod" },
            spec: { jobTemplate: { spec: { template: { spec: bad } } } },
        });
        const bare = resource("kubernetes:core/v1:Pod", "debug", { spec: bad });
        const system = deployment(
            pod((p) => (p.hostNetwork = true)),
            "agent",
        );
        system.inputs.metadata.namespace = "kube-system";
        assert.deepStrictEqual(messages(await check(podSecurityRestricted, [job, bare, system])), [
            'CronJob "export" in namespace "services-prod" does not meet the restricted Pod Security Standard: hostNetwork is true.',
            'Pod "debug" in namespace "default" does not meet the restricted Pod Security Standard: hostNetwork is true.',
        ]);
        assert.strictEqual((await check(podSecurityRestricted, [system], { exemptNamespaces: [] })).length, 1);
    });

    it("judges only declared containers: a second declared container is judged, injected sidecars are not in the spec", async () => {
        const sidecar = { ...appContainer("proxy"), securityContext: {} };
        const d = deployment(pod((p) => p.containers.push(sidecar)));
        assert.deepStrictEqual(messages(await check(podSecurityRestricted, [d])), [
            `${PREFIX}container "proxy" does not set allowPrivilegeEscalation: false; container "proxy" does not drop ` +
                'ALL capabilities; container "proxy" has a writable root filesystem.',
        ]);
    });
});
