/**
 * Image references of an entry: its `image` and, during a release, its `canaryImage`. Both follow the
 * same rules: a registry the platform trusts, and a digest or a tag that names one build.
 */
import { ALLOWED_IMAGE_REGISTRIES, imagePinProblem, imageRegistry, MUTABLE_TAGS } from "../../components/catalog";
import { list, missingOr, valueRule, type CatalogRule } from "./format";

const REGISTRY_TEXT = ALLOWED_IMAGE_REGISTRIES.join(", ");
const registryPatterns = ALLOWED_IMAGE_REGISTRIES.map(
    (p) => new RegExp(`^${p.replace(/\./g, "\\.").replace(/\*/g, "[a-z0-9-]+")}$`),
);

/** Why an image reference is refused, or undefined when it is fine. */
export function imageProblem(image: unknown): { what: string; fix: string } | undefined {
    if (typeof image !== "string" || image === "")
        return {
            what: missingOr(image, "must be an image reference"),
            fix: "set 'image: <registry>/<repository>:<version>'",
        };
    const registry = imageRegistry(image);
    if (!registry || !registryPatterns.some((re) => re.test(registry))) {
        return {
            what: `comes from registry ${registry ?? "(none: Docker Hub)"}, which is not allowed`,
            fix: "push the image to the platform's ECR or Artifact Registry and name it there",
        };
    }
    return imagePinProblem(image);
}

/** The rule of the image at `key`; `optional` lets it be absent (the canary's). */
export function imageRule(key: string, optional = false): CatalogRule {
    return valueRule(
        key,
        (v) => (optional && v === undefined) || imageProblem(v) === undefined,
        (v) => {
            const problem = imageProblem(v)!;
            return {
                ...problem,
                fix: problem.fix.replace("'image:", `'${key}:`),
                allowed: `an image from ${REGISTRY_TEXT}, pinned by digest (@sha256:<64 hex>) or by an immutable tag (1.4.2, v2.0.0-rc.1, a commit id); never ${list(MUTABLE_TAGS)}`,
            };
        },
    );
}
