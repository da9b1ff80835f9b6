import * as assert from "assert";
import fc from "fast-check";
import { PROD_INTERFACE_ENDPOINTS } from "../../components/network/aws-network";
import { contains, formatCidr, mustParseCidr, overlaps } from "../../components/shared/cidr";
import { awsSubnetPlan, MAX_AZ_SLOTS, subnetCidr, SUBNET_TIERS } from "../../components/network/subnet-plan";
import { childrenOf, descendantsOf, one, ofType } from "../../harness/lookup";
import type { RecordedResource } from "../../harness/recorder";
import { evaluated } from "../../harness/stacks";

const vpcOf = (resources: readonly RecordedResource[], network: string) =>
    one(resources, "awsx:ec2:Vpc", `${network}-vpc`);
const inNetwork = (resources: readonly RecordedResource[], network: string) =>
    descendantsOf(resources, one(resources, "multicloud:network:AwsNetwork", network));

describe("AWS subnet plan", () => {
    it("lays out the three tiers of the prod primary VPC", () => {
        assert.deepStrictEqual(awsSubnetPlan("10.100.0.0/16", 3), {
            public: ["10.100.192.0/21", "10.100.200.0/21", "10.100.208.0/21"],
            app: ["10.100.0.0/19", "10.100.32.0/19", "10.100.64.0/19"],
            data: ["10.100.128.0/21", "10.100.136.0/21", "10.100.144.0/21"],
        });
    });

    it("never produces overlapping subnets, all inside the VPC, and keeps CIDRs when the AZ count changes (property)", () => {
        const vpcArb = fc
            .tuple(fc.integer({ min: 16, max: 20 }), fc.integer({ min: 0, max: 0xffffffff }))
            .map(([prefix, bits]) => formatCidr({ base: (bits & ~(2 ** (32 - prefix) - 1)) >>> 0, prefix }));
        fc.assert(
            fc.property(vpcArb, fc.integer({ min: 1, max: MAX_AZ_SLOTS }), (vpc, azs) => {
                const plan = awsSubnetPlan(vpc, azs);
                const all = SUBNET_TIERS.flatMap((t) => plan[t]).map(mustParseCidr);
                for (let i = 0; i < all.length; i++) {
                    assert.ok(contains(mustParseCidr(vpc), all[i]));
                    for (let j = 0; j < i; j++)
                        assert.ok(!overlaps(all[i], all[j]), `${formatCidr(all[i])} overlaps ${formatCidr(all[j])}`);
                }
                for (const t of SUBNET_TIERS)
                    plan[t].forEach((c, slot) => assert.strictEqual(c, subnetCidr(vpc, t, slot)));
            }),
        );
    });
});

