/** The role policy of one catalog service: exact actions on exact ARNs, one statement per grant it has. */
import * as assert from "assert";
import {
    hasServiceGrants,
    kmsKeyRegion,
    SERVICE_GRANT_ACTIONS,
    serviceAwsGrantsProblems,
    serviceRolePolicy,
    serviceRolePolicyDocument,
    serviceRoleStatements,
    type ResolvedServiceAwsGrants,
} from "../../components/catalog";
import { FULL_GRANTS, GRANT_ARNS as A } from "./service-identity-fixture";

const SQS = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"];
const DYNAMODB = [
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
];

/** The statement each grant of FULL_GRANTS gives, by Sid. */
const STATEMENTS = {
    ConsumeQueue: { Sid: "ConsumeQueue", Effect: "Allow", Action: SQS, Resource: [A.queue] },
    InspectDeadLetterQueue: {
        Sid: "InspectDeadLetterQueue",
        Effect: "Allow",
        Action: ["sqs:ReceiveMessage", "sqs:GetQueueAttributes"],
        Resource: [A.deadLetterQueue],
    },
    PublishTopics: {
        Sid: "PublishTopics",
        Effect: "Allow",
        Action: ["sns:Publish"],
        Resource: [A.ordersTopic, A.paymentsTopic],
    },
    PutOwnEvents: {
        Sid: "PutOwnEvents",
        Effect: "Allow",
        Action: ["events:PutEvents"],
        Resource: [A.bus],
        Condition: {
            StringEquals: {
                "events:source": ["platform.order"],
                "events:detail-type": ["OrderPlaced", "OrderCancelled"],
            },
        },
    },
    KafkaCluster: {
        Sid: "KafkaCluster",
        Effect: "Allow",
        Action: ["kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently"],
        Resource: [A.kafkaCluster],
    },
    KafkaProduce: {
        Sid: "KafkaProduce",
        Effect: "Allow",
        Action: ["kafka-cluster:WriteData", "kafka-cluster:DescribeTopic"],
        Resource: [A.kafkaOrders],
    },
    KafkaConsume: {
        Sid: "KafkaConsume",
        Effect: "Allow",
        Action: ["kafka-cluster:ReadData", "kafka-cluster:DescribeTopic"],
        Resource: [A.kafkaPayments],
    },
    KafkaConsumerGroup: {
        Sid: "KafkaConsumerGroup",
        Effect: "Allow",
        Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"],
        Resource: [A.kafkaGroup],
    },
    ReadSecrets: {
        Sid: "ReadSecrets",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
        Resource: [A.dbSecret, A.apiSecret],
    },
    DecryptSecrets: {
        Sid: "DecryptSecrets",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: [A.databaseKey],
        Condition: { StringEquals: { "kms:ViaService": ["secretsmanager.us-east-1.amazonaws.com"] } },
    },
    TableItems: { Sid: "TableItems", Effect: "Allow", Action: DYNAMODB, Resource: [A.table] },
    CacheConnect: {
        Sid: "CacheConnect",
        Effect: "Allow",
        Action: ["elasticache:Connect"],
        Resource: [A.replicationGroup, A.cacheUser],
    },
};

const EMPTY: ResolvedServiceAwsGrants = {};

