import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { MESH_PEER_PORTS } from "../shared/mesh-ports";
import { awsSubnetPlan, MAX_AZ_SLOTS, SUBNET_TIERS } from "./subnet-plan";
import { encryptedLogGroup } from "../observability/encrypted-log-group";
import { flowLogsDeliveryPolicy, serviceTrustPolicy } from "../shared/iam";
import { logRetentionProblems } from "../shared/log-retention";

export const AWS_NETWORK_DEFAULTS = {
    /** Flow-log aggregation: one minute, so an incident's traffic is visible quickly. */
    flowLogAggregationSeconds: 60,
    /** Ports the data tier answers on: PostgreSQL, Redis/Valkey, Kafka TLS and Kafka IAM. */
    dataPorts: [5432, 6379, 9094, 9098],
    /** Ports the application tier takes from the other cloud: HTTPS and Istio's east-west gateway. */
    meshPorts: MESH_PEER_PORTS,
} as const;

/** Interface endpoints for the AWS APIs the workloads call; prod keeps this traffic off the NAT. */
export const PROD_INTERFACE_ENDPOINTS = ["sts", "ecr.api", "ecr.dkr", "secretsmanager", "kms", "logs"] as const;

export interface AwsNetworkArgs {
    /** Region of the provider the component is created with; used for endpoint service names. */
    readonly region: string;
    /** VPC block from the address plan. */
    readonly cidrBlock: string;
    /** Availability zones to spread the three subnet tiers over, 2 to 4. */
    readonly availabilityZoneCount: number;
    /** One NAT gateway for the VPC, or one per AZ so that an AZ outage does not cut egress. */
    readonly natGateways: "single" | "one-per-az";
    /** KMS key (ARN) that encrypts the flow-log group; the key policy must admit CloudWatch Logs. */
    readonly logsKmsKeyArn: pulumi.Input<string>;
    /** Retention of the flow-log group. */
    readonly flowLogRetentionInDays: number;
    /** Interface endpoints to create (`com.amazonaws.<region>.<name>`). @default none */
    readonly interfaceEndpoints?: readonly string[];
    /**
     * Ranges outside this VPC that may reach it (the other cloud, over the VPN): admitted to the mesh
     * ports of the app tier. @default none
     */
    readonly peerCidrs?: readonly string[];
    /**
     * Ranges outside this VPC admitted to PostgreSQL on the data tier: only where the DR replication feed
     * connects from (the Cloud SQL destination's range). @default none
     */
    readonly postgresPeerCidrs?: readonly string[];
}

/**
 * A three-tier VPC (public, private app, isolated data) over several AZs with flow logs, gateway and
 * interface endpoints, DB and cache subnet groups, and baseline security groups that admit nothing from
 * the internet. The VPC itself is `awsx.ec2.Vpc`; everything around it is plain resources, so it is
 * visible to the offline plan and the policy pack.
 */
export class AwsNetwork extends pulumi.ComponentResource {
    public readonly vpcId: pulumi.Output<string>;
    public readonly vpcCidr: string;
    /** Subnet CIDRs by tier, in AZ order: the address plan this VPC was built from. */
    public readonly subnetCidrs: Readonly<Record<(typeof SUBNET_TIERS)[number], string[]>>;
    public readonly publicSubnetIds: pulumi.Output<string[]>;
    /** Private subnets with NAT egress: workloads, endpoints, the Transit Gateway attachment. */
    public readonly appSubnetIds: pulumi.Output<string[]>;
    /** Isolated subnets: databases, caches, brokers. */
    public readonly dataSubnetIds: pulumi.Output<string[]>;
    /** Every route table of the VPC, one per subnet (awsx gives each subnet its own). */
    public readonly routeTableIds: pulumi.Output<string>[];
    public readonly dbSubnetGroupName: pulumi.Output<string>;
    public readonly cacheSubnetGroupName: pulumi.Output<string>;
    public readonly appSecurityGroupId: pulumi.Output<string>;
    public readonly dataSecurityGroupId: pulumi.Output<string>;
    public readonly endpointSecurityGroupId: pulumi.Output<string>;
    public readonly flowLogGroupArn: pulumi.Output<string>;

