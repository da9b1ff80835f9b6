import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { isProtected } from "../shared/protection";
import { issuedKey } from "./key-ring";
import { gcpServiceAgents, KEY_PURPOSES, type KeyPurpose } from "./key-purposes";

export const GCP_KMS_DEFAULTS = {
    /** 90 days: Google's recommendation for symmetric keys, and what CIS GCP 1.10 asks for. */
    rotationPeriodSeconds: 90 * 24 * 3600,
    /** Longest window before a destroyed key version is gone for good. */
    destroyScheduledDuration: "2592000s",
} as const;

export interface GcpKmsKeysArgs {
    /** Project that owns the key ring and whose service agents use the keys. */
    readonly project: string;
    /** Key ring location; a region so keys sit beside the resources that use them. */
    readonly location: string;
    /** Key ring name. Key rings can never be deleted in GCP, so the name is permanent. */
    readonly keyRingName: string;
    /** Purposes to create a key for. @default all of {@link KEY_PURPOSES} */
    readonly purposes?: readonly KeyPurpose[];
    /** Rotation period of every key, at least one day. @default 7776000 (90 days) */
    readonly rotationPeriodSeconds?: number;
    /** Set `protect` on the key ring and keys. @default true */
    readonly protect?: boolean;
}

/** A GCP KMS key ring with one crypto key per purpose and the service-agent bindings CMEK needs. */
export class GcpKmsKeys extends pulumi.ComponentResource {
    /** The keys by purpose. */
    public readonly keys: Readonly<Partial<Record<KeyPurpose, gcp.kms.CryptoKey>>>;
    /** Key ids (`projects/…/cryptoKeys/…`) by purpose: what CMEK-encrypted resources reference. */
    public readonly keyIds: Readonly<Partial<Record<KeyPurpose, pulumi.Output<string>>>>;
    private readonly label: string;
    /** The key ring id. */
    public readonly keyRingId: pulumi.Output<string>;

    constructor(name: string, args: GcpKmsKeysArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:security:GcpKmsKeys", name, {}, opts);
        this.label = `GcpKmsKeys ${name}`;
        const purposes = args.purposes ?? KEY_PURPOSES;
        const rotationPeriodSeconds = args.rotationPeriodSeconds ?? GCP_KMS_DEFAULTS.rotationPeriodSeconds;
        if (!Number.isInteger(rotationPeriodSeconds) || rotationPeriodSeconds < 86400) {
            throw new Error(
                `GcpKmsKeys ${name}: rotationPeriodSeconds must be a whole number of at least 86400; received ${rotationPeriodSeconds}`,
            );
        }
        const protect = isProtected(args.protect);

        const ring = new gcp.kms.KeyRing(
            `${name}-ring`,
            { project: args.project, location: args.location, name: args.keyRingName },
            { parent: this, protect },
        );
        const projectNumber = gcp.organizations.getProjectOutput({ projectId: args.project }, { parent: this }).number;

        const keys: Partial<Record<KeyPurpose, gcp.kms.CryptoKey>> = {};
        for (const purpose of purposes) {
            const key = new gcp.kms.CryptoKey(
                `${name}-${purpose}`,
                {
                    name: purpose,
                    keyRing: ring.id,
                    purpose: "ENCRYPT_DECRYPT",
                    rotationPeriod: `${rotationPeriodSeconds}s`,
                    destroyScheduledDuration: GCP_KMS_DEFAULTS.destroyScheduledDuration,
                    labels: { purpose },
                },
                { parent: this, protect },
            );
            // One binding per agent: additive members never clobber bindings made outside this program.
            const agents = projectNumber.apply((n) => gcpServiceAgents(purpose, n));
            for (const [i, domain] of gcpAgentIndex(purpose)) {
                new gcp.kms.CryptoKeyIAMMember(
                    `${name}-${purpose}-${domain}`,
                    { cryptoKeyId: key.id, role: "roles/cloudkms.cryptoKeyEncrypterDecrypter", member: agents[i] },
                    { parent: this },
                );
            }
            keys[purpose] = key;
        }
        this.keys = keys;
        this.keyIds = Object.fromEntries(Object.entries(keys).map(([p, k]) => [p, k.id]));
        this.keyRingId = ring.id;
        this.registerOutputs({ keyIds: this.keyIds, keyRingId: this.keyRingId });
    }

    /** The id of the key for `purpose`; throws naming the purpose if this component did not issue one. */
    id(purpose: KeyPurpose): pulumi.Output<string> {
        return issuedKey(this.label, this.keyIds, purpose);
    }
}

/** Stable child-name suffixes for the agents of a purpose (the agent's domain without its suffix). */
function gcpAgentIndex(purpose: KeyPurpose): [number, string][] {
    return gcpServiceAgents(purpose, "0").map((m, i) => [i, m.split("@")[1].split(".")[0]]);
}
