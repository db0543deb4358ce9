import { ParsedCidr } from '../../domain/ip';
import { ParsedRecord, toEvent } from '../normalise';
import { accessFields, parseAccessLog } from './access-log';
import { cefFields, parseCef } from './cef';
import { classifyLine, Detection } from './detect';
import { isLineFormat, LineFormat, LINE_FORMATS } from './formats';
import { fail, LineFields, ok, Parsed } from './fields';
import { leefFields, parseLeef } from './leef';
import { parseSshdMessage } from './sshd';
import { JsonTooDeepError, parseUntrustedJson } from '../../common/untrusted-json';
import { embeddedFormat, readSyslog, SyslogMessage, syslogFields } from './syslog';
import { webJsonFields } from './web-json';
import { LineStream, parseAlb, parseHaproxyHttp, parseIis, readIisFieldsDirective } from './web-lines';
import { parseApacheError, parseNginxError } from './web-error-logs';

/**
 * One raw log line in any supported format → the same ParsedRecord that parseRecord gives for
 * JSON, so that every route (raw lines, HEC raw, the syslog listener, replay) shares one path.
 *
 * - A trailing `\n`, `\r\n` or `\r` and a leading BOM are dropped; an empty (or blank) line and
 *   one over 64 KiB of UTF-8 are refused.
 * - JSON lines go through parseRecord, with its validation and limits.
 * - Other lines: the format's parser reads its fields, and toEvent (normalise.ts), the one
 *   normalisation JSON records go through too, makes the event: the address (the format's own
 *   field, else an sshd message naming one), the time, and every text field clipped to LIMITS.
 * - A format that was forced and does not fit, or a line its detected format cannot read,
 *   gives `not a <format> line: <why>`.
 */
export interface ParseLineOptions {
  now: Date;
  format?: LineFormat;
  /**
   * TRUST_PROXY: a web line whose client address is one of these proxies is attributed to the
   * address its X-Forwarded-For names (the right-most one that is not itself a trusted proxy).
   * From any other address the header is the client's own claim and is ignored.
   */
  trustedProxies?: readonly ParsedCidr[];
  /** false: keep event times ahead of `now` as written (a replay); default true (live ingest). */
  clampFuture?: boolean;
  /**
   * The stream the line belongs to (one request body, one file, one syslog connection): an IIS
   * `#Fields:` directive sets the field order of the IIS lines after it there. Without one,
   * each line stands alone (IIS's default order).
   */
  stream?: LineStream;
}

export const MAX_LINE_BYTES = 64 * 1024;

const BOM = '\uFEFF';

function notA(format: LineFormat, why: string): { ok: false; reason: string } {
  return fail(`not ${/^(?:access|sshd|alb|iis|apache)/.test(format) ? 'an' : 'a'} ${format} line: ${why}`);
}

function parseJson(text: string, options: ParseLineOptions): ParsedRecord {
  let raw: unknown;
  try {
    raw = parseUntrustedJson(text);
  } catch (error) {
    return notA('json', error instanceof JsonTooDeepError ? error.message : 'invalid JSON');
  }
  const web = webJsonFields(raw);
  return web === null ? jsonRecords().parseRecord(raw, options.now, options.clampFuture) : normalised(web, options);
}

/** An access line (combined, common, vhost_combined) as a syslog MSG: `nginx[123]: 1.2.3.4 - - [...`. */
const ACCESS_IN_SYSLOG = /^(?:[^\s:[\]]{0,255}:\d{1,5} )?[0-9A-Fa-f.:]{2,45} \S{1,64} .{0,512}?\[\d{2}\//;

function accessInSyslog(syslog: SyslogMessage): Parsed<LineFields> | undefined {
  if (!ACCESS_IN_SYSLOG.test(syslog.message)) {
    return undefined;
  }
  const entry = parseAccessLog(syslog.message);
  return entry.ok ? ok({ ...accessFields(entry.value), host: entry.value.vhost ?? syslog.host }) : undefined;
}

let records: typeof import('../record') | undefined;

/**
 * record.ts, which validates JSON records with the ingest DTOs (class-validator), loaded the
 * first time a JSON line comes: a log of syslog or sshd lines never needs it, and loading it
 * is most of what the replay's parse worker spends before its first line.
 */
function jsonRecords(): typeof import('../record') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return (records ??= require('../record') as typeof import('../record'));
}

