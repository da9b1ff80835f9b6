/**
 * Mock outputs of the messaging area: the ARNs, URLs and revisions MSK, MSK Connect, SQS, SNS and
 * EventBridge compute, in the formats the services use (policies are built from them, and the
 * EventBridge rule ARN format is what ServiceMessaging derives ahead of time).
 */
import type { Computed, MockContext } from "../mocks";

/**
 * The account of `../mocks` (MOCK_AWS_ACCOUNT). Types only are imported from there: a value import would
 * make this module load mocks.ts, which loads this module while it is still half-initialised.
 */
const MOCK_AWS_ACCOUNT = "123456789012";

const arn = (ctx: MockContext, service: string, resource: string) =>
    `arn:aws:${service}:${ctx.region}:${MOCK_AWS_ACCOUNT}:${resource}`;

/** A stable UUID-like suffix per resource, as MSK and MSK Connect append to their ARNs. */
const uuid = (ctx: MockContext) => `6357e0b2-0e6a-4b86-a0b4-${ctx.id.slice(-6).padStart(12, "0")}-1`;

/** The name a resource gets: its explicit name input, or an auto-name like Pulumi's. */
const nameOf = (ctx: MockContext, key = "name") => ctx.inputs[key] ?? `${ctx.name}-${ctx.id.slice(-6)}`;

/**
 * A service-account key file as GCP returns it: base64 of the JSON, whose `private_key` is recognisable
 * (tests look for it in every plain input).
 */
export function mockServiceAccountKeyFile(ctx: MockContext): Record<string, string> {
    return {
        type: "service_account",
        private_key_id: `mock-${ctx.id.slice(-6)}`,
        private_key: `-----BEGIN PRIVATE KEY-----\nmock-sa-key-${ctx.name}-${ctx.id.slice(-6)}\n-----END PRIVATE KEY-----\n`,
        client_email: String(ctx.inputs.serviceAccountId).split("/").pop() ?? "",
    };
}

export const outputs: Record<string, Computed> = {
    "gcp:serviceaccount/key:Key": (ctx) => ({
        privateKey: Buffer.from(JSON.stringify(mockServiceAccountKeyFile(ctx))).toString("base64"),
        publicKey: Buffer.from(`mock-public-${ctx.id.slice(-6)}`).toString("base64"),
        keyAlgorithm: "KEY_ALG_RSA_2048",
        privateKeyType: "TYPE_GOOGLE_CREDENTIALS_FILE",
    }),
    "aws:msk/cluster:Cluster": (ctx) => {
        const clusterName = nameOf(ctx, "clusterName");
        const brokers = Math.min(3, ctx.inputs.numberOfBrokerNodes ?? 3);
        return {
            clusterName,
            clusterUuid: uuid(ctx),
            arn: arn(ctx, "kafka", `cluster/${clusterName}/${uuid(ctx)}`),
            bootstrapBrokersSaslIam: Array.from(
                { length: brokers },
                (_, i) => `b-${i + 1}.${clusterName}.mock.c2.kafka.${ctx.region}.amazonaws.com:9098`,
            ).join(","),
            currentVersion: "K3AEGXETSR30VB",
        };
    },
    // MSK names a topic by the cluster's name and UUID: `…:topic/<cluster name>/<cluster uuid>/<topic>`.
    "aws:msk/topic:Topic": (ctx) => ({
        arn: String(ctx.inputs.clusterArn).replace(/:cluster\//, ":topic/") + `/${ctx.inputs.name}`,
    }),
    "aws:msk/configuration:Configuration": (ctx) => {
        const name = nameOf(ctx);
        return { name, arn: arn(ctx, "kafka", `configuration/${name}/${uuid(ctx)}`), latestRevision: 1 };
    },
    "aws:mskconnect/customPlugin:CustomPlugin": (ctx) => {
        const name = nameOf(ctx);
        return { name, arn: arn(ctx, "kafkaconnect", `custom-plugin/${name}/${uuid(ctx)}`), latestRevision: 1 };
    },
    "aws:mskconnect/workerConfiguration:WorkerConfiguration": (ctx) => {
        const name = nameOf(ctx);
        return { name, arn: arn(ctx, "kafkaconnect", `worker-configuration/${name}/${uuid(ctx)}`), latestRevision: 1 };
    },
    "aws:mskconnect/connector:Connector": (ctx) => {
        const name = nameOf(ctx);
        return { name, arn: arn(ctx, "kafkaconnect", `connector/${name}/${uuid(ctx)}`), version: "1" };
    },
    // SQS identifies a queue by its URL.
    "aws:sqs/queue:Queue": (ctx) => {
        const name = nameOf(ctx);
        const url = `https://sqs.${ctx.region}.amazonaws.com/${MOCK_AWS_ACCOUNT}/${name}`;
        return { id: url, name, url, arn: arn(ctx, "sqs", name) };
    },
    "aws:sns/topic:Topic": (ctx) => {
        const name = nameOf(ctx);
        const topicArn = arn(ctx, "sns", name);
        return { id: topicArn, name, arn: topicArn };
    },
    "aws:cloudwatch/eventBus:EventBus": (ctx) => {
        const name = nameOf(ctx);
        return { id: name, name, arn: arn(ctx, "events", `event-bus/${name}`) };
    },
    "aws:cloudwatch/eventRule:EventRule": (ctx) => {
        const name = nameOf(ctx);
        const bus = ctx.inputs.eventBusName;
        const resource = bus && bus !== "default" ? `rule/${bus}/${name}` : `rule/${name}`;
        return { name, arn: arn(ctx, "events", resource) };
    },
    "aws:cloudwatch/eventArchive:EventArchive": (ctx) => {
        const name = nameOf(ctx);
        return { id: name, name, arn: arn(ctx, "events", `archive/${name}`) };
    },
};
