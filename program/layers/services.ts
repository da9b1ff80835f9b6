/**
 * The catalog's services on both clusters: every entry runs on EKS in the stack's own service namespace
 * and stands by on GKE at its DR replica count; every service namespace denies by default.
 */
import type * as pulumi from "@pulumi/pulumi";
import { namespaceDefaultDeny, ServiceWorkload, type ServiceCatalog } from "../../components/catalog";
import { SERVICE_ENVIRONMENTS } from "../../components/kubernetes";
import { serviceWorkloadArgs, type ServiceEgressRanges, type WorkloadSide } from "../../catalog/workloads";
import type { PlatformContext } from "../context";
import type { MeshLayer } from "./mesh";
import type { ServiceIdentityLayer } from "./service-identity";

/** The side each cluster plays: EKS serves, GKE is the DR standby. */
const SIDES = { aws: "primary", gcp: "dr" } as const satisfies Record<string, WorkloadSide>;

export interface ServicesLayer {
    /** The workloads by cluster and service name. */
    readonly workloads: {
        readonly aws: Record<string, ServiceWorkload>;
        readonly gcp: Record<string, ServiceWorkload>;
    };
}

/** Where each service's own stores and APIs are: only its NetworkPolicy opens them (catalog/service-egress.ts). */
function serviceEgressRanges(ctx: PlatformContext): ServiceEgressRanges {
    return {
        awsDataStores: ctx.ranges.awsDataStores,
        gcpPrivateServices: [ctx.cfg.network.gcpPrivateServicesCidr],
        interfaceEndpoints: ctx.topology.interfaceEndpoints,
        // AwsNetwork puts its interface endpoints in the app subnets, where the EKS pods are.
        interfaceEndpointCidrs: ctx.ranges.eksPods,
    };
}

export function services(
    ctx: PlatformContext,
    catalog: ServiceCatalog,
    meshLayer: MeshLayer,
    identities: ServiceIdentityLayer,
    kafkaTopics: Readonly<Record<string, pulumi.Resource>>,
): ServicesLayer {
    const { namespaces, istio } = meshLayer;
    const workloads: ServicesLayer["workloads"] = { aws: {}, gcp: {} };
    const egress = serviceEgressRanges(ctx);
    for (const cloud of ["aws", "gcp"] as const) {
        const provider = istio[cloud].kubernetesProvider;
        const meshDependsOn = [istio[cloud].istiod];
        // Every service namespace, used or not: a namespace without it would admit any mesh workload.
        for (const env of SERVICE_ENVIRONMENTS) {
            namespaceDefaultDeny(
                `services-${cloud}-${env}-allow-nothing`,
                { namespace: namespaces[cloud].serviceNamespaces[env] },
                // Beside the mesh layer's namespace DestinationRules: every resource sits in a component.
                { parent: istio[cloud], provider, dependsOn: meshDependsOn },
            );
        }
        for (const entry of catalog.services) {
            // Its pods start once their cloud identity can do what it must (role, policy, grants) and the
            // Kafka topics it produces to and consumes from exist (auto-creation is off on MSK).
            const ready = [
                namespaces[cloud],
                identities[cloud][entry.name],
                ...[...entry.publishes.kafka.map((k) => k.name), ...entry.subscribes.kafka].map((t) => kafkaTopics[t]),
            ];
            workloads[cloud][entry.name] = new ServiceWorkload(
                `services-${cloud}-${entry.name}`,
                {
                    ...serviceWorkloadArgs(entry, catalog, ctx.serviceNamespace, SIDES[cloud], egress),
                    // IRSA on EKS, Workload Identity on GKE: the pods' only cloud credentials.
                    identity:
                        cloud === "aws"
                            ? { awsIamRoleArn: identities.aws[entry.name].roleArn }
                            : { gcpServiceAccountEmail: identities.gcp[entry.name].email },
                },
                // The namespaces (quota, limits, network policies) exist first: the component registers once
                // their objects and `ready` have, and its children wait for it (they need its URN as parent).
                { provider, dependsOn: ready, meshDependsOn },
            );
        }
    }
    return { workloads };
}
