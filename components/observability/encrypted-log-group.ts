import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { logRetentionProblems } from "../shared/log-retention";

export interface EncryptedLogGroupArgs {
    /** Days events are kept: one of the values CloudWatch Logs accepts (`LOG_RETENTION_DAYS`). */
    readonly retentionInDays: number;
    /**
     * Customer-managed key (ARN) of the region's `logs` purpose. Required: a group without one is encrypted
     * with a key nobody can audit or revoke. Its key policy must admit the regional CloudWatch Logs principal.
     */
    readonly kmsKeyArn: pulumi.Input<string>;
    /**
     * Name of the group, for services that write to a name of their own (RDS writes to
     * `/aws/rds/cluster/<cluster>/postgresql`). @default auto-named from the resource name
     */
    readonly logGroupName?: string;
}

/**
 * A CloudWatch log group encrypted with a customer-managed key and with a retention CloudWatch Logs
 * accepts; every log group of the platform is made here. A function rather than a component, so the
 * group stays a direct child of the component that owns the logs and keeps its URN.
 *
 * Throws before anything is registered when the retention is not a CloudWatch Logs value: the API
 * would reject it (`PutRetentionPolicy`) only after the deployment has started.
 */
export function encryptedLogGroup(
    name: string,
    args: EncryptedLogGroupArgs,
    opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.LogGroup {
    const problems = logRetentionProblems("retentionInDays", args.retentionInDays);
    if (problems.length > 0) throw new Error(`log group ${name}: ${problems.join("; ")}`);
    return new aws.cloudwatch.LogGroup(
        name,
        {
            ...(args.logGroupName === undefined ? {} : { name: args.logGroupName }),
            retentionInDays: args.retentionInDays,
            kmsKeyId: args.kmsKeyArn,
        },
        opts,
    );
}
