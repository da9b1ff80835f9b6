import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import {
    UnknownValueError,
    validateResourceOfType,
    type Policies,
    type PolicyResource,
    type ResourceValidationPolicy,
    type StackValidationPolicy,
} from "@pulumi/policy";
import { decodeJsonInput, requireCmk, requireCustomerManagedKeySchema } from "./util";

/** True when a key reference names the AWS-managed key of a service (`alias/aws/<service>`, as id or ARN). */
function isAwsManagedAlias(key: string, service: string): boolean {
    return key === `alias/aws/${service}` || key.endsWith(`:alias/aws/${service}`);
}

const present = (v: unknown): v is string => typeof v === "string" && v !== "";

export const mskEncryptionAtRest: ResourceValidationPolicy = {
    name: "msk-encryption-at-rest-cmk",
    description: "MSK clusters encrypt broker storage with a customer-managed KMS key (encryptionAtRestKmsKeyArn).",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: requireCustomerManagedKeySchema("MSK's AWS-managed key (aws/kafka)"),
    remediationSteps:
        "Set encryptionInfo.encryptionAtRestKmsKeyArn on aws.msk.Cluster to the ARN of a customer-managed KMS key " +
        "whose policy admits kafka.<region>.amazonaws.com (kms:ViaService). The key cannot be changed after creation.",
    validateResource: validateResourceOfType(aws.msk.Cluster, (cluster, args, reportViolation) => {
        // MSK always encrypts at rest; without the requirement there is nothing left to check.
        requireCmk(args);
        const key = cluster.encryptionInfo?.encryptionAtRestKmsKeyArn;
        if (!present(key)) {
            reportViolation(
                "MSK cluster has no encryptionInfo.encryptionAtRestKmsKeyArn, so broker storage is encrypted with the " +
                    "AWS-managed key. Set it to the ARN of a customer-managed KMS key.",
            );
        } else if (isAwsManagedAlias(key, "kafka")) {
            reportViolation(
                "MSK cluster is encrypted with the AWS-managed key alias/aws/kafka, whose policy cannot be narrowed. " +
                    "Set encryptionInfo.encryptionAtRestKmsKeyArn to a customer-managed KMS key.",
            );
        }
    }),
};

export const mskEncryptionInTransit: ResourceValidationPolicy = {
    name: "msk-encryption-in-transit",
    description:
        "MSK clusters use TLS only: between clients and brokers (clientBroker TLS) and between brokers (inCluster).",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: {
        properties: {
            allowedClientBrokerModes: {
                type: "array",
                items: { type: "string", enum: ["TLS", "TLS_PLAINTEXT", "PLAINTEXT"] },
                default: ["TLS"],
                description: "clientBroker settings accepted; add TLS_PLAINTEXT only while moving clients to TLS.",
            },
        },
    },
    remediationSteps:
        "Set encryptionInfo.encryptionInTransit on aws.msk.Cluster to { clientBroker: 'TLS', inCluster: true }, or " +
        "leave both unset (MSK's defaults). inCluster cannot be changed after creation.",
    validateResource: validateResourceOfType(aws.msk.Cluster, (cluster, args, reportViolation) => {
        const { allowedClientBrokerModes } = args.getConfig<{ allowedClientBrokerModes: string[] }>();
        // Unset means MSK's defaults, TLS and true; only an explicit weaker choice is a violation.
        const transit = cluster.encryptionInfo?.encryptionInTransit;
        const clientBroker = transit?.clientBroker ?? "TLS";
        if (!allowedClientBrokerModes.includes(clientBroker)) {
            reportViolation(
                `MSK cluster accepts ${clientBroker} between clients and brokers. ` +
                    "Set encryptionInfo.encryptionInTransit.clientBroker to 'TLS'.",
            );
        }
        if (transit?.inCluster === false) {
            reportViolation(
                "MSK cluster does not encrypt traffic between brokers. Set encryptionInfo.encryptionInTransit.inCluster to true.",
            );
        }
    }),
};

