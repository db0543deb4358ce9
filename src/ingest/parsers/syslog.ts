import { eventTypeFrom, fail, LineFields, ok, Parsed } from './fields';
import { localKey } from '../../common/actor-key';
import { parseServiceAuth, ServiceAuthFacts } from './auth-services';
import { parseSshdSyslog } from './sshd';
import { parseIsoTime, readSyslogTime } from './time';

/**
 * Syslog lines: RFC 5424 (`<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD…] MSG`) and RFC 3164 / BSD
 * (`<PRI>Mmm dd hh:mm:ss HOST TAG[PID]: MSG`) with the variants real senders write: no PRI (as
 * rsyslog and syslog-ng write files), a year in the stamp (`Nov 24 2026 10:00:00`), no host, and
 * the ISO stamps rsyslog forwards (`<13>2026-11-24T10:00:00.123+01:00 host prog[1]: msg`).
 *
 * - Times (time.ts): a stamp without a zone is UTC. A stamp without a year gets the year of
 *   `now` (UTC) unless that puts it more than 7 days after `now`, then the year before (a
 *   December line read in early January); an early-January stamp read in the last days of
 *   December that is at most 7 days ahead gets the next year; Feb 29 steps back to the
 *   latest leap year.
 * - No PRI: facility 1 (user), severity 5 (notice), the default RFC 3164 gives a relay. Such a
 *   line must start with a time stamp; with a PRI, the stamp is optional.
 * - RFC 5424: NILVALUE `-` is absent for every header field and for STRUCTURED-DATA; SD param
 *   values are unescaped (`\"`, `\\`, `\]`; another `\x` stays as written); the first of a
 *   repeated SD-ID or param wins; a BOM before MSG is dropped.
 * - RFC 3164: the word after the stamp is the host unless it is a tag (`sshd[42]:`) or a
 *   `CEF:`/`LEEF:` record. The tag is `prog[pid]: ` or `prog: `; without one, all is message.
 */
export type StructuredData = Record<string, Record<string, string>>;

export interface SyslogMessage {
  rfc: 5424 | 3164;
  facility: number;
  severity: number;
  timestamp?: Date;
  host?: string;
  app?: string;
  procId?: string;
  msgId?: string;
  structuredData?: StructuredData;
  message: string;
}

const DEFAULT_PRI = 13;
const BOM = '\uFEFF';
const TAG = /^([^\s[\]:]{1,128})(?:\[([^\s[\]]{1,128})\])?:(?: |$)/;
const HEADER = [
  ['TIMESTAMP', 64],
  ['HOSTNAME', 255],
  ['APP-NAME', 48],
  ['PROCID', 128],
  ['MSGID', 32],
] as const;

function readPri(line: string): Parsed<{ pri?: number; length: number }> {
  if (!line.startsWith('<')) {
    return ok({ length: 0 });
  }
  const match = /^<(\d{1,3})>/.exec(line);
  if (match === null) {
    return fail('syslog PRI must be 1-3 digits between < and >');
  }
  const pri = parseInt(match[1], 10);
  return pri > 191 ? fail(`syslog PRI ${pri} is out of range 0-191`) : ok({ pri, length: match[0].length });
}

/** Where an SD-NAME (SD-ID or PARAM-NAME) that starts at `pos` ends. */
function nameEnd(text: string, pos: number): number {
  let end = pos;
  while (end < text.length && !'= ]"'.includes(text[end])) {
    end += 1;
  }
  return end;
}

/** A PARAM-VALUE after its opening quote; undefined when the closing quote is missing. */
function readValue(text: string, pos: number): { value: string; end: number } | undefined {
  let value = '';
  let chunk = pos;
  for (let i = pos; i < text.length; i += 1) {
    if (text[i] === '"') {
      return { value: value + text.slice(chunk, i), end: i + 1 };
    }
    if (text[i] === '\\' && '"\\]'.includes(text[i + 1] ?? 'x')) {
      value += text.slice(chunk, i);
      chunk = i + 1;
      i += 1;
    }
  }
  return undefined;
}

