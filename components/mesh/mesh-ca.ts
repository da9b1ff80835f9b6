import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { isProtected } from "../shared/protection";

/** Key types the CA can use; the choice applies to the root and to every intermediate. */
export const MESH_CA_KEY_ALGORITHMS = {
    /** Small keys and fast handshakes; istiod signs workload certificates with ECDSA CA keys fine. */
    ECDSA: { algorithm: "ECDSA", ecdsaCurve: "P384" },
    /** For peers or tooling that cannot verify ECDSA chains. */
    RSA: { algorithm: "RSA", rsaBits: 4096 },
} as const;
export type MeshCaKeyAlgorithm = keyof typeof MESH_CA_KEY_ALGORITHMS;

export const MESH_CA_DEFAULTS = {
    organization: "multicloud-platform",
    /** Ten years: rotating a root means re-trusting every workload in every cluster at once. */
    rootValidityHours: 10 * 365 * 24,
    /** Five years, well inside the root's life; an intermediate can be re-issued one cluster at a time. */
    intermediateValidityHours: 5 * 365 * 24,
    keyAlgorithm: "ECDSA" as MeshCaKeyAlgorithm,
} as const;

/**
 * Key usages of a CA certificate. Terraform's snake_case names: the TLS provider validates these
 * strings, and the camelCase list in the SDK's doc comments is an artefact of doc generation.
 */
export const CA_ALLOWED_USES = ["cert_signing", "crl_signing", "digital_signature"] as const;

/** A DNS-1123 label: what a cluster name must be to serve as a Secret name suffix and data key. */
export const isDnsLabel = (v: string): boolean => /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(v);

export interface MeshCertificateAuthorityArgs {
    /**
     * Clusters to issue an intermediate CA for, one each, by mesh cluster name (the name istiod knows
     * the cluster by). Lowercase DNS labels, unique.
     */
    readonly clusterNames: readonly string[];
    /** Organization in the subjects of the root and intermediates. @default "multicloud-platform" */
    readonly organization?: string;
    /** Validity of the root certificate. @default 87600 (10 years) */
    readonly rootValidityHours?: number;
    /** Validity of each intermediate; shorter than the root's. @default 43800 (5 years) */
    readonly intermediateValidityHours?: number;
    /** Key type of the root and intermediates. @default "ECDSA" (P-384) */
    readonly keyAlgorithm?: MeshCaKeyAlgorithm;
    /**
     * `protect` on the root key and certificate: replacing either breaks trust between every workload
     * of the mesh until all clusters carry the new root. @default true
     */
    readonly protect?: boolean;
}

/** What one cluster's istiod needs to sign workload certificates: the `cacerts` Secret's contents. */
export interface IntermediateCa {
    readonly clusterName: string;
    /** The intermediate certificate (`ca-cert.pem`). */
    readonly certPem: pulumi.Output<string>;
    /** The intermediate's private key (`ca-key.pem`). Secret. */
    readonly keyPem: pulumi.Output<string>;
    /** Intermediate followed by root (`cert-chain.pem`). */
    readonly certChainPem: pulumi.Output<string>;
    /** The mesh root (`root-cert.pem`), the same for every cluster. */
    readonly rootCertPem: pulumi.Output<string>;
}

/**
 * One root CA for the whole mesh and an intermediate per cluster signed by it, so workloads in every
 * cluster trust each other's certificates across the east-west gateways. Keys never leave Pulumi
 * state, where they are secrets. Needs a `tls` provider.
 */
export class MeshCertificateAuthority extends pulumi.ComponentResource {
    /** The root certificate (public); what every cluster trusts. */
    public readonly rootCertPem: pulumi.Output<string>;
    /** Intermediates by cluster name. */
    public readonly intermediates: Readonly<Record<string, IntermediateCa>>;

    private readonly componentName: string;
    private readonly rootKey: tls.PrivateKey;
    private readonly rootCert: tls.SelfSignedCert;

    constructor(name: string, args: MeshCertificateAuthorityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:mesh:MeshCertificateAuthority", name, {}, opts);
        const problems = meshCertificateAuthorityProblems(args);
        if (!this.getProvider("tls:index/privateKey:PrivateKey")) {
            problems.push("a tls provider is required (pass { provider: <tls.Provider> })");
        }
        if (problems.length > 0) throw new Error(`MeshCertificateAuthority ${name}: ${problems.join("; ")}`);
        this.componentName = name;

        const organization = args.organization ?? MESH_CA_DEFAULTS.organization;
        const key = MESH_CA_KEY_ALGORITHMS[args.keyAlgorithm ?? MESH_CA_DEFAULTS.keyAlgorithm];
        const protect = isProtected(args.protect);
        const intermediateValidityHours = args.intermediateValidityHours ?? MESH_CA_DEFAULTS.intermediateValidityHours;

        this.rootKey = new tls.PrivateKey(`${name}-root`, { ...key }, { parent: this, protect });
        this.rootCert = new tls.SelfSignedCert(
            `${name}-root`,
            {
                privateKeyPem: this.rootKey.privateKeyPem,
                subject: { commonName: `${organization} mesh root CA`, organization },
                isCaCertificate: true,
                validityPeriodHours: args.rootValidityHours ?? MESH_CA_DEFAULTS.rootValidityHours,
                allowedUses: [...CA_ALLOWED_USES],
                setSubjectKeyId: true,
            },
            { parent: this, protect },
        );
        this.rootCertPem = this.rootCert.certPem;

        const intermediates: Record<string, IntermediateCa> = {};
        for (const clusterName of args.clusterNames) {
            intermediates[clusterName] = this.issueIntermediate(
                `${name}-${clusterName}`,
                clusterName,
                organization,
                key,
                intermediateValidityHours,
            );
        }
        this.intermediates = intermediates;

        this.registerOutputs({ rootCertPem: this.rootCertPem });
    }

