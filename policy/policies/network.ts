import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import {
    validateResourceOfType,
    type PolicyResource,
    type ReportViolation,
    type ResourceValidationPolicy,
    type StackValidationPolicy,
} from "@pulumi/policy";
import { customerManagedKeySchema, known, requireCmk } from "./util";

export const cloudwatchLogGroupEncrypted: ResourceValidationPolicy = {
    name: "cloudwatch-log-group-encrypted",
    description: "CloudWatch log groups are encrypted with a customer-managed KMS key (kmsKeyId).",
    enforcementLevel: "mandatory",
    tags: ["encryption"],
    configSchema: customerManagedKeySchema(
        "Require kmsKeyId on every log group; false accepts CloudWatch Logs' own service-owned encryption.",
    ),
    remediationSteps:
        "Set kmsKeyId on aws.cloudwatch.LogGroup to the ARN of a customer-managed symmetric KMS key whose key " +
        "policy lets the logs.<region>.amazonaws.com service principal use it.",
    validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (group, args, reportViolation) => {
        // CloudWatch Logs always encrypts at rest; without the requirement there is nothing left to check.
        requireCmk(args);
        if (typeof group.kmsKeyId !== "string" || group.kmsKeyId === "") {
            reportViolation(
                "Log group has no kmsKeyId, so it is encrypted only with a key CloudWatch Logs owns. " +
                    "Set kmsKeyId to the ARN of a customer-managed KMS key.",
            );
        }
    }),
};

// The pack does not depend on @pulumi/awsx (policy/package.json), so the component is matched by its token.
const AWSX_VPC = "awsx:ec2:Vpc";

/** The VPC id a flow log would name for this VPC: `id` of an aws.ec2.Vpc, `vpcId` output of an awsx.ec2.Vpc. */
function vpcIdOf(vpc: PolicyResource): string | undefined {
    const id = known(() => (vpc.type === AWSX_VPC ? vpc.props.vpcId : vpc.props.id));
    return typeof id === "string" && id !== "" ? id : undefined;
}

/**
 * The VPC as the program declared it. In a real preview an awsx.ec2.Vpc registers its aws.ec2.Vpc as a
 * child; both stand for one network, so they share one verdict, reported once, on the component.
 */
function declaredVpc(vpc: PolicyResource): PolicyResource {
    return vpc.parent?.type === AWSX_VPC ? vpc.parent : vpc;
}

function attaches(flowLog: PolicyResource, vpc: PolicyResource): boolean {
    // At preview a new VPC's id is unknown; the dependency recorded on vpcId still says which VPC it is.
    if ((flowLog.propertyDependencies.vpcId ?? []).some((d) => d.urn === vpc.urn)) return true;
    const id = vpcIdOf(vpc);
    return id !== undefined && known(() => flowLog.props.vpcId) === id;
}

/** Traffic a VPC flow log must capture to count. */
export const DEFAULT_ACCEPTED_FLOW_LOG_TRAFFIC = ["ALL"];

