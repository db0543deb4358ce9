import { Signal } from '../ingest/signals/signal';
import { ActorProfile } from '../memory/actor-profile';
import { Verdict } from '../llm/verdict';

export const ACTIONS = ['monitor', 'alert', 'block'] as const;
export type Action = (typeof ACTIONS)[number];

/** Higher is more severe; the most severe matching action wins. */
export const ACTION_SEVERITY: Readonly<Record<Action, number>> = { monitor: 1, alert: 2, block: 3 };

/** At least `atLeast` occurrences of any of `signals` within `withinSeconds` of event time. */
export interface SignalCondition {
  signals: Signal[];
  atLeast: number;
  withinSeconds: number;
}

/** The verdict's score is at least `scoreAtLeast`. */
export interface ScoreCondition {
  scoreAtLeast: number;
}

export interface PolicyRule {
  id: string;
  /** Human-readable; copied onto every decision the rule makes. */
  reason: string;
  action: Action;
  when: SignalCondition | ScoreCondition;
  /**
   * Hard evidence (e.g. failed logins past the threshold) stands on the events alone: no
   * verdict, from the heuristic or from an LLM, can talk it out of its action.
   */
  hardEvidence: boolean;
}

export interface BlockDurations {
  baseSeconds: number;
  /** Each earlier block multiplies the duration by this factor (fail2ban's bantime.increment). */
  factor: number;
  maxSeconds: number;
}

export interface Policy {
  version: string;
  rules: PolicyRule[];
  block: BlockDurations;
  alertSeconds: number;
  monitorSeconds: number;
}

export interface ActiveDecision {
  action: Action;
  ruleId: string;
  expiresAt: Date;
}

export interface DecisionInput {
  verdict: Verdict;
  actor: ActorProfile;
  /** The most severe decision currently in force for the actor, if any. */
  active: ActiveDecision | null;
  now: Date;
}

export interface Outcome {
  action: Action;
  ruleId: string;
  reason: string;
  hardEvidence: boolean;
  durationSeconds: number;
  expiresAt: Date;
  /** Every rule that matched, most severe first: the audit trail of why. */
  matchedRuleIds: string[];
}

/** Occurrences of `signals` in the actor's timeline within `withinSeconds` before its last event. */
export function countInWindow(actor: ActorProfile, signals: Signal[], withinSeconds: number): number {
  const end = actor.lastSeen.getTime();
  const start = end - withinSeconds * 1000;
  let count = 0;
  for (const signal of signals) {
    for (const time of actor.signalTimeline[signal] ?? []) {
      if (time >= start && time <= end) {
        count += 1;
      }
    }
  }
  return count;
}

export function ruleMatches(rule: PolicyRule, verdict: Verdict, actor: ActorProfile): boolean {
  if ('scoreAtLeast' in rule.when) {
    return verdict.score >= rule.when.scoreAtLeast;
  }
  const { signals, atLeast, withinSeconds } = rule.when;
  return countInWindow(actor, signals, withinSeconds) >= atLeast;
}

export function durationFor(action: Action, offenceCount: number, policy: Policy): number {
  switch (action) {
    case 'block': {
      const { baseSeconds, factor, maxSeconds } = policy.block;
      const grown = baseSeconds * Math.pow(factor, Math.min(offenceCount, 64));
      return Math.round(Math.min(grown, maxSeconds));
    }
    case 'alert':
      return policy.alertSeconds;
    case 'monitor':
      return policy.monitorSeconds;
  }
}

const onSignals = (rule: PolicyRule): number => Number('signals' in rule.when);

/**
 * Most severe first; then hard evidence; then rules on observed signals before rules on the
 * verdict's score (their reason is the more concrete); then the rule id. Never declaration order.
 */
function precedence(a: PolicyRule, b: PolicyRule): number {
  return (
    ACTION_SEVERITY[b.action] - ACTION_SEVERITY[a.action] ||
    Number(b.hardEvidence) - Number(a.hardEvidence) ||
    onSignals(b) - onSignals(a) ||
    a.id.localeCompare(b.id)
  );
}

/**
 * What the policy says should be in force for this actor now, or null when no rule matches.
 * Pure: it reads only its arguments, and the clock is `now`.
 */
export function evaluatePolicy(input: Omit<DecisionInput, 'active'>, policy: Policy): Outcome | null {
  const matched = policy.rules.filter((rule) => ruleMatches(rule, input.verdict, input.actor)).sort(precedence);
  const winner = matched[0];
  if (winner === undefined) {
    return null;
  }
  const durationSeconds = durationFor(winner.action, input.actor.offenceCount, policy);
  return {
    action: winner.action,
    ruleId: winner.id,
    reason: winner.reason,
    hardEvidence: winner.hardEvidence,
    durationSeconds,
    expiresAt: new Date(input.now.getTime() + durationSeconds * 1000),
    matchedRuleIds: matched.map((rule) => rule.id),
  };
}

/**
 * The decision to record now: the policy's outcome when it is more severe than what is already
 * in force, otherwise null (an actor already blocked is not blocked again until it expires).
 */
export function decide(input: DecisionInput, policy: Policy): Outcome | null {
  const outcome = evaluatePolicy(input, policy);
  if (outcome === null) {
    return null;
  }
  if (input.active !== null && ACTION_SEVERITY[input.active.action] >= ACTION_SEVERITY[outcome.action]) {
    return null;
  }
  return outcome;
}
