/** Validation of {@link IstioClusterArgs}: pure, every problem at once. */
import { isLabelValue } from "../kubernetes/platform-namespaces";
import type { IstioClusterArgs } from "./istio-cluster";
import { usesIstioCni } from "./istio-data-plane";
import { ISTIO_PLATFORMS } from "./istio-settings";
import { isDnsLabel } from "./mesh-ca";
import { MTLS_MODES } from "./mesh-policies";

/** Every problem with the arguments, without the Pulumi runtime. */
export function istioClusterProblems(args: IstioClusterArgs): string[] {
    const problems: string[] = [];
    if (!isDnsLabel(args.clusterName)) {
        problems.push(
            `clusterName must be a lowercase DNS label (it names the remote secret and its key); received ${JSON.stringify(args.clusterName)}`,
        );
    }
    for (const [key, v] of [
        ["network", args.network],
        ["meshId", args.meshId],
    ] as const) {
        if (!v || !isLabelValue(v))
            problems.push(`${key} must be a non-empty label value; received ${JSON.stringify(v)}`);
    }
    if (!ISTIO_PLATFORMS.includes(args.platform)) {
        problems.push(
            `platform must be one of ${ISTIO_PLATFORMS.join(", ")}; received ${JSON.stringify(args.platform)}`,
        );
    }
    if (args.mtlsMode !== undefined && !MTLS_MODES.includes(args.mtlsMode)) {
        problems.push(`mtlsMode must be one of ${MTLS_MODES.join(", ")}; received ${JSON.stringify(args.mtlsMode)}`);
    }
    if (args.values?.cni !== undefined && ISTIO_PLATFORMS.includes(args.platform) && !usesIstioCni(args.platform)) {
        problems.push(
            `values.cni has no chart to apply to: platform ${JSON.stringify(args.platform)} runs no Istio CNI agent (sidecars use istio-init); remove values.cni`,
        );
    }
    if (args.intermediateCa.clusterName !== args.clusterName) {
        problems.push(
            `intermediateCa was issued for ${JSON.stringify(args.intermediateCa.clusterName)}, not for clusterName ${JSON.stringify(args.clusterName)}; pass ca.intermediateFor(${JSON.stringify(args.clusterName)})`,
        );
    }
    return problems;
}
