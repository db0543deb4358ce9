import { parseKeyValues, splitPipeHeader } from './cef';
import { eventTypeFrom, fail, LineFields, ok, outcomeFromWords, Parsed, portFrom, present } from './fields';
import { parseSshdMessage } from './sshd';
import { SyslogMessage } from './syslog';
import { monthIndex, parseDeviceTime, parseOffset, TimeParts, toDate } from './time';

/**
 * IBM QRadar's Log Event Extended Format.
 * - 1.0: `LEEF:1.0|Vendor|Product|Version|EventID|` then tab-separated `key=value`.
 * - 2.0: `LEEF:2.0|Vendor|Product|Version|EventID|Delimiter|` then attributes separated by the
 *   delimiter: one character (`^`), or its code as `x5E`/`0x5E`; empty means tab.
 * Header fields unescape `\|` and `\\` as in CEF. When the delimiter is tab but the text has
 * no tab, rsyslog's `#011` (its escape for a tab) is taken instead, and failing that the
 * attributes are read CEF-style (a value runs to the next ` key=`), as some devices send.
 * `devTime` is read with `devTimeFormat` when that is a simple Java pattern (yyyy MM MMM dd
 * HH mm ss SSS Z X z and literals), else as epoch, ISO 8601 or `MMM dd yyyy HH:mm:ss`.
 */
export interface LeefMessage {
  version: '1.0' | '2.0';
  vendor: string;
  product: string;
  productVersion: string;
  eventId: string;
  delimiter: string;
  attributes: Record<string, string>;
}

const VERSIONS: ReadonlyMap<string, LeefMessage['version']> = new Map([
  ['1', '1.0'],
  ['1.0', '1.0'],
  ['2', '2.0'],
  ['2.0', '2.0'],
]);

/** The delimiter field of LEEF 2.0: `^`, `x5E`, `0x5E`, `\t`, or empty (tab). */
function delimiterFrom(spec: string): string | undefined {
  if (spec === '' || spec === '\\t') {
    return '\t';
  }
  const hex = /^0?x([0-9a-f]{2,4})$/i.exec(spec);
  const delimiter = hex !== null ? String.fromCharCode(parseInt(hex[1], 16)) : spec;
  return delimiter.length === 1 && delimiter !== '=' && delimiter !== '|' ? delimiter : undefined;
}

function parseAttributes(text: string, delimiter: string): Record<string, string> {
  let separator = delimiter;
  if (delimiter === '\t' && !text.includes('\t')) {
    if (!text.includes('#011')) {
      return parseKeyValues(text);
    }
    separator = '#011';
  }
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const part of text.split(separator)) {
    const eq = part.indexOf('=');
    const key = eq > 0 ? part.slice(0, eq).trim() : '';
    if (key !== '') {
      out[key] ??= part.slice(eq + 1);
    }
  }
  return out;
}

/** Text that starts with `LEEF:`, or the reason it is not a LEEF record. */
export function parseLeef(text: string): Parsed<LeefMessage> {
  if (!text.startsWith('LEEF:')) {
    return fail('no LEEF: at the start');
  }
  const { fields: head } = splitPipeHeader(text.slice(5, 64), 1);
  const version = VERSIONS.get(head[0].trim());
  if (version === undefined) {
    return fail('LEEF version must be 1.0 or 2.0');
  }
  const count = version === '1.0' ? 5 : 6;
  const { fields, rest } = splitPipeHeader(text.slice(5), count);
  if (fields.length < count) {
    const names = `version, vendor, product, version, event id${version === '1.0' ? '' : ', delimiter'}`;
    return fail(`LEEF ${version} header has ${fields.length} of its ${count} |-separated fields (${names})`);
  }
  const [, vendor, product, productVersion, eventId, spec] = fields;
  const delimiter = version === '1.0' ? '\t' : delimiterFrom(spec);
  if (delimiter === undefined) {
    return fail('LEEF 2.0 delimiter must be one character or its hex code (x5E)');
  }
  const attributes = parseAttributes(rest ?? '', delimiter);
  return ok({ version, vendor, product, productVersion, eventId, delimiter, attributes });
}

type Token = [keyof TimeParts | 'monthName' | 'zone', string];

