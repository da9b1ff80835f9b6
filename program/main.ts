/**
 * The platform program: read and validate config once, build providers, then the components in
 * dependency order. `index.ts` hands this function to Pulumi; the offline plan and the tests run the
 * very same function under the mock runtime.
 */
import { loadPlatformConfig } from "../config/load";
import { AwsKmsKeys } from "../components/aws-kms-keys";
import { GcpKmsKeys } from "../components/gcp-kms-keys";
import { createProviders } from "./providers";

export async function main(): Promise<Record<string, unknown>> {
    // Throws a ConfigValidationError (all problems at once) before anything is registered.
    const cfg = loadPlatformConfig();
    const providers = createProviders(cfg);
    const prefix = `platform-${cfg.environment}`;
    const protect = cfg.protectStatefulResources;

    const keysPrimary = new AwsKmsKeys(
        "kms-primary",
        { region: cfg.aws.primaryRegion, aliasPrefix: prefix, protect, deletionWindowInDays: protect ? 30 : 7 },
        { provider: providers.awsPrimary },
    );
    const keysSecondary = new AwsKmsKeys(
        "kms-secondary",
        { region: cfg.aws.secondaryRegion, aliasPrefix: prefix, protect, deletionWindowInDays: protect ? 30 : 7 },
        { provider: providers.awsSecondary },
    );
    const keysGcp = new GcpKmsKeys(
        "kms-gcp",
        { project: cfg.gcp.project, location: cfg.gcp.region, keyRingName: prefix, protect },
        { provider: providers.gcp },
    );

    return {
        environment: cfg.environment,
        awsPrimaryRegion: cfg.aws.primaryRegion,
        awsSecondaryRegion: cfg.aws.secondaryRegion,
        gcpProject: cfg.gcp.project,
        gcpRegion: cfg.gcp.region,
        kmsKeyArnsPrimary: keysPrimary.keyArns,
        kmsKeyArnsSecondary: keysSecondary.keyArns,
        kmsKeyIdsGcp: keysGcp.keyIds,
    };
}
