/** No security group or firewall opens a port to the world beyond the allowed ones. */
import * as assert from "assert";
import { noWorldOpenIngress } from "../../../policy/policies";
import { check, messages, resource } from "../fixtures";

describe("policy no-world-open-ingress", () => {
    const AWS_FIX = "Restrict the source to known CIDRs or security groups.";
    const GCP_FIX = "Restrict sourceRanges to known CIDRs, or use sourceTags or sourceServiceAccounts.";
    const open = (what: string, source = "0.0.0.0/0", allowed = "only ports 80, 443 may be", fix = AWS_FIX) =>
        `Ingress from ${source} on ${what} is open to the world; ${allowed}. ${fix}`;

    const https = { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] };
    const internalDb = { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/16"] };
    const securityGroup = (ingress: Record<string, unknown>[]) =>
        resource("aws:ec2/securityGroup:SecurityGroup", "web", {
            vpcId: "vpc-1",
            ingress: [https, internalDb, ...ingress],
        });
    const ingressRule = (inputs: Record<string, unknown>) =>
        resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "https", {
            securityGroupId: "sg-1",
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrIpv4: "0.0.0.0/0",
            ...inputs,
        });
    const sgRule = (inputs: Record<string, unknown>) =>
        resource("aws:ec2/securityGroupRule:SecurityGroupRule", "http", {
            type: "ingress",
            securityGroupId: "sg-1",
            protocol: "tcp",
            fromPort: 80,
            toPort: 80,
            cidrBlocks: ["0.0.0.0/0"],
            ...inputs,
        });
    const firewall = (inputs: Record<string, unknown>) =>
        resource("gcp:compute/firewall:Firewall", "web", {
            network: "dr",
            sourceRanges: ["0.0.0.0/0", "::/0"],
            allows: [{ protocol: "tcp", ports: ["80", "443"] }],
            ...inputs,
        });
    const denyAllFromWorld = resource("gcp:compute/firewall:Firewall", "deny-all", {
        network: "dr",
        priority: 65534,
        sourceRanges: ["0.0.0.0/0"],
        denies: [{ protocol: "all" }],
    });

    it("passes web ports open to the world, private sources on any port, and a deny-all from the world", async () => {
        assert.deepStrictEqual(
            await check(noWorldOpenIngress, [
                securityGroup([]),
                ingressRule({}),
                sgRule({}),
                firewall({}),
                denyAllFromWorld,
            ]),
            [],
        );
    });

    it("catches an inline security group rule open on SSH, as mandatory, on the group", async () => {
        const sg = securityGroup([{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }]);
        const vs = await check(noWorldOpenIngress, [sg]);
        assert.deepStrictEqual(messages(vs), [open("tcp 22")]);
        assert.strictEqual(vs[0].level, "mandatory");
        assert.strictEqual(vs[0].urn, sg.urn);
    });

    it("catches a range that only partly lies within the allowed ports, per world source", async () => {
        const sg = securityGroup([
            { protocol: "tcp", fromPort: 443, toPort: 444, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] },
        ]);
        assert.deepStrictEqual(messages(await check(noWorldOpenIngress, [sg])), [
            open("tcp 443-444"),
            open("tcp 443-444", "::/0"),
        ]);
    });

    it("reads protocol -1 and all as every protocol and port, and other protocols as all their ports", async () => {
        const sg = securityGroup([
            { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
            { protocol: "all", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] },
            { protocol: "50", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
            { protocol: "17", fromPort: 53, toPort: 53, cidrBlocks: ["0.0.0.0/0"] },
        ]);
        assert.deepStrictEqual(messages(await check(noWorldOpenIngress, [sg])), [
            open("all protocols and ports"),
            open("all protocols and ports", "::/0"),
            open("protocol 50 (all ports)"),
            open("udp 53"),
        ]);
    });

    it("leaves ICMP alone: it has no ports, and path MTU discovery needs it", async () => {
        const sg = securityGroup([{ protocol: "icmp", fromPort: 3, toPort: 4, cidrBlocks: ["0.0.0.0/0"] }]);
        assert.deepStrictEqual(await check(noWorldOpenIngress, [sg]), []);
    });

    it("catches a SecurityGroupIngressRule open to the world on IPv4 or IPv6", async () => {
        assert.deepStrictEqual(
            messages(
                await check(noWorldOpenIngress, [
                    ingressRule({ ipProtocol: "-1", fromPort: undefined, toPort: undefined }),
                ]),
            ),
            [open("all protocols and ports")],
        );
        assert.deepStrictEqual(
            messages(
                await check(noWorldOpenIngress, [
                    ingressRule({ cidrIpv4: undefined, cidrIpv6: "::/0", fromPort: 3389, toPort: 3389 }),
                ]),
            ),
            [open("tcp 3389", "::/0")],
        );
    });

    it("catches a SecurityGroupRule of type ingress, and ignores egress", async () => {
        assert.deepStrictEqual(messages(await check(noWorldOpenIngress, [sgRule({ fromPort: 0, toPort: 65535 })])), [
            open("tcp 0-65535"),
        ]);
        assert.deepStrictEqual(
            await check(noWorldOpenIngress, [sgRule({ type: "egress", protocol: "-1", fromPort: 0, toPort: 0 })]),
            [],
        );
    });

    it("catches a GCP firewall allow from the world outside the web ports", async () => {
        const fw = firewall({ allows: [{ protocol: "tcp", ports: ["443", "22", "8000-9000"] }] });
        const vs = await check(noWorldOpenIngress, [fw]);
        assert.deepStrictEqual(messages(vs), [
            open("tcp 22", "0.0.0.0/0", undefined, GCP_FIX),
            open("tcp 8000-9000", "0.0.0.0/0", undefined, GCP_FIX),
            open("tcp 22", "::/0", undefined, GCP_FIX),
            open("tcp 8000-9000", "::/0", undefined, GCP_FIX),
        ]);
        assert.strictEqual(vs[0].level, "mandatory");
        assert.strictEqual(vs[0].urn, fw.urn);
    });

    it("reads a GCP allow without ports, or of protocol all, as every port", async () => {
        const fw = firewall({
            sourceRanges: ["0.0.0.0/0"],
            allows: [{ protocol: "udp" }, { protocol: "all" }, { protocol: "esp" }],
        });
        assert.deepStrictEqual(messages(await check(noWorldOpenIngress, [fw])), [
            open("udp 0-65535", "0.0.0.0/0", undefined, GCP_FIX),
            open("all protocols and ports", "0.0.0.0/0", undefined, GCP_FIX),
            open("esp (all ports)", "0.0.0.0/0", undefined, GCP_FIX),
        ]);
    });

    it("treats INGRESS as the default direction, and ignores EGRESS and disabled rules", async () => {
        const sshFromWorld = { allows: [{ protocol: "tcp", ports: ["22"] }], sourceRanges: ["0.0.0.0/0"] };
        assert.deepStrictEqual(
            messages(await check(noWorldOpenIngress, [firewall({ ...sshFromWorld, direction: "INGRESS" })])),
            [open("tcp 22", "0.0.0.0/0", undefined, GCP_FIX)],
        );
        assert.deepStrictEqual(
            await check(noWorldOpenIngress, [
                firewall({
                    allows: [{ protocol: "all" }],
                    direction: "EGRESS",
                    sourceRanges: undefined,
                    destinationRanges: ["0.0.0.0/0"],
                }),
                firewall({ ...sshFromWorld, disabled: true }),
            ]),
            [],
        );
    });

    it("passes a GCP allow from private ranges or source tags on any port", async () => {
        assert.deepStrictEqual(
            await check(noWorldOpenIngress, [
                firewall({ sourceRanges: ["10.0.0.0/8"], allows: [{ protocol: "all" }] }),
                firewall({
                    sourceRanges: undefined,
                    sourceTags: ["bastion"],
                    allows: [{ protocol: "tcp", ports: ["22"] }],
                }),
            ]),
            [],
        );
    });

    it("takes the allowed ports from the pack config", async () => {
        const withSsh = securityGroup([{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }]);
        assert.deepStrictEqual(await check(noWorldOpenIngress, [withSsh], { allowedPorts: [22, 80, 443] }), []);
        assert.deepStrictEqual(messages(await check(noWorldOpenIngress, [sgRule({})], { allowedPorts: [443] })), [
            open("tcp 80", "0.0.0.0/0", "only port 443 may be"),
        ]);
        assert.deepStrictEqual(messages(await check(noWorldOpenIngress, [ingressRule({})], { allowedPorts: [] })), [
            open("tcp 443", "0.0.0.0/0", "no port may be"),
        ]);
    });
});
