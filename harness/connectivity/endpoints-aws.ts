/** AWS endpoints of the flows, resolved from the plan. */
import type { RecordedResource } from "../recorder";
import type { AwsSubnet, PlanIndex } from "./plan-index";
import { ANYWHERE } from "./ranges";
import { UnresolvedEndpoint, type Endpoint, type PodPlace } from "./types";

export function placeOf(idx: PlanIndex, subnets: AwsSubnet[], what: string) {
    const vpc = subnets[0] ? idx.vpcOfSubnet(subnets[0].id) : undefined;
    if (!vpc) throw new UnresolvedEndpoint(`${what}: its subnets belong to no awsx VPC in the plan`);
    return { vpc, cidrs: subnets.map((s) => s.cidr), routeTables: subnets.map((s) => s.routeTable) };
}

function eks(idx: PlanIndex): RecordedResource {
    const c = idx.eksCluster();
    if (!c) throw new UnresolvedEndpoint("no eks:index:Cluster in the plan");
    return c;
}

/** The cluster's private subnets (where EKS places its control-plane ENIs and the node groups run). */
function eksSubnets(idx: PlanIndex, c: RecordedResource): AwsSubnet[] {
    const ids: string[] = c.inputs.privateSubnetIds ?? c.inputs.subnetIds ?? [];
    return idx.subnetsById(ids);
}

/**
 * The security groups the nodes wear. A managed node group whose launch template names no security
 * groups gets the cluster security group EKS creates; one that names some gets only those
 * (https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html, "security groups"). When node
 * groups differ, only the groups every node wears count.
 */
function nodeSecurityGroups(idx: PlanIndex, c: RecordedResource): string[] {
    const clusterSg = c.outputs.clusterSecurityGroupId as string;
    const perGroup = idx.of("aws:eks/nodeGroup:NodeGroup").map((ng) => {
        const lt = idx
            .of("aws:ec2/launchTemplate:LaunchTemplate")
            .find((t) => t.outputs.id === ng.inputs.launchTemplate?.id);
        const named: string[] = [
            ...(lt?.inputs.vpcSecurityGroupIds ?? []),
            ...(lt?.inputs.networkInterfaces ?? []).flatMap((n: any) => n.securityGroups ?? []),
        ];
        return named.length > 0 ? named : [clusterSg];
    });
    if (perGroup.length === 0) return [clusterSg];
    return perGroup[0].filter((sg) => perGroup.every((g) => g.includes(sg)));
}

/** Namespaces of a cluster matching `pattern` (`services-*` or an exact name). */
export function namespacesOf(idx: PlanIndex, cluster: "eks" | "gke", pattern: string): string[] {
    const names = idx
        .of("kubernetes:core/v1:Namespace")
        .filter((n) => idx.clusterOf(n) === cluster)
        .map((n) => n.inputs.metadata?.name as string);
    const match = pattern.endsWith("*")
        ? names.filter((n) => n.startsWith(pattern.slice(0, -1)))
        : names.filter((n) => n === pattern);
    if (match.length === 0) throw new UnresolvedEndpoint(`no namespace ${pattern} on ${cluster}`);
    return match;
}

