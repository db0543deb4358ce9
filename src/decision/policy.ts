import { Action, ACTION_SEVERITY, severityOf } from '../domain/decision';
import { BEHAVIOUR_MARKERS, Signal } from '../domain/signal';
import { ActorProfile, PathMark } from '../domain/actor';
import { Verdict } from '../domain/verdict';

/**
 * When a rule matches. A signal count (`signals`, `atLeast`, `withinSeconds`, all three or
 * none) and a score band (`scoreAtLeast`, `scoreAtMost`, inclusive) may be combined; every
 * part given must hold. The policy file's validator guarantees at least one part.
 */
export interface RuleCondition {
  /** At least `atLeast` occurrences of any of `signals` within `withinSeconds` of event time. */
  signals?: Signal[];
  atLeast?: number;
  withinSeconds?: number;
  /**
   * `paths`: count distinct URL paths among those occurrences instead of the occurrences
   * themselves (only for signals the profile keeps paths of: PATH_MARKED_SIGNALS).
   */
  distinct?: 'paths';
  scoreAtLeast?: number;
  scoreAtMost?: number;
}

export interface SignalCount {
  signals: Signal[];
  atLeast: number;
  withinSeconds: number;
  distinct?: 'paths';
}

export interface PolicyRule {
  id: string;
  /** Human-readable; copied onto every decision the rule makes. */
  reason: string;
  action: Action;
  when: RuleCondition;
  /**
   * Hard evidence (e.g. failed logins past the threshold) stands on the events alone: no
   * verdict, from the heuristic or from an LLM, can talk it out of its action.
   */
  hardEvidence: boolean;
  /** Recorded with status `simulated` and never published (trying a rule out). */
  simulate: boolean;
}

export interface BlockDurations {
  baseSeconds: number;
  /** Each earlier block multiplies the duration by this factor (fail2ban's bantime.increment). */
  factor: number;
  maxSeconds: number;
}

/** Which networks an actor is also counted under, so that rotating addresses does not reset counts. */
export interface AggregateSettings {
  /** Prefix length of the network an IPv6 actor is also counted under (64), or null for none. */
  ipv6Prefix: number | null;
  /** The same for IPv4 (off by default: one /24 is often many unrelated users behind NAT). */
  ipv4Prefix: number | null;
}

/** When enough addresses of one network are blocked, block the network. */
export interface RangeEscalation {
  id: string;
  reason: string;
  /** Distinct addresses of one network blocked within `withinSeconds`. */
  atLeast: number;
  withinSeconds: number;
  ipv4Prefix: number;
  ipv6Prefix: number;
  durationSeconds: number;
  simulate: boolean;
}

/** What the LLM may do: it advises, the policy decides. */
export interface LlmBounds {
  /** The most severe action an LLM verdict may raise an actor to. */
  maxAction: Action;
  /** Whether an LLM verdict may shorten a block that no hard evidence triggered. */
  mayShortenSoftBlocks: boolean;
  /** `pending`: a block the LLM proposes waits for an analyst instead of taking effect. */
  approval: 'auto' | 'pending';
}

/** Which actors the LLM reviews after the heuristic has decided. */
export interface ReviewTriggers {
  /** A new decision with one of these actions is reviewed. */
  actions: Action[];
  /** A heuristic score within [min, max] (inclusive) is reviewed. */
  scoreBand: [number, number];
}

/** A policy as loaded and validated from a policy file (see policy-file.ts and policy/default.yaml). */
export interface Policy {
  version: string;
  /** Every decision is simulated: recorded, never published. */
  simulate: boolean;
  rules: PolicyRule[];
  block: BlockDurations;
  alertSeconds: number;
  monitorSeconds: number;
  /** Canonical CIDRs never blocked (an attacker there gets an alert instead). */
  allowlist: string[];
  aggregate: AggregateSettings;
  rangeEscalation: RangeEscalation | null;
  llm: LlmBounds;
  review: ReviewTriggers;
}

export interface ActiveDecision {
  action: Action;
  ruleId: string;
  expiresAt: Date;
}

/** Why an address or network may not be blocked, for the decision's reason. */
export interface AllowMatch {
  /** e.g. `10.0.0.0/8 (policy allowlist)` or `manual allow 0190…`. */
  description: string;
}

export interface DecisionInput {
  verdict: Verdict;
  actor: ActorProfile;
  /** The most severe published decision in force for the actor (or covering it), if any. */
  active: ActiveDecision | null;
  /** The most severe simulated decision in force, if any. */
  simulated?: ActiveDecision | null;
  /** The earliest event of this write: only evidence from here on fires (see peakInWindow); default: judge now. */
  since?: Date;
  /**
   * Decisions that expired during this write (after `since`): windows ending while one was in
   * force do not fire a rule it already covered, as they would not have if events came one by one.
   */
  expired?: readonly ActiveDecision[];
  /** Set when the actor is allow-listed: a block becomes an alert. */
  allow?: AllowMatch | null;
  /** Set when the actor cannot be blocked (a host name, a local user): why; a block becomes an alert. */
  notBlockable?: string | null;
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
  /** Made by a simulated rule, or under a simulated policy: record, never publish. */
  simulated: boolean;
  /** A block turned into an alert: the actor is allow-listed, or cannot be blocked (`notBlockable`). */
  allowListed: boolean;
}