export const mskNoUnauthenticatedAccess: ResourceValidationPolicy = {
    name: "msk-no-unauthenticated-access",
    description:
        "MSK clusters admit only authenticated clients (IAM, SCRAM or mutual TLS), never unauthenticated ones.",
    enforcementLevel: "mandatory",
    tags: ["access"],
    configSchema: {
        properties: {
            allowedMechanisms: {
                type: "array",
                items: { type: "string", enum: ["iam", "scram", "tls"] },
                default: ["iam", "scram", "tls"],
                description: "Client authentication mechanisms that count; e.g. ['iam'] to require IAM only.",
            },
        },
    },
    remediationSteps:
        "Set clientAuthentication on aws.msk.Cluster to { sasl: { iam: true }, unauthenticated: false } (or SCRAM, or " +
        "tls.certificateAuthorityArns for mutual TLS), and grant clients kafka-cluster:* actions in IAM.",
    validateResource: validateResourceOfType(aws.msk.Cluster, (cluster, args, reportViolation) => {
        const { allowedMechanisms } = args.getConfig<{ allowedMechanisms: string[] }>();
        const auth = cluster.clientAuthentication;
        if (auth?.unauthenticated === true) {
            reportViolation(
                "MSK cluster allows unauthenticated clients. Set clientAuthentication.unauthenticated to false.",
            );
        }
        const enabled = {
            iam: auth?.sasl?.iam === true,
            scram: auth?.sasl?.scram === true,
            tls: (auth?.tls?.certificateAuthorityArns ?? []).length > 0,
        };
        const on = Object.keys(enabled).filter((m) => enabled[m as keyof typeof enabled]);
        if (on.length === 0) {
            reportViolation(
                "MSK cluster has no client authentication, so any client that reaches it is admitted. " +
                    "Enable clientAuthentication.sasl.iam (or SCRAM, or mutual TLS).",
            );
        } else if (!on.some((m) => allowedMechanisms.includes(m))) {
            reportViolation(
                `MSK cluster authenticates clients only with ${on.join(", ")}; allowed: ${allowedMechanisms.join(", ")}. ` +
                    "Enable an allowed mechanism in clientAuthentication.",
            );
        }
    }),
};

export const snsTopicEncrypted: ResourceValidationPolicy = {
    name: "sns-topic-encrypted-cmk",
    description: "SNS topics are encrypted with a customer-managed KMS key (kmsMasterKeyId), not alias/aws/sns.",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: requireCustomerManagedKeySchema("the AWS-managed key alias/aws/sns"),
    remediationSteps:
        "Set kmsMasterKeyId on aws.sns.Topic to a customer-managed KMS key whose policy lets the topic's publishers and " +
        "subscribers' services (sns.amazonaws.com for SQS deliveries) use it.",
    validateResource: validateResourceOfType(aws.sns.Topic, (topic, args, reportViolation) => {
        const { requireCustomerManagedKey } = args.getConfig<{ requireCustomerManagedKey: boolean }>();
        const key = topic.kmsMasterKeyId;
        if (!present(key)) {
            reportViolation(
                "SNS topic has no kmsMasterKeyId, so messages are stored unencrypted. Set kmsMasterKeyId to a customer-managed KMS key.",
            );
        } else if (requireCustomerManagedKey && isAwsManagedAlias(key, "sns")) {
            reportViolation(
                "SNS topic is encrypted with the AWS-managed key alias/aws/sns, whose policy cannot admit other services. " +
                    "Set kmsMasterKeyId to a customer-managed KMS key.",
            );
        }
    }),
};

