import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";

/** Where the GCP copy of a service's credentials lives, so the DR side can start without AWS. */
export interface GcpSecretCopyArgs {
    /** GCP project of the copy. @default the GCP provider's project */
    readonly project?: string;
    /** The one region the copy is stored in (user-managed replication): the DR region. */
    readonly region: string;
    /**
     * Cloud KMS key (id) of the `database` purpose, in `region`: CMEK of the copy. The Secret Manager
     * service agent must hold `roles/cloudkms.cryptoKeyEncrypterDecrypter` on it.
     */
    readonly kmsKeyName: pulumi.Input<string>;
}

/** The two copies of one set of credentials. */
export interface ServiceCredentialsArgs {
    /** What the credentials open, for the secrets' descriptions. */
    readonly description: string;
    /** Id of the GCP secret, unique in its project. */
    readonly gcpSecretId: string;
    /** The credentials as JSON; must be a secret Output. */
    readonly secretString: pulumi.Output<string>;
    /** Customer-managed key (ARN) the Secrets Manager secret is encrypted with. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Days a deleted Secrets Manager secret stays recoverable, 7 to 30. */
    readonly recoveryWindowDays: number;
    readonly gcp: GcpSecretCopyArgs;
    /** Pulumi `protect` on both secrets, and GCP deletion protection. */
    readonly protect: boolean;
}

export interface ServiceCredentials {
    readonly secret: aws.secretsmanager.Secret;
    readonly gcpSecret: gcp.secretmanager.Secret;
}

/**
 * A service's credentials in Secrets Manager and their copy in GCP Secret Manager. A function rather
 * than a component, so the secrets stay direct children of the database component they belong to.
 */
export function serviceCredentials(
    name: string,
    args: ServiceCredentialsArgs,
    parent: pulumi.Resource,
): ServiceCredentials {
    const { protect } = args;
    const secret = new aws.secretsmanager.Secret(
        `${name}-credentials`,
        {
            description: args.description,
            kmsKeyId: args.kmsKeyArn,
            recoveryWindowInDays: args.recoveryWindowDays,
        },
        { parent, protect },
    );
    new aws.secretsmanager.SecretVersion(
        `${name}-credentials`,
        { secretId: secret.id, secretString: args.secretString },
        { parent },
    );
    const gcpSecret = new gcp.secretmanager.Secret(
        `${name}-credentials`,
        {
            ...(args.gcp.project === undefined ? {} : { project: args.gcp.project }),
            secretId: args.gcpSecretId,
            // One region, the DR one, with its own key: automatic replication would leave the key to Google.
            replication: {
                userManaged: {
                    replicas: [
                        {
                            location: args.gcp.region,
                            customerManagedEncryption: { kmsKeyName: args.gcp.kmsKeyName },
                        },
                    ],
                },
            },
            deletionProtection: protect,
        },
        { parent, protect },
    );
    new gcp.secretmanager.SecretVersion(
        `${name}-credentials`,
        { secret: gcpSecret.id, secretData: args.secretString },
        { parent },
    );
    return { secret, gcpSecret };
}
