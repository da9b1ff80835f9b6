/**
 * Pure validation of raw stack configuration into a {@link PlatformConfig}. It never stops at the first
 * problem: every message is collected so an operator fixes a stack file in one pass. Each message
 * names the key, the value received, what is allowed and how to fix it.
 */
import { formatCidr, isPrivate, overlaps, parseCidr, type Cidr } from "../components/shared/cidr";
import {
    AWS_RESERVED_INSIDE_CIDRS,
    DEFAULT_TUNNEL_INSIDE_CIDRS,
    isPrivateAsn,
    tunnelInsideCidrProblems,
} from "../components/network/vpn-plan";
import {
    AWS_REGIONS,
    CONFIG_KEYS,
    DATA_CLASSIFICATIONS,
    DERIVED_TAGS,
    ENVIRONMENTS,
    GCP_REGIONS,
    LOG_RETENTION_DAYS,
    MESSAGING_DEFAULTS,
    NAT_GATEWAY_STRATEGIES,
    PROJECT,
    REQUIRED_TAG_KEYS,
    SIZING_DEFAULTS,
    type AwsRegion,
    type ConfigKey,
    type Environment,
    type GcpRegion,
    type MessagingConfig,
    type NetworkConfig,
    type PlatformConfig,
    type SizingConfig,
} from "./schema";

/** Raw values as read from Pulumi config: structured keys already JSON-parsed. */
export type RawConfig = Partial<Record<ConfigKey, unknown>> & Record<string, unknown>;

export type ValidationResult = { ok: true; config: PlatformConfig } | { ok: false; problems: string[] };

function show(value: unknown): string {
    return value === undefined ? "nothing" : JSON.stringify(value);
}

/** One message: `<ns>:<key>: <what>; received <value>. Allowed: <allowed>. Fix: <fix>.` */
export function problem(key: string, what: string, received: unknown, allowed: string, fix: string): string {
    return `${PROJECT}:${key}: ${what}; received ${show(received)}. Allowed: ${allowed}. Fix: ${fix}.`;
}

function setCommand(path: string, example: string): string {
    return path.includes(".")
        ? `pulumi config set --path '${path}' ${example}`
        : `pulumi config set ${path} ${example}`;
}

function list(values: readonly (string | number)[]): string {
    return values.join(", ");
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Collects problems while reading a raw object, one field at a time. */
class Reader {
    readonly problems: string[] = [];

    /** Reads a required structured key; reports a missing or non-object value. */
    object(key: ConfigKey, example: string, required = true): Record<string, unknown> | undefined {
        const v = this.raw[key];
        if (v === undefined && !required) return {};
        if (!isObject(v)) {
            this.problems.push(
                problem(
                    key,
                    v === undefined ? "required key is missing" : "must be an object",
                    v,
                    `an object with ${example}`,
                    `add '${PROJECT}:${key}' to Pulumi.${this.stack}.yaml (see README, "Config reference")`,
                ),
            );
            return undefined;
        }
        return v;
    }

    /** Reports keys of `obj` that the schema does not know (usually typos that would be silently ignored). */
    unknownKeys(key: string, obj: Record<string, unknown>, known: readonly string[]): void {
        for (const k of Object.keys(obj)) {
            if (!known.includes(k)) {
                this.problems.push(
                    problem(
                        `${key}.${k}`,
                        "unknown key",
                        obj[k],
                        `one of ${list(known)}`,
                        `rename or remove '${k}' under '${PROJECT}:${key}'`,
                    ),
                );
            }
        }
    }

    choice<T extends string>(path: string, value: unknown, allowed: readonly T[]): T | undefined {
        if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
        const what = value === undefined ? "required value is missing" : "is not an allowed value";
        this.problems.push(problem(path, what, value, `one of ${list(allowed)}`, setCommand(path, allowed[0])));
        return undefined;
    }

    integer(path: string, value: unknown, min: number, max: number, example: number): number | undefined {
        if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) return value;
        const what = value === undefined ? "required value is missing" : "must be a whole number in range";
        this.problems.push(
            problem(path, what, value, `a whole number from ${min} to ${max}`, setCommand(path, String(example))),
        );
        return undefined;
    }

    pattern(path: string, value: unknown, re: RegExp, allowed: string, example: string): string | undefined {
        if (typeof value === "string" && re.test(value)) return value;
        const what = value === undefined ? "required value is missing" : "has the wrong form";
        this.problems.push(problem(path, what, value, allowed, setCommand(path, example)));
        return undefined;
    }

    constructor(
        private readonly raw: RawConfig,
        private readonly stack: string,
    ) {}
}

