/**
 * The services' stores in the dev and prod plans: every seed service has the store its catalog entry
 * names and its credentials (user and order: a login and a database on the shared cluster; product: an
 * RDS instance with a key of its own; payment: a table), each cache user its ElastiCache user, and the
 * policy pack has nothing to say about any of it.
 */
import * as assert from "assert";
import { childrenOf, descendantsOf, ofType, one, providerOf } from "../../harness/lookup";
import type { RecordedResource } from "../../harness/recorder";
import { runStack } from "../../harness/run";
import { evaluated } from "../../harness/stacks";

const keyArn = (rs: readonly RecordedResource[], name: string) => one(rs, "aws:kms/key:Key", name).outputs.arn;

for (const stack of ["dev", "prod"] as const) {
    const prod = stack === "prod";
    describe(`${stack}: the services' own stores`, () => {
        it("user and order: a login role owning a database on the shared Aurora writer, and their credentials", async () => {
            const rs = (await evaluated(stack)).run.resources;
            const writer = one(rs, "aws:rds/cluster:Cluster", "aurora-primary").outputs.endpoint;
            const sql = ofType(rs, "pulumi:providers:postgresql");
            assert.deepStrictEqual(
                sql.map((p) => [p.name, p.inputs.host, p.inputs.database, p.inputs.sslmode, p.inputs.superuser]),
                [["aurora-sql", writer, "postgres", "require", "false"]],
            );
            for (const service of ["user", "order"]) {
                const component = one(rs, "multicloud:data:ServiceAuroraDatabase", `service-${service}`);
                // Its children register after it, and it after the writer the provider logs in to.
                const writerInstance = one(rs, "aws:rds/clusterInstance:ClusterInstance", "aurora-primary-writer");
                assert.ok(component.dependencies.includes(writerInstance.urn));
                const children = childrenOf(rs, component);
                const role = one(children, "postgresql:index/role:Role", `service-${service}-role`);
                const db = one(children, "postgresql:index/database:Database", `service-${service}-database`);
                assert.deepStrictEqual(
                    [role.inputs.name, db.inputs.name, db.inputs.owner],
                    [`${service}_app`, service, `${service}_app`],
                );
                for (const r of [role, db]) {
                    assert.strictEqual(providerOf(rs, r)?.name, "aurora-sql");
                    assert.strictEqual(r.protect, prod);
                }
                const secret = one(children, "aws:secretsmanager/secret:Secret", `service-${service}-credentials`);
                assert.strictEqual(secret.inputs.kmsKeyId, keyArn(rs, "kms-primary-database"));
                const version = one(
                    children,
                    "aws:secretsmanager/secretVersion:SecretVersion",
                    `service-${service}-credentials`,
                );
                const stored = JSON.parse(version.inputs.secretString);
                assert.deepStrictEqual(
                    [stored.host, stored.dbname, stored.username],
                    [writer, service, `${service}_app`],
                );
                const copy = one(children, "gcp:secretmanager/secret:Secret", `service-${service}-credentials`);
                assert.strictEqual(copy.inputs.secretId, `platform-${stack}-${service}-db-credentials`);
                assert.strictEqual(
                    copy.inputs.replication.userManaged.replicas[0].customerManagedEncryption.kmsKeyName,
                    one(rs, "gcp:kms/cryptoKey:CryptoKey", "kms-gcp-database").outputs.id,
                );
            }
        });

        it(`product: its own MySQL instance on its own key, ${prod ? "Multi-AZ, db.r7g.large" : "single-zone, db.t4g.micro"}`, async () => {
            const rs = (await evaluated(stack)).run.resources;
            const component = one(rs, "multicloud:data:ServiceRdsInstance", "service-product");
            const children = childrenOf(rs, component);
            const instance = one(children, "aws:rds/instance:Instance", "service-product-instance");
            const own = keyArn(children, "service-product-key");
            assert.notStrictEqual(own, keyArn(rs, "kms-primary-database"));
            assert.deepStrictEqual(
                [
                    instance.inputs.identifier,
                    instance.inputs.engine,
                    instance.inputs.instanceClass,
                    instance.inputs.multiAz,
                    instance.inputs.kmsKeyId,
                    instance.inputs.deletionProtection,
                    instance.protect,
                ],
                [`platform-${stack}-product`, "mysql", prod ? "db.r7g.large" : "db.t4g.micro", prod, own, prod, prod],
            );
            const secret = one(children, "aws:secretsmanager/secret:Secret", "service-product-credentials");
            assert.strictEqual(secret.inputs.kmsKeyId, own);
            const app = one(rs, "aws:ec2/securityGroup:SecurityGroup", "network-primary-app").outputs.id;
            const ingress = one(
                children,
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                "service-product-app",
            );
            assert.deepStrictEqual(
                [ingress.inputs.referencedSecurityGroupId, ingress.inputs.fromPort, ingress.inputs.toPort],
                [app, 3306, 3306],
            );
        });

        it(`payment: a table of its own on the database key${prod ? ", replicated to the second region" : ""}`, async () => {
            const rs = (await evaluated(stack)).run.resources;
            const component = one(rs, "multicloud:data:DynamoDbGlobal", "service-payment");
            const table = one(childrenOf(rs, component), "aws:dynamodb/table:Table", "service-payment-table");
            assert.strictEqual(table.inputs.serverSideEncryption.kmsKeyArn, keyArn(rs, "kms-primary-database"));
            assert.deepStrictEqual(
                table.inputs.replicas.map((r: { regionName: string; kmsKeyArn: string }) => [
                    r.regionName,
                    r.kmsKeyArn,
                ]),
                prod ? [["us-west-2", keyArn(rs, "kms-secondary-database")]] : [],
            );
            assert.strictEqual(table.protect, prod);
            // No credentials: the table is reached with the service's IAM role only.
            assert.deepStrictEqual(
                descendantsOf(rs, component).filter((r) => r.type.includes("secret")),
                [],
            );
        });

        it("each service with a cache prefix has its IAM-authenticated cache user, and payment none", async () => {
            const rs = (await evaluated(stack)).run.resources;
            const users = ofType(rs, "aws:elasticache/user:User").filter(
                (u) => u.inputs.authenticationMode.type === "iam",
            );
            assert.deepStrictEqual(users.map((u) => [u.inputs.userId, u.inputs.accessString.split(" ")[1]]).sort(), [
                ["sessions-order", "~order:*"],
                ["sessions-product", "~product:*"],
                ["sessions-user", "~user:*"],
            ]);
        });

        it("the policy pack finds nothing to report on the services' stores", async () => {
            const { run, violations } = await evaluated(stack);
            const ours = new Set(
                run.resources
                    .filter(
                        (r) =>
                            /^multicloud:data:(ServiceAuroraDatabase|ServiceRdsInstance)$/.test(r.type) ||
                            r.name === "service-payment",
                    )
                    .flatMap((c) => [c.urn, ...descendantsOf(run.resources, c).map((r) => r.urn)]),
            );
            assert.ok(ours.size > 20);
            assert.deepStrictEqual(
                violations.filter((v) => ours.has(v.urn)),
                [],
            );
        });
    });
}

describe("the bootstrap run (deploy.inClusterLayers: false)", () => {
    it("creates the credentials but no PostgreSQL object: the private writer is out of its reach", async () => {
        const run = await runStack({ stack: "dev", overrides: { deploy: { inClusterLayers: false } } });
        assert.ifError(run.error);
        assert.deepStrictEqual(
            run.resources.filter((r) => r.type.startsWith("postgresql:") || r.type === "pulumi:providers:postgresql"),
            [],
        );
        for (const service of ["user", "order", "product"]) {
            one(run.resources, "aws:secretsmanager/secret:Secret", `service-${service}-credentials`);
            one(run.resources, "gcp:secretmanager/secret:Secret", `service-${service}-credentials`);
        }
    });
});