describe("AWS networks", () => {
    for (const [stack, strategy] of [
        ["prod", "OnePerAz"],
        ["dev", "Single"],
    ] as const) {
        it(`${stack}: both VPCs ask awsx for ${strategy} NAT and three planned tiers over three AZs`, async () => {
            const { run } = await evaluated(stack);
            for (const [network, cidr] of [
                ["network-primary", stack === "prod" ? "10.100.0.0/16" : "10.10.0.0/16"],
                ["network-secondary", stack === "prod" ? "10.101.0.0/16" : "10.11.0.0/16"],
            ]) {
                const vpc = vpcOf(run.resources, network);
                assert.strictEqual(vpc.remote, true);
                assert.strictEqual(vpc.inputs.cidrBlock, cidr);
                assert.strictEqual(vpc.inputs.numberOfAvailabilityZones, 3);
                assert.deepStrictEqual(vpc.inputs.natGateways, { strategy });
                const plan = awsSubnetPlan(cidr, 3);
                assert.deepStrictEqual(vpc.inputs.subnetSpecs, [
                    { type: "Public", name: "public", cidrBlocks: plan.public },
                    { type: "Private", name: "app", cidrBlocks: plan.app },
                    { type: "Isolated", name: "data", cidrBlocks: plan.data },
                ]);
                assert.ok(vpc.providers.aws, "awsx must be handed the regional provider");
            }
        });
    }

    it("sends flow logs of every VPC to a log group encrypted with the region's logs key", async () => {
        const { run } = await evaluated("prod");
        for (const [network, keys] of [
            ["network-primary", "kms-primary"],
            ["network-secondary", "kms-secondary"],
        ]) {
            const rs = inNetwork(run.resources, network);
            const [flowLog] = ofType(rs, "aws:ec2/flowLog:FlowLog");
            const group = one(rs, "aws:cloudwatch/logGroup:LogGroup", `${network}-flow-logs`);
            assert.strictEqual(flowLog.inputs.trafficType, "ALL");
            assert.strictEqual(flowLog.inputs.vpcId, vpcOf(run.resources, network).outputs.vpcId);
            assert.deepStrictEqual(flowLog.propertyDependencies.vpcId, [vpcOf(run.resources, network).urn]);
            assert.strictEqual(flowLog.inputs.logDestination, group.outputs.arn);
            assert.strictEqual(
                group.inputs.kmsKeyId,
                one(run.resources, "aws:kms/key:Key", `${keys}-logs`).outputs.arn,
            );
            assert.strictEqual(group.inputs.retentionInDays, 365);
            const policy = JSON.parse(one(rs, "aws:iam/rolePolicy:RolePolicy", `${network}-flow-logs`).inputs.policy);
            assert.deepStrictEqual(policy.Statement[0].Resource, `${group.outputs.arn}:*`);
        }
    });

    it("has S3 and DynamoDB gateway endpoints on every route table, and interface endpoints in prod only", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const { run } = await evaluated(stack);
            const endpoints = ofType(inNetwork(run.resources, "network-primary"), "aws:ec2/vpcEndpoint:VpcEndpoint");
            const gateway = endpoints.filter((e) => e.inputs.vpcEndpointType === "Gateway");
            assert.deepStrictEqual(gateway.map((e) => e.inputs.serviceName).sort(), [
                "com.amazonaws.us-east-1.dynamodb",
                "com.amazonaws.us-east-1.s3",
            ]);
            for (const e of gateway) assert.strictEqual(e.inputs.routeTableIds.length, 9);
            const iface = endpoints.filter((e) => e.inputs.vpcEndpointType === "Interface");
            assert.deepStrictEqual(
                iface.map((e) => e.inputs.serviceName),
                stack === "prod" ? PROD_INTERFACE_ENDPOINTS.map((s) => `com.amazonaws.us-east-1.${s}`) : [],
            );
            for (const e of iface) assert.strictEqual(e.inputs.privateDnsEnabled, true);
        }
    });

    it("puts DB and cache subnet groups on the isolated data subnets", async () => {
        const { run } = await evaluated("dev");
        const vpc = vpcOf(run.resources, "network-secondary");
        const rs = inNetwork(run.resources, "network-secondary");
        assert.deepStrictEqual(
            ofType(rs, "aws:rds/subnetGroup:SubnetGroup")[0].inputs.subnetIds,
            vpc.outputs.isolatedSubnetIds,
        );
        assert.deepStrictEqual(
            ofType(rs, "aws:elasticache/subnetGroup:SubnetGroup")[0].inputs.subnetIds,
            vpc.outputs.isolatedSubnetIds,
        );
    });

    it("admits nothing from the internet, and the data tier only from the app tier and the DMS source on PostgreSQL", async () => {
        const { run } = await evaluated("prod");
        const rs = inNetwork(run.resources, "network-primary");
        const rules = ofType(rs, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        assert.ok(rules.length > 0);
        for (const r of rules) assert.notStrictEqual(r.inputs.cidrIpv4, "0.0.0.0/0", r.name);
        const dataSg = one(rs, "aws:ec2/securityGroup:SecurityGroup", "network-primary-data");
        const appSg = one(rs, "aws:ec2/securityGroup:SecurityGroup", "network-primary-app");
        const toData = rules.filter((r) => r.inputs.securityGroupId === dataSg.outputs.id);
        for (const r of toData) {
            if (r.inputs.cidrIpv4) {
                assert.strictEqual(r.inputs.fromPort, 5432);
                assert.ok(
                    contains(mustParseCidr("10.102.0.0/15"), mustParseCidr(r.inputs.cidrIpv4)) ||
                        r.inputs.cidrIpv4.startsWith("10.10"),
                    r.inputs.cidrIpv4,
                );
            } else {
                assert.strictEqual(r.inputs.referencedSecurityGroupId, appSg.outputs.id);
            }
        }
        assert.deepStrictEqual(
            toData.filter((r) => r.inputs.cidrIpv4).map((r) => r.inputs.cidrIpv4),
            // The private services range, where the Cloud SQL destination of DMS connects from.
            ["10.109.0.0/20"],
        );
        const egress = ofType(rs, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").find(
            (r) => r.inputs.securityGroupId === dataSg.outputs.id,
        )!;
        assert.strictEqual(egress.inputs.cidrIpv4, "10.100.0.0/16");
    });
});