/** One `[id name="value" …]` starting after its `[`. */
function readElement(text: string, pos: number): Parsed<{ id: string; params: Record<string, string>; end: number }> {
  const idEnd = nameEnd(text, pos);
  const id = text.slice(pos, idEnd);
  if (id === '' || id.length > 32) {
    return fail('RFC 5424 SD-ID must be 1-32 characters');
  }
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  let at = idEnd;
  while (text[at] === ' ') {
    const end = nameEnd(text, at + 1);
    const name = text.slice(at + 1, end);
    if (name === '' || name.length > 32 || text[end] !== '=' || text[end + 1] !== '"') {
      return fail('RFC 5424 SD-PARAM must be name="value" with a 1-32 character name');
    }
    const value = readValue(text, end + 2);
    if (value === undefined) {
      return fail('RFC 5424 SD-PARAM value has no closing quote');
    }
    params[name] ??= value.value;
    at = value.end;
  }
  return text[at] === ']' ? ok({ id, params, end: at + 1 }) : fail('RFC 5424 SD-ELEMENT is not closed with ]');
}

function readStructuredData(text: string, pos: number): Parsed<{ data?: StructuredData; end: number }> {
  if (text[pos] === '-') {
    return ok({ end: pos + 1 });
  }
  if (text[pos] !== '[') {
    return fail(
      pos >= text.length
        ? 'RFC 5424 header is truncated at STRUCTURED-DATA'
        : 'RFC 5424 STRUCTURED-DATA must be - or [...]',
    );
  }
  const data: StructuredData = Object.create(null) as StructuredData;
  let at = pos;
  while (text[at] === '[') {
    const element = readElement(text, at + 1);
    if (!element.ok) {
      return element;
    }
    const { id, params, end } = element.value;
    const earlier = data[id] as Record<string, string> | undefined;
    if (earlier === undefined) {
      data[id] = params;
    } else {
      for (const name of Object.keys(params)) {
        earlier[name] ??= params[name];
      }
    }
    at = end;
  }
  return ok({ data, end: at });
}

function read5424(text: string, pri: number, now: Date): Parsed<SyslogMessage> {
  const header: (string | undefined)[] = [];
  let pos = 0;
  for (const [name, max] of HEADER) {
    const end = text.indexOf(' ', pos);
    const field = text.slice(pos, end < 0 ? undefined : end);
    if (field.length > max) {
      return fail(`RFC 5424 ${name} is longer than ${max} characters`);
    }
    if (end < 0) {
      return fail(`RFC 5424 header is truncated at ${name}`);
    }
    if (field === '') {
      return fail(`RFC 5424 ${name} is empty (two spaces in the header)`);
    }
    header.push(field === '-' ? undefined : field);
    pos = end + 1;
  }
  const [stamp, host, app, procId, msgId] = header;
  const timestamp = stamp === undefined ? undefined : parseIsoTime(stamp, now);
  if (stamp !== undefined && timestamp === undefined) {
    return fail('RFC 5424 TIMESTAMP is not a valid RFC 3339 time');
  }
  const sd = readStructuredData(text, pos);
  if (!sd.ok) {
    return sd;
  }
  const { data: structuredData, end } = sd.value;
  if (end < text.length && text[end] !== ' ') {
    return fail('RFC 5424 STRUCTURED-DATA must be followed by a space and MSG');
  }
  const message = text.slice(end + 1);
  const body = message.startsWith(BOM) ? message.slice(1) : message;
  const facility = pri >> 3;
  const severity = pri & 7;
  return ok({ rfc: 5424, facility, severity, timestamp, host, app, procId, msgId, structuredData, message: body });
}

