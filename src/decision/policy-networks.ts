import { actorScope } from '../common/actor-key';
import { ipVersion, networkOf } from '../domain/ip';
import { AllowMatch, Policy, RangeEscalation } from './policy';
import { Action, ACTION_SEVERITY } from '../domain/decision';

/** Networks (CIDR text) an address belongs to for triage. */
export interface NetworkKeys {
  /** Each gets its own aggregate profile, which also counts this address's events. */
  counted: string[];
  /**
   * Decisions on these cover the address (it is in force for it too). For a host-name actor:
   * the addresses it resolves to (a block on them is in force for the name).
   */
  covering: string[];
}

/** Profiles and decisions are keyed by an address, or by a network in CIDR text. */
export function isNetworkKey(key: string): boolean {
  return key.includes('/');
}

/** The network's first address, e.g. `2001:db8:1:2::/64` → `2001:db8:1:2::`. */
export function networkAddress(cidr: string): string {
  return cidr.slice(0, cidr.indexOf('/'));
}

const NONE: NetworkKeys = { counted: [], covering: [] };

/**
 * The network of a canonical IPv4 address without re-parsing it (this runs for every address
 * of every write); anything else goes through networkOf.
 */
export function fastNetworkOf(ip: string, prefix: number): string {
  const parts = ip.includes(':') ? [] : ip.split('.');
  if (parts.length !== 4 || prefix < 0 || prefix > 32) {
    return networkOf(ip, prefix);
  }
  const value = parts.reduce((n, part) => n * 256 + Number(part), 0);
  const size = 2 ** (32 - prefix);
  const base = Math.floor(value / size) * size;
  return `${[24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256).join('.')}/${prefix}`;
}

/** The networks an address belongs to under the policy; none for a network, host-name or local key. */
export function networkKeysOf(ip: string, policy: Pick<Policy, 'aggregate' | 'rangeEscalation'>): NetworkKeys {
  if (actorScope(ip) !== 'ip') {
    return NONE;
  }
  const v6 = ip.includes(':');
  const prefix = v6 ? policy.aggregate.ipv6Prefix : policy.aggregate.ipv4Prefix;
  const counted = prefix === null ? [] : [fastNetworkOf(ip, prefix)];
  const escalation = policy.rangeEscalation;
  const covering = [...counted];
  if (escalation !== null) {
    const network = fastNetworkOf(ip, v6 ? escalation.ipv6Prefix : escalation.ipv4Prefix);
    if (!covering.includes(network)) {
      covering.push(network);
    }
  }
  return counted.length === 0 && covering.length === 0 ? NONE : { counted, covering };
}

/** The network a blocked address counts towards for range escalation. */
export function escalationNetwork(ip: string, escalation: RangeEscalation): string {
  return fastNetworkOf(ip, ipVersion(ip) === 6 ? escalation.ipv6Prefix : escalation.ipv4Prefix);
}

export interface Escalation {
  network: string;
  action: Action;
  ruleId: string;
  reason: string;
  durationSeconds: number;
  simulated: boolean;
}

/**
 * The range decision that `blockedMembers` distinct blocked addresses of `network` call for, or
 * null: none below the threshold, none when a decision at least as severe is already in force.
 * An allow-listed network (one that overlaps an allowed one) gets an alert instead of a block.
 */
export function escalate(input: {
  network: string;
  blockedMembers: number;
  inForce: Action | null;
  allow: AllowMatch | null;
  escalation: RangeEscalation;
  simulate: boolean;
}): Escalation | null {
  const { escalation, allow } = input;
  if (input.blockedMembers < escalation.atLeast) {
    return null;
  }
  const action: Action = allow === null ? 'block' : 'alert';
  if (input.inForce !== null && ACTION_SEVERITY[input.inForce] >= ACTION_SEVERITY[action]) {
    return null;
  }
  return {
    network: input.network,
    action,
    ruleId: escalation.id,
    reason:
      `${escalation.reason} (${input.blockedMembers} addresses)` +
      (allow === null ? '' : `; not blocked: allow-listed by ${allow.description}`),
    durationSeconds: escalation.durationSeconds,
    simulated: input.simulate || escalation.simulate,
  };
}
