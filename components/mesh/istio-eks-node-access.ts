/**
 * What Istio needs from an EKS cluster's network: the API server calls istiod's webhook on the nodes, and
 * nodes reach istiod's xDS. It belongs to the mesh, not to the cluster: a cluster without Istio needs
 * neither rule.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MESH_PORTS } from "../shared/mesh-ports";

/** The istiod ports the EKS control plane and the nodes must reach, by purpose (the purpose names the rule). */
export const ISTIO_CONTROL_PLANE_PORTS = { webhook: MESH_PORTS.webhook, xds: MESH_PORTS.xds } as const;

export interface IstioEksNodeAccessArgs {
    /** The security group EKS creates and puts on the control plane and every managed node (`EksCluster.clusterSecurityGroupId`). */
    readonly clusterSecurityGroupId: pulumi.Input<string>;
    /**
     * The component that created these rules before they moved here (the `EksCluster`): their state is
     * kept through `aliases` instead of being replaced. @default none, for stacks that never had them there
     */
    readonly formerParent?: pulumi.Resource;
}

/**
 * istiod's webhook (15017, called by the API server) and xDS (15012) on the nodes, from the control plane.
 * Both sides wear the EKS cluster security group, whose default self-referencing rule already admits
 * this; the named rules keep the mesh working if that catch-all is ever tightened, and say why it matters.
 * Rules are named `<name>-<purpose>`. Needs an `aws` provider.
 */
export class IstioEksNodeAccess extends pulumi.ComponentResource {
    /** The ingress rules by purpose. */
    public readonly rules: Readonly<Record<keyof typeof ISTIO_CONTROL_PLANE_PORTS, aws.vpc.SecurityGroupIngressRule>>;

    constructor(name: string, args: IstioEksNodeAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:mesh:IstioEksNodeAccess", name, {}, opts);
        const rule = (purpose: keyof typeof ISTIO_CONTROL_PLANE_PORTS) =>
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-${purpose}`,
                {
                    securityGroupId: args.clusterSecurityGroupId,
                    referencedSecurityGroupId: args.clusterSecurityGroupId,
                    ipProtocol: "tcp",
                    fromPort: ISTIO_CONTROL_PLANE_PORTS[purpose],
                    toPort: ISTIO_CONTROL_PLANE_PORTS[purpose],
                    description: `istiod ${purpose} from the EKS control plane`,
                },
                { parent: this, aliases: args.formerParent ? [{ parent: args.formerParent }] : [] },
            );
        this.rules = { webhook: rule("webhook"), xds: rule("xds") };
        this.registerOutputs({});
    }
}
