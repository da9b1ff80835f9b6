import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import type { PlatformConfig } from "../config/schema";

/** The explicit providers every resource of the platform is created with. */
export interface PlatformProviders {
    /** AWS, primary region. */
    readonly awsPrimary: aws.Provider;
    /** AWS, secondary region. */
    readonly awsSecondary: aws.Provider;
    /** GCP, DR project and region. */
    readonly gcp: gcp.Provider;
    /** Random values (pre-shared keys). Explicit too, because default providers are disabled. */
    readonly random: random.Provider;
    /** Certificates of the mesh CA. */
    readonly tls: tls.Provider;
}

/**
 * Builds the providers with the stack's tags as `defaultTags` / `defaultLabels`, so that no resource
 * can forget them. Default providers are disabled in the stack files (`pulumi:disable-default-providers`),
 * which makes a resource created without one of these fail instead of landing in an ambient region.
 */
export function createProviders(cfg: PlatformConfig): PlatformProviders {
    const tags = { ...cfg.tags };
    return {
        awsPrimary: new aws.Provider("aws-primary", { region: cfg.aws.primaryRegion, defaultTags: { tags } }),
        awsSecondary: new aws.Provider("aws-secondary", { region: cfg.aws.secondaryRegion, defaultTags: { tags } }),
        gcp: new gcp.Provider("gcp", {
            project: cfg.gcp.project,
            region: cfg.gcp.region,
            defaultLabels: tags,
            // The attribution label would be one more label that policies and cost reports must special-case.
            addPulumiAttributionLabel: false,
        }),
        random: new random.Provider("random"),
        tls: new tls.Provider("tls"),
    };
}
