/**
 * The platform, as a table of contents: config, then the context where every topology decision has a
 * name, then one line per layer, then the stack outputs. `index.ts` hands this function to Pulumi; the
 * offline plan and the tests run the very same function under the mock runtime.
 */
import { loadServiceCatalog } from "../catalog/load";
import { messagingRoutes } from "../catalog/routes";
import type { CatalogDocuments } from "../catalog/validate";
import { checkDrTopics, loadPlatformConfig } from "../config/load";
import { platformContext } from "./context";
import { cicd } from "./layers/cicd";
import { data } from "./layers/data";
import { kubernetes } from "./layers/kubernetes";
import { mesh } from "./layers/mesh";
import { messaging } from "./layers/messaging";
import { network } from "./layers/network";
import { security } from "./layers/security";
import { serviceData } from "./layers/service-data";
import { serviceIdentities } from "./layers/service-identity";
import { services } from "./layers/services";
import { stackOutputs } from "./outputs";

/**
 * What the program builds beyond the stack's configuration. Pulumi calls `main()` without arguments, so
 * a deployment always gets the repository's catalog; tests and the benchmark pass other catalog
 * documents to vary the platform: the catalog is the one way in.
 */
export interface PlatformOptions {
    readonly catalog?: CatalogDocuments;
}

export async function main(options: PlatformOptions = {}): Promise<Record<string, unknown>> {
    // All three throw a ConfigValidationError (all problems at once) before anything is registered.
    const cfg = loadPlatformConfig();
    const catalog = loadServiceCatalog(cfg.stack, options.catalog);
    const routes = messagingRoutes(catalog);
    checkDrTopics(
        cfg,
        routes.kafkaTopics.map((t) => t.name),
    );
    const ctx = platformContext(cfg);

    const keys = security(ctx);
    const net = network(ctx, keys);
    const clusters = kubernetes(ctx, keys, net);
    // Every in-cluster object is in the mesh layer; the bootstrap `up` leaves it for the in-VPC runner.
    const meshLayer = ctx.inClusterLayers ? mesh(ctx, clusters) : undefined;
    const stores = data(ctx, keys, net, catalog);
    const serviceStores = serviceData(ctx, keys, net, catalog, stores);
    const bus = messaging(ctx, keys, net, routes);
    const identities = serviceIdentities(ctx, keys, catalog, { clusters, stores, serviceStores, bus });
    if (meshLayer) services(ctx, catalog, meshLayer, identities, bus.topics.topics);
    const runner = cicd(ctx, keys, net);

    return stackOutputs(ctx, { keys, net, clusters, mesh: meshLayer, data: stores, messaging: bus, runner });
}