export const awsVpcFlowLogs: StackValidationPolicy = {
    name: "aws-vpc-flow-logs",
    description:
        "Every AWS VPC (aws.ec2.Vpc or awsx.ec2.Vpc) has at least one VPC-level flow log capturing accepted traffic types.",
    // Hygiene: flow logs are for investigation, not protection. policy/config/prod.json makes it mandatory in prod.
    enforcementLevel: "advisory",
    tags: ["hygiene"],
    configSchema: {
        properties: {
            acceptedTrafficTypes: {
                type: "array",
                items: { type: "string", enum: ["ALL", "ACCEPT", "REJECT"] },
                default: DEFAULT_ACCEPTED_FLOW_LOG_TRAFFIC,
                description:
                    "trafficType values a flow log may have to count; 'ALL' sees both accepted and rejected flows.",
            },
        },
    },
    remediationSteps:
        "Create an aws.ec2.FlowLog with vpcId set to the VPC's id (vpc.id for aws.ec2.Vpc, vpc.vpcId for " +
        "awsx.ec2.Vpc), trafficType 'ALL', delivering to an encrypted CloudWatch log group or S3 bucket. " +
        "Flow logs on single subnets or network interfaces do not count.",
    validateStack: (args, reportViolation) => {
        const { acceptedTrafficTypes } = args.getConfig<{ acceptedTrafficTypes: string[] }>();
        const vpcs = args.resources.filter((r) => r.isType(aws.ec2.Vpc) || r.type === AWSX_VPC);
        const flowLogs = args.resources.filter((r) => r.isType(aws.ec2.FlowLog));
        // Unknown until deployed counts as accepted: the program chose a value the engine will know.
        const captures = (f: PolicyResource) => {
            const t = known(() => f.props.trafficType);
            return t === undefined || acceptedTrafficTypes.includes(t);
        };
        const covered = new Set<string>();
        const partial = new Map<string, string>();
        for (const vpc of vpcs) {
            for (const f of flowLogs.filter((f) => attaches(f, vpc))) {
                if (captures(f)) covered.add(declaredVpc(vpc).urn);
                else partial.set(declaredVpc(vpc).urn, String(f.props.trafficType));
            }
        }
        for (const vpc of vpcs) {
            if (declaredVpc(vpc).urn !== vpc.urn || covered.has(vpc.urn)) continue;
            const idExpression = vpc.type === AWSX_VPC ? "vpc.vpcId" : "vpc.id";
            const seen = partial.get(vpc.urn);
            reportViolation(
                seen === undefined
                    ? `VPC "${vpc.name}" has no flow log. Add an aws.ec2.FlowLog with vpcId: ${idExpression}.`
                    : `VPC "${vpc.name}" has only a flow log of trafficType ${seen}; accepted: ` +
                          `${acceptedTrafficTypes.join(", ")}. Set trafficType: "ALL".`,
                vpc.urn,
            );
        }
    },
};

/** Purposes that reserve a subnet for Google-managed proxies or Private Service Connect: GCP offers no flow logs there. */
const NO_FLOW_LOG_PURPOSES: readonly string[] = [
    "REGIONAL_MANAGED_PROXY",
    "GLOBAL_MANAGED_PROXY",
    "PRIVATE_SERVICE_CONNECT",
    "INTERNAL_HTTPS_LOAD_BALANCER",
];

/** Lowest flow-log sampling rate that still shows most flows; GCP's own default is 0.5. */
export const DEFAULT_MINIMUM_FLOW_SAMPLING = 0.5;

export const gcpSubnetFlowLogs: ResourceValidationPolicy = {
    name: "gcp-subnet-flow-logs",
    description:
        "GCP subnetworks have VPC flow logs enabled (logConfig) at a sampling rate of at least minimumFlowSampling, except purposes that cannot have them.",
    // Hygiene, like aws-vpc-flow-logs; mandatory in prod through policy/config/prod.json.
    enforcementLevel: "advisory",
    tags: ["hygiene"],
    configSchema: {
        properties: {
            minimumFlowSampling: {
                type: "number",
                minimum: 0,
                maximum: 1,
                default: DEFAULT_MINIMUM_FLOW_SAMPLING,
                description: "Smallest accepted logConfig.flowSampling (0 to 1).",
            },
        },
    },
    remediationSteps:
        "Set logConfig on gcp.compute.Subnetwork, e.g. { aggregationInterval: 'INTERVAL_5_SEC', flowSampling: 0.5, " +
        "metadata: 'INCLUDE_ALL_METADATA' }.",
    validateResource: validateResourceOfType(gcp.compute.Subnetwork, (subnet, args, reportViolation) => {
        const { minimumFlowSampling } = args.getConfig<{ minimumFlowSampling: number }>();
        const purpose = subnet.purpose ?? "PRIVATE";
        if (NO_FLOW_LOG_PURPOSES.includes(purpose)) args.notApplicable(`purpose ${purpose} does not support flow logs`);
        // GCP applies 0.5 when logConfig omits flowSampling.
        const sampling = subnet.logConfig?.flowSampling ?? 0.5;
        if (!subnet.logConfig) {
            reportViolation("Subnetwork has no logConfig, so VPC flow logs are off. Set logConfig.");
        } else if (sampling === 0) {
            // GCP documents a sampling rate of 0 as "no logs are reported": enabled in name only.
            reportViolation("Subnetwork logConfig.flowSampling is 0, so no flows are logged. Set it above 0.");
        } else if (sampling < minimumFlowSampling) {
            reportViolation(
                `Subnetwork logConfig.flowSampling is ${sampling}, below minimumFlowSampling ${minimumFlowSampling}. ` +
                    `Set flowSampling to at least ${minimumFlowSampling}.`,
            );
        }
    }),
};

