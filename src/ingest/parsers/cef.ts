import {
  eventTypeFrom,
  fail,
  httpMethodFrom,
  LineFields,
  ok,
  outcomeFromWords,
  Parsed,
  portFrom,
  present,
} from './fields';
import { parseSshdMessage } from './sshd';
import { SyslogMessage } from './syslog';
import { parseDeviceTime } from './time';

/**
 * ArcSight Common Event Format:
 * `CEF:Version|Device Vendor|Device Product|Device Version|Signature ID|Name|Severity|Extension`.
 *
 * - Header fields unescape `\|` and `\\`; a pipe in the extension needs no escape.
 * - Extension `key=value` pairs: a value runs until the next ` key=` (so it may hold spaces)
 *   and unescapes `\=`, `\\`, `\n`, `\r`. A device that leaves `=` unescaped in a value lets
 *   the text after it read as another key; the first of a repeated key wins, so an injected
 *   key cannot replace one the device wrote before it.
 * - A line whose extension is missing altogether (`…|Name|Severity` with no pipe after it) is
 *   read as having an empty one.
 */
export interface CefMessage {
  version: number;
  deviceVendor: string;
  deviceProduct: string;
  deviceVersion: string;
  signatureId: string;
  name: string;
  severity: string;
  extension: Record<string, string>;
}

const HEADER_FIELDS = 7;
const KEY_CHAR = /[A-Za-z0-9_.[\]-]/;
const MAX_KEY = 64;
const UNESCAPE: Readonly<Record<string, string>> = { '=': '=', '\\': '\\', n: '\n', r: '\r', '|': '|' };

/**
 * `a|b\|c|rest` → up to `count` fields, unescaping `\|` and `\\`, and what follows the pipe
 * that ends the last one. Short text gives fewer fields (the last one unterminated).
 */
export function splitPipeHeader(text: string, count: number): { fields: string[]; rest?: string } {
  const fields: string[] = [];
  let field = '';
  let chunk = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '\\' && (text[i + 1] === '|' || text[i + 1] === '\\')) {
      field += text.slice(chunk, i);
      chunk = i + 1;
      i += 1;
    } else if (c === '|') {
      fields.push(field + text.slice(chunk, i));
      field = '';
      chunk = i + 1;
      if (fields.length === count) {
        return { fields, rest: text.slice(i + 1) };
      }
    }
  }
  fields.push(field + text.slice(chunk));
  return { fields };
}

function unescapeValue(raw: string): string {
  return raw.includes('\\') ? raw.replace(/\\([=\\nr|])/g, (_, c: string) => UNESCAPE[c]) : raw;
}

/**
 * `k1=v 1 k2=v2` → {k1: 'v 1', k2: 'v2'}. A key is a run of key characters that starts the
 * text or follows a space and ends at an unescaped `=`; other text belongs to the value.
 */
export function parseKeyValues(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  let key: string | undefined;
  let valueStart = 0;
  const close = (end: number) => {
    if (key !== undefined) {
      out[key] ??= unescapeValue(text.slice(valueStart, end));
    }
  };
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '\\') {
      i += 1;
      continue;
    }
    if (text[i] !== '=') {
      continue;
    }
    let start = i;
    while (start > 0 && i - start < MAX_KEY && KEY_CHAR.test(text[start - 1])) {
      start -= 1;
    }
    if (start < i && (start === 0 || text[start - 1] === ' ')) {
      close(Math.max(start - 1, valueStart));
      key = text.slice(start, i);
      valueStart = i + 1;
    }
  }
  close(text.trimEnd().length);
  return out;
}

/** Text that starts with `CEF:`, or the reason it is not a CEF record. */
export function parseCef(text: string): Parsed<CefMessage> {
  if (!text.startsWith('CEF:')) {
    return fail('no CEF: at the start');
  }
  const { fields, rest } = splitPipeHeader(text.slice(4), HEADER_FIELDS);
  if (fields.length < HEADER_FIELDS) {
    return fail(
      `CEF header has ${fields.length} of its ${HEADER_FIELDS} |-separated fields ` +
        '(version, vendor, product, version, signature id, name, severity)',
    );
  }
  const [version, deviceVendor, deviceProduct, deviceVersion, signatureId, name, severity] = fields;
  if (!/^\d{1,3}$/.test(version.trim())) {
    return fail('CEF version is not a number');
  }
  return ok({
    version: parseInt(version, 10),
    deviceVendor,
    deviceProduct,
    deviceVersion,
    signatureId,
    name,
    severity,
    extension: parseKeyValues(rest ?? ''),
  });
}

/** The event fields of a CEF record, with its syslog header when it came under one. */
export function cefFields(cef: CefMessage, syslog: SyslogMessage | undefined, now: Date): Parsed<LineFields> {
  const ext = cef.extension;
  const timeKey = present(ext.rt) !== undefined ? 'rt' : present(ext.end) !== undefined ? 'end' : undefined;
  const time = timeKey === undefined ? syslog?.timestamp : parseDeviceTime(ext[timeKey], now);
  if (time === undefined && timeKey !== undefined) {
    return fail(`${timeKey} is not a valid time`);
  }
  const message = present(ext.msg);
  return ok({
    time,
    ip: present(ext.src),
    ipField: 'src',
    port: portFrom(ext.spt),
    eventType: eventTypeFrom(cef.name) ?? eventTypeFrom(cef.signatureId),
    outcome: outcomeFromWords(ext.outcome, ext.act, ext.cat),
    host: present(ext.dhost) ?? present(ext.dvchost) ?? syslog?.host,
    user: present(ext.suser),
    message,
    url: present(ext.request),
    httpMethod: httpMethodFrom(ext.requestMethod),
    userAgent: present(ext.requestClientApplication),
    sshd: message === undefined ? null : parseSshdMessage(message),
  });
}