function read3164(text: string, pri: number | undefined, now: Date): Parsed<SyslogMessage> {
  const stamp = readSyslogTime(text, now);
  if (stamp === undefined && pri === undefined) {
    return fail('no <PRI> or time stamp at the start');
  }
  if (stamp !== undefined && stamp.date === undefined) {
    return fail('syslog time stamp is not a valid date');
  }
  let rest = stamp === undefined ? text : text.slice(stamp.length).replace(/^ +/, '');
  let host: string | undefined;
  if (stamp !== undefined) {
    const space = rest.indexOf(' ');
    const word = space < 0 ? rest : rest.slice(0, space);
    if (word !== '' && embeddedFormat(word) === undefined && !TAG.test(word)) {
      host = word;
      rest = space < 0 ? '' : rest.slice(space + 1);
    }
  }
  const tag = TAG.exec(rest);
  const message = tag === null ? rest : rest.slice(tag[0].length);
  const value = pri ?? DEFAULT_PRI;
  return ok({
    rfc: 3164,
    facility: value >> 3,
    severity: value & 7,
    timestamp: stamp?.date,
    host,
    app: tag?.[1],
    procId: tag?.[2],
    message,
  });
}

/** A syslog line, RFC 5424 or 3164, or the reason it is not one. */
export function readSyslog(line: string, now: Date): Parsed<SyslogMessage> {
  const pri = readPri(line);
  if (!pri.ok) {
    return pri;
  }
  const rest = line.slice(pri.value.length);
  const version = pri.value.pri === undefined ? null : /^(\d{1,2}) /.exec(rest);
  if (version !== null && pri.value.pri !== undefined) {
    return version[1] === '1'
      ? read5424(rest.slice(2), pri.value.pri, now)
      : fail(`syslog version ${version[1]} is not supported (RFC 5424 is version 1)`);
  }
  return read3164(rest, pri.value.pri, now);
}

/** A syslog line, or null when it is not one (`readSyslog` says why). */
export function parseSyslog(line: string, now: Date): SyslogMessage | null {
  const parsed = readSyslog(line, now);
  return parsed.ok ? parsed.value : null;
}

/** What a syslog MSG carries when it is a record in another format: only at its very start. */
export function embeddedFormat(message: string): 'cef' | 'leef' | undefined {
  if (message.startsWith('CEF:')) {
    return 'cef';
  }
  return message.startsWith('LEEF:') ? 'leef' : undefined;
}

/**
 * The event fields of a plain syslog line. The message is read as sshd's only when the
 * program is sshd: another program may log attacker text at the start of its message.
 */
export function syslogFields(syslog: SyslogMessage): LineFields {
  const sshd = parseSshdSyslog({ app: syslog.app, procId: syslog.procId }, syslog.message);
  const service = sshd === null ? parseServiceAuth(syslog.app, syslog.message) : null;
  if (service !== null) {
    const fields = serviceFields(syslog, service);
    if (fields !== null) {
      return fields;
    }
  }
  return {
    time: syslog.timestamp,
    host: syslog.host,
    message: syslog.message === '' ? undefined : syslog.message,
    eventType: sshd === null ? eventTypeFrom(syslog.app) : undefined,
    sshd,
  };
}

/**
 * A service's authentication failure: keyed by its address, else by the host name it wrote
 * (a `hostname` actor), else, for a local failure, by `<user>@<host>` (a `local` actor; see
 * common/actor-key.ts). Null when it names none of these.
 */
function serviceFields(syslog: SyslogMessage, service: ServiceAuthFacts): LineFields | null {
  const { local } = service;
  const actorKey = local ? localKey(service.localUser, syslog.host) : service.sourceHost;
  if (service.sourceIp === undefined && actorKey === undefined) {
    return null;
  }
  const pid = syslog.procId !== undefined && /^\d{1,10}$/.test(syslog.procId) ? syslog.procId : undefined;
  return {
    time: syslog.timestamp,
    host: syslog.host,
    message: syslog.message,
    ip: service.sourceIp,
    actorKey,
    eventType: `${service.service}_auth_failure`,
    outcome: 'failure',
    user: service.user,
    attempt: {
      keys: local && pid !== undefined ? [`p${syslog.host ?? ''}#${pid}`] : [],
      role: service.role,
      count: service.count,
    },
  };
}
