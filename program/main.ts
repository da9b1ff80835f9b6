/**
 * The platform, as a table of contents: config, then the context where every topology decision has a
 * name, then one line per layer, then the stack outputs. `index.ts` hands this function to Pulumi; the
 * offline plan and the tests run the very same function under the mock runtime.
 */
import { PLATFORM_EVENT_ROUTES, PLATFORM_SUBSCRIPTIONS, PLATFORM_TOPICS } from "../catalog/messaging";
import { loadPlatformConfig } from "../config/load";
import { platformContext } from "./context";
import { cicd } from "./layers/cicd";
import { data } from "./layers/data";
import { kubernetes } from "./layers/kubernetes";
import { mesh } from "./layers/mesh";
import { messaging, type MessagingRoutes } from "./layers/messaging";
import { network } from "./layers/network";
import { security } from "./layers/security";
import { stackOutputs } from "./outputs";

/**
 * What the program builds beyond the stack's configuration. Pulumi calls `main()` without arguments, so
 * a deployment always gets the catalog; tools (the benchmark) pass other values to vary the platform.
 */
export type PlatformOptions = Partial<MessagingRoutes>;

/** The platform's messaging routes, from `catalog/`. */
export const CATALOG_ROUTES: MessagingRoutes = {
    topics: PLATFORM_TOPICS,
    subscriptions: PLATFORM_SUBSCRIPTIONS,
    eventRoutes: PLATFORM_EVENT_ROUTES,
};

export async function main(options: PlatformOptions = {}): Promise<Record<string, unknown>> {
    // Throws a ConfigValidationError (all problems at once) before anything is registered.
    const ctx = platformContext(loadPlatformConfig());

    const keys = security(ctx);
    const net = network(ctx, keys);
    const clusters = kubernetes(ctx, keys, net);
    // Every in-cluster object is in the mesh layer; the bootstrap `up` leaves it for the in-VPC runner.
    const meshLayer = ctx.inClusterLayers ? mesh(ctx, clusters) : undefined;
    const stores = data(ctx, keys, net);
    const bus = messaging(ctx, keys, net, { ...CATALOG_ROUTES, ...options });
    const runner = cicd(ctx, keys, net);

    return stackOutputs(ctx, { keys, net, clusters, mesh: meshLayer, data: stores, messaging: bus, runner });
}
