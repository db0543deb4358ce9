/** How far ahead of the receiving clock an event may claim to be; later times are clamped. */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

/**
 * Event time in UTC: a zone-less ISO time is read as UTC; a number is epoch seconds (below
 * 1e11) or milliseconds; a Date (a line parser's reading) is taken as it is. The future is
 * clamped to `now` unless `clampFuture` is false (a replay: the log's own times, whatever day
 * it runs).
 */
export function resolveEventTime(
  value: Date | string | number | undefined,
  now: Date,
  clampFuture = true,
): Date | string {
  if (value === undefined) {
    return now;
  }
  let ms: number;
  if (value instanceof Date) {
    ms = value.getTime();
  } else if (typeof value === 'number') {
    ms = value < 1e11 ? value * 1000 : value;
  } else {
    const text = value.trim().replace(' ', 'T');
    const zoned = /T.*(Z|[+-]\d{2}:?\d{2})$/i.test(text) || !text.includes('T') ? text : `${text}Z`;
    ms = Date.parse(zoned);
  }
  if (!Number.isFinite(ms)) {
    return 'timestamp is not a valid date';
  }
  return clampFuture && ms > now.getTime() + MAX_FUTURE_SKEW_MS ? now : new Date(ms);
}
