/**
 * Tags: they become AWS `defaultTags` and GCP `defaultLabels`, so each must be a valid GCP label (every
 * label is a valid AWS tag), the required ones must be there with a value, and all of them together must
 * leave room under AWS's 50 tags per resource for the tags the platform adds itself.
 */
import {
    AWS_MAX_TAGS_PER_RESOURCE,
    GCP_LABEL_KEY,
    GCP_LABEL_VALUE,
    MAX_STACK_TAGS,
    RESERVED_TAG_HEADROOM,
    RESOURCE_TAG_KEYS,
} from "../../components/shared";
import { DATA_CLASSIFICATIONS, DERIVED_TAGS, PROJECT, REQUIRED_TAG_KEYS, type Environment, type Tags } from "../schema";
import { isObject, list, objectRule, setCommand, type ConfigRule, type Explanation } from "./rule";

const LABEL_TEXT = "up to 63 lowercase letters, digits, '_' or '-' (GCP label rules)";

/** The tags the platform sets from other keys: `managed-by`, and `environment` once it is valid. */
function derivedTags(environment: Environment | undefined): Record<string, string> {
    return { ...DERIVED_TAGS, ...(environment ? { environment } : {}) };
}

/** A rule that fails with a fixed explanation (the tag rules are computed per tag, so each is final). */
const failing = (key: string, explanation: Explanation): ConfigRule => ({
    key,
    check: () => false,
    message: () => explanation,
});

/** How to turn a value GCP does not take into one it does. */
function labelFix(path: string, k: string, v: unknown, stack: string): string {
    // YAML reads 1001 and true as a number and a boolean; only quotes make them strings.
    if (typeof v === "number" || typeof v === "boolean") return `quote it in Pulumi.${stack}.yaml: ${k}: "${v}"`;
    const label =
        typeof v === "string"
            ? v
                  .toLowerCase()
                  .replace(/[^a-z0-9_-]/g, "-")
                  .slice(0, 63)
            : "<value>";
    return setCommand(path, label);
}

function tagRules(k: string, v: unknown, derived: Record<string, string>, stack: string): ConfigRule[] {
    const path = `tags.${k}`;
    if (!GCP_LABEL_KEY.test(k)) {
        return [
            failing(path, {
                what: "tag key cannot be a GCP label key",
                received: k,
                allowed:
                    "a key that starts with a lowercase letter, then up to 62 lowercase letters, digits, '_' or '-'",
                fix: `rename the key under '${PROJECT}:tags'`,
            }),
        ];
    }
    if (typeof v !== "string" || !GCP_LABEL_VALUE.test(v)) {
        return [
            failing(path, {
                what:
                    typeof v === "string"
                        ? "tag value cannot be a GCP label value"
                        : "tag value must be a string (quote numbers and booleans in the stack file)",
                received: v,
                allowed: LABEL_TEXT,
                fix: labelFix(path, k, v, stack),
            }),
        ];
    }
    const rules: ConfigRule[] = [];
    if (k in derived && derived[k] !== v) {
        rules.push(
            failing(path, {
                what: "is set by the platform and cannot be overridden",
                received: v,
                allowed: JSON.stringify(derived[k]),
                fix: `remove '${k}' from '${PROJECT}:tags'`,
            }),
        );
    }
    if ((RESOURCE_TAG_KEYS as readonly string[]).includes(k)) {
        rules.push(
            failing(path, {
                what: "is a tag the components set on resources themselves, where a stack value would be silently replaced",
                received: v,
                allowed: `any key except ${list(RESOURCE_TAG_KEYS)}`,
                fix: `rename '${k}' under '${PROJECT}:tags'`,
            }),
        );
    }
    if ((REQUIRED_TAG_KEYS as readonly string[]).includes(k) && v === "") {
        rules.push(
            failing(path, {
                what: "required tag is empty; the policy pack rejects every resource that carries it empty",
                received: v,
                allowed: `a non-empty value of ${LABEL_TEXT}`,
                fix: setCommand(path, "<value>"),
            }),
        );
    }
    if (k === "data-classification" && !(DATA_CLASSIFICATIONS as readonly string[]).includes(v)) {
        rules.push(
            failing(path, {
                what: "is not a known data classification",
                received: v,
                allowed: `one of ${list(DATA_CLASSIFICATIONS)}`,
                fix: setCommand(path, "internal"),
            }),
        );
    }
    return rules;
}

export function tagsRules(view: {
    raw: Record<string, unknown>;
    stack: string;
    environment?: Environment;
}): ConfigRule[] {
    const rules = [
        objectRule(
            "tags",
            `at least ${list(REQUIRED_TAG_KEYS.filter((k) => k !== "environment" && k !== "managed-by"))}`,
        ),
    ];
    const tags = view.raw.tags;
    if (!isObject(tags)) return rules;
    const derived = derivedTags(view.environment);
    for (const key of REQUIRED_TAG_KEYS) {
        // An invalid environment is reported once, under its own key, not again as a missing tag.
        if (key in derived || key in tags || (key === "environment" && !view.environment)) continue;
        rules.push(
            failing(`tags.${key}`, {
                what: "required tag is missing",
                received: undefined,
                allowed: LABEL_TEXT,
                fix: setCommand(`tags.${key}`, key === "data-classification" ? "internal" : "<value>"),
            }),
        );
    }
    for (const [k, v] of Object.entries(tags)) rules.push(...tagRules(k, v, derived, view.stack));
    const count = Object.keys({ ...tags, ...derived }).length;
    if (count > MAX_STACK_TAGS) {
        rules.push(
            failing("tags", {
                what: "holds more tags than leave room on every resource for the platform's own",
                received: count,
                allowed:
                    `at most ${MAX_STACK_TAGS} tags, ${list(Object.keys(derived))} included (AWS allows ` +
                    `${AWS_MAX_TAGS_PER_RESOURCE} per resource; ${RESERVED_TAG_HEADROOM} stay free for tags the platform and AWS add)`,
                fix: `remove ${count - MAX_STACK_TAGS} tags from '${PROJECT}:tags'`,
            }),
        );
    }
    return rules;
}

/** The tags of a config whose tag rules all passed: the stack's, then the derived ones. */
export function tagsConfig(tags: Record<string, unknown>, environment: Environment): Tags {
    return { ...(tags as Record<string, string>), ...derivedTags(environment) };
}
