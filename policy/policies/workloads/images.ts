/**
 * Containers run an image the program pins: a digest, or a tag that is never moved, from a registry the
 * platform trusts. A moving tag (`latest`, or none, which means `latest`) lets a node pull different code on
 * its next restart than the plan named (https://kubernetes.io/docs/concepts/containers/images/#image-names).
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { at, containersOf, exemptNamespacesSchema, kindOf, label, judgedPodSpec } from "./pod-spec";

/** ECR private registries (`<account>.dkr.ecr.<region>.amazonaws.com/`) and Artifact Registry (`<region>-docker.pkg.dev/`). */
export const DEFAULT_ALLOWED_REGISTRIES = ["*.dkr.ecr.*.amazonaws.com/", "*-docker.pkg.dev/"];

export interface ImageRef {
    /** Everything before the tag or digest: `registry/path/name`. */
    readonly repository: string;
    readonly tag?: string;
    readonly digest?: string;
}

/** Splits `registry[:port]/path:tag@sha256:…`; a colon before the last `/` is a registry port, not a tag. */
export function parseImage(image: string): ImageRef {
    const [named, digest] = image.split("@", 2);
    const slash = named.lastIndexOf("/");
    const colon = named.lastIndexOf(":");
    const hasTag = colon > slash;
    return {
        repository: hasTag ? named.slice(0, colon) : named,
        ...(hasTag ? { tag: named.slice(colon + 1) } : {}),
        ...(digest !== undefined ? { digest } : {}),
    };
}

/** A registry prefix with `*` standing for any run of characters other than `/`. */
export function registryPattern(prefix: string): RegExp {
    const escaped = prefix.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
    return new RegExp(`^${escaped.join("[^/]*")}`);
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

type Config = {
    exemptNamespaces: string[];
    allowedRegistries: string[];
    mutableTags: string[];
    requireDigest: boolean;
};

/** What is wrong with one image reference, or undefined. */
export function imageProblem(image: string, config: Config): string | undefined {
    const ref = parseImage(image);
    const allowed = config.allowedRegistries.some((p) => registryPattern(p).test(ref.repository));
    if (!allowed) return `is not from an allowed registry (${config.allowedRegistries.join(", ")})`;
    if (ref.digest !== undefined) return DIGEST.test(ref.digest) ? undefined : `has a malformed digest`;
    if (config.requireDigest) return "is not pinned by digest";
    if (ref.tag === undefined) return "has no tag or digest, so it means latest";
    if (config.mutableTags.includes(ref.tag)) return `uses the moving tag "${ref.tag}"`;
    return undefined;
}

export const containerImagesPinned: ResourceValidationPolicy = {
    name: "container-images-pinned",
    description:
        "Every container image is pinned by digest or an immutable tag (never latest or none) and comes from an allowed registry.",
    enforcementLevel: "mandatory",
    tags: ["access"],
    configSchema: {
        properties: {
            exemptNamespaces: exemptNamespacesSchema,
            allowedRegistries: {
                type: "array",
                items: { type: "string" },
                default: DEFAULT_ALLOWED_REGISTRIES,
                description: "Registry prefixes images may come from; `*` matches any characters but `/`.",
            },
            mutableTags: {
                type: "array",
                items: { type: "string" },
                default: ["latest"],
                description: "Tags known to move, refused like a missing tag.",
            },
            requireDigest: {
                type: "boolean",
                default: false,
                description: "Accept digests only, no tags (for registries without tag immutability).",
            },
        },
    },
    remediationSteps:
        "Reference images as <registry>/<name>@sha256:<digest> or by a release tag of an ECR repository with " +
        "imageTagMutability IMMUTABLE (or an Artifact Registry repository with immutable tags); push them to " +
        "an allowed registry or add its prefix to allowedRegistries.",
    validateResource: (args, reportViolation) => {
        const config = args.getConfig<Config>();
        const judged = judgedPodSpec(args, config.exemptNamespaces);
        if (!judged) return;
        const { podSpec, namespace } = judged;
        const problems: string[] = [];
        for (const c of containersOf(podSpec)) {
            const image = at(c.spec, ["image"]);
            // An image that is an output of another resource is judged once it is known.
            if (image === undefined) continue;
            const problem = imageProblem(String(image), config);
            if (problem) problems.push(`${label(c)} image "${image}" ${problem}`);
        }
        if (problems.length > 0) {
            reportViolation(`${kindOf(args.type)} "${args.name}" in namespace "${namespace}": ${problems.join("; ")}.`);
        }
    },
};
