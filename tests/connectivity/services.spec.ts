/**
 * The endpoints of one catalog service (harness/connectivity/endpoints-services.ts) on the real plans: its
 * pods, its own RDS instance (the plan's is replaced by fabricated variants, to vary its identifier, port
 * and security groups) and the AWS APIs, each
 * both ways: the path through, and the one thing that blocks it.
 */
import * as assert from "assert";
import type { ConnectivityFlow } from "../../catalog/connectivity";
import { resolveEndpoint } from "../../harness/connectivity/endpoints";
import { evaluateFlows, type FlowResult } from "../../harness/connectivity/evaluate";
import { indexPlan } from "../../harness/connectivity/plan-index";
import { UnresolvedEndpoint } from "../../harness/connectivity/types";
import { one } from "../../harness/lookup";
import type { RecordedResource } from "../../harness/recorder";
import { evaluated } from "../../harness/stacks";
import { resource } from "../policy/fixtures";
import { edit, without } from "./edit";

const plan = async (stack: "dev" | "prod") => (await evaluated(stack)).run.resources;
/** The plan without any RDS instance: the fabricated one below stands alone, before and after the real one lands. */
const withoutInstances = async () =>
    (await plan("dev")).filter((r) => r.type !== "aws:rds/instance:Instance") as RecordedResource[];
const DEV_DATA = ["10.10.128.0/21", "10.10.136.0/21", "10.10.144.0/21"];
const PROD_APP = ["10.100.0.0/19", "10.100.32.0/19", "10.100.64.0/19"];

function run(
    resources: readonly RecordedResource[],
    source: string,
    destination: string,
    port: number,
    expect: "allow" | "deny" = "allow",
): FlowResult {
    const f: ConnectivityFlow = { id: "test", source, destination, ports: [port], expect, why: "test" };
    return evaluateFlows(resources, [f])[0];
}

/** A MySQL instance in the DB subnet group behind the data tier's group (the real one has its own group). */
function productInstance(
    resources: readonly RecordedResource[],
    extra: Record<string, unknown> = {},
): RecordedResource {
    const subnetGroup = one(resources, "aws:rds/subnetGroup:SubnetGroup", "network-primary-db");
    const dataSg = one(resources, "aws:ec2/securityGroup:SecurityGroup", "network-primary-data");
    return resource("aws:rds/instance:Instance", "product-db", {
        identifier: "platform-dev-product",
        engine: "mysql",
        dbSubnetGroupName: subnetGroup.outputs.name ?? subnetGroup.outputs.id,
        vpcSecurityGroupIds: [dataSg.outputs.id],
        publiclyAccessible: false,
        ...extra,
    });
}

/** The data tier admitting MySQL from the app tier, as it does PostgreSQL. */
function mysqlFromApp(resources: readonly RecordedResource[]): RecordedResource {
    const rule = one(
        resources,
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "network-primary-data-5432-from-app",
    );
    return {
        ...rule,
        urn: `${rule.urn}-3306`,
        name: "data-3306-from-app",
        inputs: { ...rule.inputs, fromPort: 3306, toPort: 3306 },
    };
}