export function eksEndpoint(idx: PlanIndex, kind: string, namespace: string | undefined, ref: string): Endpoint {
    const c = eks(idx);
    const subnets = eksSubnets(idx, c);
    const { vpc, cidrs, routeTables } = placeOf(idx, subnets, ref);
    const clusterSg = c.outputs.clusterSecurityGroupId as string;
    switch (kind) {
        case "eks-api": {
            // pulumi-eks passes these to EKS, whose defaults are public on, private off.
            const pub = c.inputs.endpointPublicAccess ?? true;
            const priv = c.inputs.endpointPrivateAccess ?? false;
            return {
                ref,
                label: `EKS API of ${c.name}`,
                cloud: "aws",
                cidrs,
                aws: { vpcId: vpc.vpcId, routeTables, securityGroups: [clusterSg] },
                admission: { resource: c.name, ports: [443], portsDetail: "HTTPS" },
                exposure: {
                    resource: c.name,
                    public: pub,
                    private: priv,
                    detail: `endpointPublicAccess: ${pub}, endpointPrivateAccess: ${priv}`,
                },
            };
        }
        case "eks-control-plane":
            // The control plane's ENIs in the cluster subnets wear the cluster security group.
            return {
                ref,
                label: `EKS control plane of ${c.name}`,
                cloud: "aws",
                cidrs,
                aws: { vpcId: vpc.vpcId, routeTables, securityGroups: [clusterSg] },
            };
        case "eks-nodes":
        case "eks-pods": {
            // VPC CNI: pods take addresses from the node's subnet and wear the node's security groups.
            const pods: PodPlace[] =
                kind === "eks-nodes"
                    ? [{ cluster: "eks", namespace: "istio-system", labels: { app: "istiod" } }]
                    : namespace
                      ? namespacesOf(idx, "eks", namespace).map((ns) => ({ cluster: "eks", namespace: ns, labels: {} }))
                      : [{ cluster: "eks", labels: {} }];
            return {
                ref,
                label: kind === "eks-nodes" ? `EKS nodes of ${c.name}` : `EKS pods ${namespace ?? "(no namespace)"}`,
                cloud: "aws",
                cidrs,
                aws: { vpcId: vpc.vpcId, routeTables, securityGroups: nodeSecurityGroups(idx, c) },
                pods,
                exposure: { resource: c.name, public: false, private: true, detail: "nodes have private addresses" },
            };
        }
    }
    throw new UnresolvedEndpoint(`unknown endpoint ${ref}`);
}

/**
 * The EKS API as the internet sees it. The public endpoint is not behind the cluster security group; it
 * admits `publicAccessCidrs` (default 0.0.0.0/0) when `endpointPublicAccess` is on
 * (https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html). With it off, the internet
 * sees only the private addresses, which it cannot reach.
 */
export function eksPublicEndpoint(idx: PlanIndex, ref: string): Endpoint {
    const c = eks(idx);
    const priv = eksEndpoint(idx, "eks-api", undefined, ref);
    if (!priv.exposure?.public) return priv;
    return {
        ref,
        label: `public EKS API of ${c.name}`,
        cloud: "internet",
        cidrs: [ANYWHERE],
        public: true,
        admission: {
            resource: `${c.name} publicAccessCidrs`,
            ports: [443],
            portsDetail: "HTTPS",
            authorizedNetworks: c.inputs.publicAccessCidrs ?? [ANYWHERE],
        },
        exposure: priv.exposure,
    };
}

export function dataPlace(idx: PlanIndex, sgs: string[], subnetIds: string[] | undefined, what: string) {
    let subnets = subnetIds ? idx.subnetsById(subnetIds) : [];
    if (subnets.length === 0) {
        // No subnet group in the inputs (offline, an auto-named subnet group's name is an unknown
        // output): the store's security group names the VPC, and the data tier lives in awsx's
        // isolated subnets.
        const vpc = idx.vpcById(idx.securityGroup(sgs[0])?.inputs.vpcId);
        subnets = vpc ? vpc.subnets.filter((s) => s.kind === "Isolated") : [];
    }
    const { vpc, cidrs, routeTables } = placeOf(idx, subnets, what);
    return { cidrs, aws: { vpcId: vpc.vpcId, routeTables, securityGroups: sgs } };
}

export function subnetGroupIds(idx: PlanIndex, type: string, name: unknown): string[] | undefined {
    if (!name) return undefined;
    const g = idx.of(type).find((r) => r.outputs.id === name || r.outputs.name === name || r.inputs.name === name);
    return g?.inputs.subnetIds;
}