/** Ports public web traffic needs. */
export const DEFAULT_WORLD_OPEN_PORTS = [80, 443];

type PortRange = readonly [from: number, to: number];
const ALL_PORTS: PortRange = [0, 65535];

/** One protocol and port range an ingress rule opens to one world-wide source. */
interface Opening {
    readonly source: string;
    /** `tcp`, `udp`, `sctp`, or how to name traffic that is not scoped by port. */
    readonly protocol: string;
    /** Undefined when the protocol admits traffic regardless of port. */
    readonly ports?: PortRange;
}

type Cloud = "aws" | "gcp";

// Only these protocols are scoped by port; AWS ignores the ports of any other protocol number.
const PORT_PROTOCOLS: Record<Cloud, Record<string, string>> = {
    aws: { tcp: "tcp", "6": "tcp", udp: "udp", "17": "udp" },
    gcp: { tcp: "tcp", "6": "tcp", udp: "udp", "17": "udp", sctp: "sctp", "132": "sctp" },
};
// ICMP carries no ports (fromPort/toPort are its type and code), and path MTU discovery needs it from anywhere.
const ICMP = new Set(["icmp", "1", "icmpv6", "58", "ipv6-icmp"]);
const ALL_TRAFFIC = new Set(["-1", "all"]);

const REMEDY: Record<Cloud, string> = {
    aws: "Restrict the source to known CIDRs or security groups.",
    gcp: "Restrict sourceRanges to known CIDRs, or use sourceTags or sourceServiceAccounts.",
};

/** Any prefix of length 0 (`0.0.0.0/0`, `::/0`) matches every address. */
function worldSources(...cidrs: unknown[]): string[] {
    return cidrs.flat().filter((c): c is string => typeof c === "string" && /\/0$/.test(c.trim()));
}

function portRange(from: unknown, to: unknown): PortRange {
    const valid = (p: unknown): p is number => Number.isInteger(p) && (p as number) >= 0;
    // A range with a missing or invalid bound is read as open, so a malformed rule cannot pass unseen.
    if (!valid(from) || !valid(to)) return ALL_PORTS;
    return from <= to ? [from, to] : [to, from];
}

function gcpPortRange(port: unknown): PortRange {
    const m = /^(\d+)(?:-(\d+))?$/.exec(String(port).trim());
    return m ? portRange(Number(m[1]), Number(m[2] ?? m[1])) : ALL_PORTS;
}

/** What a rule opens to the world sources: one opening per source and port range, none for ICMP. */
function openings(cloud: Cloud, sources: string[], protocol: unknown, ranges: readonly PortRange[]): Opening[] {
    const p = String(protocol ?? "").toLowerCase();
    if (ICMP.has(p)) return [];
    const scoped = PORT_PROTOCOLS[cloud][p];
    if (scoped) return sources.flatMap((source) => ranges.map((ports) => ({ source, protocol: scoped, ports })));
    const label = ALL_TRAFFIC.has(p)
        ? "all protocols and ports"
        : `${/^\d+$/.test(p) ? "protocol " : ""}${p} (all ports)`;
    return sources.map((source) => ({ source, protocol: label }));
}

function describe(o: Opening): string {
    if (!o.ports) return o.protocol;
    const [from, to] = o.ports;
    return `${o.protocol} ${from === to ? from : `${from}-${to}`}`;
}

function allowedText(allowed: readonly number[]): string {
    if (allowed.length === 0) return "no port may be";
    return allowed.length === 1 ? `only port ${allowed[0]} may be` : `only ports ${allowed.join(", ")} may be`;
}