const CIDR_FIELDS = [
    { field: "awsPrimaryVpcCidr", minPrefix: 16, maxPrefix: 20, example: "10.10.0.0/16" },
    { field: "awsSecondaryVpcCidr", minPrefix: 16, maxPrefix: 20, example: "10.20.0.0/16" },
    { field: "gcpSubnetCidr", minPrefix: 16, maxPrefix: 24, example: "10.30.0.0/20" },
    { field: "gcpDataSubnetCidr", minPrefix: 16, maxPrefix: 26, example: "10.30.16.0/24" },
    { field: "gkePodsCidr", minPrefix: 12, maxPrefix: 21, example: "10.32.0.0/14" },
    { field: "gkeServicesCidr", minPrefix: 16, maxPrefix: 24, example: "10.36.0.0/20" },
    { field: "gcpPrivateServicesCidr", minPrefix: 16, maxPrefix: 24, example: "10.37.0.0/20" },
    { field: "gkeMasterCidr", minPrefix: 28, maxPrefix: 28, example: "10.38.0.0/28" },
] as const satisfies readonly { field: keyof NetworkConfig; minPrefix: number; maxPrefix: number; example: string }[];

const ASN_FIELDS = ["awsBgpAsn", "gcpBgpAsn"] as const;

const PRIVATE_ASN_TEXT = "a private ASN, 64512 to 65534 or 4200000000 to 4294967294";

function readNetwork(r: Reader): NetworkConfig | undefined {
    const before = r.problems.length;
    const net = r.object(
        "network",
        `the address plan keys ${list([...CIDR_FIELDS.map((f) => f.field), ...ASN_FIELDS])}`,
    );
    if (!net) return undefined;
    r.unknownKeys("network", net, [...CIDR_FIELDS.map((f) => f.field), ...ASN_FIELDS, "vpnTunnelInsideCidrs"]);

    const parsed: { path: string; cidr: Cidr; text: string }[] = [];
    for (const { field, minPrefix, maxPrefix, example } of CIDR_FIELDS) {
        const path = `network.${field}`;
        const v = net[field];
        const c = typeof v === "string" ? parseCidr(v) : undefined;
        const allowed = `an RFC 1918 IPv4 block with prefix /${minPrefix} to /${maxPrefix} and no host bits set, such as ${example}`;
        if (!c) {
            const what = v === undefined ? "required value is missing" : "is not a canonical IPv4 CIDR block";
            r.problems.push(problem(path, what, v, allowed, setCommand(path, example)));
        } else if (!isPrivate(c) || c.prefix < minPrefix || c.prefix > maxPrefix) {
            const what = !isPrivate(c) ? "is not in private (RFC 1918) space" : "has a prefix length out of range";
            r.problems.push(problem(path, what, v, allowed, setCommand(path, example)));
        } else {
            parsed.push({ path, cidr: c, text: v as string });
        }
    }
    // Every pair, AWS with AWS and AWS with GCP alike: the Transit Gateway and the VPN route between them.
    for (let i = 0; i < parsed.length; i++) {
        for (let j = 0; j < i; j++) {
            const [a, b] = [parsed[i], parsed[j]];
            if (overlaps(a.cidr, b.cidr)) {
                r.problems.push(
                    problem(
                        a.path,
                        `overlaps ${PROJECT}:${b.path} (${formatCidr(b.cidr)})`,
                        a.text,
                        "a block disjoint from every other range of the address plan, because the VPN and Transit Gateway route between them",
                        `choose a block outside ${formatCidr(b.cidr)} with ${setCommand(a.path, "<cidr>")}`,
                    ),
                );
            }
        }
    }

    const asns: number[] = [];
    for (const field of ASN_FIELDS) {
        const path = `network.${field}`;
        const v = net[field];
        if (typeof v === "number" && Number.isInteger(v) && isPrivateAsn(v)) {
            asns.push(v);
        } else {
            const what = v === undefined ? "required value is missing" : "is not a private BGP ASN";
            r.problems.push(
                problem(path, what, v, PRIVATE_ASN_TEXT, setCommand(path, field === "awsBgpAsn" ? "64512" : "65010")),
            );
        }
    }
    if (asns.length === 2 && asns[0] === asns[1]) {
        r.problems.push(
            problem(
                "network.gcpBgpAsn",
                "equals network.awsBgpAsn; the two BGP speakers need different ASNs",
                asns[1],
                `${PRIVATE_ASN_TEXT}, different from ${asns[0]}`,
                setCommand("network.gcpBgpAsn", asns[0] === 65010 ? "65020" : "65010"),
            ),
        );
    }
    const vpnTunnelInsideCidrs = net.vpnTunnelInsideCidrs ?? DEFAULT_TUNNEL_INSIDE_CIDRS;
    const tunnelProblems = tunnelInsideCidrProblems(vpnTunnelInsideCidrs);
    if (tunnelProblems.length > 0) {
        r.problems.push(
            problem(
                "network.vpnTunnelInsideCidrs",
                tunnelProblems.join("; "),
                net.vpnTunnelInsideCidrs,
                `four distinct /30 blocks inside 169.254.0.0/16, none of ${AWS_RESERVED_INSIDE_CIDRS.join(", ")}`,
                `remove the key to use ${DEFAULT_TUNNEL_INSIDE_CIDRS.join(", ")}, or list four valid blocks`,
            ),
        );
    }
    if (r.problems.length > before) return undefined;
    return {
        vpnTunnelInsideCidrs: vpnTunnelInsideCidrs as string[],
        ...(Object.fromEntries(parsed.map((p) => [p.path.slice("network.".length), p.text])) as Record<
            (typeof CIDR_FIELDS)[number]["field"],
            string
        >),
        awsBgpAsn: asns[0],
        gcpBgpAsn: asns[1],
    };
}

