import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { isProtected } from "../shared/protection";
import { issuedKey } from "./key-ring";
import { awsKeyPolicy, KEY_PURPOSES, type KeyPurpose } from "./key-purposes";

/** Defaults, applied in one place. */
export const AWS_KMS_DEFAULTS = {
    /** The longest waiting period AWS allows: a key deleted by mistake can be recovered for 30 days. */
    deletionWindowInDays: 30,
    /** Yearly rotation, the AWS default and what most compliance frameworks ask for. */
    rotationPeriodInDays: 365,
} as const;

export interface AwsKmsKeysArgs {
    /** Region the keys live in; must match the region of the provider passed in the options. */
    readonly region: string;
    /** Prefix of the key aliases (`alias/<aliasPrefix>-<purpose>`), e.g. `platform-prod`. */
    readonly aliasPrefix: string;
    /** Purposes to create a key for. @default all of {@link KEY_PURPOSES} */
    readonly purposes?: readonly KeyPurpose[];
    /** Waiting period before a deleted key is destroyed, 7 to 30. @default 30 */
    readonly deletionWindowInDays?: number;
    /** Automatic rotation period, 90 to 2560. @default 365 */
    readonly rotationPeriodInDays?: number;
    /** Set `protect` on every key so that Pulumi refuses to delete it. @default true */
    readonly protect?: boolean;
}

/** Customer-managed KMS keys of one AWS region, one per purpose, each with a narrow key policy. */
export class AwsKmsKeys extends pulumi.ComponentResource {
    /** The keys by purpose. */
    public readonly keys: Readonly<Partial<Record<KeyPurpose, aws.kms.Key>>>;
    /** Key ARNs by purpose: what encrypted resources reference. Prefer {@link arn}, which fails by name. */
    public readonly keyArns: Readonly<Partial<Record<KeyPurpose, pulumi.Output<string>>>>;
    private readonly label: string;

    constructor(name: string, args: AwsKmsKeysArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:security:AwsKmsKeys", name, {}, opts);
        this.label = `AwsKmsKeys ${name}`;
        const purposes = args.purposes ?? KEY_PURPOSES;
        const deletionWindowInDays = args.deletionWindowInDays ?? AWS_KMS_DEFAULTS.deletionWindowInDays;
        const rotationPeriodInDays = args.rotationPeriodInDays ?? AWS_KMS_DEFAULTS.rotationPeriodInDays;
        validateAwsKmsKeysArgs(name, { ...args, deletionWindowInDays, rotationPeriodInDays });

        const invokeOpts = { parent: this };
        const identity = aws.getCallerIdentityOutput({}, invokeOpts);
        const partition = aws.getPartitionOutput({}, invokeOpts);

        const keys: Partial<Record<KeyPurpose, aws.kms.Key>> = {};
        for (const purpose of purposes) {
            const key = new aws.kms.Key(
                `${name}-${purpose}`,
                {
                    description: `${args.aliasPrefix} ${purpose} key (${args.region})`,
                    enableKeyRotation: true,
                    rotationPeriodInDays,
                    deletionWindowInDays,
                    policy: pulumi
                        .all([identity.accountId, partition.partition])
                        .apply(([accountId, part]) =>
                            JSON.stringify(awsKeyPolicy(purpose, { partition: part, accountId, region: args.region })),
                        ),
                    tags: { purpose },
                },
                { parent: this, protect: isProtected(args.protect) },
            );
            new aws.kms.Alias(
                `${name}-${purpose}`,
                { name: `alias/${args.aliasPrefix}-${purpose}`, targetKeyId: key.keyId },
                { parent: this },
            );
            keys[purpose] = key;
        }
        this.keys = keys;
        this.keyArns = Object.fromEntries(Object.entries(keys).map(([p, k]) => [p, k.arn]));
        this.registerOutputs({ keyArns: this.keyArns });
    }

    /** The ARN of the key for `purpose`; throws naming the purpose if this component did not issue one. */
    arn(purpose: KeyPurpose): pulumi.Output<string> {
        return issuedKey(this.label, this.keyArns, purpose);
    }
}

/** Throws one error listing every invalid argument. */
export function validateAwsKmsKeysArgs(
    name: string,
    args: AwsKmsKeysArgs & { deletionWindowInDays: number; rotationPeriodInDays: number },
): void {
    const problems: string[] = [];
    if (
        args.deletionWindowInDays < 7 ||
        args.deletionWindowInDays > 30 ||
        !Number.isInteger(args.deletionWindowInDays)
    ) {
        problems.push(
            `deletionWindowInDays must be a whole number from 7 to 30; received ${args.deletionWindowInDays}`,
        );
    }
    if (
        args.rotationPeriodInDays < 90 ||
        args.rotationPeriodInDays > 2560 ||
        !Number.isInteger(args.rotationPeriodInDays)
    ) {
        problems.push(
            `rotationPeriodInDays must be a whole number from 90 to 2560; received ${args.rotationPeriodInDays}`,
        );
    }
    if (!/^[a-zA-Z0-9/_-]+$/.test(args.aliasPrefix)) {
        problems.push(
            `aliasPrefix may hold only letters, digits, '/', '_' and '-'; received ${JSON.stringify(args.aliasPrefix)}`,
        );
    }
    if (problems.length > 0) throw new Error(`AwsKmsKeys ${name}: ${problems.join("; ")}`);
}
