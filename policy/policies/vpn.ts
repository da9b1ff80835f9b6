/**
 * Encryption in transit across clouds: the IPsec proposals of the AWS <-> GCP VPN. AWS's defaults offer
 * IKEv1, AES-128, SHA-1 and 1024-bit DH groups, so an unset proposal list is a weak one, not a safe default.
 */
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";

/** Proposals accepted by default: IKEv2, AES-256, SHA-2 and DH groups of at least 2048-bit MODP or 256-bit ECP. */
export const VPN_IPSEC_DEFAULTS = {
    allowedIkeVersions: ["ikev2"],
    allowedEncryptionAlgorithms: ["AES256", "AES256-GCM-16"],
    allowedIntegrityAlgorithms: ["SHA2-256", "SHA2-384", "SHA2-512"],
    // 22 to 24 are MODP groups with small prime-order subgroups; RFC 8247 advises against them.
    allowedDhGroupNumbers: [14, 15, 16, 17, 18, 19, 20, 21],
};

type VpnConfig = typeof VPN_IPSEC_DEFAULTS;

const list = (items: "string" | "number", def: readonly (string | number)[], description: string) => ({
    type: "array" as const,
    items: { type: items },
    default: def,
    description,
});

/** One AWS proposal input per phase and kind, and the config list it must stay within. */
const PROPOSALS: readonly { suffix: string; allowed: keyof VpnConfig }[] = [
    { suffix: "IkeVersions", allowed: "allowedIkeVersions" },
    { suffix: "Phase1EncryptionAlgorithms", allowed: "allowedEncryptionAlgorithms" },
    { suffix: "Phase2EncryptionAlgorithms", allowed: "allowedEncryptionAlgorithms" },
    { suffix: "Phase1IntegrityAlgorithms", allowed: "allowedIntegrityAlgorithms" },
    { suffix: "Phase2IntegrityAlgorithms", allowed: "allowedIntegrityAlgorithms" },
    { suffix: "Phase1DhGroupNumbers", allowed: "allowedDhGroupNumbers" },
    { suffix: "Phase2DhGroupNumbers", allowed: "allowedDhGroupNumbers" },
];

export const vpnStrongIpsec: ResourceValidationPolicy = {
    name: "vpn-strong-ipsec",
    description:
        "Site-to-site VPN tunnels negotiate only IKEv2 with AES-256, SHA-2 and strong DH groups (AWS VPN connections and GCP Cloud VPN tunnels).",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: {
        properties: {
            allowedIkeVersions: list("string", VPN_IPSEC_DEFAULTS.allowedIkeVersions, "IKE versions a tunnel may use."),
            allowedEncryptionAlgorithms: list(
                "string",
                VPN_IPSEC_DEFAULTS.allowedEncryptionAlgorithms,
                "Phase 1 and 2 encryption algorithms (AWS names).",
            ),
            allowedIntegrityAlgorithms: list(
                "string",
                VPN_IPSEC_DEFAULTS.allowedIntegrityAlgorithms,
                "Phase 1 and 2 integrity algorithms (AWS names).",
            ),
            allowedDhGroupNumbers: list(
                "number",
                VPN_IPSEC_DEFAULTS.allowedDhGroupNumbers,
                "Phase 1 and 2 Diffie-Hellman group numbers.",
            ),
        },
    },
    remediationSteps:
        "On aws.ec2.VpnConnection set, for tunnel1 and tunnel2, tunnelNIkeVersions: ['ikev2'] and one strong choice " +
        "each for tunnelNPhase{1,2}EncryptionAlgorithms, IntegrityAlgorithms and DhGroupNumbers (components/" +
        "cross-cloud-vpn.ts VPN_IPSEC: AES256, SHA2-256, group 20). On gcp.compute.VPNTunnel keep ikeVersion 2.",
    validateResource: [
        validateResourceOfType(aws.ec2.VpnConnection, (conn, args, reportViolation) => {
            const config = args.getConfig<VpnConfig>();
            const props = conn as unknown as Record<string, unknown>;
            for (const tunnel of [1, 2]) {
                for (const { suffix, allowed } of PROPOSALS) {
                    const key = `tunnel${tunnel}${suffix}`;
                    const offered = props[key];
                    const permitted = config[allowed] as readonly (string | number)[];
                    if (!Array.isArray(offered) || offered.length === 0) {
                        reportViolation(
                            `VPN connection leaves ${key} unset, so AWS offers its defaults, which include weak ` +
                                `proposals. Set ${key} to values from: ${permitted.join(", ")}.`,
                        );
                        continue;
                    }
                    const weak = offered.filter((v) => !permitted.includes(v));
                    if (weak.length > 0) {
                        reportViolation(
                            `VPN connection ${key} offers ${weak.join(", ")}, which is not allowed. Allowed: ` +
                                `${permitted.join(", ")}.`,
                        );
                    }
                }
            }
        }),
        validateResourceOfType(gcp.compute.VPNTunnel, (tunnel, args, reportViolation) => {
            const { allowedIkeVersions } = args.getConfig<VpnConfig>();
            // Cloud VPN defaults to IKEv2 when ikeVersion is unset.
            const version = tunnel.ikeVersion ?? 2;
            if (!allowedIkeVersions.includes(`ikev${version}`)) {
                reportViolation(
                    `Cloud VPN tunnel uses IKEv${version}, which is not allowed (${allowedIkeVersions.join(", ")}). ` +
                        "Set ikeVersion: 2.",
                );
            }
        }),
    ],
};
