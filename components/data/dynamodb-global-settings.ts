/**
 * Arguments, defaults and validation of the DynamoDB global table: pure, so every rule is tested without
 * the Pulumi runtime, and the component file keeps to the resources.
 */
import type * as pulumi from "@pulumi/pulumi";
import { isProtected } from "../shared/protection";
import { isWholeInRange } from "../shared/validation";

/** Defaults, applied in one place. */
export const DYNAMODB_GLOBAL_DEFAULTS = {
    /** The longest point-in-time window DynamoDB offers. */
    pointInTimeRecoveryDays: 35,
} as const;

export const KEY_ATTRIBUTE_TYPES = ["S", "N", "B"] as const;
export type KeyAttributeType = (typeof KEY_ATTRIBUTE_TYPES)[number];

export interface KeyAttribute {
    readonly name: string;
    readonly type: KeyAttributeType;
}

export interface DynamoDbReplica {
    /** Region of the replica; must differ from the table's region and from every other replica's. */
    readonly region: string;
    /** Customer-managed key (ARN) of that region's `database` purpose. */
    readonly kmsKeyArn: pulumi.Input<string>;
}

export interface DynamoDbGlobalArgs {
    /** Region of the table, the region of the component's `aws` provider. */
    readonly region: string;
    /** Partition key. */
    readonly hashKey: KeyAttribute;
    /** Sort key. @default none */
    readonly rangeKey?: KeyAttribute;
    /** Attribute holding the expiry time of an item, in epoch seconds. @default none: items never expire */
    readonly ttlAttributeName?: string;
    /** Customer-managed key (ARN) of the table region's `database` purpose. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Replicas in other regions (global tables, version 2019.11.21). @default none */
    readonly replicas?: readonly DynamoDbReplica[];
    /** Point-in-time recovery window of the table and every replica, 1 to 35 days. @default 35 */
    readonly pointInTimeRecoveryDays?: number;
    /** Deletion protection on the table and replicas, and Pulumi `protect` on the table. @default true */
    readonly protect?: boolean;
}

export interface ResolvedDynamoDbGlobalArgs extends DynamoDbGlobalArgs {
    readonly replicas: readonly DynamoDbReplica[];
    readonly pointInTimeRecoveryDays: number;
    readonly protect: boolean;
}

export function resolveDynamoDbGlobalArgs(args: DynamoDbGlobalArgs): ResolvedDynamoDbGlobalArgs {
    return {
        ...args,
        replicas: args.replicas ?? [],
        pointInTimeRecoveryDays: args.pointInTimeRecoveryDays ?? DYNAMODB_GLOBAL_DEFAULTS.pointInTimeRecoveryDays,
        protect: isProtected(args.protect),
    };
}

/** Throws one error listing every invalid argument. */
export function validateDynamoDbGlobalArgs(name: string, a: ResolvedDynamoDbGlobalArgs): void {
    const problems: string[] = [];
    for (const [key, attr] of [
        ["hashKey", a.hashKey],
        ["rangeKey", a.rangeKey],
    ] as const) {
        if (attr && !(KEY_ATTRIBUTE_TYPES as readonly string[]).includes(attr.type)) {
            problems.push(
                `${key}.type must be one of ${KEY_ATTRIBUTE_TYPES.join(", ")}; received ${JSON.stringify(attr.type)}`,
            );
        }
    }
    if (a.rangeKey && a.rangeKey.name === a.hashKey.name) {
        problems.push(`rangeKey.name must differ from hashKey.name; both are ${JSON.stringify(a.hashKey.name)}`);
    }
    const seen = new Set<string>([a.region]);
    a.replicas.forEach((r, i) => {
        if (seen.has(r.region)) {
            problems.push(
                `replicas[${i}].region ${JSON.stringify(r.region)} is the table's region or another replica's; each region holds one copy`,
            );
        }
        seen.add(r.region);
    });
    if (!isWholeInRange(a.pointInTimeRecoveryDays, { min: 1, max: 35 })) {
        problems.push(
            `pointInTimeRecoveryDays must be a whole number from 1 to 35; received ${a.pointInTimeRecoveryDays}`,
        );
    }
    if (problems.length > 0) throw new Error(`DynamoDbGlobal ${name}: ${problems.join("; ")}`);
}