/** GCP label rules: the strictest tag store of the three, so tags that pass here work everywhere. */
const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;
const LABEL_TEXT = "up to 63 lowercase letters, digits, '_' or '-' (GCP label rules)";

function readTags(r: Reader, environment: Environment | undefined): Record<string, string> | undefined {
    const tags = r.object(
        "tags",
        `at least ${list(REQUIRED_TAG_KEYS.filter((k) => k !== "environment" && k !== "managed-by"))}`,
    );
    if (!tags) return undefined;
    const before = r.problems.length;
    const derived: Record<string, string> = { ...DERIVED_TAGS, ...(environment ? { environment } : {}) };
    for (const key of REQUIRED_TAG_KEYS) {
        // An invalid environment is reported once, under its own key, not again as a missing tag.
        if (key in derived || key in tags || (key === "environment" && !environment)) continue;
        r.problems.push(
            problem(
                `tags.${key}`,
                "required tag is missing",
                undefined,
                LABEL_TEXT,
                setCommand(`tags.${key}`, key === "data-classification" ? "internal" : "<value>"),
            ),
        );
    }
    for (const [k, v] of Object.entries(tags)) {
        const path = `tags.${k}`;
        if (!LABEL_KEY.test(k)) {
            r.problems.push(
                problem(
                    path,
                    "tag key cannot be a GCP label key",
                    k,
                    "a key that starts with a lowercase letter, then up to 62 lowercase letters, digits, '_' or '-'",
                    `rename the key under '${PROJECT}:tags'`,
                ),
            );
            continue;
        }
        if (typeof v !== "string" || !LABEL_VALUE.test(v)) {
            r.problems.push(
                problem(
                    path,
                    "tag value cannot be a GCP label value",
                    v,
                    LABEL_TEXT,
                    setCommand(
                        path,
                        typeof v === "string"
                            ? v
                                  .toLowerCase()
                                  .replace(/[^a-z0-9_-]/g, "-")
                                  .slice(0, 63)
                            : "<value>",
                    ),
                ),
            );
            continue;
        }
        if (k in derived && derived[k] !== v) {
            r.problems.push(
                problem(
                    path,
                    "is set by the platform and cannot be overridden",
                    v,
                    JSON.stringify(derived[k]),
                    `remove '${k}' from '${PROJECT}:tags'`,
                ),
            );
        }
        if (k === "data-classification" && !(DATA_CLASSIFICATIONS as readonly string[]).includes(v)) {
            r.problems.push(
                problem(
                    path,
                    "is not a known data classification",
                    v,
                    `one of ${list(DATA_CLASSIFICATIONS)}`,
                    setCommand(path, "internal"),
                ),
            );
        }
    }
    if (r.problems.length > before) return undefined;
    return { ...(tags as Record<string, string>), ...derived };
}

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

