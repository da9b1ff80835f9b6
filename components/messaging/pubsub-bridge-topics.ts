/**
 * The Pub/Sub side of one bridged topic: a part of `PubSubBridge` kept in its own file so the component
 * stays readable; its resources are the bridge's own children.
 */
import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import {
    PUBSUB_BRIDGE_DEFAULTS,
    type PubSubBridgeArgs,
    type PubSubBridgeSettings,
    serviceSubscriptionName,
} from "./pubsub-bridge-settings";

/**
 * A CMEK topic with a dead-letter topic, a never-expiring DR subscription that dead-letters after
 * repeated failures (and one like it for each service of `consumers`, `<topic>-<service>`), a subscription on the dead-letter topic (messages published to a topic without
 * subscriptions are dropped), and the grants Pub/Sub's agent needs to move messages between them.
 * Created as children of `parent` (the bridge) and named after it, like the bridge's other children.
 */
export function drTopic(
    parent: pulumi.Resource,
    name: string,
    topicName: string,
    consumers: readonly string[],
    args: PubSubBridgeArgs,
    s: PubSubBridgeSettings,
    pubsubAgent: pulumi.Output<string>,
) {
    const opts = { parent, protect: s.protect };
    const retention = `${s.messageRetentionSeconds}s`;
    const common = {
        project: args.gcpProject,
        kmsKeyName: args.gcpKmsKeyId,
        messageRetentionDuration: retention,
        messageStoragePolicy: { allowedPersistenceRegions: [args.gcpRegion] },
    };
    // An idle DR subscription would otherwise be deleted after 31 days without consumers.
    const neverExpire = { ttl: "" };
    const deadLetterName = `${topicName}-dead-letter`;
    const deadLetterTopic = new gcp.pubsub.Topic(
        `${name}-${topicName}-dead-letter`,
        { ...common, name: deadLetterName },
        opts,
    );
    const topic = new gcp.pubsub.Topic(`${name}-${topicName}`, { ...common, name: topicName }, opts);
    // Every subscription on the topic dead-letters the same way, and Pub/Sub's agent must be able to
    // acknowledge on it to move a message to the dead-letter topic.
    const drSubscription = (resourceName: string, subscriptionName: string) => {
        const subscription = new gcp.pubsub.Subscription(
            resourceName,
            {
                project: args.gcpProject,
                name: subscriptionName,
                topic: topic.id,
                ackDeadlineSeconds: PUBSUB_BRIDGE_DEFAULTS.ackDeadlineSeconds,
                messageRetentionDuration: retention,
                expirationPolicy: neverExpire,
                retryPolicy: {
                    minimumBackoff: PUBSUB_BRIDGE_DEFAULTS.retryMinimumBackoff,
                    maximumBackoff: PUBSUB_BRIDGE_DEFAULTS.retryMaximumBackoff,
                },
                deadLetterPolicy: { deadLetterTopic: deadLetterTopic.id, maxDeliveryAttempts: s.maxDeliveryAttempts },
            },
            opts,
        );
        new gcp.pubsub.SubscriptionIAMMember(
            `${resourceName}-agent`,
            {
                project: args.gcpProject,
                subscription: subscription.name,
                role: "roles/pubsub.subscriber",
                member: pubsubAgent,
            },
            { parent },
        );
        return subscription;
    };
    const subscription = drSubscription(`${name}-${topicName}`, `${topicName}-dr`);
    // One subscription per consuming service: each DR consumer acknowledges at its own pace.
    const serviceSubscriptions = Object.fromEntries(
        consumers.map((service) => [
            service,
            drSubscription(`${name}-${topicName}-${service}`, serviceSubscriptionName(topicName, service)),
        ]),
    );
    new gcp.pubsub.Subscription(
        `${name}-${topicName}-dead-letter`,
        {
            project: args.gcpProject,
            name: deadLetterName,
            topic: deadLetterTopic.id,
            ackDeadlineSeconds: PUBSUB_BRIDGE_DEFAULTS.ackDeadlineSeconds,
            messageRetentionDuration: retention,
            expirationPolicy: neverExpire,
        },
        opts,
    );
    new gcp.pubsub.TopicIAMMember(
        `${name}-${topicName}-dead-letter-agent`,
        {
            project: args.gcpProject,
            topic: deadLetterTopic.name,
            role: "roles/pubsub.publisher",
            member: pubsubAgent,
        },
        { parent },
    );
    return { topic, deadLetterTopic, subscription, serviceSubscriptions };
}
