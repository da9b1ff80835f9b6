import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    type DynamoDbGlobalArgs,
    resolveDynamoDbGlobalArgs,
    validateDynamoDbGlobalArgs,
} from "./dynamodb-global-settings";

/**
 * A DynamoDB global table: on demand, streams on (new and old images), encrypted with a customer-managed
 * key in every region, point-in-time recovery on the table and every replica, deletion protection.
 * Needs an `aws` provider. Its batch copy on GCP is `DynamoDbGcpBackup`, which exports from the
 * point-in-time recovery this table keeps.
 */
export class DynamoDbGlobal extends pulumi.ComponentResource {
    public readonly tableName: pulumi.Output<string>;
    public readonly tableArn: pulumi.Output<string>;
    public readonly streamArn: pulumi.Output<string>;

    constructor(name: string, args: DynamoDbGlobalArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:data:DynamoDbGlobal", name, {}, opts);
        const a = resolveDynamoDbGlobalArgs(args);
        validateDynamoDbGlobalArgs(name, a);
        const { protect } = a;

        const keys = [a.hashKey, ...(a.rangeKey ? [a.rangeKey] : [])];
        const table = new aws.dynamodb.Table(
            `${name}-table`,
            {
                billingMode: "PAY_PER_REQUEST",
                hashKey: a.hashKey.name,
                rangeKey: a.rangeKey?.name,
                attributes: keys.map((k) => ({ name: k.name, type: k.type })),
                streamEnabled: true,
                streamViewType: "NEW_AND_OLD_IMAGES",
                serverSideEncryption: { enabled: true, kmsKeyArn: a.kmsKeyArn },
                pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: a.pointInTimeRecoveryDays },
                deletionProtectionEnabled: protect,
                ...(a.ttlAttributeName ? { ttl: { enabled: true, attributeName: a.ttlAttributeName } } : {}),
                // Replicas inside the table (version 2019.11.21), never beside it as TableReplica resources.
                replicas: a.replicas.map((r) => ({
                    regionName: r.region,
                    kmsKeyArn: r.kmsKeyArn,
                    pointInTimeRecovery: true,
                    deletionProtectionEnabled: protect,
                    propagateTags: true,
                })),
            },
            { parent: this, protect },
        );
        this.tableName = table.name;
        this.tableArn = table.arn;
        this.streamArn = table.streamArn;

        this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn, streamArn: this.streamArn });
    }
}
