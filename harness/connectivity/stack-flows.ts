/**
 * The service catalog's flows of one stack, as `npm run plan` and the tests register them: the stack's
 * validated catalog, in the stack's own service namespace (`services-<environment>`, as
 * program/context.ts names it).
 */
import { loadServiceCatalog } from "../../catalog/load";
import { serviceFlows } from "../../catalog/service-flows";
import type { CatalogDocuments } from "../../catalog/validate";
import type { ConnectivityFlow } from "../../catalog/connectivity";
import { serviceNamespace, SERVICE_ENVIRONMENTS, type ServiceEnvironment } from "../../components/kubernetes";
import { loadStackConfig } from "../stack-config";

/** `services-<environment>` from a flat stack config; undefined when the environment is missing or unknown. */
export function serviceNamespaceFrom(config: Readonly<Record<string, string>>): string | undefined {
    const env = Object.entries(config).find(([k]) => k.endsWith(":environment"))?.[1];
    return SERVICE_ENVIRONMENTS.includes(env as ServiceEnvironment)
        ? serviceNamespace(env as ServiceEnvironment)
        : undefined;
}

/**
 * Every service flow of `stack`. Without an environment in the config there is nothing to evaluate
 * (the program refuses that config before any resource exists): no flows.
 */
export function stackServiceFlows(
    stack: string,
    opts: { config?: Readonly<Record<string, string>>; catalog?: CatalogDocuments } = {},
): ConnectivityFlow[] {
    const namespace = serviceNamespaceFrom(opts.config ?? loadStackConfig(stack).config);
    return namespace ? serviceFlows(loadServiceCatalog(stack, opts.catalog), namespace) : [];
}