function readSizing(r: Reader, environment: Environment | undefined): SizingConfig | undefined {
    const raw = r.object("sizing", "optional sizing overrides", false);
    if (!raw || !environment) return undefined;
    const defaults = SIZING_DEFAULTS[environment];
    r.unknownKeys("sizing", raw, Object.keys(defaults));
    const v = { ...defaults, ...raw } as Record<keyof SizingConfig, unknown>;
    const before = r.problems.length;
    r.integer("sizing.availabilityZoneCount", v.availabilityZoneCount, 2, 3, 3);
    r.choice("sizing.natGateways", v.natGateways, NAT_GATEWAY_STRATEGIES);
    if (!(LOG_RETENTION_DAYS as readonly unknown[]).includes(v.logRetentionDays)) {
        r.problems.push(
            problem(
                "sizing.logRetentionDays",
                "is not a retention CloudWatch Logs accepts",
                v.logRetentionDays,
                `one of ${list(LOG_RETENTION_DAYS)}`,
                setCommand("sizing.logRetentionDays", "365"),
            ),
        );
    }
    // Prod keeps at least a week of backups: a shorter window is not a sizing choice but data loss.
    r.integer(
        "sizing.backupRetentionDays",
        v.backupRetentionDays,
        environment === "prod" ? 7 : 1,
        35,
        defaults.backupRetentionDays,
    );
    const types = v.kubernetesNodeInstanceTypes;
    if (
        !Array.isArray(types) ||
        types.length === 0 ||
        types.some((t) => typeof t !== "string" || !INSTANCE_TYPE.test(t))
    ) {
        r.problems.push(
            problem(
                "sizing.kubernetesNodeInstanceTypes",
                "must be a non-empty list of EC2 instance types",
                types,
                'a list such as ["m6i.xlarge"]',
                setCommand("sizing.kubernetesNodeInstanceTypes[0]", "m6i.xlarge"),
            ),
        );
    }
    r.pattern(
        "sizing.databaseInstanceClass",
        v.databaseInstanceClass,
        /^db\.[a-z0-9]+\.[a-z0-9]+$/,
        "an RDS instance class such as db.r6g.large",
        "db.r6g.large",
    );
    r.integer("sizing.databaseReaderCount", v.databaseReaderCount, 0, 15, defaults.databaseReaderCount);
    r.pattern(
        "sizing.kafkaBrokerInstanceType",
        v.kafkaBrokerInstanceType,
        /^kafka\.[a-z0-9]+\.[a-z0-9]+$/,
        "an MSK broker type such as kafka.m5.large",
        "kafka.m5.large",
    );
    r.pattern(
        "sizing.cacheNodeType",
        v.cacheNodeType,
        /^cache\.[a-z0-9]+\.[a-z0-9]+$/,
        "an ElastiCache node type such as cache.r7g.large",
        "cache.r7g.large",
    );
    return r.problems.length > before ? undefined : (v as unknown as SizingConfig);
}

const TOPIC_NAME = /^[a-zA-Z][a-zA-Z0-9._-]{0,127}$/;

