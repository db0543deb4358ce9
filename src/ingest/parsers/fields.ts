import { LIMITS, NormalisedEvent, Outcome } from '../../domain/event';
import type { AttemptEvidence } from '../../domain/attempt';
import { SSHD_FAILURE_KINDS, SshdFacts } from './sshd';

/** A parser's answer: what it read, or why the text is not what it reads. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

/** The event's descriptive fields, which a line carries as it wrote them (unclipped, each optional). */
type DescriptiveFields = Partial<
  Pick<
    NormalisedEvent,
    | 'eventType'
    | 'outcome'
    | 'host'
    | 'user'
    | 'message'
    | 'url'
    | 'httpMethod'
    | 'httpStatus'
    | 'userAgent'
    | 'referer'
  >
>;

/**
 * What one raw line says, before normalise.ts checks the address and applies the limits. The
 * format's own event type wins over the sshd kind.
 */
export interface LineFields extends DescriptiveFields {
  time?: Date;
  /** The source address as written; `ipField` names it in the reason when it is not one. */
  ip?: string;
  /** Without `ip`: an actor that is not an address, a host-name or local key (common/actor-key.ts). */
  actorKey?: string;
  ipField?: string;
  port?: number;
  /** Web formats: the X-Forwarded-For as logged, other request headers by lower-case name. */
  forwardedFor?: string;
  httpHeaders?: Record<string, string>;
  /** Facts from the message when it is an OpenSSH message: they fill what the fields lack. */
  sshd?: SshdFacts | null;
  /** Attempts a non-sshd auth line reports (auth-services.ts). */
  attempt?: AttemptEvidence;
}

export function sshdOutcome(facts: SshdFacts | null | undefined): Outcome {
  if (facts === null || facts === undefined) {
    return 'unknown';
  }
  if (facts.kind === 'accepted') {
    return 'success';
  }
  return SSHD_FAILURE_KINDS.has(facts.kind) ? 'failure' : 'unknown';
}

/** `Worm successfully stopped!` → `worm_successfully_stopped`; at most LIMITS.eventType characters. */
export function eventTypeFrom(text: string | undefined): string | undefined {
  if (text === undefined) {
    return undefined;
  }
  const words = text
    .slice(0, 4 * LIMITS.eventType)
    .toLowerCase()
    .replace(/\W+/g, '_');
  let start = 0;
  let end = words.length;
  while (start < end && words[start] === '_') {
    start += 1;
  }
  while (end > start && words[end - 1] === '_') {
    end -= 1;
  }
  const type = words.slice(start, Math.min(end, start + LIMITS.eventType));
  return type === '' ? undefined : type;
}

const SUCCESS_WORDS = new Set(['success', 'succeeded', 'successful', 'accepted', 'allowed']);
const FAILURE_WORDS = new Set(['failure', 'failed', 'fail', 'denied', 'deny', 'blocked', 'block', 'rejected']);

/** The outcome the first field that says one clearly says (`/Failure`, `blocked`, `Success`). */
export function outcomeFromWords(...values: (string | undefined)[]): Outcome | undefined {
  for (const value of values) {
    const words = (value ?? '')
      .slice(0, 256)
      .toLowerCase()
      .split(/[^a-z]+/);
    const success = words.some((word) => SUCCESS_WORDS.has(word));
    const failure = words.some((word) => FAILURE_WORDS.has(word));
    if (success !== failure) {
      return success ? 'success' : 'failure';
    }
  }
  return undefined;
}

export function portFrom(text: string | undefined): number | undefined {
  const port = text !== undefined && /^\d{1,5}$/.test(text.trim()) ? parseInt(text, 10) : undefined;
  return port !== undefined && port <= 65535 ? port : undefined;
}

/** A method token (`GET`, `PROPFIND`, `M-SEARCH`) as the DTO admits it (16 characters). */
export function httpMethodFrom(text: string | undefined): string | undefined {
  return text !== undefined && /^[A-Za-z][A-Za-z_-]{0,15}$/.test(text) ? text : undefined;
}

export function httpStatusFrom(status: number | undefined): number | undefined {
  return status !== undefined && status >= 100 && status <= 599 ? status : undefined;
}

/** Empty and `-` (the usual "no value" of log formats) read as absent. */
export function present(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' || text === '-' ? undefined : text;
}
