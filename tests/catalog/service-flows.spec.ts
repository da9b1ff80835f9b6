/** The catalog's service flows (catalog/service-flows.ts): exactly what each entry uses, and what it must not reach. */
import * as assert from "assert";
import { connectivityFlows } from "../../catalog/connectivity";
import { loadServiceCatalog } from "../../catalog/load";
import { RDS_PENDING, serviceFlows } from "../../catalog/service-flows";
import type { CatalogDocuments } from "../../catalog/validate";
import { withShipping } from "./fixture";

const prod = loadServiceCatalog("prod");
const flows = serviceFlows(prod, "services-prod");
const line = (f: (typeof flows)[number]) =>
    `${f.expect} ${f.id}: ${f.source} -> ${f.destination} ${f.ports.join(",")}${f.pending ? ` (pending: ${f.pending})` : ""}`;
const of = (service: string, list = flows) => list.filter((f) => f.id.startsWith(`svc-${service}-`)).map(line);

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
            `allow svc-payment-to-secretsmanager: ${eks}/payment -> aws-api:secretsmanager 443`,
            `allow svc-payment-to-sts: ${eks}/payment -> aws-api:sts 443`,
            `deny svc-payment-no-aurora: ${eks}/payment -> aurora-writer 5432`,
            `deny svc-payment-no-elasticache: ${eks}/payment -> elasticache 6379`,
            `deny svc-payment-no-rds-product: ${eks}/payment -> rds:product 3306 (pending: ${RDS_PENDING})`,
            `deny svc-payment-not-user: ${eks}/payment -> ${eks}/user 8080`,
            `deny svc-payment-not-product: ${eks}/payment -> ${eks}/product 8080`,
            `deny svc-payment-not-order: ${eks}/payment -> ${eks}/order 8080`,
            `deny svc-payment-dr-no-cloudsql: ${gke}/payment -> cloudsql 5432`,
            `deny svc-payment-dr-no-memorystore: ${gke}/payment -> memorystore 6378`,
            `allow svc-payment-dr-to-google-apis: ${gke}/payment -> google-apis 443`,
            `deny svc-payment-dr-not-user: ${gke}/payment -> ${gke}/user 8080`,
            `deny svc-payment-dr-not-product: ${gke}/payment -> ${gke}/product 8080`,
            `deny svc-payment-dr-not-order: ${gke}/payment -> ${gke}/order 8080`,
        ]);
    });

    it("order: Aurora, the cache, Kafka, its APIs and its three callees; Cloud SQL and Memorystore on GKE", () => {
        const eks = "eks-pods:services-prod";
        const gke = "gke-pods:services-prod";
        assert.deepStrictEqual(of("order"), [
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
            `deny svc-order-no-rds-product: ${eks}/order -> rds:product 3306 (pending: ${RDS_PENDING})`,
            `allow svc-order-dr-to-cloudsql: ${gke}/order -> cloudsql 5432`,
            `allow svc-order-dr-to-memorystore: ${gke}/order -> memorystore 6378`,
            `allow svc-order-dr-to-google-apis: ${gke}/order -> google-apis 443`,
            `allow svc-order-dr-calls-user: ${gke}/order -> ${gke}/user 8080`,
            `allow svc-order-dr-calls-product: ${gke}/order -> ${gke}/product 8080`,
            `allow svc-order-dr-calls-payment: ${gke}/order -> ${gke}/payment 8080`,
        ]);
    });

    it("product: its own RDS instance on the MySQL port, pending until the instance lands; user denied it", () => {
        assert.deepStrictEqual(
            flows.filter((f) => f.destination === "rds:product").map((f) => [f.id, f.expect, f.ports, f.pending]),
            [
                ["svc-user-no-rds-product", "deny", [3306], RDS_PENDING],
                ["svc-product-to-rds", "allow", [3306], RDS_PENDING],
                ["svc-order-no-rds-product", "deny", [3306], RDS_PENDING],
                ["svc-payment-no-rds-product", "deny", [3306], RDS_PENDING],
            ],
        );
        assert.deepStrictEqual(
            flows.filter((f) => f.pending).map((f) => f.id),
            flows.filter((f) => f.destination.startsWith("rds:")).map((f) => f.id),
        );
        assert.ok(
            of("user").includes(
                "deny svc-user-not-order: eks-pods:services-prod/user -> eks-pods:services-prod/order 8080",
            ),
        );
    });

    it("ids are unique, kebab-case, and join the platform's flows", () => {
        assert.strictEqual(new Set(flows.map((f) => f.id)).size, flows.length);
        for (const f of flows) assert.match(f.id, /^svc-[a-z0-9]+(-[a-z0-9]+)*$/);
        assert.strictEqual(connectivityFlows(flows).length - connectivityFlows().length, flows.length);
        assert.strictEqual(flows.length, 71);
    });

    it("a fifth entry gets its flows, and every other service a flow proving it cannot reach the new one", () => {
        const five = loadServiceCatalog("prod", withShipping("prod") as CatalogDocuments);
        const more = serviceFlows(five, "services-dev");
        assert.deepStrictEqual(
            of("shipping", more).filter((l) => l.startsWith("allow")),
            [
                "allow svc-shipping-to-dynamodb: eks-pods:services-dev/shipping -> aws-api:dynamodb 443",
                "allow svc-shipping-to-sqs: eks-pods:services-dev/shipping -> aws-api:sqs 443",
                "allow svc-shipping-to-events: eks-pods:services-dev/shipping -> aws-api:events 443",
                "allow svc-shipping-to-secretsmanager: eks-pods:services-dev/shipping -> aws-api:secretsmanager 443",
                "allow svc-shipping-to-sts: eks-pods:services-dev/shipping -> aws-api:sts 443",
                "allow svc-shipping-calls-order: eks-pods:services-dev/shipping -> eks-pods:services-dev/order 8080",
                "allow svc-shipping-dr-to-google-apis: gke-pods:services-dev/shipping -> google-apis 443",
                "allow svc-shipping-dr-calls-order: gke-pods:services-dev/shipping -> gke-pods:services-dev/order 8080",
            ],
        );
        for (const other of ["user", "product", "order", "payment"]) {
            assert.ok(
                more.some((f) => f.id === `svc-${other}-not-shipping` && f.expect === "deny"),
                other,
            );
        }
        assert.strictEqual(connectivityFlows(more).length, connectivityFlows().length + more.length);
    });
});
