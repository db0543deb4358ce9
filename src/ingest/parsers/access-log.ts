import { fail, httpMethodFrom, httpStatusFrom, LineFields, ok, Parsed, present } from './fields';
import { monthIndex, parseOffset, toDate } from './time';

/**
 * nginx and Apache access logs, common and combined format:
 * `IP ident user [10/Oct/2000:13:55:36 -0700] "GET /a?b=c HTTP/1.1" 200 2326 "referer" "UA"`.
 *
 * - Quoted fields unescape `\"` and `\\` (Apache) and `\xHH` (nginx, and Apache for
 *   non-printable bytes); runs of `\xHH` bytes are decoded as UTF-8.
 * - The user runs to the first ` [` that starts a time stamp, so it may hold spaces.
 * - A request line that is not `METHOD target[ HTTP/x.y]` (a TLS handshake sent to a plain
 *   HTTP port: `"\x16\x03\x01…"`) keeps the event, with no method or URL; the request as
 *   logged (escapes intact) is the message either way.
 * - Referer and user agent are optional, and so is anything after them (custom formats);
 *   one whose closing quote is missing (a line cut short) is left out.
 */
export interface AccessLogEntry {
  /** vhost_combined's first field (`%v:%p`, `$host:$server_port`): the site the request was for. */
  vhost?: string;
  remoteAddr: string;
  ident?: string;
  user?: string;
  time: Date;
  /** The request line as logged, escapes intact; absent when logged as `-`. */
  request?: string;
  method?: string;
  url?: string;
  protocol?: string;
  status?: number;
  bytes?: number;
  referer?: string;
  userAgent?: string;
  /** A quoted field after the user agent, as nginx's common `"$http_x_forwarded_for"` addition. */
  forwardedFor?: string;
}

const TIME = /\[(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})\] /y;
const STATUS_AND_SIZE = / (\d{3}|-) (\d+|-)(?= |$)/y;
const PROTOCOL = /^HTTP\/\d(?:\.\d)?$/;
const utf8 = new TextDecoder('utf-8');
const NO_REQUEST: Pick<AccessLogEntry, 'method' | 'url' | 'protocol'> = {};

/** The raw text of the quoted field whose opening quote is at `pos`, and the index after it. */
function readQuoted(line: string, pos: number): { raw: string; end: number } | undefined {
  for (let i = pos + 1; i < line.length; i += 1) {
    if (line[i] === '\\') {
      i += 1;
    } else if (line[i] === '"') {
      return { raw: line.slice(pos + 1, i), end: i + 1 };
    }
  }
  return undefined;
}

export function unescapeLogText(raw: string): string {
  if (!raw.includes('\\')) {
    return raw;
  }
  let out = '';
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length > 0) {
      out += utf8.decode(Uint8Array.from(bytes));
      bytes = [];
    }
  };
  for (let i = 0; i < raw.length; i += 1) {
    const hex = raw[i] === '\\' && raw[i + 1] === 'x' ? /^[0-9a-fA-F]{2}$/.exec(raw.slice(i + 2, i + 4)) : null;
    if (hex !== null) {
      bytes.push(parseInt(hex[0], 16));
      i += 3;
      continue;
    }
    flush();
    const escaped = raw[i] === '\\' && (raw[i + 1] === '"' || raw[i + 1] === '\\');
    out += escaped ? raw[i + 1] : raw[i];
    i += escaped ? 1 : 0;
  }
  flush();
  return out;
}

export function splitRequest(request: string): Pick<AccessLogEntry, 'method' | 'url' | 'protocol'> {
  const space = request.indexOf(' ');
  const method = httpMethodFrom(request.slice(0, space));
  if (space < 0 || method === undefined) {
    return {};
  }
  let target = request.slice(space + 1);
  const last = target.lastIndexOf(' ');
  const protocol = last >= 0 && PROTOCOL.test(target.slice(last + 1)) ? target.slice(last + 1) : undefined;
  target = protocol === undefined ? target : target.slice(0, last);
  return target === '' ? { method, protocol } : { method, url: target, protocol };
}