describe("GCP network", () => {
    it("is a custom-mode VPC with a GKE subnet (pods, services), a data subnet, flow logs and Private Google Access", async () => {
        const { run } = await evaluated("prod");
        const net = one(run.resources, "gcp:compute/network:Network", "network-gcp-vpc");
        assert.strictEqual(net.inputs.autoCreateSubnetworks, false);
        const gke = one(run.resources, "gcp:compute/subnetwork:Subnetwork", "network-gcp-gke");
        assert.strictEqual(gke.inputs.ipCidrRange, "10.102.0.0/20");
        assert.strictEqual(gke.inputs.network, net.outputs.id);
        assert.deepStrictEqual(gke.inputs.secondaryIpRanges, [
            { rangeName: "pods", ipCidrRange: "10.104.0.0/14" },
            { rangeName: "services", ipCidrRange: "10.108.0.0/20" },
        ]);
        const data = one(run.resources, "gcp:compute/subnetwork:Subnetwork", "network-gcp-data");
        assert.strictEqual(data.inputs.ipCidrRange, "10.102.16.0/24");
        for (const s of [gke, data]) {
            assert.strictEqual(s.inputs.privateIpGoogleAccess, true);
            assert.deepStrictEqual(s.inputs.logConfig, {
                aggregationInterval: "INTERVAL_5_SEC",
                flowSampling: 0.5,
                metadata: "INCLUDE_ALL_METADATA",
            });
            assert.strictEqual(s.inputs.region, "us-east4");
        }
    });

    it("has Cloud NAT and private service access that exchanges custom routes", async () => {
        const { run } = await evaluated("prod");
        const nat = one(run.resources, "gcp:compute/routerNat:RouterNat", "network-gcp-nat");
        assert.strictEqual(
            nat.inputs.router,
            one(run.resources, "gcp:compute/router:Router", "network-gcp-nat").outputs.name,
        );
        const range = one(run.resources, "gcp:compute/globalAddress:GlobalAddress", "network-gcp-private-services");
        assert.deepStrictEqual(
            [range.inputs.purpose, range.inputs.address, range.inputs.prefixLength],
            ["VPC_PEERING", "10.109.0.0", 20],
        );
        const conn = one(run.resources, "gcp:servicenetworking/connection:Connection", "network-gcp-private-services");
        assert.deepStrictEqual(conn.inputs.reservedPeeringRanges, [range.outputs.name]);
        const routes = one(
            run.resources,
            "gcp:compute/networkPeeringRoutesConfig:NetworkPeeringRoutesConfig",
            "network-gcp-private-services",
        );
        assert.deepStrictEqual(
            [routes.inputs.peering, routes.inputs.importCustomRoutes, routes.inputs.exportCustomRoutes],
            [conn.outputs.peering, true, true],
        );
    });

    it("denies all ingress by default and allows AWS only on the mesh ports", async () => {
        const { run } = await evaluated("prod");
        const fw = (n: string) => one(run.resources, "gcp:compute/firewall:Firewall", `network-gcp-${n}`).inputs;
        assert.deepStrictEqual(
            [fw("deny-all-ingress").priority, fw("deny-all-ingress").denies, fw("deny-all-ingress").allows],
            [65534, [{ protocol: "all" }], undefined],
        );
        assert.deepStrictEqual(fw("allow-from-peer").sourceRanges, ["10.100.0.0/16", "10.101.0.0/16"]);
        assert.deepStrictEqual(fw("allow-from-peer").allows, [
            { protocol: "tcp", ports: ["443", "15443", "15012", "15017"] },
            { protocol: "icmp" },
        ]);
        for (const r of ofType(run.resources, "gcp:compute/firewall:Firewall")) {
            if (r.inputs.allows) assert.ok(!r.inputs.sourceRanges.includes("0.0.0.0/0"), r.name);
        }
    });
});

