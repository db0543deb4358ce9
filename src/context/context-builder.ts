import { actorKeyFrom } from '../common/actor-key';
import { isIP } from 'node:net';
import { ActorProfile } from '../domain/actor';
import { Signal, SIGNALS } from '../domain/signal';
import { capCount, safeAction, safeEventClass, safeOutcome, safeRuleId, safeSignals, shapeOf } from './sanitise';
import { summarise } from './summary';
import { RecentEventSummary, TriageContext, TriageFeatures } from './triage-context';

/** How many recent events a context describes, newest first. */
export const RECENT_EVENTS_CAP = 10;
/** The longest look-back window a context reports on (30 days). */
export const MAX_WINDOW_SECONDS = 30 * 24 * 3600;

/** A stored event as the context builder reads it. Every string here is untrusted. */
export interface RecentEventInput {
  eventTime: Date;
  eventType?: string;
  outcome: string;
  signals: Signal[];
  user?: string;
  url?: string;
  userAgent?: string;
  message?: string;
  host?: string;
}

export interface TriageContextInput {
  actor: ActorProfile;
  recentEvents: readonly RecentEventInput[];
  activeDecision: { action: string; ruleId: string } | null;
  /** Look-back for `signalsInWindow`, in seconds of event time before `actor.lastSeen`. */
  windowSeconds: number;
  /** Per-process secret for the shape hashes. */
  hashKey: string;
}

/** The untrusted free-text fields of an event that are reduced to shapes. */
const SHAPED_FIELDS = ['user', 'url', 'userAgent', 'message', 'host'] as const;

export function buildTriageContext(input: TriageContextInput): TriageContext {
  const features = buildFeatures(input);
  return { features, summary: summarise(features) };
}

export function buildFeatures(input: TriageContextInput): TriageFeatures {
  const { actor, hashKey } = input;
  const first = timeOf(actor.firstSeen, 'firstSeen');
  const last = timeOf(actor.lastSeen, 'lastSeen');
  const windowSeconds = capCount(input.windowSeconds, MAX_WINDOW_SECONDS);
  const totalEvents = capCount(actor.eventCount);
  return {
    actor: actorAddress(actor.ip),
    ipVersion: isIP(actor.ip) === 6 ? 6 : 4,
    firstSeen: new Date(first).toISOString(),
    lastSeen: new Date(last).toISOString(),
    totalEvents,
    failureCount: capCount(actor.failureCount),
    signalCounts: signalCounts(actor.signalCounts),
    windowSeconds,
    signalsInWindow: countInWindow(actor.signalTimeline, last - windowSeconds * 1000, last),
    distinctUsers: capCount(new Set(actor.userHashes).size),
    distinctPaths: capCount(new Set(actor.pathHashes).size),
    eventsPerMinute: eventsPerMinute(totalEvents, first, last),
    offenceCount: capCount(actor.offenceCount),
    activeDecision: input.activeDecision && {
      action: safeAction(input.activeDecision.action),
      ruleId: safeRuleId(input.activeDecision.ruleId, hashKey),
    },
    recentEvents: recentEvents(input.recentEvents, hashKey),
  };
}

/** Events per minute over firstSeen..lastSeen, the span counted as at least one minute. */
export function eventsPerMinute(totalEvents: number, firstMs: number, lastMs: number): number {
  const minutes = Math.max(1, (lastMs - firstMs) / 60_000);
  return Math.round((totalEvents / minutes) * 100) / 100;
}

/** Per signal, how many timeline entries fall in [fromMs, toMs]. Zero counts are left out. */
export function countInWindow(
  timeline: ActorProfile['signalTimeline'],
  fromMs: number,
  toMs: number,
): Partial<Record<Signal, number>> {
  const counts: Partial<Record<Signal, number>> = {};
  for (const signal of SIGNALS) {
    const times = timeline[signal];
    const n = Array.isArray(times) ? times.filter((t) => Number.isFinite(t) && t >= fromMs && t <= toMs).length : 0;
    if (n > 0) {
      counts[signal] = capCount(n);
    }
  }
  return counts;
}

function signalCounts(raw: ActorProfile['signalCounts']): Partial<Record<Signal, number>> {
  const counts: Partial<Record<Signal, number>> = {};
  for (const signal of SIGNALS) {
    const n = capCount(raw[signal]);
    if (n > 0) {
      counts[signal] = n;
    }
  }
  return counts;
}

function recentEvents(events: readonly RecentEventInput[], key: string): RecentEventSummary[] {
  return events
    .filter((e) => e.eventTime instanceof Date && Number.isFinite(e.eventTime.getTime()))
    .sort((a, b) => b.eventTime.getTime() - a.eventTime.getTime())
    .slice(0, RECENT_EVENTS_CAP)
    .map((e) => recentEvent(e, key));
}

function recentEvent(event: RecentEventInput, key: string): RecentEventSummary {
  const summary: RecentEventSummary = {
    time: event.eventTime.toISOString(),
    eventClass: safeEventClass(event.eventType),
    outcome: safeOutcome(event.outcome),
    signals: safeSignals(Array.isArray(event.signals) ? event.signals : []),
  };
  for (const field of SHAPED_FIELDS) {
    const value: unknown = event[field];
    if (typeof value === 'string') {
      summary[field] = shapeOf(value, key);
    }
  }
  return summary;
}

function timeOf(date: Date, name: string): number {
  const ms = date instanceof Date ? date.getTime() : NaN;
  if (!Number.isFinite(ms)) {
    throw new RangeError(`actor profile has an invalid ${name}`);
  }
  return ms;
}

/** The actor is a canonical address from Memory; anything else is a bug, never echoed. */
/** A canonical address, or a host-name or local key as stored (common/actor-key.ts: safe characters only). */
function actorAddress(ip: string): string {
  if (typeof ip !== 'string') {
    throw new RangeError('actor profile has no canonical IP address');
  }
  if (/^[0-9A-Fa-f:.]+$/.test(ip) && isIP(ip) !== 0) {
    return ip;
  }
  if (isIP(ip) === 0 && !ip.includes('/') && actorKeyFrom(ip) === ip) {
    return ip;
  }
  throw new RangeError('actor profile has no canonical IP address');
}
