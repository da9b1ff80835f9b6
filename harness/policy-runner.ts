/**
 * Applies CrossGuard policies to recorded resources the way the Pulumi CLI's analyzer host does:
 * enforcement level from pack config, then the policy, then the pack default; config-schema defaults
 * merged under the pack config; `validateResource` sees inputs and the provider's inputs,
 * `validateStack` sees outputs with parents and dependencies resolved; `notApplicable()` is honoured.
 */
import type {
    EnforcementLevel,
    Policies,
    PolicyConfigSchema,
    PolicyPackConfig,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ReportViolation,
    ResourceValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
// The CLI's analyzer host wraps props in this proxy so that reading an unknown (preview-time) value
// throws; the runner does the same so policies are exercised against unknowns exactly as in a preview.
// (Internal to @pulumi/policy, hence untyped.)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { UnknownValueError, unknownCheckingProxy } = require("@pulumi/policy/proxy") as {
    UnknownValueError: new (...args: any[]) => Error;
    unknownCheckingProxy<T extends object>(o: T): T;
};
import type { RecordedResource } from "./recorder";

export interface Violation {
    readonly policy: string;
    /** `mandatory` or `advisory` (a `remediate` policy that still fails counts as mandatory, as in the CLI). */
    readonly level: "mandatory" | "advisory";
    readonly urn: string;
    readonly message: string;
}

class NotApplicable extends Error {}
// Thrown for most (policy, resource) pairs: the reason is kept, a stack trace would only cost.
const notApplicable = (reason?: string): never => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    const e = new NotApplicable(reason);
    Error.stackTraceLimit = limit;
    throw e;
};

/** Schema defaults first, then the pack configuration for the policy (what `getConfig` returns). */
export function effectiveConfig(
    schema: PolicyConfigSchema | undefined,
    given: PolicyPackConfig[string] | undefined,
): Record<string, unknown> {
    const config: Record<string, unknown> = {};
    for (const [k, prop] of Object.entries(schema?.properties ?? {})) {
        if ("default" in prop && prop.default !== undefined) config[k] = structuredClone(prop.default);
    }
    if (given && typeof given === "object") {
        for (const [k, v] of Object.entries(given)) if (k !== "enforcementLevel") config[k] = v;
    }
    return config;
}

function levelOf(
    p: { name: string; enforcementLevel?: EnforcementLevel },
    packConfig: PolicyPackConfig,
    packLevel: EnforcementLevel,
): EnforcementLevel {
    // As in the CLI: a policy's own entry wins, then the pack-wide "all", then the policy, then the pack.
    const levelIn = (given: PolicyPackConfig[string] | undefined) =>
        typeof given === "string" ? given : given?.enforcementLevel;
    return levelIn(packConfig[p.name]) ?? levelIn(packConfig.all) ?? p.enforcementLevel ?? packLevel;
}

const pulumiTypeOf = (cls: any): string | undefined => cls?.__pulumiType;
const isTypeOf = (type: string) => (cls: any) => {
    const t = pulumiTypeOf(cls);
    return t ? t === type : typeof cls?.isInstance === "function" && cls.isInstance({ __pulumiType: type }) === true;
};

function optionsOf(r: RecordedResource): PolicyResourceOptions {
    return {
        protect: r.protect,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        ...(r.parent ? { parent: r.parent } : {}),
    };
}

export interface PolicyRunOptions {
    /** Per-policy configuration, as in `--policy-pack-config`. */
    readonly config?: PolicyPackConfig;
    /** The pack's default enforcement level. @default "advisory" */
    readonly packEnforcementLevel?: EnforcementLevel;
    readonly stackTags?: ReadonlyMap<string, string>;
}