function syslogLine(format: 'syslog5424' | 'syslog3164', parsed: Parsed<SyslogMessage>): Parsed<LineFields> {
  if (!parsed.ok) {
    return notA(format, parsed.reason);
  }
  if (parsed.value.rfc !== (format === 'syslog5424' ? 5424 : 3164)) {
    return notA(
      format,
      format === 'syslog5424' ? 'no version 1 after the PRI' : 'it is RFC 5424 (version 1 after the PRI)',
    );
  }
  return accessInSyslog(parsed.value) ?? ok(syslogFields(parsed.value));
}

/** A CEF or LEEF record, at the start of the line or as the MSG of a syslog line. */
function embeddedLine(
  text: string,
  format: 'cef' | 'leef',
  detected: Parsed<SyslogMessage> | undefined,
  now: Date,
): Parsed<LineFields> {
  const marker = format === 'cef' ? 'CEF:' : 'LEEF:';
  let syslog: SyslogMessage | undefined;
  if (!text.startsWith(marker)) {
    const parsed = detected ?? readSyslog(text, now);
    if (!parsed.ok) {
      return notA(format, `no ${marker} at the start or after a syslog header`);
    }
    if (embeddedFormat(parsed.value.message) !== format) {
      return notA(format, `the syslog message does not start with ${marker}`);
    }
    syslog = parsed.value;
  }
  const body = syslog?.message ?? text;
  if (format === 'cef') {
    const cef = parseCef(body);
    return cef.ok ? cefFields(cef.value, syslog, now) : notA(format, cef.reason);
  }
  const leef = parseLeef(body);
  return leef.ok ? leefFields(leef.value, syslog, now) : notA(format, leef.reason);
}

const WEB_LINE_PARSERS = {
  haproxy: parseHaproxyHttp,
  alb: parseAlb,
  iis: parseIis,
  apache_error: parseApacheError,
  nginx_error: parseNginxError,
} as const;

/** HAProxy and the error logs often arrive as a syslog MSG (`haproxy[123]: …`): read the MSG then. */
function syslogBody(text: string, syslog: Parsed<SyslogMessage> | undefined): string {
  return syslog?.ok === true ? syslog.value.message : text;
}

function relayHost(syslog: Parsed<SyslogMessage> | undefined): string | undefined {
  return syslog?.ok === true ? syslog.value.host : undefined;
}

function readFields(
  text: string,
  format: Exclude<LineFormat, 'json'>,
  syslog: Parsed<SyslogMessage> | undefined,
  now: Date,
  stream?: LineStream,
): Parsed<LineFields> {
  switch (format) {
    case 'cef':
    case 'leef':
      return embeddedLine(text, format, syslog, now);
    case 'syslog5424':
    case 'syslog3164':
      return syslogLine(format, syslog ?? readSyslog(text, now));
    case 'access': {
      const entry = parseAccessLog(text);
      return entry.ok ? ok(accessFields(entry.value)) : notA(format, entry.reason);
    }
    case 'iis': {
      const fields = parseIis(syslogBody(text, syslog), stream?.iisFields);
      return fields.ok
        ? ok({ ...fields.value, host: fields.value.host ?? relayHost(syslog) })
        : notA(format, fields.reason);
    }
    case 'haproxy':
    case 'alb':
    case 'apache_error':
    case 'nginx_error': {
      const fields = WEB_LINE_PARSERS[format](syslogBody(text, syslog));
      if (!fields.ok) {
        return notA(format, fields.reason);
      }
      return ok({ ...fields.value, host: fields.value.host ?? relayHost(syslog) });
    }
    case 'sshd': {
      const sshd = parseSshdMessage(text);
      return sshd === null ? notA(format, 'no OpenSSH message this parser knows') : ok({ message: text, sshd });
    }
  }
}

