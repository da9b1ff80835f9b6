/**
 * One catalog service's identity on GCP (the DR side): a Google service account its pods use through GKE
 * Workload Identity, and that account's grants, each on the one resource it is for.
 *
 * Workload Identity (https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity): the Kubernetes
 * ServiceAccount `<namespace>/<ksa>` is the principal `serviceAccount:<project>.svc.id.goog[<namespace>/<ksa>]`,
 * given `roles/iam.workloadIdentityUser` on the Google service account, and the ServiceAccount carries the
 * `iam.gke.io/gcp-service-account` annotation (`ServiceWorkload`'s `identity.gcpServiceAccountEmail`).
 */
import { createHash } from "node:crypto";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { identitySubjectProblems, type ServiceIdentitySubject } from "./service-identity-subject";

/**
 * A user-managed service account id: 6 to 30 lowercase letters, digits and hyphens, starting with a letter
 * and not ending with a hyphen (https://cloud.google.com/iam/docs/service-accounts-create#creating).
 */
export const GCP_SERVICE_ACCOUNT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
export const GCP_SERVICE_ACCOUNT_ID_TEXT =
    "6 to 30 lowercase letters, digits or '-', starting with a letter and not ending with '-'";

/** Predefined roles, one per grant (https://cloud.google.com/iam/docs/understanding-roles). */
export const SERVICE_GCP_ROLES = {
    workloadIdentityUser: "roles/iam.workloadIdentityUser",
    /** Connect through the Cloud SQL Auth Proxy or connectors (https://cloud.google.com/sql/docs/postgres/iam-roles). */
    cloudSqlClient: "roles/cloudsql.client",
    pubsubSubscriber: "roles/pubsub.subscriber",
    pubsubPublisher: "roles/pubsub.publisher",
    secretAccessor: "roles/secretmanager.secretAccessor",
} as const;

/** A project id: the same shape as an account id (https://cloud.google.com/resource-manager/docs/creating-managing-projects). */
export const GCP_PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

const HASH_LENGTH = 6;

/**
 * A legal service account id for `<prefix>-<service>`, the same for the same inputs: lowercased, characters
 * outside `[a-z0-9-]` made hyphens; when longer than 30, cut and ended with `-<6 hex of its SHA-256>` so that
 * two long names sharing a start stay apart; when shorter than 6, lengthened the same way.
 */
export function gcpServiceAccountId(prefix: string, service: string): string {
    const wanted = `${prefix}-${service}`
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, "-")
        .replace(/-+/g, "-")
        .replace(/-$/, "");
    if (!/^[a-z]/.test(wanted)) {
        throw new Error(`gcpServiceAccountId: the prefix must start with a letter; received ${JSON.stringify(prefix)}`);
    }
    if (GCP_SERVICE_ACCOUNT_ID.test(wanted)) return wanted;
    const hash = createHash("sha256").update(wanted).digest("hex").slice(0, HASH_LENGTH);
    const head = wanted.slice(0, 30 - HASH_LENGTH - 1).replace(/-+$/, "");
    return `${head}-${hash}`;
}

export interface ServiceGcpGrants {
    /** The Cloud SQL instance it connects to: `roles/cloudsql.client` on the project, only for that instance. @default none */
    readonly cloudSql?: { readonly instanceName: pulumi.Input<string> };
    /**
     * Pub/Sub subscriptions it pulls (`projects/<p>/subscriptions/<s>`), one `roles/pubsub.subscriber` each;
     * children are named by position, so keep the order stable. @default none
     */
    readonly pubsubSubscriptionIds?: readonly pulumi.Input<string>[];
    /** Pub/Sub topics it publishes to after failover (`projects/<p>/topics/<t>`), one `roles/pubsub.publisher` each. @default none */
    readonly pubsubTopicIds?: readonly pulumi.Input<string>[];
    /** Secret Manager secrets it reads (`projects/<p>/secrets/<s>`), one `roles/secretmanager.secretAccessor` each. @default none */
    readonly secretIds?: readonly pulumi.Input<string>[];
}

export interface ServiceGcpIdentityArgs extends ServiceIdentitySubject {
    /** Project of the cluster and the account; names the workload identity pool `<project>.svc.id.goog`. */
    readonly project: string;
    /** Id of the Google service account ({@link GCP_SERVICE_ACCOUNT_ID}); `gcpServiceAccountId` derives one. */
    readonly accountId: string;
    /** What the service may do. */
    readonly grants: ServiceGcpGrants;
}

const json = (v: unknown) => JSON.stringify(v);

