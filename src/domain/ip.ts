import ipaddr from 'ipaddr.js';

/**
 * One spelling per address, so that nobody dodges a block or a counter by writing the same
 * address differently. Everything that keys on an address (actors, counters, blocks, allow
 * lists) must go through canonicalIp first.
 *
 * ipaddr.js does the IPv6 work (group validation, RFC 5952 text, mapped-address detection,
 * CIDR arithmetic), but its IPv4 parser is inet_aton-lenient (hex, octal, `127.1`,
 * `2130706433`) and it reads `::1.2.3.4` as `::ffff:1.2.3.4`, so dotted quads are read here.
 */

/** The longest IPv6 text with an embedded IPv4 is 45 characters; zone ids and brackets add some. */
export const MAX_IP_TEXT_LENGTH = 64;

export interface ParsedCidr {
  readonly version: 4 | 6;
  readonly prefix: number;
  /** Canonical network text, e.g. `203.0.113.0/24` or `2001:db8::/32`. */
  readonly cidr: string;
  readonly network: ipaddr.IPv4 | ipaddr.IPv6;
}

type Address = ipaddr.IPv4 | ipaddr.IPv6;

const DIGITS = /^\d+$/;
const HEX_AND_COLONS = /^[0-9a-f:]+$/i;
const ZONE_ID = /^[0-9a-z._~-]+$/i;

/**
 * Four decimal parts, each 0-255. Leading zeros are read as decimal (`010` is ten), not octal
 * as inet_aton would: sshd and nginx log the canonical form, so zero-padded parts only come
 * from hand-made or hostile input, where rejecting would lose the event and reading octal
 * would file it under an address the writer most likely did not mean.
 */
function parseDottedQuad(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => DIGITS.test(part))) {
    return null;
  }
  const octets = parts.map((part) => parseInt(part, 10));
  return octets.every((octet) => octet <= 255) ? octets : null;
}

function parseIpv6(text: string): ipaddr.IPv6 | null {
  let hex = text;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const octets = parseDottedQuad(tail);
    if (octets === null) {
      return null;
    }
    const high = ((octets[0] << 8) | octets[1]).toString(16);
    const low = ((octets[2] << 8) | octets[3]).toString(16);
    hex = `${text.slice(0, lastColon + 1)}${high}:${low}`;
  }
  if (!HEX_AND_COLONS.test(hex) || !ipaddr.IPv6.isValid(hex)) {
    return null;
  }
  return ipaddr.IPv6.parse(hex);
}

function parseAddress(raw: string): Address | null {
  if (typeof raw !== 'string' || raw.length > MAX_IP_TEXT_LENGTH) {
    return null;
  }
  let text = raw.trim();
  const bracketed = text.startsWith('[') && text.endsWith(']');
  if (bracketed) {
    text = text.slice(1, -1);
  }
  if (!text.includes(':')) {
    // Brackets and zone ids belong to IPv6 only.
    const octets = bracketed || text.includes('%') ? null : parseDottedQuad(text);
    return octets === null ? null : new ipaddr.IPv4(octets);
  }
  const percent = text.indexOf('%');
  if (percent >= 0) {
    if (!ZONE_ID.test(text.slice(percent + 1))) {
      return null;
    }
    text = text.slice(0, percent);
  }
  const v6 = parseIpv6(text);
  if (v6 === null) {
    return null;
  }
  // Only ::ffff:0:0/96 is "the same IPv4 address". IPv4-compatible (::a.b.c.d, deprecated),
  // SIIT (::ffff:0:a.b.c.d) and NAT64 (64:ff9b::/96) forms stay IPv6: they are other addresses.
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
}

function format(address: Address): string {
  return address.kind() === 'ipv4' ? address.toString() : (address as ipaddr.IPv6).toRFC5952String();
}

function parseOrThrow(text: string): Address {
  const address = parseAddress(text);
  if (address === null) {
    throw new Error(`${quote(text)} is not an IP address`);
  }
  return address;
}

