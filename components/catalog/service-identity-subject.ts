/**
 * Whose identity a cloud role or account is: one service's pods, by namespace and ServiceAccount. The AWS
 * and GCP identity components share these arguments and their checks.
 */
import { isDnsLabel } from "../mesh/mesh-ca";

export interface ServiceIdentitySubject {
    /** Service name (a DNS label). */
    readonly service: string;
    /** Namespace the service's pods run in. */
    readonly namespace: string;
    /** Kubernetes ServiceAccount the pods run as. @default the service name (what `ServiceWorkload` creates) */
    readonly serviceAccount?: string;
}

/** The subject's problems, each naming its key and the value received. */
export function identitySubjectProblems(args: ServiceIdentitySubject): string[] {
    const problems: string[] = [];
    for (const key of ["service", "namespace", "serviceAccount"] as const) {
        const value = args[key];
        if (key === "serviceAccount" && value === undefined) continue;
        if (typeof value !== "string" || !isDnsLabel(value))
            problems.push(`${key} must be a lowercase DNS label; received ${JSON.stringify(value)}`);
    }
    return problems;
}