describe("serviceRolePolicy", () => {
    it("gives a full set of grants exactly these statements, in this order", () => {
        assert.deepStrictEqual(serviceRolePolicy(FULL_GRANTS), {
            Version: "2012-10-17",
            Statement: Object.values(STATEMENTS),
        });
    });

    const partial: [string, ResolvedServiceAwsGrants, (keyof typeof STATEMENTS)[]][] = [
        ["a queue", { queue: FULL_GRANTS.queue }, ["ConsumeQueue", "InspectDeadLetterQueue"]],
        ["published topics", { publishTopicArns: FULL_GRANTS.publishTopicArns }, ["PublishTopics"]],
        ["an event bus", { events: FULL_GRANTS.events }, ["PutOwnEvents"]],
        ["Kafka", { kafka: FULL_GRANTS.kafka }, ["KafkaCluster", "KafkaProduce", "KafkaConsume", "KafkaConsumerGroup"]],
        ["secrets", { secrets: FULL_GRANTS.secrets }, ["ReadSecrets", "DecryptSecrets"]],
        ["tables", { dynamoTableArns: FULL_GRANTS.dynamoTableArns }, ["TableItems"]],
        ["a cache", { cache: FULL_GRANTS.cache }, ["CacheConnect"]],
    ];
    for (const [what, grants, sids] of partial) {
        it(`gives ${what} only its own statements`, () => {
            assert.deepStrictEqual(
                serviceRolePolicy(grants)?.Statement,
                sids.map((sid) => STATEMENTS[sid]),
            );
        });
    }

    it("makes no document for no grants, nor for empty lists (IAM refuses an empty Statement)", () => {
        assert.strictEqual(serviceRolePolicy(EMPTY), undefined);
        assert.strictEqual(serviceRolePolicy({ publishTopicArns: [], secrets: [], dynamoTableArns: [] }), undefined);
        assert.strictEqual(hasServiceGrants({ publishTopicArns: [], secrets: [], dynamoTableArns: [] }), false);
        assert.strictEqual(serviceRolePolicyDocument({ publishTopicArns: [] }), undefined);
        assert.strictEqual(hasServiceGrants({ cache: FULL_GRANTS.cache }), true);
    });

    it("names every action exactly and every resource by one of the ARNs it was given: no wildcard anywhere", () => {
        const doc = serviceRolePolicy(FULL_GRANTS)!;
        const given = new Set(Object.values(A));
        for (const s of doc.Statement as any[]) {
            assert.strictEqual(s.NotAction, undefined);
            assert.strictEqual(s.NotResource, undefined);
            for (const action of s.Action) assert.match(action, /^[a-z-]+:[A-Za-z]+$/, `${s.Sid}: ${action}`);
            for (const r of s.Resource) assert.ok(given.has(r), `${s.Sid}: ${r} is not one of the given ARNs`);
        }
        assert.ok(!JSON.stringify(doc).includes("*"), JSON.stringify(doc));
        for (const actions of Object.values(SERVICE_GRANT_ACTIONS)) {
            for (const a of actions) assert.ok(!a.includes("*"), a);
        }
    });

    it("asks for the idempotent-write cluster action only of producers, and a group only of consumers", () => {
        const { clusterArn, produceTopicArns, consumeTopicArns, groupArn } = FULL_GRANTS.kafka!;
        assert.deepStrictEqual(serviceRoleStatements({ kafka: { clusterArn, produceTopicArns } }), [
            STATEMENTS.KafkaCluster,
            STATEMENTS.KafkaProduce,
        ]);
        assert.deepStrictEqual(serviceRoleStatements({ kafka: { clusterArn, consumeTopicArns, groupArn } }), [
            { ...STATEMENTS.KafkaCluster, Action: ["kafka-cluster:Connect"] },
            STATEMENTS.KafkaConsume,
            STATEMENTS.KafkaConsumerGroup,
        ]);
    });

    it("decrypts each secrets key once, only through Secrets Manager in the key's own region", () => {
        const westKey = "arn:aws:kms:us-west-2:123456789012:key/5678efgh-56ef-78ab-90cd-567890abcdef";
        const westSecret = "arn:aws:secretsmanager:us-west-2:123456789012:secret:platform-dr/order/db-GhIjKl";
        const statements = serviceRoleStatements({
            secrets: [...FULL_GRANTS.secrets!, { arn: westSecret, kmsKeyArn: westKey }],
        });
        assert.deepStrictEqual(statements[1], {
            Sid: "DecryptSecrets",
            Effect: "Allow",
            Action: ["kms:Decrypt"],
            Resource: [A.databaseKey, westKey],
            Condition: {
                StringEquals: {
                    "kms:ViaService": [
                        "secretsmanager.us-east-1.amazonaws.com",
                        "secretsmanager.us-west-2.amazonaws.com",
                    ],
                },
            },
        });
    });

    it("refuses a secrets key given as anything but a key ARN, naming it", () => {
        assert.strictEqual(kmsKeyRegion(A.databaseKey), "us-east-1");
        assert.throws(() => serviceRoleStatements({ secrets: [{ arn: A.dbSecret, kmsKeyArn: "alias/database" }] }), {
            message:
                'secrets\' kmsKeyArn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>); received "alias/database"',
        });
    });
});

describe("serviceAwsGrantsProblems", () => {
    it("accepts the full grants", () => {
        assert.deepStrictEqual(serviceAwsGrantsProblems(FULL_GRANTS), []);
    });

    const cases: [string, ResolvedServiceAwsGrants, string[]][] = [
        [
            "events without detail types or source",
            { events: { busArn: A.bus, detailTypes: [], source: "" } },
            [
                "grants.events.detailTypes must name at least one detail type; received []",
                'grants.events.source must be the events\' source, such as "platform.order"; received ""',
            ],
        ],
        [
            "Kafka without topics",
            { kafka: { clusterArn: A.kafkaCluster } },
            ["grants.kafka must produce to or consume from at least one topic; both lists are empty"],
        ],
        [
            "a Kafka consumer without a group",
            { kafka: { clusterArn: A.kafkaCluster, consumeTopicArns: [A.kafkaPayments] } },
            [
                "grants.kafka.groupArn is required when consumeTopicArns are given: consumers commit offsets in their group",
            ],
        ],
    ];
    for (const [what, grants, expected] of cases) {
        it(`refuses ${what}`, () => {
            assert.deepStrictEqual(serviceAwsGrantsProblems(grants), expected);
        });
    }
});
