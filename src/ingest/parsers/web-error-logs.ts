import { fail, LineFields, ok, Parsed, present } from './fields';
import { splitRequest, unescapeLogText } from './access-log';
import { monthIndex, toDate } from './time';

/**
 * Apache 2.4 and nginx error logs: the client, the request when the server names it, and the
 * message. The basic-auth failures both servers log (the lines fail2ban's apache-auth and
 * nginx-http-auth filters read) are authentication failures of the client.
 *
 * Apache (ErrorLogFormat default): `[Sun Dec 06 03:58:24.123456 2026] [auth_basic:error]
 * [pid 123:tid 456] [client 203.0.113.7:4242] AH01617: user admin: authentication failure for
 * "/admin": Password Mismatch`.
 * nginx: `2026/12/06 03:58:24 [error] 123#123: *1 user "admin": password mismatch, client:
 * 203.0.113.7, server: localhost, request: "GET /admin/ HTTP/1.1", host: "example.com"`.
 */
const APACHE =
  /^\[(?:[A-Za-z]{3} )?([A-Za-z]{3}) (\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})? (\d{4})\] \[(?:([\w-]{1,64}):)?(\w{1,16})\](?: \[pid [^\]]{1,64}\])? \[client ([^\]\s]{2,64})\] (.{0,65536})$/;
const NGINX =
  /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2}) \[(\w{1,16})\] \d{1,10}#\d{1,10}: (?:\*\d{1,20} )?(.{0,65536})$/;
const NGINX_CLIENT = /, client: ([0-9A-Fa-f.:]{2,45})(?:, |$)/;
const NGINX_REQUEST = /, request: "((?:[^"\\]|\\.){0,16384})"/;
const NGINX_HOST = /, host: "([^"]{0,512})"/;
const NGINX_REFERRER = /, referrer: "((?:[^"\\]|\\.){0,8192})"/;
const APACHE_REQUEST =
  /\b(?:request|uri)\b[^"]{0,40}"?((?:GET|POST|HEAD|PUT|DELETE|OPTIONS|PATCH) \S{1,8192}(?: HTTP\/\d(?:\.\d)?)?)/i;
const APACHE_PATH = /(?:for|to) "?(\/[^\s",]{0,8192})"?/;

// Wrong password or unknown user: what an HTTP basic/digest brute force leaves. Not "no
// user/password was provided": every browser's first request to a protected page logs that
// (fail2ban's nginx-http-auth counts it only in its aggressive mode).
const AUTH_FAILURE =
  /\bpassword mismatch\b|\bwas not found in "|\buser \S{1,256} not found\b|authentication failure for|\bdigest: user .{0,256} not found\b/i;

function errorFields(fields: LineFields, message: string): LineFields {
  const auth = AUTH_FAILURE.test(message);
  return { ...fields, message, eventType: auth ? 'http_auth' : 'http_error', outcome: auth ? 'failure' : 'unknown' };
}

export function parseApacheError(line: string): Parsed<LineFields> {
  const match = APACHE.exec(line);
  if (match === null) {
    return fail('expected an Apache error log line: "[date] [module:level] [pid …] [client ip:port] message"');
  }
  const [, monthName, day, hour, minute, second, year, , , client, message] = match;
  const colon = client.lastIndexOf(':');
  const ip = client.indexOf(':') === colon && colon > 0 ? client.slice(0, colon) : client.replace(/^\[|\]:\d+$/g, '');
  const requestLine = APACHE_REQUEST.exec(message)?.[1];
  const split = requestLine === undefined ? undefined : splitRequest(requestLine);
  return ok(
    errorFields(
      {
        time: toDate(
          { year: +year, month: monthIndex(monthName) ?? -1, day: +day, hour: +hour, minute: +minute, second: +second },
          new Date(0),
        ),
        ip,
        ipField: 'client',
        url: split?.url ?? APACHE_PATH.exec(message)?.[1],
        httpMethod: split?.method,
      },
      message,
    ),
  );
}

export function parseNginxError(line: string): Parsed<LineFields> {
  const match = NGINX.exec(line);
  if (match === null) {
    return fail('expected an nginx error log line: "yyyy/mm/dd hh:mm:ss [level] pid#tid: message"');
  }
  const [, year, month, day, hour, minute, second, , message] = match;
  const client = NGINX_CLIENT.exec(message)?.[1];
  if (client === undefined) {
    return fail("nginx error log line without a client (a server event, not a client's)");
  }
  const requestLine = NGINX_REQUEST.exec(message)?.[1];
  const split = requestLine === undefined ? undefined : splitRequest(unescapeLogText(requestLine));
  return ok(
    errorFields(
      {
        time: toDate(
          { year: +year, month: +month - 1, day: +day, hour: +hour, minute: +minute, second: +second },
          new Date(0),
        ),
        ip: client,
        ipField: 'client',
        url: split?.url,
        httpMethod: split?.method,
        host: present(NGINX_HOST.exec(message)?.[1]),
        referer: present(NGINX_REFERRER.exec(message)?.[1]),
      },
      message,
    ),
  );
}
