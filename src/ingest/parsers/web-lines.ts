import { fail, httpMethodFrom, httpStatusFrom, LineFields, ok, Parsed, present } from './fields';
import { splitRequest, unescapeLogText } from './access-log';
import { monthIndex, toDate } from './time';

/**
 * Web server lines other than the common/combined family, each by its documented layout:
 *
 * - HAProxy's HTTP log (`option httplog`, HAProxy configuration manual 8.2.3), alone or as a
 *   syslog MSG: `client:port [accept date] frontend backend/server timers status bytes
 *   cookies termination_state conn_counts queues {captured req headers} {captured res headers}
 *   "request"`.
 * - AWS Application Load Balancer access logs (Elastic Load Balancing guide, "Access log
 *   entries"): `type time elb client:port target:port t1 t2 t3 elb_status target_status
 *   received sent "request" "user_agent" …`.
 * - IIS W3C extended logs: the field order of the latest `#Fields:` directive of the same stream
 *   (`LineStream`, kept by the caller), else IIS's default order (`date time s-ip cs-method
 *   cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status
 *   sc-substatus sc-win32-status time-taken`); directive lines are not events.
 * - Apache 2.4 error log (`[time] [module:level] [pid …] [client ip:port] message`) and nginx
 *   error log (`yyyy/mm/dd hh:mm:ss [level] pid#tid: *cid message, client: ip, server: …,
 *   request: "…", host: "…"`). Basic-auth failures in either are authentication failures.
 */
const MONTH_DAY_YEAR = /^(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})/;

function webFields(fields: LineFields): LineFields {
  const refused = fields.httpStatus === 401 || fields.httpStatus === 403;
  return { eventType: 'http_request', outcome: refused ? 'failure' : 'unknown', ...fields };
}

function request(raw: string | undefined): Pick<LineFields, 'message' | 'url' | 'httpMethod'> {
  const text = present(raw);
  if (text === undefined) {
    return {};
  }
  const { method, url } = splitRequest(unescapeLogText(text));
  return { message: text, url, httpMethod: method };
}

/** `203.0.113.7:4242` or `[2001:db8::7]:4242` → address and port. */
function hostPort(text: string): { ip: string; port?: number } {
  const bracketed = /^\[([^\]]{2,45})\]:(\d{1,5})$/.exec(text);
  if (bracketed !== null) {
    return { ip: bracketed[1], port: Number(bracketed[2]) };
  }
  const colon = text.lastIndexOf(':');
  const plainV4 = colon > 0 && text.indexOf(':') === colon;
  return plainV4 ? { ip: text.slice(0, colon), port: Number(text.slice(colon + 1)) } : { ip: text };
}

const HAPROXY =
  /^(\S{2,64}) \[(\d{2}\/[A-Za-z]{3}\/\d{4}:\d{2}:\d{2}:\d{2})(?:\.\d{1,6})?\] (\S{1,128}) (\S{1,256}) (\S{1,64}) (-?\d{1,3}) (\+?\d{1,20}) \S{1,64} \S{1,64} \S{1,8} \S{1,64} \S{1,32}(?: \{([^}]{0,4096})\})?(?: \{[^}]{0,4096}\})? "((?:[^"\\]|\\.){0,16384})"?/;

export function parseHaproxyHttp(line: string): Parsed<LineFields> {
  const match = HAPROXY.exec(line);
  if (match === null) {
    return fail('expected HAProxy\'s HTTP log: "client:port [date] frontend backend/server timers status bytes …"');
  }
  const time = MONTH_DAY_YEAR.exec(match[2]) as RegExpExecArray;
  const { ip, port } = hostPort(match[1]);
  const captured = present(match[8]);
  return ok(
    webFields({
      time: toDate(
        {
          year: +time[3],
          month: monthIndex(time[2]) ?? -1,
          day: +time[1],
          hour: +time[4],
          minute: +time[5],
          second: +time[6],
        },
        new Date(0),
      ),
      ip,
      ipField: 'client_ip',
      port,
      httpStatus: httpStatusFrom(Number(match[6])),
      httpHeaders: captured === undefined ? undefined : { 'captured-request-headers': captured },
      ...request(match[9]),
    }),
  );
}