describe("connectivity: one service's pods", () => {
    it("resolve to the app label and the Deployment's ServiceAccount, on either cluster", async () => {
        const idx = indexPlan(await plan("dev"));
        for (const cluster of ["eks", "gke"] as const) {
            const e = resolveEndpoint(idx, `${cluster}-pods:services-dev/order`);
            assert.deepStrictEqual(e.pods, [
                { cluster, namespace: "services-dev", labels: { app: "order" }, serviceAccount: "order" },
            ]);
            assert.strictEqual(e.label, `${cluster.toUpperCase()} pods services-dev/order`);
        }
    });

    it("do not resolve for a service without a Deployment, or a malformed ref", async () => {
        const idx = indexPlan(await plan("dev"));
        assert.throws(
            () => resolveEndpoint(idx, "eks-pods:services-dev/shipping"),
            (e: Error) =>
                e instanceof UnresolvedEndpoint && e.message === "no Deployment of app shipping in services-dev on eks",
        );
        assert.throws(() => resolveEndpoint(idx, "gke-pods:services-dev/order/x"), /expected <namespace>\/<app>/);
    });

    it("a callee admits its caller and refuses a service that does not call it", async () => {
        const resources = await plan("dev");
        assert.strictEqual(
            run(resources, "eks-pods:services-dev/order", "eks-pods:services-dev/payment", 8080).verdict,
            "allowed",
        );
        // Twice refused: user's own NetworkPolicy reaches only its callees (none)...
        assert.match(
            run(resources, "eks-pods:services-dev/user", "eks-pods:services-dev/payment", 8080).verdict,
            /^blocked at source egress: NetworkPolicies of services-dev on eks \(default-deny, .*, user\) isolate egress and none allows tcp\/8080 to /,
        );
        // ...payment's admits only its callers (order)...
        const userOpen = edit(
            resources,
            "kubernetes:networking.k8s.io/v1:NetworkPolicy",
            "services-aws-user-netpol",
            (i) => {
                i.spec.egress = [{ to: [{ podSelector: {} }] }];
            },
        );
        assert.match(
            run(userOpen, "eks-pods:services-dev/user", "eks-pods:services-dev/payment", 8080).verdict,
            /^blocked at destination ingress: NetworkPolicies of services-dev on eks \(.*, payment\) isolate ingress and none allows tcp\/8080 from /,
        );
        // ...and with both policies opened to every pod, payment's AuthorizationPolicy still refuses user.
        const bothOpen = edit(
            userOpen,
            "kubernetes:networking.k8s.io/v1:NetworkPolicy",
            "services-aws-payment-netpol",
            (i) => {
                i.spec.ingress = [{ from: [{ podSelector: {} }] }];
            },
        );
        assert.strictEqual(
            run(bothOpen, "eks-pods:services-dev/user", "eks-pods:services-dev/payment", 8080).verdict,
            "blocked at destination ingress: AuthorizationPolicies of services-dev on eks (services-dev/allow-nothing, services-dev/payment) admit no cluster.local/ns/services-dev/sa/user on 8080",
        );
        // Without its AuthorizationPolicy admitting order, payment refuses order too.
        const closed = edit(
            resources,
            "kubernetes:security.istio.io/v1:AuthorizationPolicy",
            "services-aws-payment-authz",
            (i) => {
                i.spec.rules = [];
            },
        );
        assert.match(
            run(closed, "eks-pods:services-dev/order", "eks-pods:services-dev/payment", 8080).verdict,
            /^blocked at destination ingress: AuthorizationPolicies of services-dev on eks .* admit no cluster\.local\/ns\/services-dev\/sa\/order on 8080$/,
        );
    });
});

describe("connectivity: a service's own RDS instance", () => {
    it("resolves platform-<env>-<service>: its subnet group's subnets, its groups, its engine's port", async () => {
        const resources = await withoutInstances();
        const idx = indexPlan([...resources, productInstance(resources)]);
        const e = resolveEndpoint(idx, "rds:product");
        const dataSg = one(resources, "aws:ec2/securityGroup:SecurityGroup", "network-primary-data").outputs.id;
        assert.deepStrictEqual(
            [e.label, e.cidrs, e.aws!.securityGroups, e.admission!.ports],
            ["RDS instance platform-dev-product", DEV_DATA, [dataSg], [3306]],
        );
        assert.deepStrictEqual(e.exposure, {
            resource: "product-db",
            public: false,
            private: true,
            detail: "publiclyAccessible: false",
        });
        const custom = indexPlan([...resources, productInstance(resources, { port: 3307 })]);
        assert.deepStrictEqual(resolveEndpoint(custom, "rds:product").admission!.ports, [3307]);
    });

    it("does not take another service's instance, nor resolve before the instance exists", async () => {
        const resources = await withoutInstances();
        const other = indexPlan([...resources, productInstance(resources, { identifier: "platform-dev-productx" })]);
        assert.throws(
            () => resolveEndpoint(other, "rds:product"),
            /^Error: no RDS instance platform-<env>-product in the plan$/,
        );
        const r = run(resources, "eks-pods:services-dev/product", "rds:product", 3306);
        assert.deepStrictEqual(
            [r.status, r.verdict],
            ["error", "unresolved: no RDS instance platform-<env>-product in the plan"],
        );
        // Marked pending (the fix it waits for named), the same flow is reported, not fatal.
        const pending = evaluateFlows(resources, [{ ...r.flow, pending: "issue N: the instance" }])[0];
        assert.deepStrictEqual([pending.status, pending.verdict], ["pending", r.verdict]);
    });

    it("product reaches it once the data tier admits MySQL; not before; user never", async () => {
        const resources = await withoutInstances();
        const withInstance = [...resources, productInstance(resources)];
        assert.match(
            run(withInstance, "eks-pods:services-dev/product", "rds:product", 3306).verdict,
            /^blocked at destination ingress: security group network-primary-data admits no tcp\/3306 from 10\.10\.0\.0\/19;/,
        );
        const admitted = [...withInstance, mysqlFromApp(resources)];
        assert.strictEqual(run(admitted, "eks-pods:services-dev/product", "rds:product", 3306).verdict, "allowed");
        assert.match(
            run(admitted, "eks-pods:services-dev/user", "rds:product", 3306, "deny").verdict,
            /^blocked at source egress: NetworkPolicies of services-dev on eks \(.*, user\) isolate egress and none allows tcp\/3306 to 10\.10\.128\.0\/21$/,
        );
    });
});

