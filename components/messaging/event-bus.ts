import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    busNameProblems,
    type EventRoute,
    eventPattern,
    eventRuleName,
    kebab,
    routeProblems,
} from "./messaging-routes";

export const EVENT_BUS_DEFAULTS = {
    /** A month of events to replay after an incident or a consumer bug. */
    archiveRetentionDays: 30,
    /** EventBridge's own defaults, written down: 185 attempts over 24 hours, then the dead-letter queue. */
    maximumRetryAttempts: 185,
    maximumEventAgeInSeconds: 86400,
} as const;

/** Where a route delivers: a service queue and the dead-letter queue for events EventBridge cannot deliver. */
export interface EventBusQueue {
    readonly arn: pulumi.Input<string>;
    readonly deadLetterArn: pulumi.Input<string>;
}

export interface EventBusArgs {
    /**
     * Name of the custom bus, at most 40 characters. Give ServiceMessaging the same name (its `eventBus.name`)
     * so that the queue policies admit these rules. @default the component name
     */
    readonly busName?: string;
    /** Customer-managed KMS key (ARN) of the bus and its archive: the messaging key. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Routes from `detail-type` to service (the platform's are in `catalog/messaging.ts`). */
    readonly routes: readonly EventRoute[];
    /** Queues by service (`ServiceMessaging.queues`); every routed service needs one. */
    readonly queues: Readonly<Record<string, EventBusQueue>>;
    /** Days the archive keeps events for replay; 0 keeps them forever. @default 30 */
    readonly archiveRetentionDays?: number;
    /** Delivery attempts per event before it goes to the dead-letter queue, 0 to 185. @default 185 */
    readonly maximumRetryAttempts?: number;
    /** Age after which an undelivered event goes to the dead-letter queue, 60 to 86400 seconds. @default 86400 */
    readonly maximumEventAgeInSeconds?: number;
}

/**
 * A custom EventBridge bus encrypted with the messaging key, an archive of every event for replay, and
 * one rule per route delivering to the routed service's queue, with retries and that service's
 * dead-letter queue for events that cannot be delivered.
 */
export class EventBus extends pulumi.ComponentResource {
    public readonly busArn: pulumi.Output<string>;
    public readonly busName: pulumi.Output<string>;
    public readonly archiveArn: pulumi.Output<string>;
    /** Rule ARNs by `detail-type`. */
    public readonly ruleArns: Readonly<Record<string, pulumi.Output<string>>>;

    constructor(name: string, args: EventBusArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:messaging:EventBus", name, {}, opts);
        const s = eventBusSettings(name, args);

        const bus = new aws.cloudwatch.EventBus(
            `${name}-bus`,
            { name: s.busName, kmsKeyIdentifier: args.kmsKeyArn, description: `${name}: platform domain events` },
            { parent: this },
        );
        this.busArn = bus.arn;
        this.busName = bus.name;

        const archive = new aws.cloudwatch.EventArchive(
            `${name}-archive`,
            {
                name: `${s.busName}-archive`,
                eventSourceArn: bus.arn,
                retentionDays: s.archiveRetentionDays,
                kmsKeyIdentifier: args.kmsKeyArn,
                description: `${name}: every event of the bus, for replay`,
            },
            { parent: this },
        );
        this.archiveArn = archive.arn;

        const ruleArns: Record<string, pulumi.Output<string>> = {};
        for (const route of s.routes) {
            const child = `${name}-${kebab(route.detailType)}`;
            const rule = new aws.cloudwatch.EventRule(
                child,
                {
                    // Named explicitly: ServiceMessaging derives this rule's ARN for its queue policy.
                    name: eventRuleName(s.busName, route.detailType),
                    eventBusName: bus.name,
                    eventPattern: eventPattern(route.detailType),
                    state: "ENABLED",
                    description: `${route.detailType} -> ${route.service} service`,
                },
                { parent: this },
            );
            const queue = args.queues[route.service];
            new aws.cloudwatch.EventTarget(
                child,
                {
                    rule: rule.name,
                    eventBusName: bus.name,
                    arn: queue.arn,
                    deadLetterConfig: { arn: queue.deadLetterArn },
                    retryPolicy: {
                        maximumRetryAttempts: s.maximumRetryAttempts,
                        maximumEventAgeInSeconds: s.maximumEventAgeInSeconds,
                    },
                },
                { parent: this },
            );
            ruleArns[route.detailType] = rule.arn;
        }
        this.ruleArns = ruleArns;

        this.registerOutputs({ busArn: this.busArn, archiveArn: this.archiveArn, ruleArns: this.ruleArns });
    }
}

export interface EventBusSettings {
    readonly busName: string;
    readonly routes: readonly EventRoute[];
    readonly archiveRetentionDays: number;
    readonly maximumRetryAttempts: number;
    readonly maximumEventAgeInSeconds: number;
}

/** Validates every argument at once and applies the defaults; throws one error naming every problem. */
export function eventBusSettings(name: string, args: EventBusArgs): EventBusSettings {
    const d = EVENT_BUS_DEFAULTS;
    const s: EventBusSettings = {
        busName: args.busName ?? name,
        routes: args.routes,
        archiveRetentionDays: args.archiveRetentionDays ?? d.archiveRetentionDays,
        maximumRetryAttempts: args.maximumRetryAttempts ?? d.maximumRetryAttempts,
        maximumEventAgeInSeconds: args.maximumEventAgeInSeconds ?? d.maximumEventAgeInSeconds,
    };
    const problems = [...busNameProblems("busName", s.busName), ...routeProblems(s.busName, s.routes)];
    if (s.routes.length === 0) problems.push("routes is empty, so the bus would deliver nowhere; add a route");
    const queued = Object.keys(args.queues).sort();
    for (const r of s.routes) {
        if (!args.queues[r.service]) {
            problems.push(
                `route ${r.detailType} targets service ${JSON.stringify(r.service)}, which has no queue; queues exist for: ${queued.join(", ") || "none"}`,
            );
        }
    }
    const whole = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;
    if (!whole(s.archiveRetentionDays, 0, Number.MAX_SAFE_INTEGER)) {
        problems.push(
            `archiveRetentionDays must be a whole number of days, 0 keeping events forever; received ${s.archiveRetentionDays}`,
        );
    }
    if (!whole(s.maximumRetryAttempts, 0, 185)) {
        problems.push(`maximumRetryAttempts must be a whole number from 0 to 185; received ${s.maximumRetryAttempts}`);
    }
    if (!whole(s.maximumEventAgeInSeconds, 60, 86400)) {
        problems.push(
            `maximumEventAgeInSeconds must be a whole number from 60 to 86400; received ${s.maximumEventAgeInSeconds}`,
        );
    }
    if (problems.length > 0) throw new Error(`EventBus ${name}: ${problems.join("; ")}`);
    return s;
}
