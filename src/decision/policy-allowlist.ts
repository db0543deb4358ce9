import { parseCidr, ParsedCidr } from '../domain/ip';
import { AllowMatch } from './policy';

/** One allow-listed network and where it came from (for the decision's reason). */
export interface AllowEntry {
  cidr: ParsedCidr;
  source: string;
}

/** Canonical CIDR texts → entries; throws (with the entry named) on a bad one. */
export function allowEntries(cidrs: readonly string[], source: string): AllowEntry[] {
  return cidrs.map((text) => ({ cidr: parseCidr(text), source }));
}

/** The comma-separated ALLOWLIST_CIDRS value → canonical CIDRs; throws on the first bad entry. */
export function parseAllowlistVariable(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => parseCidr(entry).cidr);
}

/** Whether two networks share any address: one contains the other. */
export function cidrsOverlap(a: ParsedCidr, b: ParsedCidr): boolean {
  if (a.network.kind() !== b.network.kind()) {
    return false;
  }
  const bits = Math.min(a.prefix, b.prefix);
  // Both are the same kind here; ipaddr's match() compares the first `bits` bits.
  return (a.network as { match(other: unknown, bits: number): boolean }).match(b.network, bits);
}

/**
 * Why `value` (an address or a CIDR) may not be blocked, or null. A network is protected when
 * it overlaps an allow-listed one at all: blocking a /64 must not block the one allowed address
 * inside it.
 */
export function allowMatch(value: string, entries: readonly AllowEntry[]): AllowMatch | null {
  if (entries.length === 0) {
    return null;
  }
  const target = parseCidr(value);
  const hit = entries.find((entry) => cidrsOverlap(target, entry.cidr));
  return hit === undefined ? null : { description: `${hit.cidr.cidr} (${hit.source})` };
}
