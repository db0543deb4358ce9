import { Signal } from '../domain/signal';

/**
 * A safe description of one untrusted string: what kind of characters it holds, how long it
 * is and a short hash to tell values apart. Never the string itself.
 */
export interface StringShape {
  length: number;
  /** One of CHAR_CLASSES in sanitise.ts, e.g. "lower-alnum", "url-like", "non-ascii", "empty". */
  charClass: string;
  /** First 8 hex digits of HMAC-SHA256 of the raw value, keyed with a per-process secret. */
  hash: string;
}

export interface RecentEventSummary {
  /** ISO-8601 event time. */
  time: string;
  /** The event type reduced to a known class, or "other". */
  eventClass: string;
  outcome: string;
  signals: Signal[];
  user?: StringShape;
  url?: StringShape;
  userAgent?: StringShape;
  message?: StringShape;
  host?: StringShape;
}

/** Structured features the heuristic and the LLM judge from. Everything here is safe to send. */
export interface TriageFeatures {
  actor: string;
  ipVersion: 4 | 6;
  firstSeen: string;
  lastSeen: string;
  totalEvents: number;
  failureCount: number;
  signalCounts: Partial<Record<Signal, number>>;
  /** The look-back window used for `signalsInWindow`, in seconds of event time. */
  windowSeconds: number;
  signalsInWindow: Partial<Record<Signal, number>>;
  distinctUsers: number;
  distinctPaths: number;
  /** Events per minute over the actor's whole observed span (at least one minute). */
  eventsPerMinute: number;
  offenceCount: number;
  activeDecision: { action: string; ruleId: string } | null;
  recentEvents: RecentEventSummary[];
}

export interface TriageContext {
  features: TriageFeatures;
  /** A short prose summary built only from `features`. */
  summary: string;
}
