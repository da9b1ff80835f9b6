/**
 * Endpoints of one catalog service: its pods on either cluster (`eks-pods:<namespace>/<app>`), its own RDS
 * instance (`rds:<service>`), and the AWS APIs it calls (`aws-api:<service>`), resolved from the plan.
 */
import type { RecordedResource } from "../recorder";
import { dataPlace, eksEndpoint, placeOf, subnetGroupIds } from "./endpoints-aws";
import { gkeEndpoint } from "./endpoints-gcp";
import type { PlanIndex } from "./plan-index";
import { ANYWHERE } from "./ranges";
import { UnresolvedEndpoint, type Endpoint } from "./types";

/** What Kubernetes uses when a pod spec names no ServiceAccount. */
export const DEFAULT_SERVICE_ACCOUNT = "default";

/** The Deployment of `app` in `namespace` on `cluster`: its pod template carries `app: <app>`. */
function deploymentOf(idx: PlanIndex, cluster: "eks" | "gke", namespace: string, app: string) {
    return idx
        .of("kubernetes:apps/v1:Deployment")
        .find(
            (d) =>
                idx.clusterOf(d) === cluster &&
                d.inputs.metadata?.namespace === namespace &&
                d.inputs.spec?.template?.metadata?.labels?.app === app,
        );
}

/**
 * The pods of one service (`<namespace>/<app>`): the cluster's pod addresses, the labels `{ app }` its
 * NetworkPolicy and its callees' policies select, and the ServiceAccount its Deployment runs as (its mesh
 * identity). A service with no Deployment in the plan does not resolve.
 */
export function servicePodsEndpoint(idx: PlanIndex, cluster: "eks" | "gke", service: string, ref: string): Endpoint {
    const [namespace, app, ...rest] = service.split("/");
    if (!namespace || !app || rest.length > 0) throw new UnresolvedEndpoint(`${ref}: expected <namespace>/<app>`);
    const deployment = deploymentOf(idx, cluster, namespace, app);
    if (!deployment) throw new UnresolvedEndpoint(`no Deployment of app ${app} in ${namespace} on ${cluster}`);
    const pods =
        cluster === "eks" ? eksEndpoint(idx, "eks-pods", namespace, ref) : gkeEndpoint(idx, "gke-pods", namespace, ref);
    const serviceAccount: string =
        deployment.inputs.spec?.template?.spec?.serviceAccountName ?? DEFAULT_SERVICE_ACCOUNT;
    return {
        ...pods,
        label: `${cluster.toUpperCase()} pods ${namespace}/${app}`,
        pods: [{ cluster, namespace, labels: { app }, serviceAccount }],
    };
}

/** Default listener port of each RDS engine family (the `port` argument's default). */
export const RDS_ENGINE_PORTS: Readonly<Record<string, number>> = {
    postgres: 5432,
    mysql: 3306,
    mariadb: 3306,
    sqlserver: 1433,
    oracle: 1521,
};

function enginePort(instance: RecordedResource): number | undefined {
    if (instance.inputs.port !== undefined) return Number(instance.inputs.port);
    const engine = String(instance.inputs.engine ?? "");
    const family = Object.keys(RDS_ENGINE_PORTS).find((f) => engine.startsWith(f));
    return family ? RDS_ENGINE_PORTS[family] : undefined;
}

/** Environment names are single DNS words (`dev`, `prod`), so `platform-<env>-<service>` parses one way. */
const rdsIdentifier = (service: string) => new RegExp(`^platform-[a-z0-9]+-${service.replace(/[.-]/g, "\\$&")}$`);

/**
 * A service's dedicated RDS instance: the `aws.rds.Instance` whose `identifier` is
 * `platform-<env>-<service>`, in the subnets of its DB subnet group, wearing its `vpcSecurityGroupIds`.
 */
