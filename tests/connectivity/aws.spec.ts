import * as assert from "assert";
import { bestRoute, transitGateway } from "../../harness/connectivity/aws-routing";
import { awsEgress, awsIngress, securityGroupRules } from "../../harness/connectivity/aws-security-groups";
import { indexPlan } from "../../harness/connectivity/plan-index";
import type { RecordedResource } from "../../harness/recorder";
import { resource } from "../policy/fixtures";
import { endpoint, probe } from "./probe";

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

function vpc(name: string, cidr: string, id: string, nat = "Single"): RecordedResource {
    return resource(
        "awsx:ec2:Vpc",
        name,
        {
            cidrBlock: cidr,
            natGateways: { strategy: nat },
            subnetSpecs: [
                { type: "Public", cidrBlocks: [cidr.replace(/\.0\.0\/16$/, ".200.0/24")] },
                { type: "Private", cidrBlocks: [cidr.replace(/\.0\.0\/16$/, ".0.0/24")] },
                { type: "Isolated", cidrBlocks: [cidr.replace(/\.0\.0\/16$/, ".1.0/24")] },
            ],
        },
        {
            outputs: {
                vpcId: id,
                publicSubnetIds: [`${id}-pub`],
                privateSubnetIds: [`${id}-prv`],
                isolatedSubnetIds: [`${id}-iso`],
                routeTables: [{ id: `${id}-rt-pub` }, { id: `${id}-rt-prv` }, { id: `${id}-rt-iso` }],
            },
        },
    );
}

const sg = (name: string, vpcId = "vpc-a") =>
    resource("aws:ec2/securityGroup:SecurityGroup", name, { vpcId }, { outputs: { id: `sg-${name}`, vpcId } });

const rule = (type: string, name: string, inputs: Record<string, any>) => resource(type, name, inputs);

const world: RecordedResource[] = [
    vpc("a", "10.0.0.0/16", "vpc-a"),
    vpc("b", "10.1.0.0/16", "vpc-b", "None"),
    sg("app"),
    sg("db"),
    sg("bare"),
    rule(EGRESS, "app-out", { securityGroupId: "sg-app", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }),
    rule(INGRESS, "db-from-app", {
        securityGroupId: "sg-db",
        ipProtocol: "tcp",
        fromPort: 5432,
        toPort: 5432,
        referencedSecurityGroupId: "sg-app",
    }),
    rule(INGRESS, "db-from-peer", {
        securityGroupId: "sg-db",
        ipProtocol: "tcp",
        fromPort: 5400,
        toPort: 5500,
        cidrIpv4: "10.9.0.0/16",
    }),
    resource(
        "eks:index:Cluster",
        "eks",
        { vpcId: "vpc-a" },
        { outputs: { clusterSecurityGroupId: "sg-cluster", vpcId: "vpc-a" } },
    ),
];
const idx = indexPlan(world);

const app = endpoint({ cloud: "aws", aws: { vpcId: "vpc-a", routeTables: [], securityGroups: ["sg-app"] } });
const db = endpoint({
    cloud: "aws",
    cidrs: ["10.0.1.0/24"],
    aws: { vpcId: "vpc-a", routeTables: [], securityGroups: ["sg-db"] },
});

