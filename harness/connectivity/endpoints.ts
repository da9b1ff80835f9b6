/** Resolves a flow's symbolic endpoints (catalog/connectivity.ts) against the plan. */
import { awsDataEndpoint, awsGatewayEndpoint, eksEndpoint, eksPublicEndpoint } from "./endpoints-aws";
import { gcpDataEndpoint, gcpGatewayEndpoint, gkeEndpoint } from "./endpoints-gcp";
import { awsApiEndpoint, rdsEndpoint, servicePodsEndpoint } from "./endpoints-services";
import { lastSegment, type PlanIndex } from "./plan-index";
import { ANYWHERE, covers, intersects, mustBeCidr } from "./ranges";
import { UnresolvedEndpoint, type Endpoint } from "./types";

export interface ResolveOptions {
    /**
     * Where `pulumi up` runs (`network.deployerCidrs`). Undefined: {@link DEFAULT_DEPLOYER}.
     */
    readonly deployerCidrs?: readonly string[];
    /** Who dials the destination: the internet sees public endpoints where private callers see private ones. */
    readonly viewer?: "internet" | "private";
}

/**
 * Until `network.deployerCidrs` exists, the deployer is taken to be a runner in the EKS cluster's VPC,
 * in its private subnets (issue 12, item 6: deploy jobs run where the flows say the deployer is).
 */
export const DEFAULT_DEPLOYER = "the private subnets of the EKS cluster's VPC";

function deployer(idx: PlanIndex, ref: string, cidrs: readonly string[] | undefined): Endpoint {
    if (!cidrs) {
        const eks = eksEndpoint(idx, "eks-control-plane", undefined, ref);
        // The runner's own security group is created outside this plan.
        return { ...eks, label: `deployer (${DEFAULT_DEPLOYER})`, aws: { ...eks.aws!, securityGroups: undefined } };
    }
    cidrs.forEach((c) => mustBeCidr(c, "network.deployerCidrs"));
    const vpcs = idx.awsVpcs().filter((v) => cidrs.every((c) => covers(v.cidr, c)));
    if (vpcs.length > 0) {
        const vpc = vpcs[0];
        const subnets = vpc.subnets.filter((s) => cidrs.some((c) => intersects(s.cidr, c)));
        const tables = (subnets.length > 0 ? subnets : vpc.subnets.filter((s) => s.kind === "Private")).map(
            (s) => s.routeTable,
        );
        return {
            ref,
            label: `deployer (${cidrs.join(", ")})`,
            cloud: "aws",
            cidrs,
            aws: { vpcId: vpc.vpcId, routeTables: tables },
        };
    }
    const gcpSubnet = idx
        .of("gcp:compute/subnetwork:Subnetwork")
        .find((s) => cidrs.every((c) => covers(s.inputs.ipCidrRange, c)));
    if (gcpSubnet) {
        return {
            ref,
            label: `deployer (${cidrs.join(", ")})`,
            cloud: "gcp",
            cidrs,
            gcp: { network: lastSegment(gcpSubnet.inputs.network), tags: [] },
        };
    }
    if (cidrs.some((c) => idx.awsVpcs().some((v) => intersects(v.cidr, c)))) {
        throw new UnresolvedEndpoint(`network.deployerCidrs ${cidrs.join(", ")} straddle a VPC's range`);
    }
    // Outside both clouds: reaches only public addresses, from public addresses.
    return { ref, label: `deployer (${cidrs.join(", ")})`, cloud: "internet", cidrs, public: true };
}

export function resolveEndpoint(idx: PlanIndex, ref: string, opts: ResolveOptions = {}): Endpoint {
    const [kind, namespace] = ref.split(":");
    if (kind === "internet") return { ref, label: "the internet", cloud: "internet", cidrs: [ANYWHERE], public: true };
    if (kind === "google-apis") {
        return {
            ref,
            label: "Google APIs",
            cloud: "internet",
            cidrs: [ANYWHERE],
            public: true,
            exposure: { resource: "Google APIs", public: true, private: false, detail: "public endpoints" },
        };
    }
    if (kind === "deployer") return deployer(idx, ref, opts.deployerCidrs);
    if (kind === "eks-api" && opts.viewer === "internet") return eksPublicEndpoint(idx, ref);
    // `<namespace>/<app>`: the pods of one service, not a namespace.
    if ((kind === "eks-pods" || kind === "gke-pods") && namespace?.includes("/"))
        return servicePodsEndpoint(idx, kind === "eks-pods" ? "eks" : "gke", namespace, ref);
    if (kind === "rds" && namespace) return rdsEndpoint(idx, namespace, ref);
    if (kind === "aws-api" && namespace) return awsApiEndpoint(idx, namespace, ref);
    if (kind.startsWith("eks-")) return eksEndpoint(idx, kind, namespace, ref);
    if (kind.startsWith("gke-")) return gkeEndpoint(idx, kind, namespace, ref);
    if (["aurora-writer", "elasticache", "msk", "msk-connect"].includes(kind))
        return awsDataEndpoint(idx, kind, ref, opts.viewer);
    if (["cloudsql", "memorystore", "dms"].includes(kind)) return gcpDataEndpoint(idx, kind, ref);
    const gw = /^(eastwest|ingress)-gateway@(aws|gcp)$/.exec(kind);
    if (gw) {
        const label = gw[1] === "eastwest" ? "eastwestgateway" : "ingressgateway";
        return gw[2] === "aws" ? awsGatewayEndpoint(idx, label, ref) : gcpGatewayEndpoint(idx, label, ref);
    }
    throw new UnresolvedEndpoint(`unknown endpoint ${ref}`);
}
