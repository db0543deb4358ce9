import ipaddr from 'ipaddr.js';
import { decisionTarget, IpRange, rangeOf } from './coverage';

/*
 * CIDR arithmetic on the [start, end] ranges of coverage.ts. ipaddr.js parses and matches
 * networks but neither subtracts them nor turns a range back into CIDRs; cidr-tools does both
 * but ships as ES modules only, which this CommonJS build and its jest cannot load.
 */

/** Whether two ranges share at least one address (two CIDRs overlap only when one holds the other). */
export function rangesOverlap(a: IpRange, b: IpRange): boolean {
  return a.version === b.version && a.start <= b.end && b.start <= a.end;
}

/** Whether two decision values (addresses or CIDRs) share an address; false if either is not one. */
export function valuesOverlap(a: string, b: string): boolean {
  const x = rangeOf(a);
  const y = rangeOf(b);
  return x !== null && y !== null && rangesOverlap(x, y);
}

function addressText(version: 4 | 6, value: bigint): string {
  const bytes: number[] = [];
  for (let i = 0; i < (version === 4 ? 4 : 16); i++) {
    bytes.unshift(Number(value & 0xffn));
    value >>= 8n;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

/** The fewest CIDRs (as canonical decision values) that hold exactly the addresses of `range`, in order. */
export function cidrsOfRange(range: IpRange): string[] {
  const bits = range.version === 4 ? 32 : 128;
  const values: string[] = [];
  let start = range.start;
  while (start <= range.end) {
    // The widest block aligned at `start` that does not run past the end.
    let size = 0;
    while (
      size < bits &&
      (start & ((1n << BigInt(size + 1)) - 1n)) === 0n &&
      start + (1n << BigInt(size + 1)) - 1n <= range.end
    ) {
      size++;
    }
    values.push(decisionTarget(`${addressText(range.version, start)}/${bits - size}`).value);
    start += 1n << BigInt(size);
  }
  return values;
}

/**
 * The addresses of `value` outside every one of `holes`, as the fewest CIDRs (canonical decision
 * values, a full-length prefix written as the address). `value` itself when no hole touches it;
 * empty when the holes cover it. Throws when `value` is not an address or CIDR; holes that are
 * not, or are of the other family, are ignored.
 */
export function subtractNetworks(value: string, holes: readonly string[]): string[] {
  const whole = rangeOf(value);
  if (whole === null) {
    throw new Error(`${JSON.stringify(value.slice(0, 80))} is not an IP address or CIDR`);
  }
  const cuts = holes
    .map((hole) => rangeOf(hole))
    .filter((hole): hole is IpRange => hole !== null && rangesOverlap(hole, whole))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  if (cuts.length === 0) {
    return [decisionTarget(value).value];
  }
  const left: string[] = [];
  let next = whole.start;
  for (const cut of cuts) {
    if (cut.start > next) {
      left.push(...cidrsOfRange({ version: whole.version, start: next, end: cut.start - 1n }));
    }
    if (cut.end + 1n > next) {
      next = cut.end + 1n;
    }
  }
  if (next <= whole.end) {
    left.push(...cidrsOfRange({ version: whole.version, start: next, end: whole.end }));
  }
  return left;
}