/** The time stamp in ` [...] ` that ends the user field, searching from `from`. */
function findTime(line: string, from: number): { match: RegExpExecArray; at: number } | undefined {
  for (let at = line.indexOf(' [', from); at >= 0; at = line.indexOf(' [', at + 2)) {
    TIME.lastIndex = at + 1;
    const match = TIME.exec(line);
    if (match !== null) {
      return { match, at };
    }
  }
  return undefined;
}

function optionalQuoted(line: string, pos: number): { value?: string; end: number } {
  const quoted = line.startsWith(' "', pos) ? readQuoted(line, pos + 1) : undefined;
  return quoted === undefined ? { end: pos } : { value: present(unescapeLogText(quoted.raw)), end: quoted.end };
}

/** A vhost_combined line starts `site:port ` before the client address. */
const VHOST = /^([^\s:[\]]{0,255}):(\d{1,5}) (?=[0-9A-Fa-f.:]{2,45} )/;

/** One access log line (common, combined, vhost_combined), or the reason it is not one. */
export function parseAccessLog(line: string): Parsed<AccessLogEntry> {
  const vhost = VHOST.exec(line);
  if (vhost !== null) {
    const entry = parseAccessLog(line.slice(vhost[0].length));
    return entry.ok ? ok({ ...entry.value, vhost: present(vhost[1]) }) : entry;
  }
  const first = line.indexOf(' ');
  const second = first < 0 ? -1 : line.indexOf(' ', first + 1);
  const found = second < 0 ? undefined : findTime(line, second);
  if (found === undefined) {
    return fail('expected "client ident user [dd/Mon/yyyy:hh:mm:ss +zzzz]" at the start');
  }
  const [, day, monthName, year, hour, minute, sec, zone] = found.match;
  const month = monthIndex(monthName) ?? -1;
  const offset = parseOffset(zone);
  const time = toDate(
    { year: +year, month, day: +day, hour: +hour, minute: +minute, second: +sec, offset },
    new Date(0),
  );
  if (time === undefined) {
    return fail('access log time is not a valid date');
  }
  const requestAt = TIME.lastIndex;
  const quoted = line[requestAt] === '"' ? readQuoted(line, requestAt) : undefined;
  if (quoted === undefined) {
    return fail('expected a quoted request line after the time');
  }
  STATUS_AND_SIZE.lastIndex = quoted.end;
  const counts = STATUS_AND_SIZE.exec(line);
  if (counts === null) {
    return fail('expected status and size after the request line');
  }
  const referer = optionalQuoted(line, STATUS_AND_SIZE.lastIndex);
  const agent = optionalQuoted(line, referer.end);
  const request = present(quoted.raw);
  const { method, url, protocol } = request === undefined ? NO_REQUEST : splitRequest(unescapeLogText(request));
  return ok({
    remoteAddr: line.slice(0, first),
    ident: present(line.slice(first + 1, second)),
    user: present(line.slice(second + 1, found.at)),
    time,
    request,
    method,
    url,
    protocol,
    status: counts[1] === '-' ? undefined : parseInt(counts[1], 10),
    bytes: counts[2] === '-' ? undefined : parseInt(counts[2], 10),
    referer: referer.value,
    userAgent: referer.end === STATUS_AND_SIZE.lastIndex ? undefined : agent.value,
    forwardedFor: agent.value === undefined ? undefined : optionalQuoted(line, agent.end).value,
  });
}

/** HTTP outcome is the status's business, except that 401 and 403 are refusals. */
export function accessFields(entry: AccessLogEntry): LineFields {
  return {
    time: entry.time,
    ip: entry.remoteAddr,
    ipField: 'remote_addr',
    eventType: 'http_request',
    outcome: entry.status === 401 || entry.status === 403 ? 'failure' : 'unknown',
    user: entry.user,
    message: entry.request,
    url: entry.url,
    httpMethod: entry.method,
    httpStatus: httpStatusFrom(entry.status),
    userAgent: entry.userAgent,
    referer: entry.referer,
    host: entry.vhost,
    forwardedFor: entry.forwardedFor,
  };
}