function quote(text: unknown): string {
  const shown = String(text);
  return JSON.stringify(shown.length > 80 ? `${shown.slice(0, 80)}…` : shown);
}

/**
 * The canonical text of an IP address, or null when `raw` is not one. IPv4: dotted quad with
 * no leading zeros. IPv6: lower case, RFC 5952 compressed, no zone id, no brackets; an
 * IPv4-mapped IPv6 address becomes its IPv4 address. A port (`1.2.3.4:22`) is not accepted.
 */
export function canonicalIp(raw: string): string | null {
  const address = parseAddress(raw);
  return address === null ? null : format(address);
}

/** 4 or 6. Accepts any form canonicalIp accepts; throws on anything else. */
export function ipVersion(canonical: string): 4 | 6 {
  return parseOrThrow(canonical).kind() === 'ipv4' ? 4 : 6;
}

/** The enclosing network as canonical CIDR text: (`203.0.113.7`, 24) → `203.0.113.0/24`. */
export function networkOf(canonical: string, prefix: number): string {
  const address = parseOrThrow(canonical);
  const max = address.kind() === 'ipv4' ? 32 : 128;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    throw new RangeError(`prefix length ${prefix} is out of range 0-${max} for ${format(address)}`);
  }
  const text = `${format(address)}/${prefix}`;
  const network =
    address.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(text) : ipaddr.IPv6.networkAddressFromCIDR(text);
  return `${format(network)}/${prefix}`;
}

/**
 * A CIDR (`10.0.0.0/8`, `2001:db8::/32`) or a bare address (a /32 or /128). An IPv4-mapped
 * IPv6 CIDR (`::ffff:10.0.0.0/104`) becomes its IPv4 CIDR (`10.0.0.0/8`), as its addresses
 * are canonicalised to IPv4. Host bits must be zero: `10.0.0.1/8` in an allow list is more
 * likely a typo for /32 than a wish to trust 16M addresses, so it is refused, not widened.
 * Throws an Error whose message says what is wrong.
 */
export function parseCidr(text: string): ParsedCidr {
  const parts = typeof text === 'string' ? text.trim().split('/') : [];
  const address = parts.length === 1 || parts.length === 2 ? parseAddress(parts[0]) : null;
  if (address === null) {
    throw new Error(`${quote(text)} is not an IP address or CIDR`);
  }
  const version = address.kind() === 'ipv4' ? 4 : 6;
  const max = version === 4 ? 32 : 128;
  let prefix = max;
  if (parts.length === 2) {
    if (!/^\d{1,3}$/.test(parts[1])) {
      throw new Error(`${quote(text)}: the prefix length must be a number 0-${max}`);
    }
    prefix = parseInt(parts[1], 10);
    const writtenAsMapped = version === 4 && parts[0].includes(':');
    if (writtenAsMapped) {
      if (prefix < 96 || prefix > 128) {
        throw new Error(`${quote(text)}: an IPv4-mapped CIDR needs a prefix length of 96-128`);
      }
      prefix -= 96;
    }
    if (prefix > max) {
      throw new Error(`${quote(text)}: the prefix length must be 0-${max} for IPv${version}`);
    }
  }
  const cidr = networkOf(format(address), prefix);
  if (cidr !== `${format(address)}/${prefix}`) {
    throw new Error(`${quote(text)} has host bits set; did you mean ${cidr}?`);
  }
  return { version, prefix, cidr, network: address };
}

/**
 * Whether the address lies in any of the CIDRs. Accepts any form canonicalIp accepts (so an
 * IPv4-mapped input matches IPv4 CIDRs); throws on a non-address rather than answering
 * "not listed" for it.
 */
export function inCidrs(canonical: string, cidrs: readonly ParsedCidr[]): boolean {
  const address = parseOrThrow(canonical);
  return cidrs.some((entry) => entry.network.kind() === address.kind() && address.match(entry.network, entry.prefix));
}