export function awsDataEndpoint(idx: PlanIndex, kind: string, ref: string, viewer?: "internet" | "private"): Endpoint {
    switch (kind) {
        case "aurora-writer": {
            const instances = idx.of("aws:rds/clusterInstance:ClusterInstance");
            const writer = instances.find((i) => i.inputs.promotionTier === 0) ?? instances[0];
            const cluster = idx
                .of("aws:rds/cluster:Cluster")
                .find((c) => c.inputs.clusterIdentifier === writer?.inputs.clusterIdentifier);
            if (!cluster) throw new UnresolvedEndpoint("no Aurora writer in the plan");
            const members = instances.filter((i) => i.inputs.clusterIdentifier === cluster.inputs.clusterIdentifier);
            const open = members.filter((i) => i.inputs.publiclyAccessible === true).map((i) => i.name);
            return {
                ref,
                label: `Aurora writer ${cluster.name}`,
                cloud: "aws",
                ...dataPlace(
                    idx,
                    cluster.inputs.vpcSecurityGroupIds ?? [],
                    subnetGroupIds(idx, "aws:rds/subnetGroup:SubnetGroup", cluster.inputs.dbSubnetGroupName),
                    ref,
                ),
                admission: { resource: cluster.name, ports: [cluster.inputs.port ?? 5432], portsDetail: "PostgreSQL" },
                exposure: {
                    resource: cluster.name,
                    public: open.length > 0,
                    private: true,
                    detail:
                        open.length > 0
                            ? `publiclyAccessible: true on ${open.join(", ")}`
                            : `publiclyAccessible: false on every instance of ${cluster.name}`,
                },
            };
        }
        case "elasticache": {
            const rg = idx.of("aws:elasticache/replicationGroup:ReplicationGroup")[0];
            if (!rg) throw new UnresolvedEndpoint("no ElastiCache replication group in the plan");
            return {
                ref,
                label: `ElastiCache ${rg.name}`,
                cloud: "aws",
                ...dataPlace(
                    idx,
                    rg.inputs.securityGroupIds ?? [],
                    subnetGroupIds(idx, "aws:elasticache/subnetGroup:SubnetGroup", rg.inputs.subnetGroupName),
                    ref,
                ),
                admission: { resource: rg.name, ports: [rg.inputs.port ?? 6379], portsDetail: "Redis protocol" },
                exposure: {
                    resource: rg.name,
                    public: false,
                    private: true,
                    detail: "ElastiCache has no public endpoint",
                },
            };
        }
        case "msk": {
            const msk = idx.of("aws:msk/cluster:Cluster")[0];
            if (!msk) throw new UnresolvedEndpoint("no MSK cluster in the plan");
            const info = msk.inputs.brokerNodeGroupInfo ?? {};
            const auth = msk.inputs.clientAuthentication ?? {};
            const clientBroker = msk.inputs.encryptionInTransit?.clientBroker ?? "TLS";
            // Broker ports by listener: https://docs.aws.amazon.com/msk/latest/developerguide/port-info.html
            const ports = [
                ...(auth.sasl?.iam ? [9098] : []),
                ...(auth.sasl?.scram ? [9096] : []),
                ...(auth.tls || auth.unauthenticated ? [9094] : []),
                ...(clientBroker !== "TLS" ? [9092] : []),
            ];
            const publicType = info.connectivityInfo?.publicAccess?.type ?? "DISABLED";
            // Public access serves the same listeners 100 ports up (9198 for IAM, 9194 for TLS).
            const served =
                viewer === "internet" && publicType === "SERVICE_PROVIDED_EIPS" ? ports.map((p) => p + 100) : ports;
            return {
                ref,
                label: `MSK ${msk.name}`,
                cloud: "aws",
                ...dataPlace(idx, info.securityGroups ?? [], info.clientSubnets, ref),
                admission: {
                    resource: msk.name,
                    ports: served,
                    portsDetail: "the listeners its client authentication enables",
                },
                exposure: {
                    resource: msk.name,
                    public: publicType === "SERVICE_PROVIDED_EIPS",
                    private: true,
                    detail: `connectivityInfo.publicAccess.type: ${publicType}`,
                },
            };
        }
        case "msk-connect": {
            const conn = idx.of("aws:mskconnect/connector:Connector")[0];
            const vpc = conn?.inputs.kafkaCluster?.apacheKafkaCluster?.vpc;
            if (!vpc) throw new UnresolvedEndpoint("no MSK Connect connector in the plan");
            const { vpc: v, cidrs, routeTables } = placeOf(idx, idx.subnetsById(vpc.subnets ?? []), ref);
            return {
                ref,
                label: `MSK Connect workers of ${conn.name}`,
                cloud: "aws",
                cidrs,
                aws: { vpcId: v.vpcId, routeTables, securityGroups: vpc.securityGroups ?? [] },
            };
        }
    }
    throw new UnresolvedEndpoint(`unknown endpoint ${ref}`);
}

