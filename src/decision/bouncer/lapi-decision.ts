import { NumberedDecision } from '../../memory/enforcement-records';
import { DecisionOrigin, DecisionScope } from '../../domain/decision';
import { remaining } from './go-duration';

/**
 * A decision as CrowdSec's Local API serves it to bouncers (`models.Decision`), fields in the
 * order Go writes them. `until` and `uuid` are optional in CrowdSec's model; we fill both.
 */
export interface LapiDecision {
  duration: string;
  id: number;
  origin: string;
  scenario: string;
  scope: LapiScope;
  type: 'ban';
  until: string;
  uuid: string;
  value: string;
}

export type LapiScope = 'Ip' | 'Range';

type BannableScope = Extract<DecisionScope, 'ip' | 'range'>;

const LAPI_SCOPE: Readonly<Record<BannableScope, LapiScope>> = { ip: 'Ip', range: 'Range' };

/**
 * Whether a decision may reach a bouncer or a blocklist: only addresses and networks. Host-name
 * and local actors are never blocked (a host name's block is recorded on its addresses); this
 * holds the line should such a decision ever be stored.
 */
export function isBannable(decision: { scope: DecisionScope }): boolean {
  return decision.scope === 'ip' || decision.scope === 'range';
}

/**
 * Our origins as CrowdSec names them. An operator's manual decision is `cscli`, CrowdSec's
 * name for a decision a person made, so bouncer `origins` filters and dashboards that tell
 * manual from automatic keep working; the policy and the LLM reviewer get names of their own
 * rather than pretend to be the CrowdSec agent (`crowdsec`).
 */
export const LAPI_ORIGIN: Readonly<Record<DecisionOrigin, string>> = {
  policy: 'soc-triage',
  llm: 'soc-triage-llm',
  manual: 'cscli',
};

export const SCENARIO_PREFIX = 'soc-triage/';

/** `soc-triage/<rule id>`: CrowdSec scenarios are `<author>/<name>`. */
export function lapiScenario(ruleId: string): string {
  return `${SCENARIO_PREFIX}${ruleId}`;
}

/** RFC 3339 in UTC to the second, as Go prints a time. */
function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The fields bouncer filters look at, without the clock-dependent duration. */
export function lapiFields(decision: NumberedDecision): Omit<LapiDecision, 'duration' | 'until'> {
  return {
    id: decision.bouncerId,
    origin: LAPI_ORIGIN[decision.origin],
    scenario: lapiScenario(decision.ruleId),
    scope: LAPI_SCOPE[decision.scope as BannableScope],
    type: 'ban',
    uuid: decision.id,
    value: decision.value,
  };
}

/** `until` is when it stops being in force (revoked or expired); `duration` is what is left of it then. */
export function toLapiDecision(decision: NumberedDecision, until: Date, now: Date): LapiDecision {
  const fields = lapiFields(decision);
  return {
    duration: remaining(until, now),
    id: fields.id,
    origin: fields.origin,
    scenario: fields.scenario,
    scope: fields.scope,
    type: fields.type,
    until: rfc3339(until),
    uuid: fields.uuid,
    value: fields.value,
  };
}