/** The rule's signal count, when it has one. */
export function signalCountOf(when: RuleCondition): SignalCount | null {
  const { signals, atLeast, withinSeconds, distinct } = when;
  return signals === undefined || atLeast === undefined || withinSeconds === undefined
    ? null
    : { signals, atLeast, withinSeconds, distinct };
}

/**
 * Occurrences of `signals` in a window of `withinSeconds` (inclusive) of event time.
 *
 * Without `sinceMs`: the window that ends at the actor's last event (what holds now).
 * With `sinceMs` (the write path: the earliest event of the write): the most in any window that
 * ends at one of those occurrences at or after `sinceMs`. Windows ending earlier were judged by
 * an earlier write, so old evidence does not fire again on a later harmless event, and a burst
 * early in a large batch is not hidden by quieter events after it.
 */
export function peakInWindow(actor: ActorProfile, signals: Signal[], withinSeconds: number, sinceMs?: number): number {
  const width = withinSeconds * 1000;
  if (sinceMs === undefined) {
    const end = actor.lastSeen.getTime();
    return signals.reduce(
      (n, signal) => n + (actor.signalTimeline[signal] ?? []).filter((t) => t >= end - width && t <= end).length,
      0,
    );
  }
  const times: number[] = [];
  for (const signal of signals) {
    const timeline = actor.signalTimeline[signal];
    if (timeline !== undefined) {
      times.push(...timeline);
    }
  }
  if (signals.length > 1) {
    times.sort((a, b) => a - b);
  }
  let peak = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while (times[end] - times[start] > width) {
      start += 1;
    }
    if (times[end] >= sinceMs) {
      peak = Math.max(peak, end - start + 1);
    }
  }
  return peak;
}

/**
 * Distinct URL paths among the occurrences of `signals` in a window of `withinSeconds`
 * (inclusive) of event time, as peakInWindow counts occurrences: without `sinceMs`, the window
 * ending at the actor's last event; with it, the most in any window ending at an occurrence at
 * or after `sinceMs`. Reads the profile's `signalPaths` (latest TIMELINE_CAP per signal).
 */
export function distinctPathsInWindow(
  actor: ActorProfile,
  signals: Signal[],
  withinSeconds: number,
  sinceMs?: number,
): number {
  const width = withinSeconds * 1000;
  const marks: PathMark[] = [];
  for (const signal of signals) {
    marks.push(...(actor.signalPaths?.[signal] ?? []));
  }
  if (signals.length > 1) {
    marks.sort((a, b) => a[0] - b[0]);
  }
  if (sinceMs === undefined) {
    const end = actor.lastSeen.getTime();
    return new Set(marks.filter(([t]) => t >= end - width && t <= end).map(([, path]) => path)).size;
  }
  const inWindow = new Map<string, number>();
  let peak = 0;
  let start = 0;
  for (let end = 0; end < marks.length; end += 1) {
    inWindow.set(marks[end][1], (inWindow.get(marks[end][1]) ?? 0) + 1);
    while (marks[end][0] - marks[start][0] > width) {
      const left = marks[start][1];
      const n = (inWindow.get(left) ?? 1) - 1;
      if (n === 0) {
        inWindow.delete(left);
      } else {
        inWindow.set(left, n);
      }
      start += 1;
    }
    if (marks[end][0] >= sinceMs) {
      peak = Math.max(peak, inWindow.size);
    }
  }
  return peak;
}

/** Whether any signal occurred at or after `sinceMs`: the write brought something to judge. */
export function signalSince(actor: ActorProfile, sinceMs: number): boolean {
  return (Object.entries(actor.signalTimeline) as [Signal, number[] | undefined][]).some(
    ([signal, times]) => !BEHAVIOUR_MARKERS.has(signal) && times !== undefined && times[times.length - 1] >= sinceMs,
  );
}

/**
 * Whether the rule holds. With `sinceMs` (the write path), a rule on the score alone also needs
 * a signal from this write: a harmless event does not re-trigger a block on an old verdict.
 */
