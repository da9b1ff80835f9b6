/**
 * Tag and label rules. The stack's tags become AWS `defaultTags` and GCP `defaultLabels`, so a tag must be
 * valid in both: GCP's label rules are the stricter ones, and every label is also a valid AWS tag.
 */

/** User-defined tags AWS allows per resource (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html). */
export const AWS_MAX_TAGS_PER_RESOURCE = 50;

/**
 * Tags kept free on every resource for what the platform and AWS add beside the stack's tags: the
 * components' own (`purpose`), and what pulumi-eks and EKS add to the resources they create (`Name`,
 * `kubernetes.io/cluster/<name>`, `eks:cluster-name`, `eks:nodegroup-name`), with room to grow.
 */
export const RESERVED_TAG_HEADROOM = 10;

/** Tags a stack may define, its derived tags included. */
export const MAX_STACK_TAGS = AWS_MAX_TAGS_PER_RESOURCE - RESERVED_TAG_HEADROOM;

/** Tag keys the components set on resources themselves; a stack tag with the same key would be overridden. */
export const RESOURCE_TAG_KEYS = ["purpose"] as const;

/**
 * GCP label keys: 1 to 63 characters, lowercase letters, digits, `_` and `-`, starting with a letter
 * (https://cloud.google.com/resource-manager/docs/labels-overview). Non-ASCII letters GCP also takes are
 * left out because AWS cost reports and most tools handle them poorly.
 */
export const GCP_LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;

/** GCP label values: up to 63 lowercase letters, digits, `_` and `-`, empty allowed. */
export const GCP_LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;