export const sqsQueueEncrypted: ResourceValidationPolicy = {
    name: "sqs-queue-encrypted-cmk",
    description:
        "SQS queues are encrypted with a customer-managed KMS key (kmsMasterKeyId), not SSE-SQS or alias/aws/sqs.",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: requireCustomerManagedKeySchema("SQS-owned keys (SSE-SQS) and alias/aws/sqs"),
    remediationSteps:
        "Set kmsMasterKeyId on aws.sqs.Queue to a customer-managed KMS key whose policy admits the services that send " +
        "to the queue (sns.amazonaws.com, events.amazonaws.com) and the consumers' roles.",
    validateResource: validateResourceOfType(aws.sqs.Queue, (queue, args, reportViolation) => {
        const { requireCustomerManagedKey } = args.getConfig<{ requireCustomerManagedKey: boolean }>();
        const key = queue.kmsMasterKeyId;
        if (present(key)) {
            if (requireCustomerManagedKey && isAwsManagedAlias(key, "sqs")) {
                reportViolation(
                    "SQS queue is encrypted with the AWS-managed key alias/aws/sqs, whose policy cannot admit SNS or EventBridge. " +
                        "Set kmsMasterKeyId to a customer-managed KMS key.",
                );
            }
        } else if (requireCustomerManagedKey) {
            reportViolation(
                "SQS queue has no kmsMasterKeyId, so it is at most encrypted with keys SQS owns (SSE-SQS). " +
                    "Set kmsMasterKeyId to a customer-managed KMS key.",
            );
        } else if (queue.sqsManagedSseEnabled === false) {
            reportViolation(
                "SQS queue is not encrypted: no kmsMasterKeyId and sqsManagedSseEnabled is false. Set kmsMasterKeyId.",
            );
        }
    }),
};

export const pubsubTopicCmek: ResourceValidationPolicy = {
    name: "pubsub-topic-cmek",
    description: "Pub/Sub topics are encrypted with a customer-managed Cloud KMS key (kmsKeyName).",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: requireCustomerManagedKeySchema("Google-managed encryption, which Pub/Sub always applies"),
    remediationSteps:
        "Set kmsKeyName on gcp.pubsub.Topic to a Cloud KMS crypto key in the topic's region, and grant " +
        "service-<project number>@gcp-sa-pubsub.iam.gserviceaccount.com roles/cloudkms.cryptoKeyEncrypterDecrypter on it.",
    validateResource: validateResourceOfType(gcp.pubsub.Topic, (topic, args, reportViolation) => {
        requireCmk(args);
        if (!present(topic.kmsKeyName)) {
            reportViolation(
                "Pub/Sub topic has no kmsKeyName, so messages are encrypted only with Google-managed keys. " +
                    "Set kmsKeyName to a Cloud KMS crypto key (CMEK).",
            );
        }
    }),
};

export const eventBridgeEncrypted: ResourceValidationPolicy = {
    name: "eventbridge-encrypted-cmk",
    description: "EventBridge custom buses and their archives are encrypted with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: requireCustomerManagedKeySchema("the AWS-owned key EventBridge always applies"),
    remediationSteps:
        "Set kmsKeyIdentifier on aws.cloudwatch.EventBus and aws.cloudwatch.EventArchive to a customer-managed KMS key " +
        "whose policy admits events.amazonaws.com (kms:DescribeKey, kms:GenerateDataKey, kms:Decrypt).",
    validateResource: [
        validateResourceOfType(aws.cloudwatch.EventBus, (bus, args, reportViolation) => {
            requireCmk(args);
            if (!present(bus.kmsKeyIdentifier)) {
                reportViolation(
                    "EventBridge bus has no kmsKeyIdentifier, so events are encrypted only with an AWS-owned key. " +
                        "Set kmsKeyIdentifier to a customer-managed KMS key.",
                );
            }
        }),
        validateResourceOfType(aws.cloudwatch.EventArchive, (archive, args, reportViolation) => {
            requireCmk(args);
            if (!present(archive.kmsKeyIdentifier)) {
                reportViolation(
                    "EventBridge archive has no kmsKeyIdentifier, so archived events are encrypted only with an AWS-owned key. " +
                        "Set kmsKeyIdentifier to a customer-managed KMS key.",
                );
            }
        }),
    ],
};