describe("connectivity: AWS security groups", () => {
    it("admit a referenced group's members in the same VPC only", () => {
        assert.deepStrictEqual(awsIngress(idx, probe(app, db, 5432)), {
            hop: "destination ingress",
            allowed: true,
            reason: "security group db: tcp/5432-5432 from group sg-app (db-from-app)",
        });
        const elsewhere = { ...app, aws: { ...app.aws!, vpcId: "vpc-b" } };
        assert.strictEqual(awsIngress(idx, probe(elsewhere, db, 5432)).allowed, false);
    });

    it("admit a CIDR inside the rule's range and port range, nothing wider", () => {
        const peer = endpoint({ cloud: "gcp", cidrs: ["10.9.4.0/22"] });
        assert.strictEqual(awsIngress(idx, probe(peer, db, 5450)).allowed, true);
        assert.strictEqual(awsIngress(idx, probe(peer, db, 5600)).allowed, false);
        const wide = endpoint({ cloud: "gcp", cidrs: ["10.8.0.0/15"] });
        assert.deepStrictEqual(awsIngress(idx, probe(wide, db, 5432)), {
            hop: "destination ingress",
            allowed: false,
            reason: "security group db admits no tcp/5432 from 10.8.0.0/15; its ingress: tcp/5432-5432 from group sg-app (db-from-app); tcp/5400-5500 from 10.9.0.0/16 (db-from-peer)",
        });
    });

    it("treat the internet as any public address: a rule from one public /32 lets it in", () => {
        const internet = endpoint({ cloud: "internet", cidrs: ["0.0.0.0/0"], public: true });
        assert.strictEqual(awsIngress(idx, probe(internet, db, 5432)).allowed, false);
        const opened = indexPlan([
            ...world,
            rule(INGRESS, "db-from-office", {
                securityGroupId: "sg-db",
                ipProtocol: "tcp",
                fromPort: 5432,
                toPort: 5432,
                cidrIpv4: "203.0.113.7/32",
            }),
        ]);
        assert.strictEqual(awsIngress(opened, probe(internet, db, 5432)).allowed, true);
    });

    it("model the cluster security group EKS creates: all from itself, all out", () => {
        const rules = securityGroupRules(idx).filter((r) => r.group === "sg-cluster");
        assert.deepStrictEqual(
            rules.map((r) => [r.direction, r.protocol, r.referencedGroup ?? r.cidr]),
            [
                ["ingress", "-1", "sg-cluster"],
                ["egress", "-1", "0.0.0.0/0"],
            ],
        );
        const node = endpoint({
            cloud: "aws",
            aws: { vpcId: "vpc-a", routeTables: [], securityGroups: ["sg-cluster"] },
        });
        assert.match(
            awsIngress(idx, probe(node, node, 15017)).reason,
            /^the EKS cluster security group of eks: all from group sg-cluster/,
        );
    });

    it("let nothing out of a group declared without egress rules", () => {
        const bare = { ...app, aws: { ...app.aws!, securityGroups: ["sg-bare"] } };
        assert.deepStrictEqual(awsEgress(idx, probe(bare, db, 5432)), {
            hop: "source egress",
            allowed: false,
            reason: "security group bare allow no tcp/5432 to 10.0.1.0/24",
        });
        assert.strictEqual(awsEgress(idx, probe(app, db, 5432)).allowed, true);
        const unknown = { ...app, aws: { ...app.aws!, securityGroups: undefined } };
        assert.strictEqual(
            awsEgress(idx, probe(unknown, db, 5432)).reason,
            "test endpoint: security groups outside the plan",
        );
    });

    it("admit what a load balancer controller opens for a Service, on its ports only", () => {
        const lb = {
            ...db,
            controllerIngress: [{ resource: "gw Service", sourceRanges: ["10.9.0.0/16"], ports: [15443] }],
        };
        const peer = endpoint({ cloud: "gcp", cidrs: ["10.9.0.0/20"] });
        assert.strictEqual(awsIngress(idx, probe(peer, lb, 15443)).allowed, true);
        assert.strictEqual(awsIngress(idx, probe(peer, lb, 15012)).allowed, false);
    });
});

describe("connectivity: AWS routing", () => {
    const routed = indexPlan([
        ...world,
        resource("aws:ec2/route:Route", "to-gcp", {
            routeTableId: "vpc-a-rt-prv",
            destinationPrefixListId: "pl-gcp",
            transitGatewayId: "tgw-1",
        }),
        resource(
            "aws:ec2/managedPrefixList:ManagedPrefixList",
            "gcp",
            { entries: [{ cidr: "10.9.0.0/16" }] },
            { outputs: { id: "pl-gcp" } },
        ),
        resource(
            "aws:ec2transitgateway/transitGateway:TransitGateway",
            "tgw",
            { defaultRouteTablePropagation: "enable" },
            { outputs: { id: "tgw-1" } },
        ),
        resource("aws:ec2transitgateway/vpcAttachment:VpcAttachment", "att", {
            transitGatewayId: "tgw-1",
            vpcId: "vpc-a",
        }),
        resource("aws:ec2/vpnConnection:VpnConnection", "vpn", { transitGatewayId: "tgw-1", staticRoutesOnly: false }),
    ]);

    it("model awsx's routes: local, NAT for private subnets, internet gateway for public, none for isolated", () => {
        const target = (table: string, cidr: string) => bestRoute(routed, table, cidr)?.target;
        assert.strictEqual(target("vpc-a-rt-prv", "10.0.1.0/24"), "local");
        assert.strictEqual(target("vpc-a-rt-prv", "0.0.0.0/0"), "nat");
        assert.strictEqual(target("vpc-a-rt-pub", "0.0.0.0/0"), "igw");
        assert.strictEqual(target("vpc-a-rt-iso", "0.0.0.0/0"), undefined);
        assert.strictEqual(target("vpc-b-rt-prv", "0.0.0.0/0"), undefined, "natGateways strategy None");
    });

    it("prefer the most specific route, expanding prefix lists", () => {
        assert.strictEqual(bestRoute(routed, "vpc-a-rt-prv", "10.9.1.0/24")?.target, "tgw:tgw-1");
        assert.strictEqual(bestRoute(routed, "vpc-a-rt-iso", "10.9.1.0/24"), undefined);
    });

    it("see a Transit Gateway's attached VPCs and BGP VPNs", () => {
        assert.deepStrictEqual(transitGateway(routed, "tgw-1"), {
            name: "tgw",
            id: "tgw-1",
            propagation: true,
            attachedVpcCidrs: [{ cidr: "10.0.0.0/16", label: "att (a)" }],
            bgpVpns: ["vpn"],
        });
    });
});
