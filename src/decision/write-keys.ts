import { TaggedEvent } from '../domain/event';
import { mostSevere, StoredDecision } from '../domain/decision';
import { isNetworkKey, NetworkKeys } from './policy-networks';

/**
 * The keys one write's events count under: each event's address and, when the policy says
 * so, networks (CIDR text) that keep an aggregate profile of their addresses' events.
 */
export interface WriteKeys {
  byKey: Map<string, TaggedEvent[]>;
  /** Per address: the networks it counts towards and is covered by. */
  networks: Map<string, NetworkKeys>;
  /** Per counted network: the addresses of this write that belong to it. */
  members: Map<string, string[]>;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) {
    map.set(key, [value]);
  } else {
    list.push(value);
  }
}

export function groupByKey(events: readonly TaggedEvent[], networksOf: (ip: string) => NetworkKeys): WriteKeys {
  const keys: WriteKeys = { byKey: new Map(), networks: new Map(), members: new Map() };
  for (const event of events) {
    const ip = event.sourceIp;
    let networks = keys.networks.get(ip);
    if (networks === undefined) {
      networks = networksOf(ip);
      keys.networks.set(ip, networks);
      for (const network of networks.counted) {
        push(keys.members, network, ip);
      }
    }
    push(keys.byKey, ip, event);
    for (const network of networks.counted) {
      push(keys.byKey, network, event);
    }
  }
  return keys;
}

/** Addresses first, then networks: a network is judged against what its addresses got. */
export function evaluationOrder(keys: WriteKeys): string[] {
  const all = [...keys.byKey.keys()];
  return [...all.filter((key) => !isNetworkKey(key)), ...all.filter(isNetworkKey)];
}

export function earliestEventTime(events: readonly TaggedEvent[]): Date {
  return events.reduce((min, event) => (event.eventTime < min ? event.eventTime : min), events[0].eventTime);
}

export function strongest(decisions: readonly (StoredDecision | null | undefined)[]): StoredDecision | null {
  return decisions.reduce<StoredDecision | null>(
    (best, d) => (d === null || d === undefined ? best : mostSevere(best ?? undefined, d)),
    null,
  );
}

/**
 * The keys whose decisions a write reads: its actors and the covering keys that are not
 * networks (a host name's addresses; networks are read apart, every range at once).
 */
export function inForceKeys(keys: WriteKeys): string[] {
  const out = [...keys.byKey.keys()];
  for (const networks of keys.networks.values()) {
    for (const key of networks.covering) {
      if (!isNetworkKey(key) && !keys.byKey.has(key)) {
        out.push(key);
      }
    }
  }
  return out;
}