    constructor(name: string, args: AwsNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:network:AwsNetwork", name, {}, opts);
        validateAwsNetworkArgs(name, args);
        const plan = awsSubnetPlan(args.cidrBlock, args.availabilityZoneCount);
        this.vpcCidr = args.cidrBlock;
        this.subnetCidrs = plan;

        const vpc = new awsx.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: args.cidrBlock,
                numberOfAvailabilityZones: args.availabilityZoneCount,
                enableDnsHostnames: true,
                enableDnsSupport: true,
                natGateways: { strategy: args.natGateways === "one-per-az" ? "OnePerAz" : "Single" },
                // Explicit blocks per tier and AZ: the plan, not awsx's even split, decides the CIDRs.
                subnetStrategy: "Auto",
                subnetSpecs: [
                    { type: "Public", name: "public", cidrBlocks: plan.public },
                    { type: "Private", name: "app", cidrBlocks: plan.app },
                    { type: "Isolated", name: "data", cidrBlocks: plan.data },
                ],
            },
            // A multi-language component gets only the providers it is handed, not its parent's: without
            // this its subnets and gateways would go to a default provider in whatever region.
            { parent: this, providers: { aws: this.getProvider("aws:ec2/vpc:Vpc")! } },
        );
        this.vpcId = vpc.vpcId;
        this.publicSubnetIds = vpc.publicSubnetIds;
        this.appSubnetIds = vpc.privateSubnetIds;
        this.dataSubnetIds = vpc.isolatedSubnetIds;
        const routeTableCount = SUBNET_TIERS.length * args.availabilityZoneCount;
        this.routeTableIds = Array.from({ length: routeTableCount }, (_, i) =>
            vpc.routeTables.apply((rts) => rts[i].id),
        );

        this.flowLogGroupArn = this.flowLogs(name, args);

        for (const service of ["s3", "dynamodb"]) {
            new aws.ec2.VpcEndpoint(
                `${name}-${service}`,
                {
                    vpcId: vpc.vpcId,
                    serviceName: `com.amazonaws.${args.region}.${service}`,
                    vpcEndpointType: "Gateway",
                    routeTableIds: this.routeTableIds,
                },
                { parent: this },
            );
        }

        const sg = (suffix: string, description: string) =>
            new aws.ec2.SecurityGroup(`${name}-${suffix}`, { vpcId: vpc.vpcId, description }, { parent: this });
        const endpointsSg = sg("endpoints", "Interface endpoints: HTTPS from inside the VPC");
        const appSg = sg("app", "Application tier: workloads and mesh gateways");
        const dataSg = sg(
            "data",
            "Data tier: databases, caches and brokers, reachable only from the app tier and the peer cloud",
        );
        this.endpointSecurityGroupId = endpointsSg.id;
        this.appSecurityGroupId = appSg.id;
        this.dataSecurityGroupId = dataSg.id;

        const ingress = (
            rule: string,
            sgId: pulumi.Input<string>,
            from: { cidr?: string; sg?: pulumi.Input<string> },
            port?: number,
        ) =>
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-${rule}`,
                {
                    securityGroupId: sgId,
                    ...(from.cidr ? { cidrIpv4: from.cidr } : { referencedSecurityGroupId: from.sg }),
                    ...(port === undefined
                        ? { ipProtocol: "-1" }
                        : { ipProtocol: "tcp", fromPort: port, toPort: port }),
                    description: rule,
                },
                { parent: this },
            );
        ingress("endpoints-https-from-vpc", endpointsSg.id, { cidr: args.cidrBlock }, 443);
        ingress("app-from-app", appSg.id, { sg: appSg.id });
        for (const port of AWS_NETWORK_DEFAULTS.dataPorts)
            ingress(`data-${port}-from-app`, dataSg.id, { sg: appSg.id }, port);
        (args.peerCidrs ?? []).forEach((cidr, i) => {
            for (const port of AWS_NETWORK_DEFAULTS.meshPorts)
                ingress(`app-${port}-from-peer-${i}`, appSg.id, { cidr }, port);
        });
        (args.postgresPeerCidrs ?? []).forEach((cidr, i) =>
            ingress(`data-5432-from-peer-${i}`, dataSg.id, { cidr }, 5432),
        );
        // Egress: the app tier goes out through NAT; the data tier only answers inside the VPC.
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-app-egress`,
            { securityGroupId: appSg.id, cidrIpv4: "0.0.0.0/0", ipProtocol: "-1", description: "app egress" },
            { parent: this },
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-data-egress-vpc`,
            {
                securityGroupId: dataSg.id,
                cidrIpv4: args.cidrBlock,
                ipProtocol: "-1",
                description: "data egress inside the VPC",
            },
            { parent: this },
        );

        for (const service of args.interfaceEndpoints ?? []) {
            new aws.ec2.VpcEndpoint(
                `${name}-${service.replace(/\./g, "-")}`,
                {
                    vpcId: vpc.vpcId,
                    serviceName: `com.amazonaws.${args.region}.${service}`,
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: vpc.privateSubnetIds,
                    securityGroupIds: [endpointsSg.id],
                },
                { parent: this },
            );
        }

        this.dbSubnetGroupName = new aws.rds.SubnetGroup(
            `${name}-db`,
            { subnetIds: vpc.isolatedSubnetIds, description: "Aurora on the isolated data subnets" },
            { parent: this },
        ).name;
        this.cacheSubnetGroupName = new aws.elasticache.SubnetGroup(
            `${name}-cache`,
            { subnetIds: vpc.isolatedSubnetIds, description: "ElastiCache on the isolated data subnets" },
            { parent: this },
        ).name;

        this.registerOutputs({
            vpcId: this.vpcId,
            appSubnetIds: this.appSubnetIds,
            dataSubnetIds: this.dataSubnetIds,
            flowLogGroupArn: this.flowLogGroupArn,
        });
    }

    /** Flow logs of every packet decision, into a KMS-encrypted log group, through a role scoped to it. */
    private flowLogs(name: string, args: AwsNetworkArgs): pulumi.Output<string> {
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const group = encryptedLogGroup(
            `${name}-flow-logs`,
            { retentionInDays: args.flowLogRetentionInDays, kmsKeyArn: args.logsKmsKeyArn },
            { parent: this },
        );
        const role = new aws.iam.Role(
            `${name}-flow-logs`,
            {
                assumeRolePolicy: account.apply((id) =>
                    JSON.stringify(serviceTrustPolicy("vpc-flow-logs.amazonaws.com", id)),
                ),
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-flow-logs`,
            {
                role: role.id,
                policy: group.arn.apply((arn) => JSON.stringify(flowLogsDeliveryPolicy(arn))),
            },
            { parent: this },
        );
        new aws.ec2.FlowLog(
            `${name}-flow-logs`,
            {
                vpcId: this.vpcId,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: group.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: AWS_NETWORK_DEFAULTS.flowLogAggregationSeconds,
            },
            { parent: this },
        );
        return group.arn;
    }
}

export function validateAwsNetworkArgs(name: string, args: AwsNetworkArgs): void {
    const problems: string[] = [];
    if (
        !Number.isInteger(args.availabilityZoneCount) ||
        args.availabilityZoneCount < 2 ||
        args.availabilityZoneCount > MAX_AZ_SLOTS
    ) {
        problems.push(
            `availabilityZoneCount must be a whole number from 2 to ${MAX_AZ_SLOTS}; received ${args.availabilityZoneCount}`,
        );
    }
    try {
        awsSubnetPlan(args.cidrBlock, 1);
    } catch (e) {
        problems.push(
            `cidrBlock ${JSON.stringify(args.cidrBlock)} cannot hold the subnet plan: ${(e as Error).message}`,
        );
    }
    problems.push(...logRetentionProblems("flowLogRetentionInDays", args.flowLogRetentionInDays));
    if (problems.length > 0) throw new Error(`AwsNetwork ${name}: ${problems.join("; ")}`);
}
