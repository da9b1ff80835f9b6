/**
 * One catalog service's identity on AWS: an IAM role its pods assume through IRSA, the role's policy from
 * the service's grants (`service-grants.ts`), and its log group.
 *
 * The trust is the one https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
 * documents: `sts:AssumeRoleWithWebIdentity` from the cluster's OIDC provider, with StringEquals on
 * `<issuer>:sub` = `system:serviceaccount:<namespace>:<name>` and `<issuer>:aud` = `sts.amazonaws.com`.
 */
import type * as aws from "@pulumi/aws";
import * as awsSdk from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { irsaTrustPolicy } from "../kubernetes/irsa";
import { identitySubjectProblems, type ServiceIdentitySubject } from "./service-identity-subject";
import { encryptedLogGroup } from "../observability/encrypted-log-group";
import { logRetentionProblems } from "../shared/log-retention";
import { serviceAwsGrantsProblems, serviceRolePolicyDocument, type ServiceAwsGrants } from "./service-grants";

/** IAM role names: 1 to 64 of letters, digits and `+=,.@_-` (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html). */
export const IAM_ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
export const IAM_ROLE_NAME_MAX = 64;

/** Prefix of every service's log group; the group is `<prefix>/<service>`. */
export const SERVICE_LOG_GROUP_PREFIX = "/aws/microservices";

export interface ServiceAwsIdentityLogs {
    /** Customer-managed key (ARN) of the region's `logs` purpose. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Days events are kept: one of the values CloudWatch Logs accepts (`LOG_RETENTION_DAYS`). */
    readonly retentionDays: number;
}

export interface ServiceAwsIdentityArgs extends ServiceIdentitySubject {
    /** ARN of the cluster's IAM OIDC provider (`EksCluster.oidcProviderArn`). */
    readonly oidcProviderArn: pulumi.Input<string>;
    /** The cluster's issuer without `https://` (`EksCluster.oidcIssuer`): the prefix of the trust's condition keys. */
    readonly oidcIssuer: pulumi.Input<string>;
    /** Name of the role, such as `platform-dev-svc-user`: at most 64 of letters, digits and `+=,.@_-`. */
    readonly roleName: string;
    /** What the service may do; no role policy is made when it may do nothing. */
    readonly grants: ServiceAwsGrants;
    /** Its log group's key and retention. */
    readonly logs: ServiceAwsIdentityLogs;
}

const json = (v: unknown) => JSON.stringify(v);

/** Every problem with the arguments, each naming its key and the value received. */
export function serviceAwsIdentityProblems(args: ServiceAwsIdentityArgs): string[] {
    const problems = identitySubjectProblems(args);
    if (typeof args.roleName !== "string" || !IAM_ROLE_NAME.test(args.roleName)) {
        const length = typeof args.roleName === "string" ? ` (${args.roleName.length} characters)` : "";
        problems.push(
            `roleName must be 1 to ${IAM_ROLE_NAME_MAX} letters, digits or '+=,.@_-'; received ${json(args.roleName)}${length}. Fix: shorten the prefix or the service name`,
        );
    }
    problems.push(...logRetentionProblems("logs.retentionDays", args.logs.retentionDays));
    problems.push(...serviceAwsGrantsProblems(args.grants));
    return problems;
}

/** `system:serviceaccount:<namespace>:<name>`: the subject of the pods' projected token. */
export const serviceAccountSubject = (namespace: string, serviceAccount: string): string =>
    `system:serviceaccount:${namespace}:${serviceAccount}`;

export class ServiceAwsIdentity extends pulumi.ComponentResource {
    /** ARN of the role: the ServiceAccount's `eks.amazonaws.com/role-arn` annotation. */
    public readonly roleArn: pulumi.Output<string>;
    /** Name of the role. */
    public readonly roleName: pulumi.Output<string>;
    /** `/aws/microservices/<service>`. */
    public readonly logGroupName: pulumi.Output<string>;
    /** ARN of the log group. */
    public readonly logGroupArn: pulumi.Output<string>;

    constructor(name: string, args: ServiceAwsIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:catalog:ServiceAwsIdentity", name, {}, opts);
        const problems = serviceAwsIdentityProblems(args);
        if (problems.length > 0) throw new Error(`ServiceAwsIdentity ${name}: ${problems.join("; ")}`);
        const subject = serviceAccountSubject(args.namespace, args.serviceAccount ?? args.service);

        const role: aws.iam.Role = new awsSdk.iam.Role(
            `${name}-role`,
            {
                name: args.roleName,
                description: `${args.service}: pods of ${subject} (IRSA)`,
                assumeRolePolicy: pulumi
                    .all([args.oidcProviderArn, args.oidcIssuer])
                    .apply(([arn, issuer]) => JSON.stringify(irsaTrustPolicy(arn, issuer, subject))),
            },
            { parent: this },
        );
        const policy = serviceRolePolicyDocument(args.grants);
        if (policy) {
            new awsSdk.iam.RolePolicy(
                `${name}-grants`,
                { role: role.id, name: "service-grants", policy },
                { parent: this },
            );
        }
        const logs = encryptedLogGroup(
            `${name}-logs`,
            {
                logGroupName: `${SERVICE_LOG_GROUP_PREFIX}/${args.service}`,
                retentionInDays: args.logs.retentionDays,
                kmsKeyArn: args.logs.kmsKeyArn,
            },
            { parent: this },
        );

        this.roleArn = role.arn;
        this.roleName = role.name;
        this.logGroupName = logs.name;
        this.logGroupArn = logs.arn;
        this.registerOutputs({
            roleArn: this.roleArn,
            roleName: this.roleName,
            logGroupName: this.logGroupName,
            logGroupArn: this.logGroupArn,
        });
    }
}
