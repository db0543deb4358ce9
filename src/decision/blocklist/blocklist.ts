import { rangeOf } from '../management/coverage';

export const BLOCKLIST_FORMATS = ['plain', 'nginx', 'ipset'] as const;
export type BlocklistFormat = (typeof BLOCKLIST_FORMATS)[number];

export const DEFAULT_SET_NAME = 'soc-triage';

/**
 * ipset names hold at most 31 characters; the IPv6 set is the name plus `6`, so a name may have
 * at most 30.
 */
export const SET_NAME = /^[A-Za-z0-9_-]{1,30}$/;

/** Addresses and networks once each: IPv4 before IPv6, then in address order, wider first. */
export function sortedTargets(values: string[]): string[] {
  const keyed = [...new Set(values)].map((value) => ({ value, range: rangeOf(value) }));
  return keyed
    .filter((entry) => entry.range !== null)
    .sort((a, b) => {
      const x = a.range as NonNullable<typeof a.range>;
      const y = b.range as NonNullable<typeof b.range>;
      if (x.version !== y.version) {
        return x.version - y.version;
      }
      if (x.start !== y.start) {
        return x.start < y.start ? -1 : 1;
      }
      return x.end === y.end ? 0 : x.end > y.end ? -1 : 1;
    })
    .map((entry) => entry.value);
}

/**
 * The bans as a file a firewall or proxy loads: `plain` is one address or CIDR a line;
 * `nginx` is `deny <target>;` lines for an `include`; `ipset` is `add <set> <target>` lines
 * for `ipset restore -exist`, IPv4 into `<set>` and IPv6 into `<set>6` (an ipset holds one
 * family), both `hash:net`.
 */
export function formatBlocklist(values: string[], format: BlocklistFormat, setName = DEFAULT_SET_NAME): string {
  if (!SET_NAME.test(setName)) {
    throw new Error(`set name must match ${SET_NAME.source}`);
  }
  const line = (target: string): string => {
    switch (format) {
      case 'plain':
        return target;
      case 'nginx':
        return `deny ${target};`;
      case 'ipset':
        return `add ${target.includes(':') ? `${setName}6` : setName} ${target}`;
    }
  };
  return sortedTargets(values)
    .map((target) => `${line(target)}\n`)
    .join('');
}