describe("cross-cloud VPN", () => {
    it("has exactly two AWS VPN connections, four tunnels, four router interfaces and four BGP peers", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const { run } = await evaluated(stack);
            const count = (t: string) => ofType(run.resources, t).length;
            assert.deepStrictEqual(
                [
                    count("aws:ec2/vpnConnection:VpnConnection"),
                    count("aws:ec2/customerGateway:CustomerGateway"),
                    count("gcp:compute/vPNTunnel:VPNTunnel"),
                    count("gcp:compute/routerInterface:RouterInterface"),
                    count("gcp:compute/routerPeer:RouterPeer"),
                    count("gcp:compute/externalVpnGateway:ExternalVpnGateway"),
                    count("gcp:compute/haVpnGateway:HaVpnGateway"),
                ],
                [2, 2, 4, 4, 4, 1, 1],
            );
        }
    });

    it("wires each BGP peer to the inside addresses of the AWS tunnel it rides", async () => {
        const { run } = await evaluated("prod");
        const byName = (type: string, name: string) =>
            ofType(run.resources, type).find((r) => r.outputs.name === name)!;
        const connections = ofType(run.resources, "aws:ec2/vpnConnection:VpnConnection");
        const external = one(run.resources, "gcp:compute/externalVpnGateway:ExternalVpnGateway", "vpn-aws");
        const seen = new Set<string>();
        for (const peer of ofType(run.resources, "gcp:compute/routerPeer:RouterPeer")) {
            const iface = byName("gcp:compute/routerInterface:RouterInterface", peer.inputs.interface);
            const tunnel = byName("gcp:compute/vPNTunnel:VPNTunnel", iface.inputs.vpnTunnel);
            const outsideIp = external.inputs.interfaces.find(
                (i: any) => i.id === tunnel.inputs.peerExternalGatewayInterface,
            ).ipAddress;
            const conn = connections.find(
                (c) => c.outputs.tunnel1Address === outsideIp || c.outputs.tunnel2Address === outsideIp,
            )!;
            const n = conn.outputs.tunnel1Address === outsideIp ? 1 : 2;
            assert.strictEqual(peer.inputs.peerIpAddress, conn.outputs[`tunnel${n}VgwInsideAddress`]);
            assert.strictEqual(peer.inputs.ipAddress, conn.outputs[`tunnel${n}CgwInsideAddress`]);
            assert.strictEqual(iface.inputs.ipRange, `${conn.outputs[`tunnel${n}CgwInsideAddress`]}/30`);
            assert.strictEqual(peer.inputs.peerAsn, 64512);
            // Both ends of the tunnel hold the same key, and it is a secret on both.
            assert.strictEqual(tunnel.inputs.sharedSecret, conn.inputs[`tunnel${n}PresharedKey`]);
            assert.ok(tunnel.secretInputs.includes("sharedSecret"));
            assert.ok(conn.secretInputs.includes(`tunnel${n}PresharedKey`));
            seen.add(`${conn.name}/${n}`);
            // The HA interface a tunnel leaves from is the one whose IP its customer gateway names.
            const cgw = ofType(run.resources, "aws:ec2/customerGateway:CustomerGateway").find(
                (c) => c.outputs.id === conn.inputs.customerGatewayId,
            )!;
            const ha = one(run.resources, "gcp:compute/haVpnGateway:HaVpnGateway", "vpn-ha");
            assert.strictEqual(
                cgw.inputs.ipAddress,
                ha.outputs.vpnInterfaces[tunnel.inputs.vpnGatewayInterface].ipAddress,
            );
        }
        assert.strictEqual(seen.size, 4);
        assert.deepStrictEqual(
            connections.flatMap((c) => [c.inputs.tunnel1InsideCidr, c.inputs.tunnel2InsideCidr]),
            ["169.254.21.0/30", "169.254.21.4/30", "169.254.22.0/30", "169.254.22.4/30"],
        );
    });

    it("uses IKEv2 and a single strong transform set on every AWS tunnel", async () => {
        const { run } = await evaluated("dev");
        for (const c of ofType(run.resources, "aws:ec2/vpnConnection:VpnConnection")) {
            for (const n of [1, 2]) {
                assert.deepStrictEqual(
                    [
                        "IkeVersions",
                        "Phase1EncryptionAlgorithms",
                        "Phase1IntegrityAlgorithms",
                        "Phase1DhGroupNumbers",
                        "Phase2EncryptionAlgorithms",
                        "Phase2IntegrityAlgorithms",
                        "Phase2DhGroupNumbers",
                    ].map((k) => c.inputs[`tunnel${n}${k}`]),
                    [["ikev2"], ["AES256"], ["SHA2-256"], [20], ["AES256"], ["SHA2-256"], [20]],
                );
            }
            assert.strictEqual(c.inputs.staticRoutesOnly, false);
        }
        for (const t of ofType(run.resources, "gcp:compute/vPNTunnel:VPNTunnel"))
            assert.strictEqual(t.inputs.ikeVersion, 2);
    });

    it("joins both sides with BGP: TGW with ECMP on the AWS ASN, Cloud Router advertising exactly the GCP ranges and the GKE master range", async () => {
        const { run } = await evaluated("prod");
        const tgw = one(run.resources, "aws:ec2transitgateway/transitGateway:TransitGateway", "vpn-tgw");
        assert.deepStrictEqual([tgw.inputs.amazonSideAsn, tgw.inputs.vpnEcmpSupport], [64512, "enable"]);
        const router = one(run.resources, "gcp:compute/router:Router", "vpn-router");
        const gcpRanges = [
            "10.102.0.0/20",
            "10.102.16.0/24",
            "10.104.0.0/14",
            "10.108.0.0/20",
            "10.109.0.0/20",
            // The GKE control plane's /28: AWS callers reach the private API endpoint through it.
            "10.109.16.0/28",
        ];
        assert.deepStrictEqual(router.inputs.bgp, {
            asn: 65010,
            advertiseMode: "CUSTOM",
            advertisedIpRanges: gcpRanges.map((range) => ({ range })),
        });
        for (const cgw of ofType(run.resources, "aws:ec2/customerGateway:CustomerGateway"))
            assert.strictEqual(cgw.inputs.bgpAsn, "65010");
        const prefixList = one(run.resources, "aws:ec2/managedPrefixList:ManagedPrefixList", "vpn-gcp-ranges");
        assert.deepStrictEqual(
            prefixList.inputs.entries.map((e: any) => e.cidr),
            gcpRanges,
        );
        const attachment = one(run.resources, "aws:ec2transitgateway/vpcAttachment:VpcAttachment", "vpn-vpc");
        assert.deepStrictEqual(
            attachment.inputs.subnetIds,
            vpcOf(run.resources, "network-primary").outputs.privateSubnetIds,
        );
        const routes = childrenOf(run.resources, one(run.resources, "multicloud:network:CrossCloudVpn", "vpn")).filter(
            (r) => r.type === "aws:ec2/route:Route",
        );
        assert.strictEqual(routes.length, 9);
        for (const r of routes) {
            assert.deepStrictEqual(
                [r.inputs.destinationPrefixListId, r.inputs.transitGatewayId],
                [prefixList.outputs.id, tgw.outputs.id],
            );
            assert.ok(r.dependencies.includes(attachment.urn), "routes wait for the attachment");
        }
        assert.deepStrictEqual(
            routes.map((r) => r.inputs.routeTableId).sort(),
            vpcOf(run.resources, "network-primary")
                .outputs.routeTables.map((t: any) => t.id)
                .sort(),
        );
    });
});
