import type { AttemptEvidence } from './attempt';
import { Signal, SignalMatch } from './signal';

export const OUTCOMES = ['success', 'failure', 'unknown'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Longest accepted text fields (characters), whatever form the event came in. */
export const LIMITS = { message: 65_536, url: 8192, userAgent: 2048, user: 512, host: 512, eventType: 128 } as const;

/**
 * One security event after parsing and normalisation, before it is stored. Every string here
 * is untrusted (it came from a log line) except `sourceIp`, which is a canonical address.
 */
export interface NormalisedEvent {
  /** Event time (when it happened), UTC. */
  eventTime: Date;
  /** Canonical address of the actor (see ip.ts). */
  sourceIp: string;
  sourcePort?: number;
  eventType?: string;
  outcome: Outcome;
  host?: string;
  user?: string;
  message?: string;
  url?: string;
  httpMethod?: string;
  httpStatus?: number;
  userAgent?: string;
  /** HTTP Referer, when the log carries it (web detection reads it; it is not stored). */
  referer?: string;
  /** Other request headers a log format carries, by lower-case name (read by detection, not stored). */
  httpHeaders?: Readonly<Record<string, string>>;
  /** The event as received (a raw line, or ECS `event.original`): stored, shown to admins, never sent anywhere. */
  original?: string;
  /** The name of the ingest token it came with (SOC_INGEST_TOKENS); not secret. */
  ingestSource?: string;
  /** The ingest route or listener it arrived by (ingest_batch, hec_raw, syslog_tcp…); not secret. */
  receivedVia?: string;
  /** The format its line was read as (json, syslog3164, access…). */
  lineFormat?: string;
  /** What the line says about an authentication attempt (sshd and PAM lines): counted per connection. */
  attempt?: AttemptEvidence;
}

/** The fields a signal detector reads. */
export type DetectableEvent = Pick<
  NormalisedEvent,
  'eventType' | 'outcome' | 'message' | 'url' | 'userAgent' | 'user'
> &
  Partial<Pick<NormalisedEvent, 'httpMethod' | 'httpStatus' | 'referer' | 'httpHeaders' | 'host'>>;

export interface TaggedEvent extends NormalisedEvent {
  signals: Signal[];
  /** Why each web signal was raised (rule id, field, matched text); absent when none. */
  matches?: SignalMatch[];
}