function reportOpenings(
    cloud: Cloud,
    found: Opening[],
    allowedPorts: readonly number[],
    reportViolation: ReportViolation,
): void {
    const allowed = new Set(allowedPorts);
    const within = ([from, to]: PortRange) => {
        for (let p = from; p <= to; p++) if (!allowed.has(p)) return false;
        return true;
    };
    for (const o of found) {
        if (o.ports && within(o.ports)) continue;
        reportViolation(
            `Ingress from ${o.source} on ${describe(o)} is open to the world; ${allowedText(allowedPorts)}. ${REMEDY[cloud]}`,
        );
    }
}

type IngressConfig = { allowedPorts: number[] };

export const noWorldOpenIngress: ResourceValidationPolicy = {
    name: "no-world-open-ingress",
    description:
        "No security group or firewall rule admits 0.0.0.0/0 or ::/0 on any port but the configured web ports.",
    enforcementLevel: "mandatory",
    tags: ["access"],
    configSchema: {
        properties: {
            allowedPorts: {
                type: "array",
                items: { type: "integer", minimum: 0, maximum: 65535 },
                default: DEFAULT_WORLD_OPEN_PORTS,
                description:
                    "Ports that may be open to the whole internet; a rule's whole port range must be among them.",
            },
        },
    },
    remediationSteps:
        "Open only the allowed web ports to 0.0.0.0/0 and ::/0. For anything else, name the sources: known CIDRs " +
        "or security groups on AWS, sourceRanges, sourceTags or sourceServiceAccounts on GCP. Reach instances " +
        "through SSM Session Manager or IAP instead of opening SSH or RDP.",
    validateResource: [
        validateResourceOfType(aws.ec2.SecurityGroup, (sg, args, reportViolation) => {
            const found = (sg.ingress ?? []).flatMap((rule) =>
                openings("aws", worldSources(rule.cidrBlocks ?? [], rule.ipv6CidrBlocks ?? []), rule.protocol, [
                    portRange(rule.fromPort, rule.toPort),
                ]),
            );
            reportOpenings("aws", found, args.getConfig<IngressConfig>().allowedPorts, reportViolation);
        }),
        validateResourceOfType(aws.vpc.SecurityGroupIngressRule, (rule, args, reportViolation) => {
            const found = openings("aws", worldSources(rule.cidrIpv4, rule.cidrIpv6), rule.ipProtocol, [
                portRange(rule.fromPort, rule.toPort),
            ]);
            reportOpenings("aws", found, args.getConfig<IngressConfig>().allowedPorts, reportViolation);
        }),
        validateResourceOfType(aws.ec2.SecurityGroupRule, (rule, args, reportViolation) => {
            if (rule.type !== "ingress") args.notApplicable(`${rule.type} rule`);
            const found = openings(
                "aws",
                worldSources(rule.cidrBlocks ?? [], rule.ipv6CidrBlocks ?? []),
                rule.protocol,
                [portRange(rule.fromPort, rule.toPort)],
            );
            reportOpenings("aws", found, args.getConfig<IngressConfig>().allowedPorts, reportViolation);
        }),
        validateResourceOfType(gcp.compute.Firewall, (fw, args, reportViolation) => {
            if ((fw.direction ?? "INGRESS") !== "INGRESS") args.notApplicable(`${fw.direction} rule`);
            // A disabled rule admits nothing; it is judged again by the update that enables it.
            if (fw.disabled === true) args.notApplicable("disabled rule");
            const sources = worldSources(fw.sourceRanges ?? []);
            // Only allows open anything: a deny from 0.0.0.0/0 is the safe baseline and must pass.
            const found = (fw.allows ?? []).flatMap((allow) =>
                openings(
                    "gcp",
                    sources,
                    allow.protocol,
                    allow.ports && allow.ports.length > 0 ? allow.ports.map(gcpPortRange) : [ALL_PORTS],
                ),
            );
            reportOpenings("gcp", found, args.getConfig<IngressConfig>().allowedPorts, reportViolation);
        }),
    ],
};