export const mskConnectEncryptedInTransit: ResourceValidationPolicy = {
    name: "mskconnect-encrypted-in-transit",
    description:
        "MSK Connect connectors reach their Kafka cluster over TLS with authenticated clients (IAM), never in plaintext.",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: {
        properties: {
            allowedAuthenticationTypes: {
                type: "array",
                items: { type: "string", enum: ["IAM", "NONE"] },
                default: ["IAM"],
                description: "kafkaClusterClientAuthentication.authenticationType values accepted.",
            },
        },
    },
    remediationSteps:
        "Set kafkaClusterEncryptionInTransit: { encryptionType: 'TLS' } and kafkaClusterClientAuthentication: " +
        "{ authenticationType: 'IAM' } on aws.mskconnect.Connector, point it at the cluster's SASL/IAM bootstrap " +
        "brokers, and grant the connector's service role kafka-cluster:Connect and the topic actions it needs.",
    validateResource: validateResourceOfType(aws.mskconnect.Connector, (connector, args, reportViolation) => {
        const { allowedAuthenticationTypes } = args.getConfig<{ allowedAuthenticationTypes: string[] }>();
        const encryption = connector.kafkaClusterEncryptionInTransit?.encryptionType ?? "PLAINTEXT";
        if (encryption !== "TLS") {
            reportViolation(
                `MSK Connect connector talks to Kafka with encryptionType ${encryption}, so records cross the network ` +
                    "in plaintext. Set kafkaClusterEncryptionInTransit.encryptionType to 'TLS'.",
            );
        }
        const auth = connector.kafkaClusterClientAuthentication?.authenticationType ?? "NONE";
        if (!allowedAuthenticationTypes.includes(auth)) {
            reportViolation(
                `MSK Connect connector authenticates to Kafka with ${auth}; allowed: ` +
                    `${allowedAuthenticationTypes.join(", ")}. Set kafkaClusterClientAuthentication.authenticationType to 'IAM'.`,
            );
        }
    }),
};

/** A value as a stack policy sees it: absent, set but unknown until the deployment, or known. */
type Read<T> = { state: "absent" } | { state: "unknown" } | { state: "known"; value: T };

function read(r: PolicyResource, prop: string): Read<unknown> {
    try {
        const v = r.props[prop];
        return v === undefined || v === null || v === "" ? { state: "absent" } : { state: "known", value: v };
    } catch (e) {
        if (e instanceof UnknownValueError) return { state: "unknown" };
        throw e;
    }
}

const dependsOn = (r: PolicyResource, prop: string, target: PolicyResource) =>
    (r.propertyDependencies[prop] ?? []).some((d) => d.urn === target.urn);

/** The SQS queue a queue-level resource (RedrivePolicy, RedriveAllowPolicy) is attached to. */
function attachedTo(r: PolicyResource, queue: PolicyResource): boolean {
    if (dependsOn(r, "queueUrl", queue)) return true;
    const url = read(r, "queueUrl");
    const queueUrl = read(queue, "url");
    const queueId = read(queue, "id");
    return (
        url.state === "known" &&
        ((queueUrl.state === "known" && url.value === queueUrl.value) ||
            (queueId.state === "known" && url.value === queueId.value))
    );
}

/** Whether a redrive policy names `dlq` as its dead-letter target. */
function targets(r: PolicyResource, prop: string, dlq: PolicyResource): boolean {
    if (dependsOn(r, prop, dlq)) return true;
    const policy = read(r, prop);
    const arn = read(dlq, "arn");
    return (
        policy.state === "known" &&
        arn.state === "known" &&
        decodeJsonInput(policy.value)?.deadLetterTargetArn === arn.value
    );
}

