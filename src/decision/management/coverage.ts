import ipaddr from 'ipaddr.js';
import { canonicalIp, parseCidr } from '../../domain/ip';
import { DecisionScope } from '../../domain/decision';

/** An address or a network as the first and last address it holds. */
export interface IpRange {
  version: 4 | 6;
  start: bigint;
  end: bigint;
}

export interface DecisionTarget {
  scope: DecisionScope;
  /** Canonical: an address (`203.0.113.7`, `2001:db8::7`) or a network (`203.0.113.0/24`). */
  value: string;
}

/**
 * What a decision applies to, from an address in any spelling or a CIDR. A CIDR with the full
 * prefix (`/32`, `/128`) is the address itself, so `203.0.113.7/32` and `203.0.113.7` are one
 * target. Host bits must be zero (see parseCidr). Throws an Error that says what is wrong.
 */
export function decisionTarget(text: string): DecisionTarget {
  if (!text.includes('/')) {
    const ip = canonicalIp(text);
    if (ip === null) {
      throw new Error(`${JSON.stringify(text.slice(0, 80))} is not an IP address or CIDR`);
    }
    return { scope: 'ip', value: ip };
  }
  const cidr = parseCidr(text);
  const full = cidr.version === 4 ? 32 : 128;
  return cidr.prefix === full
    ? { scope: 'ip', value: cidr.cidr.slice(0, cidr.cidr.lastIndexOf('/')) }
    : { scope: 'range', value: cidr.cidr };
}

function toBigInt(bytes: number[]): bigint {
  return bytes.reduce((n, byte) => (n << 8n) | BigInt(byte), 0n);
}

/**
 * The range of an address or CIDR, or null when it is neither. Lenient as Go's
 * net.ParseCIDR is (host bits are masked), because CrowdSec bouncers send `ip`/`range`
 * filters that way; stored values are canonical anyway.
 */
export function rangeOf(text: string): IpRange | null {
  const parts = text.trim().split('/');
  if (parts.length > 2) {
    return null;
  }
  const canonical = canonicalIp(parts[0]);
  if (canonical === null) {
    return null;
  }
  const version = canonical.includes(':') ? 6 : 4;
  const bits = version === 4 ? 32 : 128;
  let prefix = bits;
  if (parts.length === 2) {
    if (!/^\d{1,3}$/.test(parts[1])) {
      return null;
    }
    prefix = Number(parts[1]);
    if (version === 4 && parts[0].includes(':')) {
      // An IPv4-mapped CIDR (::ffff:10.0.0.0/104) counts in IPv6 bits.
      prefix -= 96;
    }
    if (prefix < 0 || prefix > bits) {
      return null;
    }
  }
  const address = toBigInt(ipaddr.parse(canonical).toByteArray());
  const hostBits = BigInt(bits - prefix);
  const start = (address >> hostBits) << hostBits;
  return { version, start, end: start + (1n << hostBits) - 1n };
}

/** Whether `outer` holds every address of `inner`. */
export function contains(outer: IpRange, inner: IpRange): boolean {
  return outer.version === inner.version && outer.start <= inner.start && outer.end >= inner.end;
}

/** Whether the decision value `outer` (address or CIDR) covers every address of `inner`. */
export function covers(outer: string, inner: string): boolean {
  const a = rangeOf(outer);
  const b = rangeOf(inner);
  return a !== null && b !== null && contains(a, b);
}

/** The widest networks a manual decision may name: wider is more likely a typo than a wish. */
export const WIDEST_PREFIX: Readonly<Record<4 | 6, number>> = { 4: 8, 6: 32 };

/** A reason to refuse a manual target, or null when it is acceptable. */
export function tooWide(target: DecisionTarget): string | null {
  if (target.scope === 'ip') {
    return null;
  }
  const version = target.value.includes(':') ? 6 : 4;
  const prefix = Number(target.value.slice(target.value.lastIndexOf('/') + 1));
  return prefix < WIDEST_PREFIX[version]
    ? `${target.value} is wider than /${WIDEST_PREFIX[version]}, the widest range a manual decision may cover`
    : null;
}
