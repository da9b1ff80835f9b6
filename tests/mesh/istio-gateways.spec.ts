import * as assert from "assert";
import { INTERNAL_LOAD_BALANCER_ANNOTATIONS } from "../../components/mesh";
import { one } from "../../harness/lookup";
import type { RecordedResource } from "../../harness/recorder";
import { CLUSTER_NAMES, meshResources, RELEASE } from "./fixture";

describe("Istio gateways face no internet", () => {
    let rs: readonly RecordedResource[];

    before(async () => {
        rs = await meshResources();
    });
    const gateway = (name: string, role: string) => one(rs, RELEASE, `istio-${name}-${role}`).inputs.values.service;

    it("puts the ingress gateway on an internal load balancer with TLS and the status port only, never 80", () => {
        for (const name of CLUSTER_NAMES) {
            const service = gateway(name, "ingress-gateway");
            assert.strictEqual(service.type, "LoadBalancer");
            assert.deepStrictEqual(service.ports, [
                { name: "status-port", port: 15021, targetPort: 15021, protocol: "TCP" },
                { name: "https", port: 443, targetPort: 443, protocol: "TCP" },
            ]);
        }
        assert.deepStrictEqual(gateway("aws-primary", "ingress-gateway").annotations, {
            "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
            "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
            "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
        });
        assert.deepStrictEqual(gateway("gcp-dr", "ingress-gateway").annotations, {
            "networking.gke.io/load-balancer-type": "Internal",
        });
    });

    it("keeps the east-west gateway internal too, and no gateway port is plain HTTP", () => {
        for (const name of CLUSTER_NAMES) {
            assert.deepStrictEqual(
                gateway(name, "eastwest-gateway").annotations,
                gateway(name, "ingress-gateway").annotations,
            );
            for (const role of ["ingress-gateway", "eastwest-gateway"]) {
                const ports = gateway(name, role).ports.map((p: { port: number }) => p.port);
                assert.ok(!ports.includes(80) && !ports.includes(8080), `${name} ${role}: ${ports}`);
            }
        }
    });

    it("never asks EKS for a load balancer only the absent AWS Load Balancer Controller would create", () => {
        // `external` hands the Service to that controller; without it the Service stays pending.
        assert.strictEqual(
            INTERNAL_LOAD_BALANCER_ANNOTATIONS.eks["service.beta.kubernetes.io/aws-load-balancer-type"],
            "nlb",
        );
    });
});