    /** The intermediate of one cluster; throws naming the clusters that have one. */
    public intermediateFor(clusterName: string): IntermediateCa {
        const found = this.intermediates[clusterName];
        if (!found) {
            throw new Error(
                `MeshCertificateAuthority ${this.componentName}: no intermediate for cluster ${JSON.stringify(clusterName)}; issued for: ${Object.keys(this.intermediates).join(", ")}. Add it to clusterNames.`,
            );
        }
        return found;
    }

    /**
     * Intermediates are not protected: re-issuing one only changes that cluster's `cacerts`, and its
     * workloads keep trusting the others because the root is unchanged.
     */
    private issueIntermediate(
        childName: string,
        clusterName: string,
        organization: string,
        key: (typeof MESH_CA_KEY_ALGORITHMS)[MeshCaKeyAlgorithm],
        validityHours: number,
    ): IntermediateCa {
        const intermediateKey = new tls.PrivateKey(childName, { ...key }, { parent: this });
        const request = new tls.CertRequest(
            childName,
            {
                privateKeyPem: intermediateKey.privateKeyPem,
                subject: {
                    commonName: `${organization} mesh intermediate CA ${clusterName}`,
                    organization,
                    // Istio's own cert tooling records the cluster in L=; it shows up in `istioctl pc secret`.
                    locality: clusterName,
                },
                dnsNames: ["istiod.istio-system.svc"],
            },
            { parent: this },
        );
        const cert = new tls.LocallySignedCert(
            childName,
            {
                certRequestPem: request.certRequestPem,
                caPrivateKeyPem: this.rootKey.privateKeyPem,
                caCertPem: this.rootCert.certPem,
                isCaCertificate: true,
                validityPeriodHours: validityHours,
                allowedUses: [...CA_ALLOWED_USES],
                setSubjectKeyId: true,
            },
            { parent: this },
        );
        return {
            clusterName,
            certPem: cert.certPem,
            keyPem: pulumi.secret(intermediateKey.privateKeyPem),
            certChainPem: pulumi.interpolate`${cert.certPem}${this.rootCert.certPem}`,
            rootCertPem: this.rootCert.certPem,
        };
    }
}

/** Every problem with the arguments, without the Pulumi runtime. */
export function meshCertificateAuthorityProblems(args: MeshCertificateAuthorityArgs): string[] {
    const problems: string[] = [];
    if (args.clusterNames.length === 0) problems.push("clusterNames must name at least one cluster");
    for (const c of args.clusterNames) {
        if (!isDnsLabel(c)) {
            problems.push(
                `clusterNames: ${JSON.stringify(c)} is not a lowercase DNS label (a-z, 0-9, '-', at most 63 characters)`,
            );
        }
    }
    const dupes = args.clusterNames.filter((c, i) => args.clusterNames.indexOf(c) !== i);
    if (dupes.length > 0) problems.push(`clusterNames must be unique; repeated: ${[...new Set(dupes)].join(", ")}`);
    const root = args.rootValidityHours ?? MESH_CA_DEFAULTS.rootValidityHours;
    const intermediate = args.intermediateValidityHours ?? MESH_CA_DEFAULTS.intermediateValidityHours;
    for (const [k, v] of [
        ["rootValidityHours", root],
        ["intermediateValidityHours", intermediate],
    ] as const) {
        if (!Number.isInteger(v) || v <= 0) problems.push(`${k} must be a positive whole number; received ${v}`);
    }
    if (intermediate >= root) {
        problems.push(
            `intermediateValidityHours (${intermediate}) must be less than rootValidityHours (${root}): an intermediate cannot outlive the root that signed it`,
        );
    }
    const alg = args.keyAlgorithm ?? MESH_CA_DEFAULTS.keyAlgorithm;
    if (!(alg in MESH_CA_KEY_ALGORITHMS)) {
        problems.push(
            `keyAlgorithm must be one of ${Object.keys(MESH_CA_KEY_ALGORITHMS).join(", ")}; received ${JSON.stringify(alg)}`,
        );
    }
    return problems;
}
