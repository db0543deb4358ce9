import { parseUntrustedJson } from '../../common/untrusted-json';
import type { HecAnswer } from '../../common/auth/hec-answers';

/**
 * The Splunk HTTP Event Collector protocol, as forwarders configured for Splunk expect it:
 * concatenated JSON events and the event envelope (its answers, status and body, are in
 * common/auth/hec-answers.ts, which the credential guard shares). Pure.
 */

export function invalidDataFormat(eventNumber: number, reason?: string): HecAnswer {
  return { status: 400, body: { text: 'Invalid data format', code: 6, 'invalid-event-number': eventNumber, reason } };
}

export function eventFieldRequired(eventNumber: number): HecAnswer {
  return { status: 400, body: { text: 'Event field is required', code: 12, 'invalid-event-number': eventNumber } };
}

export function eventFieldBlank(eventNumber: number): HecAnswer {
  return { status: 400, body: { text: 'Event field cannot be blank', code: 13, 'invalid-event-number': eventNumber } };
}

/** The values read, and the position of the first one that is not valid JSON, if any. */
export interface SplitResult {
  values: unknown[];
  invalidAt?: number;
}

/**
 * HEC bodies are JSON objects written back to back (`{…}{…}` or one per line), not an array.
 * Scans for the end of each top-level value, respecting strings and escapes, then parses it.
 */
export function splitConcatenatedJson(text: string): SplitResult {
  const values: unknown[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) {
      i += 1;
    }
    if (i >= text.length) {
      break;
    }
    const end = endOfValue(text, i);
    if (end === -1) {
      return { values, invalidAt: values.length };
    }
    try {
      values.push(parseUntrustedJson(text.slice(i, end)));
    } catch {
      return { values, invalidAt: values.length };
    }
    i = end;
  }
  return { values };
}

/** Index just past the object or array starting at `start`, or -1 if it never closes. */
function endOfValue(text: string, start: number): number {
  if (text[start] !== '{' && text[start] !== '[') {
    return -1;
  }
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (c === '\\') {
        i += 1;
      } else if (c === '"') {
        inString = false;
      }
    } else if (c === '"') {
      inString = true;
    } else if (c === '{' || c === '[') {
      depth += 1;
    } else if (c === '}' || c === ']') {
      depth -= 1;
      if (depth === 0) {
        return i + 1;
      }
    }
  }
  return -1;
}

/**
 * Splunk sourcetypes that name one format without doubt. Others (linux_secure, syslog: with or
 * without a syslog header, depending on the forwarder) are detected line by line.
 */
const SOURCETYPE_FORMATS: Readonly<Record<string, string>> = {
  access_combined: 'access',
  access_common: 'access',
  nginx: 'access',
  'nginx:plus:access': 'access',
  'apache:access': 'access',
  cef: 'cef',
  leef: 'leef',
  _json: 'json',
};

export function formatForSourcetype(sourcetype: unknown): string | undefined {
  return typeof sourcetype === 'string' ? SOURCETYPE_FORMATS[sourcetype.toLowerCase()] : undefined;
}

export type HecItem =
  | { kind: 'record'; record: Record<string, unknown> }
  | { kind: 'line'; line: string; format?: string; time?: number; host?: string }
  /** A well-formed envelope whose event cannot be an event here: acknowledged, counted, not stored. */
  | { kind: 'unusable'; reason: string }
  | { kind: 'error'; answer: HecAnswer };

function envelopeTime(time: unknown): number | undefined {
  const seconds = typeof time === 'string' && /^\d+(\.\d+)?$/.test(time) ? Number(time) : time;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0
    ? Math.round(seconds * 1000)
    : undefined;
}

/**
 * One HEC envelope → what our pipeline reads: an object event becomes a JSON record (the
 * envelope's `time`, `host` and `fields` fill what the event does not say); a string event is
 * a raw line, read in the format its sourcetype names, else detected.
 */
export function readEnvelope(envelope: unknown, eventNumber: number): HecItem {
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
    return { kind: 'error', answer: invalidDataFormat(eventNumber, 'each event must be a JSON object') };
  }
  const { event, time, host, sourcetype, fields } = envelope as Record<string, unknown>;
  if (event === undefined) {
    return { kind: 'error', answer: eventFieldRequired(eventNumber) };
  }
  if (
    event === null ||
    event === '' ||
    (typeof event === 'object' && !Array.isArray(event) && Object.keys(event).length === 0)
  ) {
    return { kind: 'error', answer: eventFieldBlank(eventNumber) };
  }
  const ms = envelopeTime(time);
  if (typeof event === 'string') {
    return {
      kind: 'line',
      line: event,
      format: formatForSourcetype(sourcetype),
      time: ms,
      host: typeof host === 'string' ? host : undefined,
    };
  }
  if (typeof event !== 'object' || Array.isArray(event)) {
    return { kind: 'unusable', reason: 'event must be an object or a string' };
  }
  const extra =
    typeof fields === 'object' && fields !== null && !Array.isArray(fields) ? (fields as Record<string, unknown>) : {};
  const record: Record<string, unknown> = { ...extra, ...(event as Record<string, unknown>) };
  const isEcs = '@timestamp' in record || typeof record.source === 'object';
  const timeKey = isEcs ? '@timestamp' : 'timestamp';
  if (record[timeKey] === undefined && ms !== undefined) {
    record[timeKey] = ms;
  }
  if (record.host === undefined && typeof host === 'string') {
    record.host = isEcs ? { name: host } : host;
  }
  return { kind: 'record', record };
}
