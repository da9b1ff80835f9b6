/**
 * Image references, read once for the catalog validator and the workload component: which registry an
 * image comes from, and whether it names one build (a digest or an immutable tag).
 */
import { isOneOf } from "../shared/validation";
import { IMAGE_DIGEST, IMMUTABLE_TAG, MUTABLE_TAGS } from "./limits";

/** The registry host of an image reference (the part before the first '/'), if it names one. */
export function imageRegistry(image: string): string | undefined {
    const first = image.split("/")[0];
    return image.includes("/") && /[.:]/.test(first) ? first : undefined;
}

/** Why an image reference does not pin one build, with how to fix it; undefined when it does. */
export function imagePinProblem(image: string): { what: string; fix: string } | undefined {
    const registry = imageRegistry(image);
    const rest = registry ? image.slice(registry.length + 1) : image;
    const at = rest.indexOf("@");
    if (at >= 0) {
        return IMAGE_DIGEST.test(rest.slice(at + 1))
            ? undefined
            : {
                  what: "has a malformed digest",
                  fix: "use the digest the registry printed: '@sha256:' and 64 hex digits",
              };
    }
    const colon = rest.lastIndexOf(":");
    const tag = colon >= 0 ? rest.slice(colon + 1) : undefined;
    if (tag === undefined || isOneOf(tag, MUTABLE_TAGS)) {
        return {
            what: `uses the moving tag '${tag ?? "latest"}'${tag === undefined ? " (no tag means latest)" : ""}`,
            fix: "pin the image by digest (@sha256:...) or by its version tag",
        };
    }
    return IMMUTABLE_TAG.test(tag)
        ? undefined
        : {
              what: `has tag '${tag}', which does not name one build`,
              fix: "pin the image by digest (@sha256:...) or by its version tag",
          };
}
