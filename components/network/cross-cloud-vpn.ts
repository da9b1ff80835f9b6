import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
    customerGatewayAsn,
    DEFAULT_TUNNEL_INSIDE_CIDRS,
    isPrivateAsn,
    tunnelInsideCidrProblems,
    tunnelPlan,
} from "./vpn-plan";
import { encryptedLogGroup } from "../observability/encrypted-log-group";
import { logRetentionProblems } from "../shared/log-retention";

/**
 * IPsec proposals for the AWS side. One choice per phase: Google documents that offering AWS's full
 * default list makes rekeys pick proposals Cloud VPN then rejects, dropping tunnels. All four are in
 * Cloud VPN's supported list for IKEv2.
 */
export const VPN_IPSEC = {
    ikeVersions: ["ikev2"],
    encryption: ["AES256"],
    integrity: ["SHA2-256"],
    dhGroups: [20],
} as const;

export interface CrossCloudVpnArgs {
    /** AWS VPC to attach to the Transit Gateway. */
    readonly awsVpcId: pulumi.Input<string>;
    /** Subnets of the attachment, one per AZ (the app subnets). */
    readonly awsAttachmentSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Route tables that get a route to the GCP ranges through the Transit Gateway. */
    readonly awsRouteTableIds: readonly pulumi.Input<string>[];
    /** BGP ASN of the Transit Gateway. Private, and different from `gcpAsn`. */
    readonly awsAsn: number;
    /** GCP network (id or self link) the HA VPN gateway and Cloud Router belong to. */
    readonly gcpNetwork: pulumi.Input<string>;
    readonly gcpProject: string;
    readonly gcpRegion: string;
    /** BGP ASN of the Cloud Router. Private, and different from `awsAsn`. */
    readonly gcpAsn: number;
    /** GCP ranges the Cloud Router advertises and AWS routes to the Transit Gateway. */
    readonly gcpRanges: readonly string[];
    /** Link-local /30 per tunnel. @default {@link DEFAULT_TUNNEL_INSIDE_CIDRS} */
    readonly tunnelInsideCidrs?: readonly string[];
    /** KMS key (ARN) that encrypts the tunnel log group. */
    readonly logsKmsKeyArn: pulumi.Input<string>;
    /** Retention of the tunnel log group. */
    readonly logRetentionInDays: number;
}

/**
 * AWS Transit Gateway <-> GCP HA VPN: two AWS VPN connections to the two HA VPN interfaces, four IPsec
 * tunnels, four Cloud Router interfaces and four BGP sessions, for the 99.99% HA VPN SLA. Pre-shared
 * keys are generated here and stay Pulumi secrets. Needs an `aws`, a `gcp` and a `random` provider.
 */
export class CrossCloudVpn extends pulumi.ComponentResource {
    public readonly transitGatewayId: pulumi.Output<string>;
    public readonly haVpnGatewayId: pulumi.Output<string>;
    public readonly routerName: pulumi.Output<string>;
    /** AWS VPN connection ids, in HA-interface order. */
    public readonly vpnConnectionIds: pulumi.Output<string>[];
    /** GCP tunnel names, in external-interface order. */
    public readonly tunnelNames: pulumi.Output<string>[];

