/**
 * A destination's own admission (the ports it listens on, master authorized networks) and its
 * exposure: whether it has an address the source can dial, public for the internet, private otherwise.
 */
import { admitsSource, unknownPublicSource } from "./ranges";
import type { HopResult, Probe } from "./types";

export function admission(p: Probe): HopResult {
    const a = p.destination.admission;
    if (!a) return { hop: "destination ingress", allowed: true, reason: "" };
    if (a.ports && !a.ports.includes(p.port)) {
        return {
            hop: "destination ingress",
            allowed: false,
            reason: `${a.resource} listens on ${a.ports.join(", ") || "no port"} (${a.portsDetail}), not ${p.port}`,
        };
    }
    if (!a.authorizedNetworks) return { hop: "destination ingress", allowed: true, reason: "" };
    const publicSource = unknownPublicSource(p);
    const listed = [...a.authorizedNetworks, ...(a.alwaysAdmitted ?? [])].find((c) =>
        admitsSource(c, p.sourceCidr, publicSource),
    );
    if (listed) return { hop: "destination ingress", allowed: true, reason: `${a.resource} lists ${listed}` };
    const from = publicSource ? `a public address${p.natted ? " (the caller's NAT)" : ""}` : p.sourceCidr;
    return {
        hop: "destination ingress",
        allowed: false,
        reason: `${a.resource} admits only ${a.authorizedNetworks.join(", ") || "nothing"}, not ${from}`,
    };
}

export function exposure(p: Probe): HopResult {
    const e = p.destination.exposure;
    if (!e) return { hop: "exposure", allowed: true, reason: `${p.destination.label}: private address` };
    // The internet, and anyone dialling a public address (through a NAT), needs a public endpoint.
    if (p.source.cloud === "internet" || p.destination.public) {
        return e.public
            ? { hop: "exposure", allowed: true, reason: `${e.resource} is public (${e.detail})` }
            : { hop: "exposure", allowed: false, reason: `${e.resource} has no public endpoint (${e.detail})` };
    }
    return e.private
        ? { hop: "exposure", allowed: true, reason: `${e.resource} has a private endpoint (${e.detail})` }
        : { hop: "exposure", allowed: false, reason: `${e.resource} has no private endpoint (${e.detail})` };
}
