/** Service namespaces have an Istio allow-nothing AuthorizationPolicy; the services layer creates one in each. */
import * as assert from "assert";
import { serviceNamespaceDefaultDeny } from "../../../policy/policies/workloads";
import { evaluated } from "../../../harness/stacks";
import { check, messages, resource } from "../fixtures";

const k8sProvider = resource("pulumi:providers:kubernetes", "eks-k8s", {});
const PROVIDER = k8sProvider.urn;
const otherProvider = resource("pulumi:providers:kubernetes", "gke-k8s", {});
const namespace = (name: string, labels: Record<string, string> = { "istio-injection": "enabled" }) =>
    resource("kubernetes:core/v1:Namespace", `ns-${name}`, { metadata: { name, labels } }, { provider: PROVIDER });
const authz = (namespaceName: string, spec: unknown, provider = PROVIDER) =>
    resource(
        "kubernetes:security.istio.io/v1:AuthorizationPolicy",
        `deny-${namespaceName}`,
        {
            apiVersion: "security.istio.io/v1",
            kind: "AuthorizationPolicy",
            metadata: { name: "allow-nothing", namespace: namespaceName },
            spec,
        },
        { provider },
    );
const MISSING = (name: string) =>
    `Namespace "${name}" on provider "eks-k8s" has no allow-nothing AuthorizationPolicy, so any workload in the mesh may call its services.`;

describe("policy service-namespace-default-deny", () => {
    it("passes a service namespace with an empty-spec AuthorizationPolicy, or ALLOW without rules", async () => {
        for (const spec of [{}, undefined, { action: "ALLOW" }, { action: "ALLOW", rules: [] }]) {
            assert.deepStrictEqual(
                await check(serviceNamespaceDefaultDeny, [
                    k8sProvider,
                    namespace("services-prod"),
                    authz("services-prod", spec),
                ]),
                [],
                JSON.stringify(spec),
            );
        }
    });

    it("catches a service namespace without one, as mandatory, on the namespace", async () => {
        const ns = namespace("services-prod");
        const vs = await check(serviceNamespaceDefaultDeny, [k8sProvider, ns]);
        assert.deepStrictEqual(
            vs.map((v) => [v.urn, v.message, v.level]),
            [[ns.urn, MISSING("services-prod"), "mandatory"]],
        );
    });

    const notDefaultDeny: [string, unknown][] = [
        ["a policy with rules (it allows someone)", { rules: [{ from: [{ source: { namespaces: ["x"] } }] }] }],
        ["a policy scoped by selector", { selector: { matchLabels: { app: "orders" } } }],
        ["a DENY-all policy (it would override the services' ALLOW policies)", { action: "DENY", rules: [{}] }],
    ];
    for (const [what, spec] of notDefaultDeny) {
        it(`does not count ${what}`, async () => {
            const vs = await check(serviceNamespaceDefaultDeny, [
                k8sProvider,
                namespace("services-prod"),
                authz("services-prod", spec),
            ]);
            assert.deepStrictEqual(messages(vs), [MISSING("services-prod")]);
        });
    }

    it("does not count a policy in another namespace or on another cluster, but counts the mesh root namespace", async () => {
        const ns = namespace("services-prod");
        assert.deepStrictEqual(
            messages(await check(serviceNamespaceDefaultDeny, [k8sProvider, ns, authz("services-dev", {})])),
            [MISSING("services-prod")],
        );
        assert.deepStrictEqual(
            messages(
                await check(serviceNamespaceDefaultDeny, [
                    k8sProvider,
                    otherProvider,
                    ns,
                    authz("services-prod", {}, otherProvider.urn),
                ]),
            ),
            [MISSING("services-prod")],
        );
        assert.deepStrictEqual(
            await check(serviceNamespaceDefaultDeny, [k8sProvider, ns, authz("istio-system", {})]),
            [],
        );
    });

    it("knows service namespaces by injection label, revision label or name prefix, and nothing else", async () => {
        const vs = await check(serviceNamespaceDefaultDeny, [
            k8sProvider,
            namespace("payments", { "istio.io/rev": "1-28" }),
            namespace("services-staging", {}),
            namespace("monitoring", { "istio-injection": "disabled" }),
            namespace("istio-system", {}),
        ]);
        assert.deepStrictEqual(messages(vs), [MISSING("payments"), MISSING("services-staging")]);
    });

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: every services-* namespace of both clusters has its allow-nothing policy`, async () => {
            const resources = (await evaluated(stack)).run.resources;
            assert.strictEqual(
                resources.filter((r) => r.type === "kubernetes:core/v1:Namespace" && r.name.includes("-services-"))
                    .length,
                6,
            );
            assert.deepStrictEqual(await check(serviceNamespaceDefaultDeny, [...resources]), []);
        });
    }
});
