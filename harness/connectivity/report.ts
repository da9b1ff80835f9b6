/**
 * The connectivity check as `npm run plan` runs it: every flow's verdict, the lines it prints, the
 * plan JSON's `connectivity` section, and whether the plan fails.
 */
import { connectivityFlows, type ConnectivityFlow } from "../../catalog/connectivity";
import type { RecordedResource } from "../recorder";
import { evaluateFlows, type FlowResult } from "./evaluate";
import { DEFAULT_DEPLOYER } from "./endpoints";

export interface ConnectivityJson {
    /** Where the deployer was taken to be. */
    readonly deployer: string;
    readonly flows: readonly {
        id: string;
        source: string;
        destination: string;
        ports: readonly number[];
        expect: "allow" | "deny";
        why: string;
        pending: string | null;
        status: FlowResult["status"];
        verdict: string;
        probe: string;
        hops: FlowResult["hops"];
    }[];
}

export interface ConnectivityReport {
    readonly results: readonly FlowResult[];
    readonly json: ConnectivityJson;
    readonly lines: readonly string[];
    /** A blocked `allow` flow, an open `deny` flow, or a flow that does not resolve. */
    readonly failed: boolean;
}

/**
 * `network.deployerCidrs` from a flat stack config (`namespace:key -> string`), or undefined when the
 * key is absent: the engine then uses {@link DEFAULT_DEPLOYER}.
 */
export function deployerCidrsFrom(config: Readonly<Record<string, string>>): string[] | undefined {
    const raw = Object.entries(config).find(([k]) => k.endsWith(":network"))?.[1];
    if (!raw) return undefined;
    try {
        const cidrs = JSON.parse(raw).deployerCidrs;
        return Array.isArray(cidrs) && cidrs.every((c) => typeof c === "string") ? cidrs : undefined;
    } catch {
        return undefined;
    }
}

const LABEL: Record<FlowResult["status"], string> = {
    pass: "ok",
    fail: "FAIL",
    pending: "PENDING",
    "pending-passes": "PENDING",
    error: "ERROR",
};

export function checkConnectivity(
    resources: readonly RecordedResource[],
    opts: { deployerCidrs?: readonly string[]; extraFlows?: readonly ConnectivityFlow[] } = {},
): ConnectivityReport {
    const results = evaluateFlows(resources, connectivityFlows(opts.extraFlows), opts);
    const deployer = opts.deployerCidrs
        ? opts.deployerCidrs.join(", ")
        : `${DEFAULT_DEPLOYER} (no network.deployerCidrs)`;
    const lines = [`Connectivity: ${results.length} flows; deployer: ${deployer}`];
    for (const r of results) {
        const f = r.flow;
        lines.push(
            `  ${LABEL[r.status].padEnd(7)} ${f.expect.padEnd(5)} ${f.id} (${f.source} -> ${f.destination} ${f.ports.join(",")}): ${r.verdict}`,
        );
        if (r.status === "pending") lines.push(`          pending: ${f.pending}`);
        if (r.status === "pending-passes")
            lines.push(
                `          pending flow now ${f.expect === "allow" ? "allowed" : "blocked"}: remove its pending mark`,
            );
    }
    const counts = (s: FlowResult["status"]) => results.filter((r) => r.status === s).length;
    lines.push(
        `  ${counts("pass")} as expected, ${counts("pending") + counts("pending-passes")} pending, ${counts("fail")} failing, ${counts("error")} unresolved`,
    );
    const json: ConnectivityJson = {
        deployer,
        flows: results.map((r) => ({
            id: r.flow.id,
            source: r.flow.source,
            destination: r.flow.destination,
            ports: r.flow.ports,
            expect: r.flow.expect,
            why: r.flow.why,
            pending: r.flow.pending ?? null,
            status: r.status,
            verdict: r.verdict,
            probe: r.probe,
            hops: r.hops,
        })),
    };
    return { results, json, lines, failed: results.some((r) => r.status === "fail" || r.status === "error") };
}
