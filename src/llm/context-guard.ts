import { isIP } from 'node:net';
import { RECENT_EVENTS_CAP } from '../context/context-builder';
import { CHAR_CLASSES, EVENT_CLASSES, SAFE_ACTIONS } from '../context/sanitise';
import { SUMMARY_CAP } from '../context/summary';
import { TriageContext } from '../context/triage-context';
import { SIGNALS } from '../domain/signal';

/**
 * Defence in depth for the prompt. The Context module's sanitiser is the only path from events
 * to a TriageContext; this checks, before anything is sent, that every value still has one of
 * the shapes the sanitiser produces (addresses, ISO times, fixed vocabularies, numbers, 8-hex
 * hashes, rule ids), so that a future change there cannot quietly let free text through.
 */
export class UnsafeContextError extends Error {
  constructor(path: string) {
    // The path only, never the value.
    super(`triage context field ${path} does not have a sanitised shape; nothing was sent`);
  }
}

type Check = (value: unknown) => boolean;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const HASH = /^[0-9a-f]{8}$/;
const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,47}$/;
/** Our own sentences: printable ASCII, and the ellipsis of a hard cut. */
const SUMMARY_TEXT = /^[\x20-\x7e\u2026]*$/;

const oneOf =
  (values: readonly unknown[]): Check =>
  (v) =>
    values.includes(v);
const count: Check = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const time: Check = (v) => typeof v === 'string' && ISO_TIME.test(v);
const address: Check = (v) => typeof v === 'string' && /^[0-9A-Fa-f:.]+$/.test(v) && isIP(v) !== 0;

function exactKeys(value: unknown, allowed: readonly string[], path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UnsafeContextError(path);
  }
  const unknown = Object.keys(value).find((key) => !allowed.includes(key));
  if (unknown !== undefined) {
    throw new UnsafeContextError(`${path}.<unexpected key>`);
  }
  return value as Record<string, unknown>;
}

function must(ok: boolean, path: string): void {
  if (!ok) {
    throw new UnsafeContextError(path);
  }
}

function checkCounts(value: unknown, path: string): void {
  const counts = exactKeys(value, SIGNALS, path);
  Object.entries(counts).forEach(([signal, n]) => must(count(n), `${path}.${signal}`));
}

const SHAPED = ['user', 'url', 'userAgent', 'message', 'host'] as const;

function checkEvent(value: unknown, path: string): void {
  const event = exactKeys(value, ['time', 'eventClass', 'outcome', 'signals', ...SHAPED], path);
  must(time(event.time), `${path}.time`);
  must(oneOf(EVENT_CLASSES)(event.eventClass), `${path}.eventClass`);
  must(oneOf(['success', 'failure', 'unknown'])(event.outcome), `${path}.outcome`);
  must(Array.isArray(event.signals) && event.signals.every(oneOf(SIGNALS)), `${path}.signals`);
  for (const field of SHAPED) {
    if (event[field] !== undefined) {
      const shape = exactKeys(event[field], ['length', 'charClass', 'hash'], `${path}.${field}`);
      must(count(shape.length), `${path}.${field}.length`);
      must(oneOf(CHAR_CLASSES)(shape.charClass), `${path}.${field}.charClass`);
      must(typeof shape.hash === 'string' && HASH.test(shape.hash), `${path}.${field}.hash`);
    }
  }
}

const FEATURE_KEYS = [
  'actor',
  'ipVersion',
  'firstSeen',
  'lastSeen',
  'totalEvents',
  'failureCount',
  'signalCounts',
  'windowSeconds',
  'signalsInWindow',
  'distinctUsers',
  'distinctPaths',
  'eventsPerMinute',
  'offenceCount',
  'activeDecision',
  'recentEvents',
];

export function assertSafeContext(context: TriageContext): void {
  const top = exactKeys(context, ['features', 'summary'], 'context');
  const f = exactKeys(top.features, FEATURE_KEYS, 'features');
  must(address(f.actor), 'features.actor');
  must(oneOf([4, 6])(f.ipVersion), 'features.ipVersion');
  must(time(f.firstSeen) && time(f.lastSeen), 'features.firstSeen/lastSeen');
  for (const key of ['totalEvents', 'failureCount', 'windowSeconds', 'distinctUsers', 'distinctPaths']) {
    must(count(f[key]), `features.${key}`);
  }
  must(count(f.eventsPerMinute) && count(f.offenceCount), 'features.eventsPerMinute/offenceCount');
  checkCounts(f.signalCounts, 'features.signalCounts');
  checkCounts(f.signalsInWindow, 'features.signalsInWindow');
  if (f.activeDecision !== null) {
    const decision = exactKeys(f.activeDecision, ['action', 'ruleId'], 'features.activeDecision');
    must(oneOf(SAFE_ACTIONS)(decision.action), 'features.activeDecision.action');
    must(typeof decision.ruleId === 'string' && RULE_ID.test(decision.ruleId), 'features.activeDecision.ruleId');
  }
  must(Array.isArray(f.recentEvents) && f.recentEvents.length <= RECENT_EVENTS_CAP, 'features.recentEvents');
  (f.recentEvents as unknown[]).forEach((event, i) => checkEvent(event, `features.recentEvents[${i}]`));
  const summary = top.summary;
  must(typeof summary === 'string' && summary.length <= SUMMARY_CAP && SUMMARY_TEXT.test(summary), 'summary');
}
