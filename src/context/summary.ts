import { Signal, SIGNALS } from '../domain/signal';
import { RecentEventSummary, StringShape, TriageFeatures } from './triage-context';

/**
 * The prose half of a TriageContext. Built only from TriageFeatures, whose strings are all
 * canonical addresses, ISO times, fixed vocabularies, numbers or hashes: no sentence here can
 * carry text from a log line.
 */

/** The longest summary, in UTF-16 code units. */
export const SUMMARY_CAP = 1500;

type ShapedField = 'user' | 'url' | 'userAgent' | 'message' | 'host';
const SHAPE_LABELS: ReadonlyArray<readonly [ShapedField, string]> = [
  ['user', 'user name'],
  ['url', 'URL'],
  ['userAgent', 'user agent'],
  ['message', 'message'],
  ['host', 'host'],
];

export function summarise(f: TriageFeatures): string {
  const sentences = [
    overview(f),
    failures(f),
    signalHistory(f),
    signalWindow(f),
    diversity(f),
    history(f),
    recent(f.recentEvents),
  ].filter((s): s is string => s !== undefined);
  return capText(sentences.join(' '), SUMMARY_CAP);
}

/** Cuts at the last whole sentence that fits, or hard at the cap if none does. */
export function capText(text: string, cap: number): string {
  if (text.length <= cap) {
    return text;
  }
  const cut = text.slice(0, cap);
  const end = cut.lastIndexOf('. ');
  return end > 0 ? cut.slice(0, end + 1) : `${cut.slice(0, cap - 1)}…`;
}

function overview(f: TriageFeatures): string {
  const who = `Actor ${f.actor} (IPv${f.ipVersion}) was seen ${times(f.totalEvents)}`;
  if (f.firstSeen === f.lastSeen) {
    return `${who}, at ${f.lastSeen} (${rate(f.eventsPerMinute)}).`;
  }
  return `${who} between ${f.firstSeen} and ${f.lastSeen} (${rate(f.eventsPerMinute)}).`;
}

function failures(f: TriageFeatures): string {
  if (f.failureCount === 0) {
    return 'None of its events failed.';
  }
  return `${f.failureCount} of ${plural(f.totalEvents, 'event')} failed.`;
}

function signalHistory(f: TriageFeatures): string {
  const list = signalList(f.signalCounts);
  return list ? `Signals over its whole history: ${list}.` : 'No detection signal was raised.';
}

function signalWindow(f: TriageFeatures): string {
  const span = `the ${duration(f.windowSeconds)} up to its last event`;
  const list = signalList(f.signalsInWindow);
  return list ? `In ${span}: ${list}.` : `No signal in ${span}.`;
}

function diversity(f: TriageFeatures): string {
  const users = plural(f.distinctUsers, 'distinct user name');
  return `It used ${users} and ${plural(f.distinctPaths, 'distinct URL path')}.`;
}

function history(f: TriageFeatures): string {
  // The block in force is already one of the offences counted: it is not an earlier one.
  const current = f.activeDecision?.action === 'block';
  const earlier = Math.max(0, f.offenceCount - (current ? 1 : 0));
  const before = current ? 'before this block' : 'before';
  const blocks =
    earlier === 0
      ? `It ${current ? 'had' : 'has'} not been blocked ${before}`
      : `It has been blocked ${times(earlier)} ${before}`;
  const decision = f.activeDecision
    ? `an active ${f.activeDecision.action} decision (rule ${f.activeDecision.ruleId}) is in place`
    : 'it has no active decision';
  return `${blocks}, and ${decision}.`;
}

function recent(events: readonly RecentEventSummary[]): string | undefined {
  const latest = events[0];
  if (latest === undefined) {
    return undefined;
  }
  const classes = new Map<string, number>();
  for (const e of events) {
    classes.set(e.eventClass, (classes.get(e.eventClass) ?? 0) + 1);
  }
  const mix = [...classes].map(([c, n]) => `${c} ${n}`).join(', ');
  const signals = latest.signals.length > 0 ? `, signals ${latest.signals.join(', ')}` : '';
  const shapes = SHAPE_LABELS.flatMap(([field, label]) => {
    const shape = latest[field];
    return shape ? [`${label} ${describeShape(shape)}`] : [];
  });
  const described = shapes.length > 0 ? `; ${shapes.join(', ')}` : '';
  const head =
    events.length === 1 ? 'Its most recent event' : `Its ${events.length} most recent events were ${mix}; the latest`;
  return (
    `${head}, at ${latest.time}, was ${latest.eventClass} with outcome ${latest.outcome}` + `${signals}${described}.`
  );
}

function describeShape(shape: StringShape): string {
  return `${shape.charClass} (${plural(shape.length, 'char')}, #${shape.hash})`;
}

function signalList(counts: Partial<Record<Signal, number>>): string {
  return SIGNALS.filter((s) => (counts[s] ?? 0) > 0)
    .sort((a, b) => (counts[b] ?? 0) - (counts[a] ?? 0))
    .map((s) => `${s} ${counts[s]}`)
    .join(', ');
}

function rate(perMinute: number): string {
  return `${perMinute.toFixed(2)} events/min`;
}

function duration(seconds: number): string {
  if (seconds > 0 && seconds % 3600 === 0) {
    return plural(seconds / 3600, 'hour');
  }
  if (seconds > 0 && seconds % 60 === 0) {
    return plural(seconds / 60, 'minute');
  }
  return plural(seconds, 'second');
}

function times(n: number): string {
  return n === 1 ? 'once' : `${n} times`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
