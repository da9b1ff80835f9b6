/**
 * EKS version support: a cluster runs a Kubernetes version in standard support, and opts out of extended
 * support so that an aged version is upgraded by EKS instead of billed silently at $0.60 instead of
 * $0.10 per cluster-hour. Two policies, because they fail for different reasons and are fixed in
 * different places: the version is an upgrade, the upgrade policy a one-line setting.
 */
import * as aws from "@pulumi/aws";
import { UnknownValueError, validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import eksSupport from "../generated/eks-support.json";

// The pack does not depend on @pulumi/eks (policy/package.json), so the component is matched by its token;
// offline its children are invisible and its inputs (`version`, `upgradePolicy`) are judged instead.
const EKS_COMPONENT = "eks:index:Cluster";

const DAY_MS = 86_400_000;
const SUPPORT: Readonly<Record<string, { standardEnds: string; extendedEnds: string }>> = eksSupport.versions;
const MINORS = Object.keys(SUPPORT).sort((a, b) => minorNumber(a) - minorNumber(b));

function minorNumber(version: string): number {
    return Number(version.split(".")[1]);
}

function daysFrom(now: Date, date: string): number {
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    return Math.round((Date.parse(`${date}T00:00:00Z`) - today) / DAY_MS);
}

/** Reads an input; `unknown` when a preview does not know it yet (a policy then has nothing to judge). */
function read(get: () => unknown): { unknown: true } | { unknown: false; value: unknown } {
    try {
        return { unknown: false, value: get() };
    } catch (e) {
        if (e instanceof UnknownValueError) return { unknown: true };
        throw e;
    }
}

type VersionConfig = { minimumDaysOfSupport: number };

/** The problem with a cluster's version on `now`, or undefined when it has enough standard support left. */
export function eksVersionProblem(version: unknown, now: Date, config: VersionConfig): string | undefined {
    if (version === undefined || version === null || version === "") {
        return (
            "EKS cluster pins no Kubernetes version: EKS creates it on its current default, and nothing shows " +
            "when that version leaves standard support. Set version to a minor in standard support."
        );
    }
    const minor = /^(\d+\.\d+)/.exec(String(version))?.[1];
    if (!minor)
        return `EKS cluster version ${JSON.stringify(version)} is not a Kubernetes minor version such as "1.35".`;
    const support = SUPPORT[minor];
    if (!support) {
        // Newer than the table: released after it was written, so in standard support.
        if (minorNumber(minor) > minorNumber(MINORS[MINORS.length - 1])) return undefined;
        return `EKS cluster runs Kubernetes ${minor}, which is past the end of extended support. Upgrade to ${MINORS[MINORS.length - 1]}.`;
    }
    const daysLeft = daysFrom(now, support.standardEnds);
    if (daysLeft > config.minimumDaysOfSupport) return undefined;
    const newest = MINORS[MINORS.length - 1];
    const when =
        daysLeft <= 0
            ? `left standard support on ${support.standardEnds}; extended support costs $0.60 instead of $0.10 per cluster-hour`
            : `leaves standard support on ${support.standardEnds}, in ${daysLeft} days (minimumDaysOfSupport asks for more than ${config.minimumDaysOfSupport})`;
    return `EKS cluster runs Kubernetes ${minor}, which ${when}. Upgrade to ${newest}.`;
}

/** Builds the version policy with a clock; the pack uses the real one, tests a fixed date. */
export function eksVersionSupportPolicy(clock: () => Date): ResourceValidationPolicy {
    return {
        name: "eks-version-in-standard-support",
        description: "EKS clusters run a Kubernetes version that is still in EKS standard support.",
        enforcementLevel: "advisory",
        tags: ["hygiene"],
        configSchema: {
            properties: {
                minimumDaysOfSupport: {
                    type: "integer",
                    minimum: 0,
                    default: 0,
                    description:
                        "Also flag versions whose standard support ends within this many days; 0 flags only versions past it.",
                },
            },
        },
        remediationSteps:
            "Upgrade the control plane one minor at a time (version on eks.Cluster or aws.eks.Cluster), then the node " +
            "groups. The support calendar is components/versions.ts (EKS_VERSION_SUPPORT).",
        validateResource: [
            (args, reportViolation) => {
                if (args.type !== EKS_COMPONENT) return;
                const version = read(() => args.props.version);
                if (version.unknown) return;
                const problem = eksVersionProblem(version.value, clock(), args.getConfig<VersionConfig>());
                if (problem) reportViolation(problem);
            },
            validateResourceOfType(aws.eks.Cluster, (cluster, args, reportViolation) => {
                const problem = eksVersionProblem(cluster.version, clock(), args.getConfig<VersionConfig>());
                if (problem) reportViolation(problem);
            }),
        ],
    };
}

export const eksVersionInStandardSupport = eksVersionSupportPolicy(() => new Date());

type UpgradePolicyConfig = { allowExtendedSupport: boolean };

function judgeSupportType(supportType: unknown, config: UpgradePolicyConfig, reportViolation: (m: string) => void) {
    if (supportType === "STANDARD" || config.allowExtendedSupport) return;
    reportViolation(
        `EKS cluster upgrade policy is ${supportType === undefined ? "unset, which EKS reads as EXTENDED" : supportType}: ` +
            "when its version leaves standard support the cluster is billed $0.60 instead of $0.10 per hour, silently. " +
            "Set upgradePolicy: { supportType: 'STANDARD' }.",
    );
}

export const eksUpgradePolicyStandard: ResourceValidationPolicy = {
    name: "eks-upgrade-policy-standard",
    description:
        "EKS clusters opt out of extended support (upgradePolicy.supportType STANDARD), so an aged version is upgraded, not billed at six times the price.",
    enforcementLevel: "advisory",
    tags: ["hygiene"],
    configSchema: {
        properties: {
            allowExtendedSupport: {
                type: "boolean",
                default: false,
                description:
                    "Accept clusters that stay on a version in paid extended support (a budgeted upgrade delay).",
            },
        },
    },
    remediationSteps:
        "Set upgradePolicy: { supportType: 'STANDARD' } on eks.Cluster or aws.eks.Cluster (EksCluster does unless " +
        "allowExtendedSupport is true). EKS then upgrades the control plane when standard support ends.",
    validateResource: [
        (args, reportViolation) => {
            if (args.type !== EKS_COMPONENT) return;
            const supportType = read(() => args.props.upgradePolicy?.supportType);
            if (supportType.unknown) return;
            judgeSupportType(supportType.value, args.getConfig<UpgradePolicyConfig>(), reportViolation);
        },
        validateResourceOfType(aws.eks.Cluster, (cluster, args, reportViolation) => {
            judgeSupportType(
                cluster.upgradePolicy?.supportType,
                args.getConfig<UpgradePolicyConfig>(),
                reportViolation,
            );
        }),
    ],
};