/** Istio gateway chart defaults when `service.ports` is not set (manifests/charts/gateway/values.yaml). */
export const GATEWAY_CHART_PORTS = [15021, 80, 443];

/** Helm releases and charts whose `values` the gateways are read from. */
const HELM_TYPES = ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"];

/** The gateway release (or v4 chart) of a cluster whose pods carry `istio: <label>`. */
export function gatewayRelease(idx: PlanIndex, cluster: "eks" | "gke", label: string): RecordedResource {
    const r = HELM_TYPES.flatMap((t) => idx.of(t)).find(
        (x) => idx.clusterOf(x) === cluster && x.inputs.values?.labels?.istio === label,
    );
    if (!r) throw new UnresolvedEndpoint(`no ${label} release on ${cluster}`);
    return r;
}

export function gatewayService(release: RecordedResource) {
    const service = release.inputs.values?.service ?? {};
    const ports: number[] = (service.ports ?? []).map((p: any) => p.port);
    return {
        type: (service.type ?? "LoadBalancer") as string,
        annotations: (service.annotations ?? {}) as Record<string, string>,
        ports: ports.length > 0 ? ports : GATEWAY_CHART_PORTS,
        sourceRanges: (service.loadBalancerSourceRanges ?? [ANYWHERE]) as string[],
        labels: (release.inputs.values?.labels ?? {}) as Record<string, string>,
        namespace: (release.inputs.namespace ?? "default") as string,
    };
}

/**
 * What a gateway Service makes reachable, on either cloud: the load balancer's frontend (anywhere when
 * external, the nodes' ranges when internal or no load balancer), the rule its controller adds for
 * `loadBalancerSourceRanges`, the ports it answers on, and its exposure.
 */
export function gatewayExposure(
    release: RecordedResource,
    svc: ReturnType<typeof gatewayService>,
    internal: boolean,
    privateCidrs: string[],
    externalWord: string,
): Pick<Endpoint, "cidrs" | "public" | "controllerIngress" | "admission" | "exposure"> {
    const lb = svc.type === "LoadBalancer";
    return {
        cidrs: lb && !internal ? [ANYWHERE] : privateCidrs,
        public: lb && !internal,
        controllerIngress: lb
            ? [{ resource: `${release.name} Service`, sourceRanges: svc.sourceRanges, ports: svc.ports }]
            : [],
        admission: { resource: release.name, ports: svc.ports, portsDetail: "the gateway Service's ports" },
        exposure: {
            resource: release.name,
            public: lb && !internal,
            private: lb,
            detail: lb
                ? `Service type LoadBalancer, ${internal ? "internal" : `${externalWord} (no internal annotation)`}`
                : `Service type ${svc.type}: no load balancer`,
        },
    };
}

/**
 * An Istio gateway on EKS. The in-tree service controller makes a Classic ELB, or an NLB with the
 * `aws-load-balancer-type: nlb` annotation, internet-facing unless `aws-load-balancer-internal` or
 * `aws-load-balancer-scheme: internal` says otherwise, and admits `loadBalancerSourceRanges` (default
 * 0.0.0.0/0) on the Service's ports on the nodes' security group
 * (https://repost.aws/knowledge-center/eks-cidr-ip-address-loadbalancer).
 */
export function awsGatewayEndpoint(idx: PlanIndex, label: string, ref: string): Endpoint {
    const release = gatewayRelease(idx, "eks", label);
    const svc = gatewayService(release);
    const internal =
        svc.annotations["service.beta.kubernetes.io/aws-load-balancer-internal"] === "true" ||
        svc.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"] === "internal";
    const nodes = eksEndpoint(idx, "eks-nodes", undefined, ref);
    return {
        ...nodes,
        label: `${label} load balancer on EKS (${release.name})`,
        pods: [{ cluster: "eks", namespace: svc.namespace, labels: svc.labels }],
        ...gatewayExposure(release, svc, internal, nodes.cidrs as string[], "internet-facing"),
    };
}