const ALB =
  /^(?:http|https|h2|grpcs|ws|wss) (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z) \S{1,256} (\S{2,64}) \S{1,64} \S{1,32} \S{1,32} \S{1,32} (\d{3}|-) (?:\d{3}|-) \d{1,20} \d{1,20} "((?:[^"\\]|\\.){0,16384})" "((?:[^"\\]|\\.){0,4096})"/;

export function parseAlb(line: string): Parsed<LineFields> {
  const match = ALB.exec(line);
  if (match === null) {
    return fail('expected an AWS ALB access log entry: "type time elb client:port target:port …"');
  }
  const { ip, port } = hostPort(match[2]);
  const req = request(match[4]);
  // ALB logs the absolute URL (https://host:443/path?q); the path is what the application sees.
  const url = req.url?.replace(/^[a-z]{2,5}:\/\/[^/?#]{1,300}/i, '') || req.url;
  return ok(
    webFields({
      time: new Date(match[1]),
      ip,
      ipField: 'client:port',
      port,
      httpStatus: httpStatusFrom(match[3] === '-' ? undefined : Number(match[3])),
      userAgent: present(unescapeLogText(match[5])),
      ...req,
      url,
    }),
  );
}

/** IIS's default W3C extended field order (IIS 7+ logging, "Select W3C Fields" defaults). */
export const IIS_DEFAULT_FIELDS: readonly string[] = [
  'date',
  'time',
  's-ip',
  'cs-method',
  'cs-uri-stem',
  'cs-uri-query',
  's-port',
  'cs-username',
  'c-ip',
  'cs(User-Agent)',
  'cs(Referer)',
  'sc-status',
  'sc-substatus',
  'sc-win32-status',
  'time-taken',
];

/**
 * What a stream of lines (one request body, one replayed file, one syslog connection) said
 * about the lines after it: the field order of IIS's latest `#Fields:` directive. parseLine
 * updates it in place; a new stream starts with IIS's default order.
 */
export interface LineStream {
  iisFields?: readonly string[];
}

export function newLineStream(): LineStream {
  return {};
}

const FIELD_NAME = /^(?:[a-z]{1,4}(?:-[a-z0-9]{1,32}){1,4}|date|time|[a-z]{1,3}\([A-Za-z0-9_-]{1,64}\))$/;
const MAX_IIS_FIELDS = 64;

/** `#Fields: date time c-ip …` → the field names; a reason when it is not a usable directive. */
export function readIisFieldsDirective(line: string): Parsed<string[]> {
  const names = line.slice('#Fields:'.length).trim().split(/\s+/);
  if (names.length === 0 || names[0] === '' || names.length > MAX_IIS_FIELDS) {
    return fail(`a #Fields: directive names 1-${MAX_IIS_FIELDS} fields`);
  }
  const bad = names.find((name) => !FIELD_NAME.test(name));
  if (bad !== undefined) {
    return fail(`#Fields: names an unknown kind of field (${bad.slice(0, 64)})`);
  }
  return names.includes('c-ip') ? ok(names) : fail('#Fields: has no c-ip (the client address)');
}

/** IIS writes a space in a field as `+`; only the user agent and referer are decoded that way. */
const iisText = (text: string | undefined): string | undefined =>
  text === undefined ? undefined : present(text.replace(/\+/g, ' '));

const IIS_DATE = /^\d{4}-\d{2}-\d{2}$/;
const IIS_TIME = /^\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?$/;
/** Request headers by their W3C field name, `cs(Cookie)` → `cookie`. */
const HEADER_FIELD = /^cs\(([A-Za-z0-9_-]{1,64})\)$/;

function iisTime(date: string | undefined, time: string | undefined): Date | undefined | null {
  if (date === undefined && time === undefined) {
    return undefined;
  }
  if (date === undefined || time === undefined || !IIS_DATE.test(date) || !IIS_TIME.test(time)) {
    return null;
  }
  const at = new Date(`${date}T${time}Z`);
  return Number.isNaN(at.getTime()) ? null : at;
}

function iisHeaders(value: Map<string, string>): Record<string, string> | undefined {
  let headers: Record<string, string> | undefined;
  for (const [name, text] of value) {
    const header = HEADER_FIELD.exec(name)?.[1].toLowerCase();
    if (header !== undefined && !['user-agent', 'referer'].includes(header)) {
      const decoded = iisText(text);
      if (decoded !== undefined) {
        (headers ??= {})[header] = decoded;
      }
    }
  }
  return headers;
}

/**
 * One IIS W3C extended line read by `fields` (the latest `#Fields:` of its stream; IIS's default
 * order without one). Fields are separated by single spaces (IIS writes a space inside a field
 * as `+`) and `-` is "no value".
 */
export function parseIis(line: string, fields: readonly string[] = IIS_DEFAULT_FIELDS): Parsed<LineFields> {
  if (line.startsWith('#')) {
    return fail('IIS directive line (#Software, #Fields…), not an event');
  }
  const parts = line.split(' ');
  if (parts.length !== fields.length) {
    return fail(
      `expected ${fields.length} W3C fields (${fields === IIS_DEFAULT_FIELDS ? "IIS's default order" : 'the #Fields: directive before it'}), found ${parts.length}`,
    );
  }
  const value = new Map<string, string>();
  fields.forEach((name, index) => value.set(name, parts[index]));
  const time = iisTime(present(value.get('date')), present(value.get('time')));
  const ip = present(value.get('c-ip'));
  const status = present(value.get('sc-status'));
  if (time === null || ip === undefined || (status !== undefined && !/^\d{3}$/.test(status))) {
    return fail(
      time === null
        ? 'date and time are not yyyy-mm-dd hh:mm:ss'
        : ip === undefined
          ? 'no c-ip'
          : 'sc-status is not a status code',
    );
  }
  const method = present(value.get('cs-method'));
  const stem = present(value.get('cs-uri-stem'));
  const query = present(value.get('cs-uri-query'));
  const url = stem === undefined ? undefined : query === undefined ? stem : `${stem}?${query}`;
  return ok(
    webFields({
      time,
      ip,
      ipField: 'c-ip',
      httpMethod: httpMethodFrom(method),
      url,
      message: url === undefined ? undefined : `${method ?? '-'} ${url}`,
      user: present(value.get('cs-username')),
      userAgent: iisText(value.get('cs(User-Agent)')),
      referer: iisText(value.get('cs(Referer)')),
      forwardedFor: present(value.get('cs(X-Forwarded-For)')),
      host: present(value.get('cs-host')) ?? present(value.get('s-computername')),
      httpHeaders: iisHeaders(value),
      httpStatus: status === undefined ? undefined : httpStatusFrom(Number(status)),
    }),
  );
}