export function ruleMatches(rule: PolicyRule, verdict: Verdict, actor: ActorProfile, sinceMs?: number): boolean {
  const { scoreAtLeast, scoreAtMost } = rule.when;
  if ((scoreAtLeast !== undefined && verdict.score < scoreAtLeast) || (scoreAtMost ?? 100) < verdict.score) {
    return false;
  }
  const count = signalCountOf(rule.when);
  if (count === null) {
    return sinceMs === undefined || signalSince(actor, sinceMs);
  }
  const counted = count.distinct === 'paths' ? distinctPathsInWindow : peakInWindow;
  return counted(actor, count.signals, count.withinSeconds, sinceMs) >= count.atLeast;
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

const onSignals = (rule: PolicyRule): number => Number(rule.when.signals !== undefined);

/**
 * Most severe first; then hard evidence; then rules on observed signals before rules on the
 * verdict's score alone (their reason is the more concrete); then the rule id. Never declaration order.
 */
function precedence(a: PolicyRule, b: PolicyRule): number {
  return (
    ACTION_SEVERITY[b.action] - ACTION_SEVERITY[a.action] ||
    Number(b.hardEvidence) - Number(a.hardEvidence) ||
    onSignals(b) - onSignals(a) ||
    a.id.localeCompare(b.id)
  );
}

type Judged = Omit<DecisionInput, 'active' | 'simulated'>;

function outcomeOf(matched: PolicyRule[], input: Judged, policy: Policy): Outcome | null {
  const winner = matched[0];
  if (winner === undefined) {
    return null;
  }
  const why = notBlockedBecause(input);
  const capped = winner.action === 'block' && why !== null;
  const action: Action = capped ? 'alert' : winner.action;
  const durationSeconds = durationFor(action, input.actor.offenceCount, policy);
  return {
    action,
    ruleId: winner.id,
    reason: capped ? `${winner.reason}; not blocked: ${why}` : winner.reason,
    hardEvidence: winner.hardEvidence,
    durationSeconds,
    expiresAt: new Date(input.now.getTime() + durationSeconds * 1000),
    matchedRuleIds: matched.map((rule) => rule.id),
    simulated: policy.simulate || winner.simulate,
    allowListed: capped,
  };
}

function notBlockedBecause(input: Judged): string | null {
  if (input.allow !== undefined && input.allow !== null) {
    return `allow-listed by ${input.allow.description}`;
  }
  return input.notBlockable ?? null;
}

/** Where a rule's windows may end: after `since`, and after any expired decision at least as severe. */
function sinceFor(rule: PolicyRule, input: Judged): number | undefined {
  if (input.since === undefined) {
    return undefined;
  }
  return (input.expired ?? [])
    .filter((decision) => ACTION_SEVERITY[decision.action] >= ACTION_SEVERITY[rule.action])
    .reduce((since, decision) => Math.max(since, decision.expiresAt.getTime() + 1), input.since.getTime());
}

function matchingRules(input: Judged, policy: Policy): PolicyRule[] {
  return policy.rules
    .filter((rule) => ruleMatches(rule, input.verdict, input.actor, sinceFor(rule, input)))
    .sort(precedence);
}

/**
 * What the published (non-simulated) rules say should be in force for this actor now, or null
 * when none matches. Pure: it reads only its arguments, and the clock is `now`.
 */
export function evaluatePolicy(input: Judged, policy: Policy): Outcome | null {
  return outcomeOf(publishedOf(matchingRules(input, policy), policy), input, policy);
}

/** The rules among `rules` that publish (not simulated, in a policy that is not simulated). */
function publishedOf(rules: PolicyRule[], policy: Policy): PolicyRule[] {
  return rules.filter((rule) => !policy.simulate && !rule.simulate);
}

/** What every rule, simulated ones included, says: the policy as it would be with simulation off. */
export function evaluateSimulated(input: Judged, policy: Policy): Outcome | null {
  return outcomeOf(matchingRules(input, policy), input, policy);
}

/**
 * Whether `outcome` should be recorded over `inForce`: when more severe; or, for an allow-listed
 * attacker's alert, when the alert in force does not already say it would have been blocked.
 */
function supersedes(outcome: Outcome, inForce: ActiveDecision | null | undefined): boolean {
  const difference = ACTION_SEVERITY[outcome.action] - severityOf(inForce);
  return difference > 0 || (difference === 0 && outcome.allowListed && inForce?.ruleId !== outcome.ruleId);
}

export interface Decided {
  /** The decision to publish now, or null. */
  live: Outcome | null;
  /** A decision to record as simulated now (what a simulated rule would have done), or null. */
  simulated: Outcome | null;
}

/**
 * The decisions to record now. Live: the published rules' outcome when it supersedes what is
 * in force (an actor already blocked is not blocked again until it expires). Simulated: the
 * outcome with simulated rules included, when a simulated rule wins and it supersedes both the
 * live and the simulated decisions in force. Simulation never changes what is published.
 */
export function decide(input: DecisionInput, policy: Policy): Decided {
  // The rules are matched once; the published outcome and the simulated one are read from them.
  const matching = matchingRules(input, policy);
  const live = outcomeOf(publishedOf(matching, policy), input, policy);
  const liveNow = live !== null && supersedes(live, input.active) ? live : null;
  const shadow = outcomeOf(matching, input, policy);
  if (shadow === null || !shadow.simulated) {
    return { live: liveNow, simulated: null };
  }
  const strongest = [input.active, input.simulated, liveNow].reduce<ActiveDecision | Outcome | null>(
    (best, d) => (severityOf(d) > severityOf(best) ? (d ?? null) : best),
    null,
  );
  return { live: liveNow, simulated: supersedes(shadow, strongest) ? shadow : null };
}
