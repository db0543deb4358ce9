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
 * - IIS W3C extended logs in IIS's default field order (`date time s-ip cs-method cs-uri-stem
 *   cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus
 *   sc-win32-status time-taken`); `#` directive lines are refused with that reason.
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

const IIS =
  /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) (\S{1,64}) ([A-Za-z][A-Za-z_-]{0,15}) (\S{1,8192}) (\S{1,8192}) (\d{1,5}) (\S{1,512}) (\S{2,45}) (\S{1,2048}) (\S{1,8192}) (\d{3}) \d{1,5} \d{1,10} \d{1,10}$/;

/** IIS writes a space in a field as `+`; only the user agent and referer are decoded that way. */
const iisText = (text: string): string | undefined => present(text.replace(/\+/g, ' '));

export function parseIis(line: string): Parsed<LineFields> {
  if (line.startsWith('#')) {
    return fail('IIS directive line (#Software, #Fields…), not an event');
  }
  const match = IIS.exec(line);
  if (match === null) {
    return fail("expected IIS's default W3C fields: date time s-ip cs-method cs-uri-stem cs-uri-query … c-ip …");
  }
  const query = present(match[6]);
  const referer = present(match[11]);
  return ok(
    webFields({
      time: new Date(`${match[1]}T${match[2]}Z`),
      ip: match[9],
      ipField: 'c-ip',
      httpMethod: httpMethodFrom(match[4]),
      url: query === undefined ? match[5] : `${match[5]}?${query}`,
      message: `${match[4]} ${match[5]}${query === undefined ? '' : `?${query}`}`,
      user: present(match[8]),
      userAgent: iisText(match[10]),
      referer: referer,
      httpStatus: httpStatusFrom(Number(match[12])),
    }),
  );
}
