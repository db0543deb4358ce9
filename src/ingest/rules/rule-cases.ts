import type { DetectableEvent } from '../../domain/event';

/**
 * A rule's own test case (`tests.match` / `tests.nomatch` in its file) as the event it stands
 * for: a string is a GET of that URL answered 200; a map gives the fields (url, method, status,
 * userAgent, referer, user, host, headers).
 */
export function caseEvent(request: unknown): DetectableEvent {
  if (typeof request === 'string') {
    return { url: request, httpMethod: 'GET', httpStatus: 200, outcome: 'unknown', eventType: 'http_request' };
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new Error('a test case is a URL or a map of request fields');
  }
  const fields = request as Record<string, unknown>;
  const text = (key: string): string | undefined => {
    const value = fields[key];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  };
  const headers = fields.headers as Record<string, unknown> | undefined;
  return {
    url: text('url'),
    httpMethod: text('method') ?? 'GET',
    httpStatus: fields.status === undefined ? 200 : fields.status === null ? undefined : Number(fields.status),
    userAgent: text('userAgent'),
    referer: text('referer'),
    user: text('user'),
    host: text('host'),
    message: text('message'),
    httpHeaders:
      headers === undefined
        ? undefined
        : Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), String(value)])),
    outcome: 'unknown',
    eventType: 'http_request',
  };
}