/** A redrive-allow policy that lets some queue use this one as its dead-letter queue. */
function allowsRedrive(value: Read<unknown>): boolean {
    if (value.state === "absent") return false;
    // Unknown until deployed: the program set one, which only a dead-letter queue has reason to do.
    if (value.state === "unknown") return true;
    return decodeJsonInput(value.value)?.redrivePermission !== "denyAll";
}

/** Ten receives: retries for transient faults, yet a poison message is parked within minutes. */
export const DEFAULT_MAXIMUM_RECEIVE_COUNT = 10;

export const sqsQueueHasDeadLetterQueue: StackValidationPolicy = {
    name: "sqs-queue-has-dead-letter-queue",
    description:
        "Every SQS queue that is not itself a dead-letter queue has a redrive policy sending failing messages to one within maximumReceiveCount receives.",
    // Hygiene: a missing DLQ loses no data at rest; policy/config/prod.json makes it mandatory in prod.
    enforcementLevel: "advisory",
    tags: ["hygiene"],
    configSchema: {
        properties: {
            maximumReceiveCount: {
                type: "number",
                default: DEFAULT_MAXIMUM_RECEIVE_COUNT,
                description: "Largest maxReceiveCount a redrive policy may have before a poison message is parked.",
            },
        },
    },
    remediationSteps:
        "Create a dead-letter queue and set redrivePolicy on the aws.sqs.Queue (or add an aws.sqs.RedrivePolicy) to " +
        "{ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }. A queue counts as a dead-letter queue when another queue's " +
        "redrive policy names it, or when it has a redriveAllowPolicy (inline or aws.sqs.RedriveAllowPolicy) that is not denyAll.",
    validateStack: (args, reportViolation) => {
        const { maximumReceiveCount } = args.getConfig<{ maximumReceiveCount: number }>();
        const queues = args.resources.filter((r) => r.isType(aws.sqs.Queue));
        const redrivePolicies = args.resources.filter((r) => r.isType(aws.sqs.RedrivePolicy));
        const allowPolicies = args.resources.filter((r) => r.isType(aws.sqs.RedriveAllowPolicy));

        const isDeadLetterQueue = (q: PolicyResource) =>
            queues.some((other) => other.urn !== q.urn && targets(other, "redrivePolicy", q)) ||
            redrivePolicies.some((p) => targets(p, "redrivePolicy", q)) ||
            allowsRedrive(read(q, "redriveAllowPolicy")) ||
            allowPolicies.some((p) => attachedTo(p, q) && allowsRedrive(read(p, "redriveAllowPolicy")));
        const hasRedrive = (q: PolicyResource) =>
            read(q, "redrivePolicy").state !== "absent" || redrivePolicies.some((p) => attachedTo(p, q));

        for (const q of queues) {
            const redrive = read(q, "redrivePolicy");
            const count = redrive.state === "known" ? decodeJsonInput(redrive.value)?.maxReceiveCount : undefined;
            if (typeof count === "number" && count > maximumReceiveCount) {
                reportViolation(
                    `SQS queue "${q.name}" moves a message to its dead-letter queue only after ${count} receives, more ` +
                        `than maximumReceiveCount ${maximumReceiveCount}. Lower redrivePolicy.maxReceiveCount.`,
                    q.urn,
                );
            }
            if (hasRedrive(q) || isDeadLetterQueue(q)) continue;
            reportViolation(
                `SQS queue "${q.name}" has no redrive policy, so a message that keeps failing is retried until it expires. ` +
                    "Set redrivePolicy with a deadLetterTargetArn and maxReceiveCount.",
                q.urn,
            );
        }
    },
};

/** The messaging policies, in the order the pack lists them. */
export const messagingPolicies: Policies = [
    mskEncryptionAtRest,
    mskEncryptionInTransit,
    mskNoUnauthenticatedAccess,
    snsTopicEncrypted,
    sqsQueueEncrypted,
    pubsubTopicCmek,
    eventBridgeEncrypted,
    mskConnectEncryptedInTransit,
    sqsQueueHasDeadLetterQueue,
];
