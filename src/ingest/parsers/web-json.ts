import { httpMethodFrom, httpStatusFrom, LineFields } from './fields';
import { splitRequest } from './access-log';

/**
 * JSON access logs, one object a line, mapped to the fields of an access-log line:
 *
 * - nginx `log_format … escape=json` with nginx's own variable names (remote_addr, request or
 *   request_method + request_uri, status, http_referer, http_user_agent, time_iso8601 /
 *   time_local / msec, host, remote_user, http_x_forwarded_for), as nginx's documentation and
 *   most published json formats write them.
 * - Traefik's JSON access log (ClientHost, RequestMethod, RequestPath, DownstreamStatus,
 *   StartUTC, RequestHost, request_User-Agent, request_Referer and other request_ headers).
 * - Caddy's access log (logger http.log.access: request.remote_ip / client_ip, request.method,
 *   request.uri, request.host, request.headers, status, ts in seconds).
 *
 * Returns null when the object is none of these, so that the flat and ECS forms still apply.
 */
type Json = Record<string, unknown>;

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' && value !== '-'
    ? value
    : typeof value === 'number'
      ? String(value)
      : undefined;

function num(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function timeOf(...candidates: unknown[]): Date | undefined {
  for (const value of candidates) {
    if (typeof value === 'number') {
      // Caddy's ts and nginx's msec are seconds with a fraction.
      return new Date(value * 1000);
    }
    const text = str(value);
    if (text !== undefined) {
      const date = new Date(text.replace(/^(\d{2})\/(\w{3})\/(\d{4}):(\d{2}:\d{2}:\d{2}) /, '$2 $1 $3 $4 '));
      if (!Number.isNaN(date.getTime())) {
        return date;
      }
    }
  }
  return undefined;
}

function headersFrom(entries: [string, unknown][]): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [name, value] of entries) {
    const text = Array.isArray(value) ? value.map(String).join(', ') : str(value);
    if (text !== undefined) {
      out[name.toLowerCase()] = text;
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function withoutKnown(headers: Record<string, string> | undefined): Record<string, string> | undefined {
  if (headers === undefined) {
    return undefined;
  }
  const rest = Object.entries(headers).filter(([name]) => !['user-agent', 'referer', 'x-forwarded-for'].includes(name));
  return rest.length > 0 ? Object.fromEntries(rest) : undefined;
}

function web(fields: LineFields): LineFields {
  return {
    ...fields,
    eventType: 'http_request',
    outcome: fields.httpStatus === 401 || fields.httpStatus === 403 ? 'failure' : 'unknown',
  };
}

function nginxJson(r: Json): LineFields | null {
  if (str(r.remote_addr) === undefined || (r.request === undefined && r.request_uri === undefined)) {
    return null;
  }
  const request = str(r.request);
  const split = request === undefined ? {} : splitRequest(request);
  return web({
    time: timeOf(r.time_iso8601, r.time, r.timestamp, r['@timestamp'], r.time_local, num(r.msec)),
    ip: str(r.remote_addr),
    ipField: 'remote_addr',
    user: str(r.remote_user),
    message: request,
    url: str(r.request_uri) ?? split.url,
    httpMethod: httpMethodFrom(str(r.request_method) ?? split.method ?? ''),
    httpStatus: httpStatusFrom(num(r.status)),
    userAgent: str(r.http_user_agent),
    referer: str(r.http_referer),
    host: str(r.host) ?? str(r.server_name),
    forwardedFor: str(r.http_x_forwarded_for),
    httpHeaders: headersFrom(
      Object.entries(r)
        .filter(
          ([key]) =>
            key.startsWith('http_') && !['http_user_agent', 'http_referer', 'http_x_forwarded_for'].includes(key),
        )
        .map(([key, value]) => [key.slice(5).replace(/_/g, '-'), value]),
    ),
  });
}

function traefik(r: Json): LineFields | null {
  if (str(r.ClientHost) === undefined || str(r.RequestMethod) === undefined) {
    return null;
  }
  const headers = headersFrom(
    Object.entries(r)
      .filter(([key]) => key.startsWith('request_'))
      .map(([key, value]) => [key.slice(8), value]),
  );
  return web({
    time: timeOf(r.StartUTC, r.time, r.StartLocal),
    ip: str(r.ClientHost),
    ipField: 'ClientHost',
    user: str(r.ClientUsername),
    url: str(r.RequestPath),
    httpMethod: httpMethodFrom(str(r.RequestMethod) ?? ''),
    httpStatus: httpStatusFrom(num(r.DownstreamStatus)),
    host: str(r.RequestHost),
    userAgent: headers?.['user-agent'],
    referer: headers?.referer,
    forwardedFor: headers?.['x-forwarded-for'],
    httpHeaders: withoutKnown(headers),
  });
}

function caddy(r: Json): LineFields | null {
  const request = r.request;
  if (!isObject(request) || (str(request.remote_ip) === undefined && str(request.client_ip) === undefined)) {
    return null;
  }
  const headers = isObject(request.headers) ? headersFrom(Object.entries(request.headers)) : undefined;
  const remote = str(request.remote_ip);
  return web({
    time: timeOf(num(r.ts)),
    // client_ip is Caddy's own trusted-proxy answer; remote_ip is the socket.
    ip: remote ?? str(request.client_ip),
    ipField: 'request.remote_ip',
    user: str(r.user_id),
    url: str(request.uri),
    httpMethod: httpMethodFrom(str(request.method) ?? ''),
    httpStatus: httpStatusFrom(num(r.status)),
    host: str(request.host),
    userAgent: headers?.['user-agent'],
    referer: headers?.referer,
    forwardedFor: headers?.['x-forwarded-for'],
    httpHeaders: withoutKnown(headers),
  });
}

/** The access-log fields of a JSON record, or null when it is not a JSON access log. */
export function webJsonFields(record: unknown): LineFields | null {
  if (!isObject(record)) {
    return null;
  }
  return nginxJson(record) ?? traefik(record) ?? caddy(record);
}
