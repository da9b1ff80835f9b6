/**
 * Instance, node, broker and database classes: each must have its component's form and be on the closed
 * list of its family (components/shared/instance-types.ts), unless the stack opts out of the lists with
 * `sizing.allowUnlistedInstanceTypes: true` for a type the lists do not know yet.
 */
import { GLOBAL_DATABASE_INSTANCE_CLASS } from "../../components/data/aurora-settings";
import { ELASTICACHE_NODE_TYPE_FORM } from "../../components/data/elasticache";
import { RDS_INSTANCE_CLASS_FORM } from "../../components/data/service-database-settings";
import { MSK_STANDARD_BROKER_TYPE_FORM } from "../../components/messaging/kafka-settings";
import {
    ARM64_INSTANCE_FAMILY,
    AURORA_GLOBAL_FAMILIES,
    closest,
    duplicates,
    EC2_INSTANCE_TYPE_FORM,
    EKS_NODE_FAMILIES,
    ELASTICACHE_FAMILIES,
    instanceTypes,
    MSK_BROKER_FAMILIES,
    RDS_INSTANCE_FAMILIES,
    type InstanceFamily,
} from "../../components/shared";
import { isObject, list, missingOr, setCommand, valueRule, type ConfigRule, type ConfigView } from "./rule";

/** One kind of class: where it is configured, what it is called and which list and form it must meet. */
interface InstanceKind {
    readonly key: string;
    readonly noun: string;
    readonly prefix: string;
    readonly families: readonly InstanceFamily[];
    /** The form the component itself checks; also what an unlisted type must have. */
    readonly form: RegExp;
    readonly formText: string;
    readonly example: string;
}

export const INSTANCE_KINDS = {
    eksNode: {
        key: "sizing.kubernetesNodeInstanceTypes",
        noun: "EKS node instance type (x86_64)",
        prefix: "",
        families: EKS_NODE_FAMILIES,
        form: EC2_INSTANCE_TYPE_FORM,
        formText: "an EC2 instance type (<family>.<size>)",
        example: "m6i.xlarge",
    },
    database: {
        key: "sizing.databaseInstanceClass",
        noun: "Aurora global-database instance class",
        prefix: "db.",
        families: AURORA_GLOBAL_FAMILIES,
        form: GLOBAL_DATABASE_INSTANCE_CLASS,
        formText: "a memory-optimized RDS class (db.r* or db.x*), the only ones an Aurora global database takes",
        example: "db.r6g.large",
    },
    kafka: {
        key: "sizing.kafkaBrokerInstanceType",
        noun: "MSK Standard broker type",
        prefix: "kafka.",
        families: MSK_BROKER_FAMILIES,
        form: MSK_STANDARD_BROKER_TYPE_FORM,
        formText: "an MSK Standard broker type (kafka.<family>.<size>)",
        example: "kafka.m5.large",
    },
    cache: {
        key: "sizing.cacheNodeType",
        noun: "ElastiCache node type",
        prefix: "cache.",
        families: ELASTICACHE_FAMILIES,
        form: ELASTICACHE_NODE_TYPE_FORM,
        formText: "an ElastiCache node type (cache.<family>.<size>)",
        example: "cache.r7g.large",
    },
    serviceDatabase: {
        key: "sizing.serviceDatabaseInstanceClass",
        noun: "RDS instance class for a service's own database",
        prefix: "db.",
        families: RDS_INSTANCE_FAMILIES,
        form: RDS_INSTANCE_CLASS_FORM,
        formText: "an RDS instance class (db.<family>.<size>)",
        example: "db.t4g.micro",
    },
} satisfies Record<string, InstanceKind>;

const allowsUnlisted = (view: ConfigView) =>
    isObject(view.raw.sizing) && view.raw.sizing.allowUnlistedInstanceTypes === true;

