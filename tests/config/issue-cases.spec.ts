import * as assert from "assert";
import { ConfigValidationError } from "../../config/load";
import { runStack, type StackRun } from "../../harness/run";
import { ofType } from "../../harness/lookup";
import { NS, overridesFor, REJECTED, stackValues, type StackValues } from "./issue-cases";

async function run(stack: "dev" | "prod", change: (v: StackValues) => void): Promise<StackRun> {
    const values = stackValues(stack);
    change(values);
    return runStack({ stack, overrides: overridesFor(stack, values) });
}

describe("the config problems of issue 11", () => {
    describe("are rejected by the real program with the exact messages, before any resource is registered:", () => {
        for (const c of REJECTED) {
            it(c.name, async () => {
                const r = await run(c.stack, c.change);
                assert.ok(r.error instanceof ConfigValidationError, `expected a ConfigValidationError, got ${r.error}`);
                assert.deepStrictEqual(r.error.problems, c.messages);
                assert.deepStrictEqual(
                    r.resources.filter((x) => x.type !== "pulumi:pulumi:Stack").map((x) => x.urn),
                    [],
                );
            });
        }
    });

    describe("are valid where the resources take them:", () => {
        it("a 4-byte private ASN on either side: the customer gateway carries it as bgpAsnExtended", async () => {
            const r = await run("dev", (v) =>
                Object.assign(v[NS + "network"], { awsBgpAsn: 4200000001, gcpBgpAsn: 4200000000 }),
            );
            assert.strictEqual(r.error, undefined);
            const gateways = ofType(r.resources, "aws:ec2/customerGateway:CustomerGateway");
            assert.strictEqual(gateways.length, 2);
            for (const g of gateways) {
                assert.strictEqual(g.inputs.bgpAsnExtended, "4200000000");
                assert.strictEqual(g.inputs.bgpAsn, undefined);
            }
            const [tgw] = ofType(r.resources, "aws:ec2transitgateway/transitGateway:TransitGateway");
            assert.strictEqual(tgw.inputs.amazonSideAsn, 4200000001);
            const bgp = ofType(r.resources, "gcp:compute/router:Router").filter((x) => x.inputs.bgp);
            assert.deepStrictEqual(
                bgp.map((x) => x.inputs.bgp.asn),
                [4200000000],
            );
        });

        it("a 2-byte ASN stays in bgpAsn", async () => {
            const r = await run("dev", () => undefined);
            for (const g of ofType(r.resources, "aws:ec2/customerGateway:CustomerGateway")) {
                assert.deepStrictEqual([g.inputs.bgpAsn, g.inputs.bgpAsnExtended], ["65010", undefined]);
            }
        });

        it("prod on two AZs with allowReducedDurability: Kafka runs with replication factor 2, as accepted", async () => {
            const r = await run(
                "prod",
                (v) => (v[NS + "sizing"] = { availabilityZoneCount: 2, allowReducedDurability: true }),
            );
            assert.strictEqual(r.error, undefined);
            const [cfg] = ofType(r.resources, "aws:msk/configuration:Configuration");
            assert.match(cfg.inputs.serverProperties, /^default\.replication\.factor=2$/m);
            assert.match(cfg.inputs.serverProperties, /^min\.insync\.replicas=1$/m);
        });

        it("an instance type newer than the lists, with allowUnlistedInstanceTypes", async () => {
            const r = await run(
                "dev",
                (v) =>
                    (v[NS + "sizing"] = {
                        kubernetesNodeInstanceTypes: ["m8i.large"],
                        allowUnlistedInstanceTypes: true,
                    }),
            );
            assert.strictEqual(r.error, undefined);
            const groups = ofType(r.resources, "aws:eks/nodeGroup:NodeGroup").filter((g) =>
                g.name.includes("workload"),
            );
            assert.deepStrictEqual(
                groups.map((g) => g.inputs.instanceTypes),
                [["m8i.large"]],
            );
        });
    });
});