function readMessaging(r: Reader): MessagingConfig | undefined {
    const raw = r.object("messaging", "optional messaging settings", false);
    if (!raw) return undefined;
    r.unknownKeys("messaging", raw, Object.keys(MESSAGING_DEFAULTS));
    const v = { ...MESSAGING_DEFAULTS, ...raw } as Record<keyof MessagingConfig, unknown>;
    const before = r.problems.length;
    r.pattern(
        "messaging.pubsubConnectorJarPath",
        v.pubsubConnectorJarPath,
        /^[^\s]+\.jar$/,
        "a path to a .jar file",
        MESSAGING_DEFAULTS.pubsubConnectorJarPath,
    );
    const topics = v.drTopics;
    if (
        !Array.isArray(topics) ||
        topics.length === 0 ||
        topics.some((t) => typeof t !== "string" || !TOPIC_NAME.test(t)) ||
        new Set(topics).size !== topics.length
    ) {
        r.problems.push(
            problem(
                "messaging.drTopics",
                "must be a non-empty list of distinct topic names",
                topics,
                "names that start with a letter, then letters, digits, '.', '_' or '-' (Kafka and Pub/Sub both accept them)",
                setCommand("messaging.drTopics[0]", "orders"),
            ),
        );
    }
    return r.problems.length > before ? undefined : (v as unknown as MessagingConfig);
}

/**
 * Validates raw config for `stack`. `raw` holds the project-namespace keys without their namespace,
 * structured values already parsed from JSON.
 */
export function validatePlatformConfig(raw: RawConfig, stack: string): ValidationResult {
    const r = new Reader(raw, stack);

    for (const k of Object.keys(raw)) {
        if (!(CONFIG_KEYS as readonly string[]).includes(k)) {
            r.problems.push(
                problem(
                    k,
                    "unknown key",
                    raw[k],
                    `one of ${list(CONFIG_KEYS)}`,
                    `rename or remove '${PROJECT}:${k}' in Pulumi.${stack}.yaml`,
                ),
            );
        }
    }

    const environment = r.choice<Environment>("environment", raw.environment, ENVIRONMENTS);

    let aws: PlatformConfig["aws"] | undefined;
    const awsRaw = r.object("aws", "primaryRegion and secondaryRegion");
    if (awsRaw) {
        r.unknownKeys("aws", awsRaw, ["primaryRegion", "secondaryRegion"]);
        const primaryRegion = r.choice<AwsRegion>("aws.primaryRegion", awsRaw.primaryRegion, AWS_REGIONS);
        const secondaryRegion = r.choice<AwsRegion>("aws.secondaryRegion", awsRaw.secondaryRegion, AWS_REGIONS);
        if (primaryRegion && secondaryRegion && primaryRegion === secondaryRegion) {
            r.problems.push(
                problem(
                    "aws.secondaryRegion",
                    "equals aws.primaryRegion; a second region in the same place protects nothing",
                    secondaryRegion,
                    `an AWS region other than ${primaryRegion}`,
                    setCommand("aws.secondaryRegion", primaryRegion === "us-west-2" ? "us-east-2" : "us-west-2"),
                ),
            );
        } else if (primaryRegion && secondaryRegion) {
            aws = { primaryRegion, secondaryRegion };
        }
    }

    let gcp: PlatformConfig["gcp"] | undefined;
    const gcpRaw = r.object("gcp", "project and region");
    if (gcpRaw) {
        r.unknownKeys("gcp", gcpRaw, ["project", "region"]);
        const project = r.pattern(
            "gcp.project",
            gcpRaw.project,
            /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
            "a GCP project id: 6 to 30 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen",
            "acme-platform-dr",
        );
        const region = r.choice<GcpRegion>("gcp.region", gcpRaw.region, GCP_REGIONS);
        if (project && region) gcp = { project, region };
    }

    const network = readNetwork(r);
    const tags = readTags(r, environment);
    const sizing = readSizing(r, environment);
    const messaging = readMessaging(r);

    if (r.problems.length > 0 || !environment || !aws || !gcp || !network || !tags || !sizing || !messaging) {
        return { ok: false, problems: r.problems };
    }
    return {
        ok: true,
        config: {
            project: PROJECT,
            stack,
            environment,
            aws,
            gcp,
            network,
            tags,
            sizing,
            messaging,
            protectStatefulResources: environment === "prod",
        },
    };
}
