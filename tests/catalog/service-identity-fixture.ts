/** Fabricated ARNs of one service's AWS resources (the order service in dev), and a grant of each kind. */
import type { ResolvedServiceAwsGrants } from "../../components/catalog";

const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const MSK = `platform-dev/0b1c2d3e-1111-2222-3333-444455556666-2`;

export const GRANT_ARNS = {
    queue: `arn:aws:sqs:${REGION}:${ACCOUNT}:platform-dev-order`,
    deadLetterQueue: `arn:aws:sqs:${REGION}:${ACCOUNT}:platform-dev-order-dlq`,
    ordersTopic: `arn:aws:sns:${REGION}:${ACCOUNT}:platform-dev-orders`,
    paymentsTopic: `arn:aws:sns:${REGION}:${ACCOUNT}:platform-dev-payments`,
    bus: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/platform-dev`,
    kafkaCluster: `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/${MSK}`,
    kafkaOrders: `arn:aws:kafka:${REGION}:${ACCOUNT}:topic/${MSK}/orders.placed`,
    kafkaPayments: `arn:aws:kafka:${REGION}:${ACCOUNT}:topic/${MSK}/payments.settled`,
    kafkaGroup: `arn:aws:kafka:${REGION}:${ACCOUNT}:group/${MSK}/order`,
    dbSecret: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:platform-dev/order/db-AbCdEf`,
    apiSecret: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:platform-dev/order/api-key-GhIjKl`,
    databaseKey: `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    table: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/platform-dev-order`,
    replicationGroup: `arn:aws:elasticache:${REGION}:${ACCOUNT}:replicationgroup:platform-dev-cache`,
    cacheUser: `arn:aws:elasticache:${REGION}:${ACCOUNT}:user:platform-dev-order`,
} as const;

const A = GRANT_ARNS;

/** One grant of every kind; both secrets share the database key. */
export const FULL_GRANTS: ResolvedServiceAwsGrants = {
    queue: { arn: A.queue, deadLetterArn: A.deadLetterQueue },
    publishTopicArns: [A.ordersTopic, A.paymentsTopic],
    events: { busArn: A.bus, detailTypes: ["OrderPlaced", "OrderCancelled", "OrderPlaced"], source: "platform.order" },
    kafka: {
        clusterArn: A.kafkaCluster,
        produceTopicArns: [A.kafkaOrders],
        consumeTopicArns: [A.kafkaPayments],
        groupArn: A.kafkaGroup,
    },
    secrets: [
        { arn: A.dbSecret, kmsKeyArn: A.databaseKey },
        { arn: A.apiSecret, kmsKeyArn: A.databaseKey },
    ],
    dynamoTableArns: [A.table],
    cache: { replicationGroupArn: A.replicationGroup, userArn: A.cacheUser },
};

export const OIDC_ISSUER = "oidc.eks.us-east-1.amazonaws.com/id/5C0FFEE5C0FFEE5C0FFEE5C0FFEE5C0F";
export const OIDC_PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/${OIDC_ISSUER}`;
export const LOGS_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/9999aaaa-99aa-99aa-99aa-9999aaaa9999`;