let configuredProxies: readonly ParsedCidr[] = [];

/** TRUST_PROXY as the default of every parseLine call in this process (set once at start-up). */
export function useTrustedProxies(proxies: readonly ParsedCidr[]): void {
  configuredProxies = proxies;
}

/** The one normalisation (normalise.ts), with this process's TRUST_PROXY unless the call names proxies. */
function normalised(fields: LineFields, options: ParseLineOptions): ParsedRecord {
  const { now, clampFuture, trustedProxies = configuredProxies } = options;
  return toEvent(fields, { now, clampFuture, trustedProxies });
}

/** One raw line → a normalised event, or the reason it cannot be used. See the file header. */
export function parseLine(line: string, options: ParseLineOptions): ParsedRecord {
  const { now, format: forced } = options;
  if (typeof line !== 'string') {
    return fail('line must be a string');
  }
  if (forced !== undefined && !isLineFormat(forced)) {
    return fail(`unknown format; use one of ${LINE_FORMATS.join(', ')}`);
  }
  let text = line.endsWith('\n') ? line.slice(0, -1) : line;
  text = text.endsWith('\r') ? text.slice(0, -1) : text;
  if (text.length > MAX_LINE_BYTES || Buffer.byteLength(text, 'utf8') > MAX_LINE_BYTES) {
    return fail(`line is longer than ${MAX_LINE_BYTES} bytes (64 KiB)`);
  }
  text = text.startsWith(BOM) ? text.slice(1) : text;
  if (text.trim() === '') {
    return fail('empty line');
  }
  if (text.startsWith('#Fields:') && (forced === undefined || forced === 'iis')) {
    return fieldsDirective(text, options.stream);
  }
  const streamed = forced === undefined ? streamedIis(text, options) : null;
  if (streamed !== null) {
    return streamed;
  }
  const { format, syslog }: Detection = forced === undefined ? classifyLine(text, now) : { format: forced };
  const parsed = format === 'json' ? parseJson(text, options) : readEvent(text, format, syslog, options);
  if (parsed.ok) {
    parsed.event.lineFormat = format;
  }
  return parsed;
}

/** An IIS `#Fields:` directive: noted in the stream for the lines after it; never an event. */
function fieldsDirective(text: string, stream: LineStream | undefined): ParsedRecord {
  const fields = readIisFieldsDirective(text);
  if (!fields.ok) {
    return notA('iis', fields.reason);
  }
  if (stream === undefined) {
    return notA(
      'iis',
      'IIS #Fields: directive, not an event (its order is followed within one request, file or connection)',
    );
  }
  stream.iisFields = fields.value;
  return notA('iis', 'IIS #Fields: directive, not an event: the IIS lines after it are read in its order');
}

/** After a `#Fields:` directive, a line of its stream that reads in that order is an IIS line. */
function streamedIis(text: string, options: ParseLineOptions): ParsedRecord | null {
  const fields = options.stream?.iisFields;
  if (fields === undefined || text.startsWith('#')) {
    return null;
  }
  const read = parseIis(text, fields);
  if (!read.ok) {
    return null;
  }
  // A line that does not name a client address in that place is read as whatever it is.
  const parsed = toEvent(read.value, options);
  if (!parsed.ok) {
    return null;
  }
  parsed.event.lineFormat = 'iis';
  return parsed;
}

function readEvent(
  text: string,
  format: Exclude<LineFormat, 'json'>,
  syslog: Detection['syslog'],
  options: ParseLineOptions,
): ParsedRecord {
  const fields = readFields(text, format, syslog, options.now, options.stream);
  return fields.ok ? normalised(fields.value, options) : fields;
}