/** The family of a type, when it is one the list knows. */
function familyOf(kind: InstanceKind, type: string): InstanceFamily | undefined {
    return kind.families.find((f) => type.startsWith(`${kind.prefix}${f.family}.`));
}

/** Form, then list, for the class at `key`; `reportedElsewhere` values are left to a more precise rule. */
function classRules(kind: InstanceKind, key: string, reportedElsewhere = (_v: string) => false): ConfigRule[] {
    const listed = instanceTypes(kind.prefix, kind.families);
    return [
        valueRule(
            key,
            (v) => typeof v === "string" && kind.form.test(v),
            (v) => ({
                what: missingOr(v, "has the wrong form"),
                allowed: `${kind.formText}, such as ${kind.example}`,
                fix: setCommand(key, kind.example),
            }),
        ),
        valueRule(
            key,
            (v, view) =>
                typeof v !== "string" ||
                !kind.form.test(v) ||
                reportedElsewhere(v) ||
                listed.includes(v) ||
                allowsUnlisted(view),
            (v) => {
                const family = familyOf(kind, v as string);
                const known = family
                    ? `${kind.prefix}${family.family} sizes ${list(family.sizes)}`
                    : `the families ${list(kind.families.map((f) => kind.prefix + f.family))}`;
                return {
                    what: `is not a known ${kind.noun}`,
                    allowed: `${known} (components/shared/instance-types.ts); with sizing.allowUnlistedInstanceTypes: true, ${kind.formText}`,
                    fix:
                        `${setCommand(key, closest(v as string, listed, 4) ?? kind.example)}, or if ${String(v)} is a new type, ` +
                        setCommand("sizing.allowUnlistedInstanceTypes", "true"),
                };
            },
        ),
    ];
}

function nodeTypeRules(view: ConfigView): ConfigRule[] {
    const kind = INSTANCE_KINDS.eksNode;
    const types = (isObject(view.resolved.sizing) ? view.resolved.sizing : {}).kubernetesNodeInstanceTypes;
    const shape = valueRule(
        kind.key,
        (v) => Array.isArray(v) && v.length > 0 && v.every((t) => typeof t === "string"),
        () => ({
            what: "must be a non-empty list of EC2 instance types",
            allowed: 'a list such as ["m6i.xlarge"]',
            fix: setCommand(`${kind.key}[0]`, "m6i.xlarge"),
        }),
    );
    if (!Array.isArray(types) || !types.every((t) => typeof t === "string")) return [shape];
    const isArm = (t: string) => ARM64_INSTANCE_FAMILY.test(t);
    const rules = [shape, ...types.flatMap((_t, i) => classRules(kind, `${kind.key}[${i}]`, isArm))];
    types.forEach((t, i) =>
        rules.push(
            valueRule(
                `${kind.key}[${i}]`,
                () => !isArm(t),
                () => ({
                    what: "is a Graviton (arm64) type, and the EKS node groups run the x86_64 AL2023 AMI",
                    allowed: `an x86_64 type such as ${kind.example}`,
                    fix: setCommand(`${kind.key}[${i}]`, kind.example),
                }),
            ),
        ),
    );
    rules.push(
        valueRule(
            kind.key,
            () => duplicates(types).length === 0,
            () => ({
                what: `names ${list(duplicates(types))} more than once`,
                allowed: "each instance type once",
                fix: `remove the repeated entries from '${kind.key}'`,
            }),
        ),
    );
    return rules;
}

export function instanceTypeRules(view: ConfigView): ConfigRule[] {
    return [
        ...nodeTypeRules(view),
        ...classRules(INSTANCE_KINDS.database, INSTANCE_KINDS.database.key),
        ...classRules(INSTANCE_KINDS.kafka, INSTANCE_KINDS.kafka.key),
        ...classRules(INSTANCE_KINDS.cache, INSTANCE_KINDS.cache.key),
        ...classRules(INSTANCE_KINDS.serviceDatabase, INSTANCE_KINDS.serviceDatabase.key),
    ];
}
