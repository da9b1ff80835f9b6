/**
 * The recorded resources indexed once for the hop evaluators: by type, by URN, and the few joins
 * every evaluator needs (which awsx VPC an id belongs to, which cluster a Kubernetes object targets).
 */
import type { RecordedResource } from "../recorder";

/** Last path segment of a GCP reference (`projects/p/global/networks/n` -> `n`). */
export const lastSegment = (ref: unknown): string =>
    String(ref ?? "")
        .split("/")
        .pop() ?? "";

/** A subnet awsx creates (its children are invisible offline; see {@link awsVpcs}). */
export interface AwsSubnet {
    readonly id: string;
    readonly kind: "Public" | "Private" | "Isolated";
    readonly cidr: string;
    readonly routeTable: string;
}

export interface AwsVpc {
    readonly resource: RecordedResource;
    readonly vpcId: string;
    readonly cidr: string;
    readonly subnets: readonly AwsSubnet[];
}

export class PlanIndex {
    private readonly byType = new Map<string, RecordedResource[]>();
    private readonly urns = new Map<string, RecordedResource>();
    private vpcCache?: AwsVpc[];
    private readonly k8sCache = new Map<string, RecordedResource[]>();

    constructor(readonly resources: readonly RecordedResource[]) {
        for (const r of resources) {
            const list = this.byType.get(r.type) ?? [];
            list.push(r);
            this.byType.set(r.type, list);
            this.urns.set(r.urn, r);
        }
    }

    of(type: string): readonly RecordedResource[] {
        return this.byType.get(type) ?? [];
    }

    byUrn(urn: string | undefined): RecordedResource | undefined {
        return urn ? this.urns.get(urn) : undefined;
    }

    /**
     * awsx `ec2.Vpc` children, modelled from its inputs and outputs: one subnet and one route table per
     * subnet spec and zone, in the order of its `publicSubnetIds`, `privateSubnetIds`,
     * `isolatedSubnetIds` and `routeTables` outputs, CIDRs from `subnetSpecs[].cidrBlocks`. awsx gives
     * public subnets a default route to the internet gateway, private ones to a NAT gateway and
     * isolated ones none (awsx's subnet types, https://www.pulumi.com/docs/reference/pkg/nodejs/pulumi/awsx/types/classic.ec2.VpcSubnetType.html).
     */
    awsVpcs(): readonly AwsVpc[] {
        if (this.vpcCache) return this.vpcCache;
        this.vpcCache = this.of("awsx:ec2:Vpc").map((r) => {
            const specs: { type: string; cidrBlocks?: string[] }[] = r.inputs.subnetSpecs ?? [];
            const ids: [AwsSubnet["kind"], string[]][] = [
                ["Public", r.outputs.publicSubnetIds ?? []],
                ["Private", r.outputs.privateSubnetIds ?? []],
                ["Isolated", r.outputs.isolatedSubnetIds ?? []],
            ];
            const tables: { id: string }[] = r.outputs.routeTables ?? [];
            const cidr = r.inputs.cidrBlock as string;
            const subnets: AwsSubnet[] = [];
            for (const [kind, list] of ids) {
                const spec = specs.find((s) => s.type === kind);
                list.forEach((id, i) =>
                    subnets.push({ id, kind, cidr: spec?.cidrBlocks?.[i] ?? cidr, routeTable: "" }),
                );
            }
            return {
                resource: r,
                vpcId: r.outputs.vpcId as string,
                cidr,
                subnets: subnets.map((s, i) => ({ ...s, routeTable: tables[i]?.id ?? "" })),
            };
        });
        return this.vpcCache;
    }

    vpcById(vpcId: string | undefined): AwsVpc | undefined {
        return this.awsVpcs().find((v) => v.vpcId === vpcId);
    }

    subnetsById(ids: readonly string[]): AwsSubnet[] {
        const all = this.awsVpcs().flatMap((v) => v.subnets);
        return ids.flatMap((id) => all.filter((s) => s.id === id));
    }

    vpcOfSubnet(id: string): AwsVpc | undefined {
        return this.awsVpcs().find((v) => v.subnets.some((s) => s.id === id));
    }

    /** The resource of `type` whose id (as a GCP reference or a plain id) is `ref`. */
    gcpByRef(type: string, ref: unknown): RecordedResource | undefined {
        const key = lastSegment(ref);
        return this.of(type).find(
            (r) => r.outputs.id === ref || lastSegment(r.outputs.id) === key || lastSegment(r.outputs.name) === key,
        );
    }

    securityGroup(id: string): RecordedResource | undefined {
        return this.of("aws:ec2/securityGroup:SecurityGroup").find((r) => r.outputs.id === id);
    }

    /** `eks` or `gke`: the cluster a Kubernetes object is applied to, from its provider's parent. */
    clusterOf(r: RecordedResource): "eks" | "gke" | undefined {
        const provider = this.byUrn(r.provider);
        const owner = this.byUrn(provider?.parent);
        // The provider's URN names its parent's type when the provider itself is not recorded.
        const type = owner?.type ?? r.provider ?? "";
        if (type.includes("EksCluster")) return "eks";
        if (type.includes("GkeAutopilot") || type.includes("Gke")) return "gke";
        return undefined;
    }

    /**
     * Kubernetes objects of `type` applied to `cluster` in `namespace` (metadata.namespace), computed once:
     * the evaluators ask for the same few namespaces for every probe.
     */
    k8sIn(type: string, cluster: "eks" | "gke", namespace: string | undefined): readonly RecordedResource[] {
        const key = `${type}|${cluster}|${namespace}`;
        let hit = this.k8sCache.get(key);
        if (!hit) {
            hit = this.of(type).filter(
                (r) => this.clusterOf(r) === cluster && r.inputs.metadata?.namespace === namespace,
            );
            this.k8sCache.set(key, hit);
        }
        return hit;
    }

    /** The Namespace object `name` on `cluster`. */
    namespaceOf(cluster: "eks" | "gke", name: string | undefined): RecordedResource | undefined {
        const key = `ns|${cluster}|${name}`;
        let hit = this.k8sCache.get(key);
        if (!hit) {
            hit = this.of("kubernetes:core/v1:Namespace").filter(
                (n) => this.clusterOf(n) === cluster && n.inputs.metadata?.name === name,
            );
            this.k8sCache.set(key, hit);
        }
        return hit[0];
    }

    eksCluster(): RecordedResource | undefined {
        return this.of("eks:index:Cluster")[0];
    }

    gkeCluster(): RecordedResource | undefined {
        return this.of("gcp:container/cluster:Cluster")[0];
    }
}

const cache = new WeakMap<readonly RecordedResource[], PlanIndex>();

export function indexPlan(resources: readonly RecordedResource[]): PlanIndex {
    let idx = cache.get(resources);
    if (!idx) {
        idx = new PlanIndex(resources);
        cache.set(resources, idx);
    }
    return idx;
}
