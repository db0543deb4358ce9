/** The longest manual decision: a year. */
export const MAX_MANUAL_SECONDS = 365 * 24 * 3600;

const UNIT_SECONDS: Readonly<Record<string, number>> = { d: 86_400, h: 3600, m: 60, s: 1 };
const GO_STYLE = /^(?:\d{1,9}[dhms])+$/;
const PART = /(\d{1,9})([dhms])/g;

/**
 * Seconds in a manual decision's duration: Go-style (`4h`, `30m`, `1h30m`, `90s`, plus `d` for
 * days as cscli accepts) or a bare number of seconds (`3600`). Between 1 s and a year. Throws an
 * Error that says what is wrong.
 */
export function parseManualDuration(text: string): number {
  const trimmed = text.trim();
  let seconds: number;
  if (/^\d{1,12}$/.test(trimmed)) {
    seconds = Number(trimmed);
  } else if (GO_STYLE.test(trimmed)) {
    seconds = 0;
    for (const [, count, unit] of trimmed.matchAll(PART)) {
      seconds += Number(count) * UNIT_SECONDS[unit];
    }
  } else {
    throw new Error(`duration ${JSON.stringify(trimmed.slice(0, 32))} is not like 4h, 30m, 1h30m, 7d or 3600`);
  }
  if (seconds < 1) {
    throw new Error('duration must be at least 1 second');
  }
  if (seconds > MAX_MANUAL_SECONDS) {
    throw new Error('duration must be at most 365 days');
  }
  return seconds;
}
