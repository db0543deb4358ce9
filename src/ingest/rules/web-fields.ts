import type { DetectableEvent } from '../../domain/event';
import { decodeCached, decodeForInspection, MAX_INSPECT } from '../signals/decode';

/**
 * The fields a web rule reads, named as in Sigma's webserver taxonomy (W3C extended log names),
 * each decoded once per event by decodeForInspection: percent (up to three rounds), `%u`, HTML
 * entities, overlong UTF-8, NUL bytes dropped, lower-cased, SQL comments collapsed, at most
 * 8 KiB. The path and the query are split on the raw `?` before decoding, so an encoded `%3f`
 * cannot move text from one to the other.
 *
 *   cs-method, sc-status, cs-uri (path?query), cs-uri-stem, cs-uri-query, c-useragent,
 *   cs-uri-raw (the URL as logged, only lower-cased: for encodings decoding removes, like %00),
 *   cs-referer, cs-host, cs-username, and cs-<header> for each other header the log carries
 *   (cs-cookie, cs-x-forwarded-for, cs-content-type…); cs-headers holds them all, one a line.
 */
export const WEB_FIELDS = [
  'cs-method',
  'sc-status',
  'cs-uri',
  'cs-uri-raw',
  'cs-uri-stem',
  'cs-uri-query',
  'c-useragent',
  'cs-referer',
  'cs-host',
  'cs-username',
  'cs-headers',
] as const;

/** Where a Sigma keyword (a bare value, no field) is looked for. */
export const KEYWORD_FIELDS = ['cs-uri', 'cs-referer', 'c-useragent', 'cs-headers'] as const;

const HEADER_FIELD = /^cs-[a-z0-9][a-z0-9-]{0,63}$/;

export function isWebField(name: string): boolean {
  return (WEB_FIELDS as readonly string[]).includes(name) || HEADER_FIELD.test(name);
}

const SCHEME_AND_HOST = /^[a-z][a-z0-9+.-]{0,15}:\/\/[^/?#]*/i;

function splitTarget(url: string): [string, string | undefined] {
  const target = url.replace(SCHEME_AND_HOST, '');
  const mark = target.indexOf('?');
  return mark < 0 ? [target, undefined] : [target.slice(0, mark), target.slice(mark + 1)];
}

/** The decoded view of one web event, or null when the event is not an HTTP request. */
export function webFieldsOf(event: DetectableEvent): Record<string, string | undefined> | null {
  if (event.url === undefined && event.httpMethod === undefined && event.httpStatus === undefined) {
    return null;
  }
  const [rawPath, rawQuery] = splitTarget(event.url ?? '');
  const path = decodeForInspection(rawPath);
  const query = rawQuery === undefined ? undefined : decodeForInspection(rawQuery);
  const view: Record<string, string | undefined> = {
    'cs-method': event.httpMethod?.toLowerCase(),
    'sc-status': event.httpStatus === undefined ? undefined : String(event.httpStatus),
    'cs-uri': query === undefined ? path : `${path}?${query}`,
    'cs-uri-stem': path,
    'cs-uri-raw': event.url?.slice(0, MAX_INSPECT).toLowerCase(),
    'cs-uri-query': query,
    'c-useragent': event.userAgent === undefined ? undefined : decodeCached(event.userAgent),
    'cs-referer': event.referer === undefined ? undefined : decodeCached(event.referer),
    'cs-host': event.host?.toLowerCase(),
    'cs-username': event.user === undefined ? undefined : decodeCached(event.user),
  };
  const headers = event.httpHeaders;
  if (headers !== undefined) {
    const all: string[] = [];
    for (const [name, value] of Object.entries(headers)) {
      const decoded = decodeCached(value);
      view[`cs-${name.toLowerCase()}`] = decoded;
      all.push(decoded);
    }
    view['cs-headers'] = all.join('\n');
  }
  return view;
}
