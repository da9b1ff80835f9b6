/**
 * The Helm mechanics every add-on shares, in the spirit of cdk-eks-blueprints' `HelmAddOn`: the chart
 * source and version come from components/versions.ts, caller values are deep-merged over the add-on's
 * defaults, and every release is created with the same deliberate wait/rollback settings. Each add-on
 * (Istio's charts in components/mesh, the next ones here) is a short file of defaults over this base.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** Helm values: a YAML-shaped tree whose leaves may be Pulumi inputs. */
export type HelmValues = Record<string, any>;

/** Where a chart comes from. */
export interface ChartSource {
    /** Chart name inside the repository. */
    readonly chart: string;
    /** Repository URL. */
    readonly repo: string;
    /** Chart version. */
    readonly version: string;
}

export const HELM_RELEASE_DEFAULTS = {
    /**
     * Wait for every workload of a release to be ready. Ordering by `dependsOn` only means something
     * if "created" means "serving": a gateway started before istiod answers is never injected.
     */
    skipAwait: false,
    /**
     * Roll a failed install or upgrade back instead of leaving a half-applied release that the next
     * `pulumi up` must untangle by hand.
     */
    atomic: true,
    /** Remove resources a failed upgrade created, so a retry starts clean. */
    cleanupOnFail: true,
    /** Release history Helm keeps as Secrets in the namespace; enough to roll back, not unbounded. */
    maxHistory: 10,
    /** Helm's own default of 300 s is too short for a cold Autopilot node pool or a load balancer. */
    timeoutSeconds: 600,
} as const;

export interface HelmAddOnArgs {
    /** Chart, repository and version; built from components/versions.ts, never written inline. */
    readonly source: ChartSource;
    /**
     * Helm release name. Fixed rather than auto-named, because Istio's charts derive object names and
     * selector labels (`istio: ingressgateway`) from it.
     */
    readonly releaseName: string;
    /** Namespace of the release; it must already exist (namespaces are managed, never created by Helm). */
    readonly namespace: pulumi.Input<string>;
    /** The add-on's own values. */
    readonly defaultValues: HelmValues;
    /** Caller values, deep-merged over `defaultValues` (objects merge, lists and scalars replace). @default none */
    readonly values?: HelmValues;
    /** Seconds Helm waits for each operation. @default 600 */
    readonly timeoutSeconds?: number;
}

/**
 * One Helm release with the platform's release settings. Ordering and the Kubernetes provider come in
 * through `opts` (`parent`, `dependsOn`).
 */
export function helmAddOn(name: string, args: HelmAddOnArgs, opts: pulumi.CustomResourceOptions): k8s.helm.v3.Release {
    return new k8s.helm.v3.Release(
        name,
        {
            name: args.releaseName,
            chart: args.source.chart,
            version: args.source.version,
            repositoryOpts: { repo: args.source.repo },
            namespace: args.namespace,
            createNamespace: false,
            values: deepMerge(args.defaultValues, args.values ?? {}),
            skipAwait: HELM_RELEASE_DEFAULTS.skipAwait,
            atomic: HELM_RELEASE_DEFAULTS.atomic,
            cleanupOnFail: HELM_RELEASE_DEFAULTS.cleanupOnFail,
            maxHistory: HELM_RELEASE_DEFAULTS.maxHistory,
            timeout: args.timeoutSeconds ?? HELM_RELEASE_DEFAULTS.timeoutSeconds,
        },
        opts,
    );
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
    const proto = Object.getPrototypeOf(v);
    // Outputs and resources are class instances: leaves, never merged into.
    return proto === Object.prototype || proto === null;
}

/**
 * Merges `override` over `base` the way `helm -f` layers values files: nested objects merge, lists and
 * scalars replace, `undefined` leaves the base value. Neither argument is modified.
 */
export function deepMerge(base: HelmValues, override: HelmValues): HelmValues {
    const out: HelmValues = { ...base };
    for (const [key, value] of Object.entries(override)) {
        if (value === undefined) continue;
        const current = out[key];
        out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
    }
    return out;
}
