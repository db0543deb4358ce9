import { isAddressKey } from '../common/actor-key';
import { Injectable, Logger } from '@nestjs/common';
import { StoredDecision } from '../domain/decision';
import { AllowMatch, Policy } from './policy';
import { parseCidr } from '../domain/ip';
import { allowEntries, AllowEntry, allowMatch, cidrsOverlap } from './policy-allowlist';
import { NetworkKeys, networkKeysOf } from './policy-networks';
import { PolicySettings } from './policy-settings';

/**
 * The policy in force (POLICY_FILE, else policy/default.yaml) plus the allow-list from the
 * policy and from ALLOWLIST_CIDRS: both read and validated once at start-up (policy-settings.ts).
 */
@Injectable()
export class PolicyService {
  private readonly logger = new Logger(PolicyService.name);
  readonly policy: Policy;
  private readonly allowlist: AllowEntry[];
  private readonly compiled = new WeakMap<readonly StoredDecision[], AllowEntry[]>();

  constructor(settings: PolicySettings) {
    this.policy = settings.policy;
    this.allowlist = [
      ...allowEntries(this.policy.allowlist, 'policy allowlist'),
      ...allowEntries(settings.allowlistCidrs, 'ALLOWLIST_CIDRS'),
    ];
    this.logger.log(
      `policy ${this.policy.version} from ${settings.source}: ${this.policy.rules.length} rules, ` +
        `${this.allowlist.length} allow-listed network(s)${this.policy.simulate ? ', SIMULATING every decision' : ''}`,
    );
  }

  /** Why `value` (address or CIDR) may not be blocked: the allow-list or an active manual allow; null for other keys. */
  allowed(value: string, manualAllows: readonly StoredDecision[]): AllowMatch | null {
    if (!isAddressKey(value)) {
      return null;
    }
    return allowMatch(value, this.allowlist) ?? allowMatch(value, this.manualEntries(manualAllows));
  }

  /**
   * The configured allow-list entries (policy file and ALLOWLIST_CIDRS) that share an address
   * with `value`, each as `network (source)`; a manual block on any of them needs `force`.
   */
  allowlistOverlaps(value: string): string[] {
    const target = parseCidr(value);
    return this.allowlist
      .filter((entry) => cidrsOverlap(target, entry.cidr))
      .map((entry) => `${entry.cidr.cidr} (${entry.source})`);
  }

  /** The writer hands the same list to every key of a write: compile it once per write. */
  private manualEntries(allows: readonly StoredDecision[]): AllowEntry[] {
    let entries = this.compiled.get(allows);
    if (entries === undefined) {
      entries = allows.flatMap((d) => {
        try {
          return allowEntries([d.value], `manual allow by ${d.createdBy}`);
        } catch {
          return [];
        }
      });
      this.compiled.set(allows, entries);
    }
    return entries;
  }

  networksOf(ip: string): NetworkKeys {
    return networkKeysOf(ip, this.policy);
  }
}
