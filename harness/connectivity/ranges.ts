/** Address and port matching shared by the hop evaluators. */
import {
    contains,
    isPrivate,
    mustParseCidr,
    overlaps,
    parseCidr as parseText,
    type Cidr,
} from "../../components/shared/cidr";

const parsedCache = new Map<string, Cidr | undefined>();

/** {@link parseText}, remembered: every probe compares the same few dozen ranges. */
function parseCidr(text: string): Cidr | undefined {
    if (!parsedCache.has(text)) parsedCache.set(text, parseText(text));
    return parsedCache.get(text);
}

/** `outer` contains all of `inner`. Unparseable ranges contain nothing. */
export function covers(outer: string, inner: string): boolean {
    const o = parseCidr(outer);
    const i = parseCidr(inner);
    return !!o && !!i && contains(o, i);
}

export function intersects(a: string, b: string): boolean {
    const x = parseCidr(a);
    const y = parseCidr(b);
    return !!x && !!y && overlaps(x, y);
}

/**
 * Whether a rule's source range admits a probe's source. An unnamed public source (the internet, or a
 * NAT's address) is some address the plan cannot name, so any range that is not wholly private admits it:
 * a `deny` flow from the internet fails on a rule from 0.0.0.0/0 and on one from a single public /32.
 */
export function admitsSource(ruleRange: string, sourceCidr: string, publicSource: boolean): boolean {
    if (publicSource) {
        const r = parseCidr(ruleRange);
        return !!r && !isPrivate(r);
    }
    return covers(ruleRange, sourceCidr);
}

export function inPortRange(port: number, from: number | undefined, to: number | undefined): boolean {
    if (from === undefined && to === undefined) return true;
    return port >= (from ?? 0) && port <= (to ?? from ?? 65535);
}

/** GCP firewall ports (`"443"`, `"1000-2000"`); none listed means every port. */
export function gcpPortsMatch(ports: readonly string[] | undefined, port: number): boolean {
    if (!ports || ports.length === 0) return true;
    return ports.some((p) => {
        const [a, b] = String(p).split("-").map(Number);
        return port >= a && port <= (b ?? a);
    });
}

/** Protocol of a rule (`-1`, `all`, `tcp`, `6`, ...) matches the probe's. */
export function protocolMatches(ruleProtocol: string | undefined, protocol: "tcp" | "udp"): boolean {
    const p = String(ruleProtocol ?? "-1").toLowerCase();
    if (p === "-1" || p === "all") return true;
    return protocol === "tcp" ? p === "tcp" || p === "6" : p === "udp" || p === "17";
}

export const ANYWHERE = "0.0.0.0/0";

/** 0.0.0.0/0 as a peer stands for some public address the plan cannot name. */
export function unknownPublic(cidr: string): boolean {
    return cidr === ANYWHERE;
}

/** The probe's source is an unnamed public address: the internet, or a private caller behind a NAT. */
export function unknownPublicSource(p: { sourceCidr: string; natted?: boolean }): boolean {
    return !!p.natted || unknownPublic(p.sourceCidr);
}

/** Canonical check used when resolving: throws on ranges that are not CIDRs, naming the source. */
export function mustBeCidr(text: string, what: string): string {
    try {
        mustParseCidr(text);
    } catch {
        throw new Error(`${what}: ${JSON.stringify(text)} is not an IPv4 CIDR block`);
    }
    return text;
}
