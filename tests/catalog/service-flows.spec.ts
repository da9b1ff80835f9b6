/** The catalog's service flows (catalog/service-flows.ts): exactly what each entry uses, and what it must not reach. */
import * as assert from "assert";
import { connectivityFlows } from "../../catalog/connectivity";
import { loadServiceCatalog } from "../../catalog/load";
import { serviceFlows } from "../../catalog/service-flows";
import type { CatalogDocuments } from "../../catalog/validate";
import { withShipping } from "./fixture";

const prod = loadServiceCatalog("prod");
const flows = serviceFlows(prod, "services-prod");
const line = (f: (typeof flows)[number]) =>
    `${f.expect} ${f.id}: ${f.source} -> ${f.destination} ${f.ports.join(",")}${f.pending ? ` (pending: ${f.pending})` : ""}`;
/** The flows of `service`'s pods: from them, or probing them (`svc-<prober>-not-<service>`). */
const of = (service: string, list = flows) =>
    list
        .filter(
            (f) => f.id.startsWith(`svc-${service}-`) || new RegExp(`-not-${service}$|-no-rds-${service}$`).test(f.id),
        )
        .map(line);

describe("catalog -> service flows", () => {
    it("payment: its Kafka, its AWS APIs on 443, no Aurora, no cache, no other service; on GKE, Google APIs only", () => {
        const eks = "eks-pods:services-prod";
        const gke = "gke-pods:services-prod";
        assert.deepStrictEqual(of("payment"), [
            `allow svc-payment-to-msk: ${eks}/payment -> msk 9098`,
            `allow svc-payment-to-dynamodb: ${eks}/payment -> aws-api:dynamodb 443`,
            `allow svc-payment-to-sqs: ${eks}/payment -> aws-api:sqs 443`,
            `allow svc-payment-to-sns: ${eks}/payment -> aws-api:sns 443`,
            `allow svc-payment-to-events: ${eks}/payment -> aws-api:events 443`,
            // A table is reached with the role alone: no secret, so no Secrets Manager.
            `allow svc-payment-to-sts: ${eks}/payment -> aws-api:sts 443`,
            `deny svc-payment-no-aurora: ${eks}/payment -> aurora-writer 5432`,
            `deny svc-payment-no-elasticache: ${eks}/payment -> elasticache 6379`,
            // The first service that does not call payment probes it.
            `deny svc-user-not-payment: ${eks}/user -> ${eks}/payment 8080`,
            `deny svc-payment-dr-no-cloudsql: ${gke}/payment -> cloudsql 5432`,
            `deny svc-payment-dr-no-memorystore: ${gke}/payment -> memorystore 6378`,
            `allow svc-payment-dr-to-google-apis: ${gke}/payment -> google-apis 443`,
            `deny svc-user-dr-not-payment: ${gke}/user -> ${gke}/payment 8080`,
        ]);
    });

    it("order: Aurora, the cache, Kafka, its APIs and its three callees; Cloud SQL and Memorystore on GKE", () => {
        const eks = "eks-pods:services-prod";
        const gke = "gke-pods:services-prod";
        assert.deepStrictEqual(
            of("order").filter((l) => !/-not-(user|product|payment)$|no-rds/.test(l.split(":")[0])),
            [
                `allow svc-order-to-aurora: ${eks}/order -> aurora-writer 5432`,
                `allow svc-order-to-elasticache: ${eks}/order -> elasticache 6379`,
                `allow svc-order-to-msk: ${eks}/order -> msk 9098`,
                `allow svc-order-to-sqs: ${eks}/order -> aws-api:sqs 443`,
                `allow svc-order-to-sns: ${eks}/order -> aws-api:sns 443`,
                `allow svc-order-to-events: ${eks}/order -> aws-api:events 443`,
                `allow svc-order-to-secretsmanager: ${eks}/order -> aws-api:secretsmanager 443`,
                `allow svc-order-to-sts: ${eks}/order -> aws-api:sts 443`,
                `allow svc-order-calls-user: ${eks}/order -> ${eks}/user 8080`,
                `allow svc-order-calls-product: ${eks}/order -> ${eks}/product 8080`,
                `allow svc-order-calls-payment: ${eks}/order -> ${eks}/payment 8080`,
                `deny svc-user-not-order: ${eks}/user -> ${eks}/order 8080`,
                `allow svc-order-dr-to-cloudsql: ${gke}/order -> cloudsql 5432`,
                `allow svc-order-dr-to-memorystore: ${gke}/order -> memorystore 6378`,
                `allow svc-order-dr-to-google-apis: ${gke}/order -> google-apis 443`,
                `allow svc-order-dr-calls-user: ${gke}/order -> ${gke}/user 8080`,
                `allow svc-order-dr-calls-product: ${gke}/order -> ${gke}/product 8080`,
                `allow svc-order-dr-calls-payment: ${gke}/order -> ${gke}/payment 8080`,
                `deny svc-user-dr-not-order: ${gke}/user -> ${gke}/order 8080`,
            ],
        );
    });

    it("product: its own RDS instance on the MySQL port; the first service that does not call it is refused it", () => {
        assert.deepStrictEqual(
            flows.filter((f) => f.destination === "rds:product").map((f) => [f.id, f.expect, f.ports]),
            [
                ["svc-product-to-rds", "allow", [3306]],
                ["svc-user-no-rds-product", "deny", [3306]],
            ],
        );
        assert.deepStrictEqual(
            flows.filter((f) => f.pending),
            [],
        );
    });

    it("ids are unique, kebab-case, and join the platform's flows", () => {
        assert.strictEqual(new Set(flows.map((f) => f.id)).size, flows.length);
        for (const f of flows) assert.match(f.id, /^svc-[a-z0-9]+(-[a-z0-9]+)*$/);
        assert.strictEqual(connectivityFlows(flows).length - connectivityFlows().length, flows.length);
        // Linear in the catalog: the denies between services are sampled (service-flows.ts).
        assert.strictEqual(flows.length, 58);
    });

    it("a fifth entry gets its flows, and a flow proving a service that does not call it is refused", () => {
        const five = loadServiceCatalog("prod", withShipping("prod") as CatalogDocuments);
        const more = serviceFlows(five, "services-dev");
        assert.deepStrictEqual(
            of("shipping", more).filter((l) => l.startsWith("allow")),
            [
                "allow svc-shipping-to-dynamodb: eks-pods:services-dev/shipping -> aws-api:dynamodb 443",
                "allow svc-shipping-to-sqs: eks-pods:services-dev/shipping -> aws-api:sqs 443",
                "allow svc-shipping-to-events: eks-pods:services-dev/shipping -> aws-api:events 443",
                "allow svc-shipping-to-sts: eks-pods:services-dev/shipping -> aws-api:sts 443",
                "allow svc-shipping-calls-order: eks-pods:services-dev/shipping -> eks-pods:services-dev/order 8080",
                "allow svc-shipping-dr-to-google-apis: gke-pods:services-dev/shipping -> google-apis 443",
                "allow svc-shipping-dr-calls-order: gke-pods:services-dev/shipping -> gke-pods:services-dev/order 8080",
            ],
        );
        assert.deepStrictEqual(
            more.filter((f) => f.id.endsWith("-not-shipping")).map((f) => [f.id, f.expect]),
            [
                ["svc-user-not-shipping", "deny"],
                ["svc-user-dr-not-shipping", "deny"],
            ],
        );
        assert.strictEqual(connectivityFlows(more).length, connectivityFlows().length + more.length);
    });
});
