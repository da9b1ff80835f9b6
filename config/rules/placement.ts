/** Where the stack runs: its environment, its two AWS regions and its GCP project and region. */
import { AWS_REGIONS, ENVIRONMENTS, GCP_REGIONS, PROJECT } from "../schema";
import {
    choiceRule,
    isObject,
    list,
    objectRule,
    patternRule,
    setCommand,
    unknownKeyRules,
    valueRule,
    type ConfigRule,
} from "./rule";

/**
 * Google's project id rules: 6 to 30 characters, lowercase letters, digits and hyphens, a letter first,
 * no hyphen last, and none of the restricted strings
 * (https://cloud.google.com/resource-manager/docs/creating-managing-projects#before_you_begin).
 */
export const GCP_PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
export const GCP_PROJECT_ID_RESTRICTED = ["google", "null", "undefined", "ssl"] as const;

const AWS_KEYS = ["primaryRegion", "secondaryRegion"];
const GCP_KEYS = ["project", "region"];

export function placementRules(view: { raw: Record<string, unknown> }): ConfigRule[] {
    const rules: ConfigRule[] = [choiceRule("environment", ENVIRONMENTS)];

    rules.push(objectRule("aws", "primaryRegion and secondaryRegion"));
    const aws = view.raw.aws;
    if (isObject(aws)) {
        rules.push(
            ...unknownKeyRules("aws", aws, AWS_KEYS),
            choiceRule("aws.primaryRegion", AWS_REGIONS),
            choiceRule("aws.secondaryRegion", AWS_REGIONS),
            valueRule(
                "aws.secondaryRegion",
                (v) => v !== aws.primaryRegion || !(AWS_REGIONS as readonly unknown[]).includes(v),
                (v) => ({
                    what: "equals aws.primaryRegion; a second region in the same place protects nothing",
                    allowed: `an AWS region other than ${String(v)}`,
                    fix: setCommand("aws.secondaryRegion", v === "us-west-2" ? "us-east-2" : "us-west-2"),
                }),
            ),
        );
    }

    rules.push(objectRule("gcp", "project and region"));
    const gcp = view.raw.gcp;
    if (isObject(gcp)) {
        rules.push(
            ...unknownKeyRules("gcp", gcp, GCP_KEYS),
            patternRule(
                "gcp.project",
                GCP_PROJECT_ID,
                "a GCP project id: 6 to 30 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen",
                "acme-platform-dr",
            ),
            valueRule(
                "gcp.project",
                (v) => typeof v !== "string" || !GCP_PROJECT_ID_RESTRICTED.some((s) => v.includes(s)),
                (v) => ({
                    what: `contains "${GCP_PROJECT_ID_RESTRICTED.find((s) => String(v).includes(s))}", which Google does not allow in a project id`,
                    allowed: `a GCP project id without any of ${list(GCP_PROJECT_ID_RESTRICTED)}`,
                    fix: `set the id of the DR project with ${setCommand("gcp.project", "acme-platform-dr")}`,
                }),
            ),
            choiceRule("gcp.region", GCP_REGIONS),
        );
    }
    return rules;
}

/** Top-level keys of the project namespace the program does not read. */
export function unknownTopLevelRules(
    view: { raw: Record<string, unknown>; stack: string },
    known: readonly string[],
): ConfigRule[] {
    return Object.keys(view.raw)
        .filter((k) => !known.includes(k))
        .map((k) => ({
            key: k,
            check: () => false,
            message: () => ({
                what: "unknown key",
                allowed: `one of ${list(known)}`,
                fix: `rename or remove '${PROJECT}:${k}' in Pulumi.${view.stack}.yaml`,
            }),
        }));
}
