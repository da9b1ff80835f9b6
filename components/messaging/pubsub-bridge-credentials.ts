/**
 * The Google identity of the Pub/Sub bridge: a part of `PubSubBridge` kept in its own file so the
 * component stays readable; its resources are the bridge's own children. Why a key and not workload
 * identity federation is written down in `pubsub-federation.ts`.
 */
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { recoveryWindowDays } from "../shared/protection";
import type { PubSubBridgeArgs, PubSubBridgeSettings } from "./pubsub-bridge-settings";
import { credentialsField, secretReference } from "./pubsub-federation";

export interface SinkCredentials {
    readonly serviceAccountEmail: pulumi.Output<string>;
    /** `serviceAccount:<email>`, for IAM grants. */
    readonly member: pulumi.Output<string>;
    readonly secretArn: pulumi.Output<string>;
    /** The secret version with the current key: connectors start only once it exists. */
    readonly secretVersion: aws.secretsmanager.SecretVersion;
    /** `${secretsmanager:<arn>:<field>}`: what the connectors are given instead of the key. */
    readonly reference: pulumi.Output<string>;
}

/**
 * A service account that can do nothing until the bridge grants it `roles/pubsub.publisher` on its
 * topics; one key of it per rotation period (`keepers`), kept only in Pulumi state (as a secret) and in
 * a Secrets Manager secret encrypted with the messaging key. A new period replaces the key: Pulumi
 * creates the new one, writes it under the new period's field, updates the connectors (their reference
 * names that field) and deletes the old key last.
 */
export function sinkCredentials(
    parent: pulumi.Resource,
    name: string,
    args: PubSubBridgeArgs,
    s: PubSubBridgeSettings,
): SinkCredentials {
    const account = new gcp.serviceaccount.Account(
        `${name}-sink`,
        {
            project: args.gcpProject,
            accountId: s.serviceAccountId,
            displayName: "MSK Connect Pub/Sub sink",
            description: `${name}: publishes Kafka records from AWS with a key kept in AWS Secrets Manager`,
        },
        { parent },
    );
    // A user-managed account's email is fixed by its id and project; deriving it keeps the dependency on the account.
    const serviceAccountEmail = pulumi.interpolate`${account.accountId}@${args.gcpProject}.iam.gserviceaccount.com`;
    const key = new gcp.serviceaccount.Key(
        `${name}-sink`,
        {
            serviceAccountId: account.name,
            // A change of period replaces the key (create before delete), which is the rotation.
            keepers: { rotationPeriodStart: s.keyPeriodStart },
        },
        { parent },
    );
    const secret = new aws.secretsmanager.Secret(
        `${name}-sink-key`,
        {
            description: `${name}: Google service-account key of the Pub/Sub sink connectors`,
            kmsKeyId: args.credentialsKmsKeyArn,
            recoveryWindowInDays: recoveryWindowDays(s.protect),
        },
        { parent },
    );
    const field = credentialsField(s.keyPeriodStart);
    // privateKey is the base64 of the credentials file (TYPE_GOOGLE_CREDENTIALS_FILE), which is what the
    // connector's gcp.credentials.json takes; it becomes a plain string only inside this secret.
    const secretString = pulumi.secret(
        key.privateKey.apply((k) => JSON.stringify({ [field]: Buffer.from(k, "base64").toString("utf8") })),
    );
    const secretVersion = new aws.secretsmanager.SecretVersion(
        `${name}-sink-key`,
        { secretId: secret.id, secretString },
        { parent },
    );
    return {
        serviceAccountEmail,
        member: pulumi.interpolate`serviceAccount:${serviceAccountEmail}`,
        secretArn: secret.arn,
        secretVersion,
        reference: secret.arn.apply((arn) => secretReference(arn, field)),
    };
}