    constructor(name: string, args: CrossCloudVpnArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:network:CrossCloudVpn", name, {}, opts);
        validateCrossCloudVpnArgs(name, args);
        const plan = tunnelPlan(args.tunnelInsideCidrs ?? DEFAULT_TUNNEL_INSIDE_CIDRS);
        const gcpCommon = { project: args.gcpProject, region: args.gcpRegion };

        // AWS hub: ECMP spreads traffic over all four tunnels instead of leaving three idle.
        const tgw = new aws.ec2transitgateway.TransitGateway(
            `${name}-tgw`,
            {
                description: `${name}: AWS side of the cross-cloud VPN`,
                amazonSideAsn: args.awsAsn,
                vpnEcmpSupport: "enable",
                dnsSupport: "enable",
                autoAcceptSharedAttachments: "disable",
                defaultRouteTableAssociation: "enable",
                defaultRouteTablePropagation: "enable",
            },
            { parent: this },
        );
        this.transitGatewayId = tgw.id;
        const attachment = new aws.ec2transitgateway.VpcAttachment(
            `${name}-vpc`,
            {
                transitGatewayId: tgw.id,
                vpcId: args.awsVpcId,
                subnetIds: args.awsAttachmentSubnetIds,
                dnsSupport: "enable",
            },
            { parent: this },
        );
        // One prefix list for every GCP range keeps it to one route per route table.
        const gcpPrefixes = new aws.ec2.ManagedPrefixList(
            `${name}-gcp-ranges`,
            {
                addressFamily: "IPv4",
                maxEntries: args.gcpRanges.length,
                entries: args.gcpRanges.map((cidr) => ({ cidr, description: "GCP range over the VPN" })),
            },
            { parent: this },
        );
        args.awsRouteTableIds.forEach((routeTableId, i) => {
            new aws.ec2.Route(
                `${name}-to-gcp-${i}`,
                { routeTableId, destinationPrefixListId: gcpPrefixes.id, transitGatewayId: tgw.id },
                { parent: this, dependsOn: [attachment] },
            );
        });

        // GCP side: HA VPN gateway (two interfaces) and a Cloud Router advertising exactly the GCP ranges.
        const haGateway = new gcp.compute.HaVpnGateway(
            `${name}-ha`,
            { ...gcpCommon, network: args.gcpNetwork },
            { parent: this },
        );
        this.haVpnGatewayId = haGateway.id;
        const router = new gcp.compute.Router(
            `${name}-router`,
            {
                ...gcpCommon,
                network: args.gcpNetwork,
                bgp: {
                    asn: args.gcpAsn,
                    advertiseMode: "CUSTOM",
                    advertisedIpRanges: args.gcpRanges.map((range) => ({ range })),
                },
            },
            { parent: this },
        );
        this.routerName = router.name;

        const logGroup = encryptedLogGroup(
            `${name}-tunnels`,
            { retentionInDays: args.logRetentionInDays, kmsKeyArn: args.logsKmsKeyArn },
            { parent: this },
        );
        const tunnelOptions = (n: 1 | 2, insideCidr: string, key: pulumi.Output<string>) => ({
            [`tunnel${n}InsideCidr`]: insideCidr,
            [`tunnel${n}PresharedKey`]: key,
            [`tunnel${n}IkeVersions`]: [...VPN_IPSEC.ikeVersions],
            [`tunnel${n}Phase1EncryptionAlgorithms`]: [...VPN_IPSEC.encryption],
            [`tunnel${n}Phase1IntegrityAlgorithms`]: [...VPN_IPSEC.integrity],
            [`tunnel${n}Phase1DhGroupNumbers`]: [...VPN_IPSEC.dhGroups],
            [`tunnel${n}Phase2EncryptionAlgorithms`]: [...VPN_IPSEC.encryption],
            [`tunnel${n}Phase2IntegrityAlgorithms`]: [...VPN_IPSEC.integrity],
            [`tunnel${n}Phase2DhGroupNumbers`]: [...VPN_IPSEC.dhGroups],
            [`tunnel${n}DpdTimeoutAction`]: "restart",
            [`tunnel${n}LogOptions`]: {
                cloudwatchLogOptions: { logEnabled: true, logGroupArn: logGroup.arn, logOutputFormat: "json" },
            },
        });

        // AWS pre-shared keys: 8 to 64 of [A-Za-z0-9._], not starting with 0.
        const keys = plan.map((t) =>
            new random.RandomPassword(
                `${name}-psk-${t.externalInterface}`,
                { length: 48, special: true, overrideSpecial: "._" },
                { parent: this },
            ).result.apply((p) => `k${p}`),
        );

        const connections = ([0, 1] as const).map((c) => {
            const cgw = new aws.ec2.CustomerGateway(
                `${name}-cgw-${c}`,
                {
                    type: "ipsec.1",
                    // A 4-byte private ASN does not fit `bgpAsn`; the two fields conflict, so exactly one is set.
                    ...customerGatewayAsn(args.gcpAsn),
                    ipAddress: haGateway.vpnInterfaces[c].ipAddress.apply((ip) => ip!),
                },
                { parent: this },
            );
            const [t1, t2] = plan.filter((t) => t.connection === c);
            return new aws.ec2.VpnConnection(
                `${name}-conn-${c}`,
                {
                    type: "ipsec.1",
                    customerGatewayId: cgw.id,
                    transitGatewayId: tgw.id,
                    staticRoutesOnly: false,
                    ...tunnelOptions(1, t1.insideCidr, keys[t1.externalInterface]),
                    ...tunnelOptions(2, t2.insideCidr, keys[t2.externalInterface]),
                } as aws.ec2.VpnConnectionArgs,
                { parent: this },
            );
        });
        this.vpnConnectionIds = connections.map((c) => c.id);

        const outside = (t: (typeof plan)[number]) =>
            t.tunnel === 1 ? connections[t.connection].tunnel1Address : connections[t.connection].tunnel2Address;
        const externalGateway = new gcp.compute.ExternalVpnGateway(
            `${name}-aws`,
            {
                project: args.gcpProject,
                redundancyType: "FOUR_IPS_REDUNDANCY",
                description: "The four AWS tunnel endpoints",
                interfaces: plan.map((t) => ({ id: t.externalInterface, ipAddress: outside(t) })),
            },
            { parent: this },
        );

        this.tunnelNames = plan.map((t) => {
            const conn = connections[t.connection];
            const awsInside = t.tunnel === 1 ? conn.tunnel1VgwInsideAddress : conn.tunnel2VgwInsideAddress;
            const gcpInside = t.tunnel === 1 ? conn.tunnel1CgwInsideAddress : conn.tunnel2CgwInsideAddress;
            const i = t.externalInterface;
            const tunnel = new gcp.compute.VPNTunnel(
                `${name}-tunnel-${i}`,
                {
                    ...gcpCommon,
                    vpnGateway: haGateway.id,
                    vpnGatewayInterface: t.connection,
                    peerExternalGateway: externalGateway.id,
                    peerExternalGatewayInterface: i,
                    sharedSecret: keys[i],
                    ikeVersion: 2,
                    router: router.name,
                },
                { parent: this },
            );
            const iface = new gcp.compute.RouterInterface(
                `${name}-if-${i}`,
                {
                    ...gcpCommon,
                    router: router.name,
                    ipRange: pulumi.interpolate`${gcpInside}/30`,
                    vpnTunnel: tunnel.name,
                },
                { parent: this },
            );
            new gcp.compute.RouterPeer(
                `${name}-peer-${i}`,
                {
                    ...gcpCommon,
                    router: router.name,
                    interface: iface.name,
                    ipAddress: gcpInside,
                    peerIpAddress: awsInside,
                    peerAsn: args.awsAsn,
                    advertisedRoutePriority: 100,
                },
                { parent: this },
            );
            return tunnel.name;
        });

        this.registerOutputs({ transitGatewayId: this.transitGatewayId, haVpnGatewayId: this.haVpnGatewayId });
    }
}

/** Checks what BGP and IPsec need before anything is created; throws once with every problem. */
export function validateCrossCloudVpnArgs(name: string, args: CrossCloudVpnArgs): void {
    const problems: string[] = [];
    for (const [k, v] of [
        ["awsAsn", args.awsAsn],
        ["gcpAsn", args.gcpAsn],
    ] as const) {
        if (!Number.isInteger(v) || !isPrivateAsn(v))
            problems.push(`${k} must be a private ASN (64512-65534 or 4200000000-4294967294); received ${v}`);
    }
    if (args.awsAsn === args.gcpAsn) problems.push(`awsAsn and gcpAsn must differ; both are ${args.awsAsn}`);
    const inside = tunnelInsideCidrProblems(args.tunnelInsideCidrs ?? DEFAULT_TUNNEL_INSIDE_CIDRS);
    if (inside.length > 0) problems.push(`tunnelInsideCidrs: ${inside.join("; ")}`);
    if (args.gcpRanges.length === 0) problems.push("gcpRanges must list at least one range to advertise");
    problems.push(...logRetentionProblems("logRetentionInDays", args.logRetentionInDays));
    if (problems.length > 0) throw new Error(`CrossCloudVpn ${name}: ${problems.join("; ")}`);
}