export async function runPolicies(
    resources: readonly RecordedResource[],
    policies: Policies,
    opts: PolicyRunOptions = {},
): Promise<Violation[]> {
    const packConfig = opts.config ?? {};
    const packLevel = opts.packEnforcementLevel ?? "advisory";
    const stackTags = opts.stackTags ?? new Map<string, string>();
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const violations: Violation[] = [];

    const providerOf = (r: RecordedResource): PolicyProviderResource | undefined => {
        const p = r.provider ? byUrn.get(r.provider) : undefined;
        return p && { type: p.type, props: unknownCheckingProxy(p.inputs), urn: p.urn, name: p.name };
    };

    for (const p of policies) {
        const level = levelOf(p, packConfig, packLevel);
        if (level === "disabled") continue;
        const reported: "mandatory" | "advisory" = level === "advisory" ? "advisory" : "mandatory";
        const config = effectiveConfig(p.configSchema, packConfig[p.name]);
        const report =
            (defaultUrn: string): ReportViolation =>
            (message, urn) =>
                violations.push({ policy: p.name, level: reported, urn: urn ?? defaultUrn, message });
        const guard = async (fn: () => unknown) => {
            try {
                await fn();
            } catch (e) {
                if (e instanceof NotApplicable) return;
                if (e instanceof UnknownValueError) {
                    // What the CLI does: the policy cannot judge yet, which is advisory, never a pass or a failure.
                    violations.push({
                        policy: p.name,
                        level: "advisory",
                        urn: "",
                        message: `can't run policy '${p.name}' during preview: ${e.message}`,
                    });
                    return;
                }
                throw new Error(`policy '${p.name}' failed: ${(e as Error).message}`, { cause: e });
            }
        };

        if ("validateResource" in p && p.validateResource) {
            const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
            // The CLI's analyzer host does not call a validation tagged with a type (what
            // validateResourceOfType makes) for resources of other types: it is not applicable to them.
            // The same holds for each tagged entry of a list (its wrapper would only call
            // `notApplicable`), so a resource meets only the entries for its type and the untagged ones;
            // most resources meet none of a typed list, and are skipped without building their args.
            const applicableTo = new Map<string, typeof validations>();
            const validationsFor = (type: string) => {
                let vs = applicableTo.get(type);
                if (!vs) {
                    vs = validations.filter((v) => {
                        const t = pulumiTypeOf(v);
                        return t === undefined || t === type;
                    });
                    applicableTo.set(type, vs);
                }
                return vs;
            };
            for (const r of resources) {
                const applicable = validationsFor(r.type);
                if (applicable.length === 0) continue;
                const args: ResourceValidationArgs = {
                    type: r.type,
                    props: unknownCheckingProxy(r.inputs),
                    urn: r.urn,
                    name: r.name,
                    opts: optionsOf(r),
                    provider: providerOf(r),
                    stackTags,
                    isType: isTypeOf(r.type),
                    asType: ((cls: any) =>
                        isTypeOf(r.type)(cls) ? r.inputs : undefined) as ResourceValidationArgs["asType"],
                    getConfig: <T extends object>() => config as T,
                    notApplicable,
                };
                for (const v of applicable) await guard(() => v(args, report(r.urn)));
            }
        }
        if ("validateStack" in p) {
            const policyResources = new Map<string, PolicyResource>();
            for (const r of resources) {
                policyResources.set(r.urn, {
                    type: r.type,
                    props: unknownCheckingProxy(r.outputs),
                    urn: r.urn,
                    name: r.name,
                    opts: optionsOf(r),
                    provider: providerOf(r),
                    dependencies: [],
                    propertyDependencies: {},
                    isType: isTypeOf(r.type),
                    asType: ((cls: any) => (isTypeOf(r.type)(cls) ? r.outputs : undefined)) as PolicyResource["asType"],
                });
            }
            for (const r of resources) {
                const pr = policyResources.get(r.urn)!;
                const resolve = (urns: readonly string[]) =>
                    urns.map((u) => policyResources.get(u)).filter((x): x is PolicyResource => !!x);
                if (r.parent && policyResources.has(r.parent)) pr.parent = policyResources.get(r.parent);
                pr.dependencies = resolve(r.dependencies);
                pr.propertyDependencies = Object.fromEntries(
                    Object.entries(r.propertyDependencies).map(([k, v]) => [k, resolve(v)]),
                );
            }
            const sp = p as StackValidationPolicy;
            await guard(() =>
                sp.validateStack(
                    {
                        resources: [...policyResources.values()],
                        getConfig: <T extends object>() => config as T,
                        stackTags,
                        notApplicable,
                    },
                    report(""),
                ),
            );
        }
    }
    return violations;
}
