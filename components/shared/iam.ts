/**
 * IAM and bucket policy documents, as pure functions of plain strings: each grants one job exactly what
 * it needs, and the tests read them without the Pulumi runtime. Documents specific to one service
 * integration stay beside it (MSK Connect in `messaging/pubsub-federation.ts`, queue policies in
 * `messaging/messaging-routes.ts`, key policies in `security/key-purposes.ts`).
 */

export type PolicyDocument = { Version: "2012-10-17"; Statement: Record<string, unknown>[] };

const doc = (...statements: Record<string, unknown>[]): PolicyDocument => ({
    Version: "2012-10-17",
    Statement: statements,
});

/** Trust for an AWS service principal, limited to calls made on behalf of this account. */
export function serviceTrustPolicy(service: string, accountId: string): PolicyDocument {
    return doc({
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    });
}

export interface ExportGrant {
    readonly tableArn: string;
    readonly bucketArn: string;
    /** Key prefix the exports are written under, without a trailing slash. */
    readonly prefix: string;
    /** Key that encrypts the exported objects. */
    readonly kmsKeyArn: string;
}

/**
 * What EventBridge Scheduler needs to start a DynamoDB point-in-time export: the export call on the one
 * table, writes under the export prefix, and the data keys that encrypt the written objects.
 */
export function dynamodbExportPolicy(g: ExportGrant): PolicyDocument {
    return doc(
        { Sid: "StartExport", Effect: "Allow", Action: "dynamodb:ExportTableToPointInTime", Resource: g.tableArn },
        {
            Sid: "WriteExport",
            Effect: "Allow",
            // PutObjectAcl is in the action list AWS documents for exports; with ACLs disabled on the bucket it
            // can only confirm bucket-owner-full-control.
            Action: ["s3:PutObject", "s3:PutObjectAcl", "s3:AbortMultipartUpload"],
            Resource: `${g.bucketArn}/${g.prefix}/*`,
        },
        {
            Sid: "EncryptExport",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: g.kmsKeyArn,
        },
    );
}

/**
 * Trust for Google's Storage Transfer Service: its project service account signs in to AWS with a
 * Google identity token, and only that account's subject id is accepted.
 */
export function storageTransferTrustPolicy(subjectId: string): PolicyDocument {
    return doc({
        Effect: "Allow",
        Principal: { Federated: "accounts.google.com" },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { "accounts.google.com:sub": subjectId } },
    });
}

/** Read-only access to the exports for the transfer: list the prefix, read its objects, decrypt them. */
export function storageTransferReadPolicy(g: Omit<ExportGrant, "tableArn">): PolicyDocument {
    return doc(
        // GetBucketLocation carries no s3:prefix key, so it cannot share the listing's condition.
        { Sid: "LocateBucket", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: g.bucketArn },
        {
            Sid: "ListExports",
            Effect: "Allow",
            Action: "s3:ListBucket",
            Resource: g.bucketArn,
            Condition: { StringLike: { "s3:prefix": `${g.prefix}/*` } },
        },
        { Sid: "ReadExports", Effect: "Allow", Action: "s3:GetObject", Resource: `${g.bucketArn}/${g.prefix}/*` },
        { Sid: "DecryptExports", Effect: "Allow", Action: "kms:Decrypt", Resource: g.kmsKeyArn },
    );
}

/** Bucket policy refusing every request that does not use TLS. */
export function denyInsecureTransportPolicy(bucketArn: string): PolicyDocument {
    return doc({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
}

/** What VPC Flow Logs needs to deliver into one log group: create its streams and put events, nothing else. */
export function flowLogsDeliveryPolicy(logGroupArn: string): PolicyDocument {
    return doc({
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: `${logGroupArn}:*`,
    });
}