const PATTERN_TOKENS: ReadonlyMap<string, Token> = new Map<string, Token>([
  ['yyyy', ['year', '(\\d{4})']],
  ['MMM', ['monthName', '([A-Za-z]{3})']],
  ['MM', ['month', '(\\d{2})']],
  ['M', ['month', '(\\d{1,2})']],
  ['dd', ['day', '(\\d{2})']],
  ['d', ['day', '(\\d{1,2})']],
  ['HH', ['hour', '(\\d{2})']],
  ['H', ['hour', '(\\d{1,2})']],
  ['mm', ['minute', '(\\d{2})']],
  ['ss', ['second', '(\\d{2})']],
  ['SSS', ['fraction', '(\\d{3})']],
  ['Z', ['zone', '(Z|[+-]\\d{4})']],
  ['X', ['zone', '(Z|[+-]\\d{2}(?::?\\d{2})?)']],
  ['XX', ['zone', '(Z|[+-]\\d{4})']],
  ['XXX', ['zone', '(Z|[+-]\\d{2}:\\d{2})']],
  ['z', ['zone', '(UTC|GMT|Z)']],
]);

/** A simple SimpleDateFormat pattern → a regex and the part each group is; undefined if not simple. */
function compilePattern(pattern: string): { regex: RegExp; parts: Token[0][] } | undefined {
  const pieces = pattern.match(/([A-Za-z])\1*|'[^']*'|[^A-Za-z']/g) ?? [];
  const parts: Token[0][] = [];
  let source = '';
  for (const piece of pieces) {
    const token = PATTERN_TOKENS.get(piece);
    if (token !== undefined && !parts.includes(token[0])) {
      parts.push(token[0]);
      source += token[1];
    } else if (/^[A-Za-z]/.test(piece)) {
      return undefined;
    } else {
      const literal = piece.startsWith("'") ? piece.slice(1, -1) || "'" : piece;
      source += literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return ['day', 'hour', 'minute'].every((part) => parts.includes(part as Token[0]))
    ? { regex: new RegExp(`^${source}$`), parts }
    : undefined;
}

function timeWithPattern(value: string, pattern: string, now: Date): Date | undefined | 'not simple' {
  const compiled = pattern.length <= 64 ? compilePattern(pattern) : undefined;
  if (compiled === undefined) {
    return 'not simple';
  }
  const match = compiled.regex.exec(value.trim());
  if (match === null) {
    return undefined;
  }
  const got = new Map(compiled.parts.map((part, i) => [part, match[i + 1]]));
  const number = (part: Token[0]) => (got.has(part) ? parseInt(got.get(part) as string, 10) : undefined);
  const month = got.has('monthName') ? monthIndex(got.get('monthName') as string) : (number('month') ?? 0) - 1;
  const zone = got.get('zone')?.replace(/^([+-]\d{2})$/, '$1:00');
  const offset = parseOffset(zone);
  if (month === undefined || offset === undefined) {
    return undefined;
  }
  const [day, hour, minute] = [number('day') ?? 0, number('hour') ?? 0, number('minute') ?? 0];
  const second = number('second') ?? 0;
  return toDate({ year: number('year'), month, day, hour, minute, second, fraction: got.get('fraction'), offset }, now);
}

function devTime(attributes: Record<string, string>, now: Date): Date | undefined {
  const value = attributes.devTime;
  const format = present(attributes.devTimeFormat);
  const timed = format === undefined ? 'not simple' : timeWithPattern(value, format, now);
  return timed === 'not simple' ? parseDeviceTime(value, now) : timed;
}

/** The event fields of a LEEF record, with its syslog header when it came under one. */
export function leefFields(leef: LeefMessage, syslog: SyslogMessage | undefined, now: Date): Parsed<LineFields> {
  const attrs = leef.attributes;
  const time = present(attrs.devTime) === undefined ? syslog?.timestamp : devTime(attrs, now);
  if (time === undefined && present(attrs.devTime) !== undefined) {
    return fail('devTime is not a valid time (or does not match devTimeFormat)');
  }
  const message = present(attrs.msg);
  return ok({
    time,
    ip: present(attrs.src),
    ipField: 'src',
    port: portFrom(attrs.srcPort),
    eventType: eventTypeFrom(leef.eventId) ?? eventTypeFrom(attrs.cat),
    outcome: outcomeFromWords(attrs.outcome, attrs.action, attrs.act, attrs.cat),
    host: present(attrs.identHostName) ?? present(attrs.dst) ?? syslog?.host,
    user: present(attrs.usrName),
    message,
    url: present(attrs.url),
    userAgent: present(attrs.userAgent) ?? present(attrs['http-user-agent']),
    sshd: message === undefined ? null : parseSshdMessage(message),
  });
}
