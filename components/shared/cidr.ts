/**
 * Pure IPv4 CIDR arithmetic for the address plan. No Pulumi imports: the config validator and the
 * network components share it, and it is property-tested on its own.
 */

/** A parsed IPv4 CIDR block: `base` is the network address as an unsigned 32-bit integer. */
export interface Cidr {
    readonly base: number;
    readonly prefix: number;
}

/** A decimal number without leading zeros: `010` is octal to some parsers and copied verbatim by others. */
const NUMBER = "(0|[1-9][0-9]*)";
const CIDR_PATTERN = new RegExp(`^${NUMBER}\\.${NUMBER}\\.${NUMBER}\\.${NUMBER}/${NUMBER}$`);

/**
 * Parses `a.b.c.d/n`. Returns undefined for anything that is not a canonical IPv4 block: leading zeros
 * (`010.010.000.000/16`), which would be copied verbatim into every resource that takes the range, and
 * host bits set past the prefix (`10.0.0.1/16`), because AWS and GCP both reject those.
 */
export function parseCidr(text: string): Cidr | undefined {
    const m = CIDR_PATTERN.exec(text);
    if (!m) return undefined;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    const base = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    if ((base & hostMask(prefix)) !== 0) return undefined;
    return { base, prefix };
}

/** Like {@link parseCidr} but throws: for values that were validated already. */
export function mustParseCidr(text: string): Cidr {
    const c = parseCidr(text);
    if (!c) throw new Error(`not a canonical IPv4 CIDR block: ${text}`);
    return c;
}

function hostMask(prefix: number): number {
    return prefix === 0 ? 0xffffffff : (2 ** (32 - prefix) - 1) >>> 0;
}

/** Number of addresses in the block. */
export function size(c: Cidr): number {
    return 2 ** (32 - c.prefix);
}

/** Last address of the block, as an unsigned integer. */
export function last(c: Cidr): number {
    return c.base + size(c) - 1;
}

export function formatIp(n: number): string {
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

export function formatCidr(c: Cidr): string {
    return `${formatIp(c.base)}/${c.prefix}`;
}

/** True when the two blocks share at least one address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
    return a.base <= last(b) && b.base <= last(a);
}

/** True when `inner` lies wholly inside `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
    return inner.prefix >= outer.prefix && inner.base >= outer.base && last(inner) <= last(outer);
}

/**
 * The `index`-th block of prefix `newPrefix` inside `parent` (like Terraform's `cidrsubnet`).
 * Index-based carving is what keeps subnet CIDRs stable when the number of AZs changes.
 */
export function subnet(parent: Cidr, newPrefix: number, index: number): Cidr {
    if (newPrefix < parent.prefix || newPrefix > 32) {
        throw new Error(`cannot carve a /${newPrefix} out of ${formatCidr(parent)}`);
    }
    const count = 2 ** (newPrefix - parent.prefix);
    if (!Number.isInteger(index) || index < 0 || index >= count) {
        throw new Error(`${formatCidr(parent)} holds ${count} /${newPrefix} blocks; index ${index} is out of range`);
    }
    return { base: parent.base + index * 2 ** (32 - newPrefix), prefix: newPrefix };
}

/** Host address `offset` inside the block (offset 1 is the first usable address of a /30). */
export function host(c: Cidr, offset: number): string {
    if (offset < 0 || offset >= size(c)) throw new Error(`offset ${offset} is outside ${formatCidr(c)}`);
    return formatIp(c.base + offset);
}

/** RFC 1918 private space: the only ranges the address plan may use. */
export const PRIVATE_RANGES: readonly Cidr[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map(mustParseCidr);

export function isPrivate(c: Cidr): boolean {
    return PRIVATE_RANGES.some((r) => contains(r, c));
}
