/** Customer-managed keys: one per purpose in each AWS region and in the GCP DR region. */
import { AwsKmsKeys, GcpKmsKeys } from "../../components/security";
import type { PlatformContext } from "../context";

export interface SecurityLayer {
    readonly primary: AwsKmsKeys;
    readonly secondary: AwsKmsKeys;
    readonly gcp: GcpKmsKeys;
}

export function security({ cfg, providers, prefix, topology }: PlatformContext): SecurityLayer {
    const { protect, recoveryWindowDays: deletionWindowInDays } = topology;
    const aws = (name: string, region: string, provider: typeof providers.awsPrimary) =>
        new AwsKmsKeys(name, { region, aliasPrefix: prefix, protect, deletionWindowInDays }, { provider });
    return {
        primary: aws("kms-primary", cfg.aws.primaryRegion, providers.awsPrimary),
        secondary: aws("kms-secondary", cfg.aws.secondaryRegion, providers.awsSecondary),
        gcp: new GcpKmsKeys(
            "kms-gcp",
            { project: cfg.gcp.project, location: cfg.gcp.region, keyRingName: prefix, protect },
            { provider: providers.gcp },
        ),
    };
}