describe("connectivity: AWS APIs", () => {
    it("dev: public endpoints through the NAT gateway; DynamoDB through its gateway endpoint", async () => {
        const resources = await plan("dev");
        const sts = run(resources, "eks-pods:services-dev/user", "aws-api:sts", 443);
        assert.deepStrictEqual(sts.hops.map((h) => h.reason).slice(1), [
            "route tables send 0.0.0.0/0 to a NAT gateway (awsx default route)",
            "public endpoint of AWS sts accepts public clients",
            "AWS sts is public (public endpoint)",
        ]);
        const ddb = run(resources, "eks-pods:services-dev/payment", "aws-api:dynamodb", 443);
        assert.deepStrictEqual(
            [ddb.verdict, ddb.hops[1].reason],
            ["allowed", "gateway endpoint network-primary-dynamodb (its prefix-list route)"],
        );
        // Without the gateway endpoint the NAT carries it.
        const noGateway = without(resources, (r) => r.name === "network-primary-dynamodb");
        assert.strictEqual(
            run(noGateway, "eks-pods:services-dev/payment", "aws-api:dynamodb", 443).hops[1].reason,
            "route tables send 0.0.0.0/0 to a NAT gateway (awsx default route)",
        );
    });

    it("prod: STS and Secrets Manager at their interface endpoints, SQS at its public endpoint", async () => {
        const resources = await plan("prod");
        const idx = indexPlan(resources);
        const sts = resolveEndpoint(idx, "aws-api:sts");
        const endpointsSg = one(resources, "aws:ec2/securityGroup:SecurityGroup", "network-primary-endpoints").outputs
            .id;
        assert.deepStrictEqual(
            [sts.label, sts.cloud, sts.cidrs, sts.aws!.securityGroups],
            ["interface endpoint network-primary-sts (AWS sts)", "aws", PROD_APP, [endpointsSg]],
        );
        assert.deepStrictEqual(
            [resolveEndpoint(idx, "aws-api:sqs").cloud, resolveEndpoint(idx, "aws-api:sqs").public],
            ["internet", true],
        );
        assert.strictEqual(
            run(resources, "eks-pods:services-prod/user", "aws-api:secretsmanager", 443).verdict,
            "allowed",
        );
        // The endpoints' group admits HTTPS from the VPC; without that rule STS is unreachable.
        const closed = without(resources, (r) => r.name === "network-primary-endpoints-https-from-vpc");
        assert.match(
            run(closed, "eks-pods:services-prod/user", "aws-api:sts", 443).verdict,
            /^blocked at destination ingress: security group network-primary-endpoints admits no tcp\/443 from 10\.100\.0\.0\/19/,
        );
    });

    it("an interface endpoint without private DNS leaves the name on the public endpoint", async () => {
        const resources = edit(await plan("prod"), "aws:ec2/vpcEndpoint:VpcEndpoint", "network-primary-sts", (i) => {
            i.privateDnsEnabled = false;
        });
        assert.strictEqual(resolveEndpoint(indexPlan(resources), "aws-api:sts").label, "public endpoint of AWS sts");
        assert.throws(() => resolveEndpoint(indexPlan(resources), "aws-api:Not_A_Service"), /not an AWS service name/);
    });
});