export function rdsEndpoint(idx: PlanIndex, service: string, ref: string): Endpoint {
    const pattern = rdsIdentifier(service);
    const instance = idx.of("aws:rds/instance:Instance").find((i) => pattern.test(String(i.inputs.identifier ?? "")));
    if (!instance) throw new UnresolvedEndpoint(`no RDS instance platform-<env>-${service} in the plan`);
    const port = enginePort(instance);
    const open = instance.inputs.publiclyAccessible === true;
    return {
        ref,
        label: `RDS instance ${instance.inputs.identifier}`,
        cloud: "aws",
        ...dataPlace(
            idx,
            instance.inputs.vpcSecurityGroupIds ?? [],
            subnetGroupIds(idx, "aws:rds/subnetGroup:SubnetGroup", instance.inputs.dbSubnetGroupName),
            ref,
        ),
        admission: {
            resource: instance.name,
            ...(port !== undefined ? { ports: [port] } : {}),
            portsDetail: String(instance.inputs.engine ?? "its engine"),
        },
        exposure: {
            resource: instance.name,
            public: open,
            private: true,
            detail: `publiclyAccessible: ${open}`,
        },
    };
}

/** `com.amazonaws.<region>.<service>` -> `<service>` (`ecr.api` keeps its dot). */
export const endpointService = (serviceName: unknown): string =>
    String(serviceName ?? "")
        .split(".")
        .slice(3)
        .join(".");

/** The VPC the EKS pods live in (the callers of the AWS APIs), or undefined without a cluster. */
function podsVpc(idx: PlanIndex): string | undefined {
    const c = idx.eksCluster();
    const ids: string[] = c?.inputs.privateSubnetIds ?? c?.inputs.subnetIds ?? [];
    return ids.length > 0 ? idx.vpcOfSubnet(ids[0])?.vpcId : undefined;
}

/**
 * An AWS API as the EKS pods reach it. An interface endpoint in their VPC with private DNS makes the
 * regional name resolve to the endpoint's addresses in its subnets, behind its security groups
 * (https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html); without
 * private DNS (the provider's default is false) the name still resolves to the public endpoint. A gateway
 * endpoint (S3, DynamoDB) keeps the public addresses but routes them to itself. Otherwise the pods leave
 * through the NAT gateway to the public endpoint.
 */
export function awsApiEndpoint(idx: PlanIndex, service: string, ref: string): Endpoint {
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(service)) throw new UnresolvedEndpoint(`${ref}: not an AWS service name`);
    const vpcId = podsVpc(idx);
    const endpoints = idx
        .of("aws:ec2/vpcEndpoint:VpcEndpoint")
        .filter((e) => endpointService(e.inputs.serviceName) === service && (!vpcId || e.inputs.vpcId === vpcId));
    const iface = endpoints.find(
        (e) => e.inputs.vpcEndpointType === "Interface" && e.inputs.privateDnsEnabled === true,
    );
    if (iface) {
        const { vpc, cidrs, routeTables } = placeOf(idx, idx.subnetsById(iface.inputs.subnetIds ?? []), ref);
        return {
            ref,
            label: `interface endpoint ${iface.name} (AWS ${service})`,
            cloud: "aws",
            cidrs,
            aws: { vpcId: vpc.vpcId, routeTables, securityGroups: iface.inputs.securityGroupIds ?? [] },
            admission: { resource: iface.name, ports: [443], portsDetail: "HTTPS" },
            exposure: { resource: iface.name, public: false, private: true, detail: "privateDnsEnabled: true" },
        };
    }
    const gateway = endpoints.find((e) => e.inputs.vpcEndpointType === "Gateway");
    return {
        ref,
        label: `public endpoint of AWS ${service}`,
        cloud: "internet",
        cidrs: [ANYWHERE],
        public: true,
        ...(gateway
            ? {
                  gatewayEndpoint: {
                      resource: gateway.name,
                      vpcId: gateway.inputs.vpcId,
                      routeTables: gateway.inputs.routeTableIds ?? [],
                  },
              }
            : {}),
        admission: { resource: `AWS ${service}`, ports: [443], portsDetail: "HTTPS" },
        exposure: {
            resource: `AWS ${service}`,
            public: true,
            private: false,
            detail: gateway ? `public addresses, routed through gateway endpoint ${gateway.name}` : "public endpoint",
        },
    };
}