/** Every problem with the arguments, each naming its key and the value received. */
export function serviceGcpIdentityProblems(args: ServiceGcpIdentityArgs): string[] {
    const problems = identitySubjectProblems(args);
    if (typeof args.project !== "string" || !GCP_PROJECT_ID.test(args.project))
        problems.push(
            `project must be a project id (6 to 30 lowercase letters, digits or '-'); received ${json(args.project)}`,
        );
    if (typeof args.accountId !== "string" || !GCP_SERVICE_ACCOUNT_ID.test(args.accountId)) {
        problems.push(
            `accountId must be ${GCP_SERVICE_ACCOUNT_ID_TEXT}; received ${json(args.accountId)}. Fix: derive it with gcpServiceAccountId(prefix, service)`,
        );
    }
    return problems;
}

/** `serviceAccount:<project>.svc.id.goog[<namespace>/<ksa>]`: a Kubernetes ServiceAccount as an IAM principal. */
export const workloadIdentityMember = (project: string, namespace: string, serviceAccount: string): string =>
    `serviceAccount:${project}.svc.id.goog[${namespace}/${serviceAccount}]`;

/**
 * The IAM condition that limits a project-level Cloud SQL grant to one instance, in the form of
 * https://cloud.google.com/sql/docs/postgres/iam-conditions (resource name and type).
 */
export const cloudSqlInstanceCondition = (project: string, instanceName: string): string =>
    `resource.name == 'projects/${project}/instances/${instanceName}' && resource.type == 'sqladmin.googleapis.com/Instance'`;

export class ServiceGcpIdentity extends pulumi.ComponentResource {
    /** `<accountId>@<project>.iam.gserviceaccount.com`: the ServiceAccount's `iam.gke.io/gcp-service-account`. */
    public readonly email: pulumi.Output<string>;
    /** The account's resource name (`projects/<project>/serviceAccounts/<email>`). */
    public readonly name: pulumi.Output<string>;

    constructor(name: string, args: ServiceGcpIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:catalog:ServiceGcpIdentity", name, {}, opts);
        const problems = serviceGcpIdentityProblems(args);
        if (problems.length > 0) throw new Error(`ServiceGcpIdentity ${name}: ${problems.join("; ")}`);
        const ksa = args.serviceAccount ?? args.service;
        const account = new gcp.serviceaccount.Account(
            `${name}-account`,
            {
                project: args.project,
                accountId: args.accountId,
                displayName: `${args.service} (${args.namespace}/${ksa})`,
                description: `${args.service}: pods of ${args.namespace}/${ksa} through GKE Workload Identity`,
            },
            { parent: this },
        );
        // Fixed by the id and project, so known before the account exists; grants wait for the account.
        const email = `${args.accountId}@${args.project}.iam.gserviceaccount.com`;
        const member = `serviceAccount:${email}`;
        const after = { parent: this, dependsOn: [account] };

        new gcp.serviceaccount.IAMMember(
            `${name}-workload-identity`,
            {
                serviceAccountId: account.name,
                role: SERVICE_GCP_ROLES.workloadIdentityUser,
                member: workloadIdentityMember(args.project, args.namespace, ksa),
            },
            { parent: this },
        );
        const g = args.grants;
        if (g.cloudSql) {
            const instance = g.cloudSql.instanceName;
            new gcp.projects.IAMMember(
                `${name}-cloudsql-client`,
                {
                    project: args.project,
                    role: SERVICE_GCP_ROLES.cloudSqlClient,
                    member,
                    condition: {
                        title: `${args.service}-cloudsql-instance`,
                        description: `Only the service's own Cloud SQL instance`,
                        expression: pulumi.output(instance).apply((i) => cloudSqlInstanceCondition(args.project, i)),
                    },
                },
                after,
            );
        }
        (g.pubsubSubscriptionIds ?? []).forEach((subscription, i) => {
            new gcp.pubsub.SubscriptionIAMMember(
                `${name}-subscriber-${i}`,
                { subscription, role: SERVICE_GCP_ROLES.pubsubSubscriber, member },
                after,
            );
        });
        (g.pubsubTopicIds ?? []).forEach((topic, i) => {
            new gcp.pubsub.TopicIAMMember(
                `${name}-publisher-${i}`,
                { topic, role: SERVICE_GCP_ROLES.pubsubPublisher, member },
                after,
            );
        });
        (g.secretIds ?? []).forEach((secretId, i) => {
            new gcp.secretmanager.SecretIamMember(
                `${name}-secret-${i}`,
                { secretId, role: SERVICE_GCP_ROLES.secretAccessor, member },
                after,
            );
        });

        this.email = pulumi.output(email);
        this.name = account.name;
        this.registerOutputs({ email: this.email, name: this.name });
    }
}
