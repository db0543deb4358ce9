/**
 * Time stamps as log formats write them. Every function returns a valid Date or undefined: a
 * day that does not exist (Nov 31, Feb 29 in a common year) is refused, never rolled over.
 *
 * Zones: a stamp without a zone is UTC. BSD syslog stamps (`Nov 24 10:00:00`) never carry a
 * zone, so a device that logs local time is off by its UTC offset; RFC 5424 and rsyslog's ISO
 * forms carry the offset and are exact.
 *
 * Years: a stamp without a year gets the year of `now` (UTC), unless that puts it more than
 * 7 days after `now`, in which case it gets the previous year: `Dec 31 23:59:59` read on
 * 2 January belongs to the year before. One exception the other way: in the last 7 days of
 * a year, a stamp in the first days of January that lands no more than 7 days after `now`
 * gets the next year (a sender whose clock runs a little ahead at midnight on New Year's
 * Eve), not a year ago. Feb 29 then steps back to the latest leap year (it may be 4 years).
 */

const MONTHS: ReadonlyMap<string, number> = new Map(
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((name, i) => [name, i]),
);

/** How far ahead of `now` a year-less stamp may be before it is read as last year's. */
export const YEARLESS_AHEAD_MS = 7 * 24 * 60 * 60 * 1000;

export interface TimeParts {
  year?: number;
  /** 0-11 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Digits after the decimal point, as written (`123456`); milliseconds are kept. */
  fraction?: string;
  /** Minutes east of UTC. */
  offset?: number;
}

export function monthIndex(name: string): number | undefined {
  return MONTHS.get(name.toLowerCase());
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysIn(year: number, month: number): number {
  return month === 1 ? (isLeap(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month];
}

/** Milliseconds of a fraction as written (`5` is 500, `123456` is 123). */
function millisOf(fraction: string | undefined): number {
  if (fraction === undefined || fraction === '') {
    return 0;
  }
  return parseInt(fraction.length >= 3 ? fraction.slice(0, 3) : fraction.padEnd(3, '0'), 10);
}

/** Date.UTC for any year (Date.UTC maps 0-99 to 1900-1999); days past the month's end roll over. */
export function utcMs(year: number, parts: TimeParts): number {
  const ms = millisOf(parts.fraction);
  if (year >= 100) {
    // Plain arithmetic, no Date object: this runs for every line of a log (three times for a year-less stamp).
    return Date.UTC(year, parts.month, parts.day, parts.hour, parts.minute, parts.second, ms);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, parts.month, parts.day);
  date.setUTCHours(parts.hour, parts.minute, parts.second, ms);
  return date.getTime();
}

/** The year for a stamp that has none: see the file header. */
export function inferYear(parts: TimeParts, now: Date): number {
  const latest = now.getTime() + YEARLESS_AHEAD_MS;
  const current = now.getUTCFullYear();
  let year = [current + 1, current].find((candidate) => utcMs(candidate, parts) <= latest) ?? current - 1;
  if (parts.month === 1 && parts.day === 29) {
    while (!isLeap(year)) {
      year -= 1;
    }
  }
  return year;
}

export function toDate(parts: TimeParts, now: Date): Date | undefined {
  const { month, day, hour, minute, second, offset = 0 } = parts;
  const year = parts.year ?? inferYear(parts, now);
  const valid =
    Number.isInteger(month) &&
    month >= 0 &&
    month <= 11 &&
    day >= 1 &&
    day <= daysIn(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    Math.abs(offset) < 24 * 60;
  return valid ? new Date(utcMs(year, parts) - offset * 60_000) : undefined;
}

/** `Z`, `UTC`, `GMT`, `+01:00`, `-0700` → minutes east of UTC; anything else (`CET`) → undefined. */
export function parseOffset(text: string | undefined): number | undefined {
  if (text === undefined || /^(?:z|utc|gmt)$/i.test(text)) {
    return 0;
  }
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (match === null || parseInt(match[3], 10) > 59) {
    return undefined;
  }
  const minutes = parseInt(match[2], 10) * 60 + parseInt(match[3], 10);
  return match[1] === '-' ? -minutes : minutes;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2})?(?= |$)/;
const BSD =
  /^([A-Za-z]{3}) {1,2}(\d{1,2})(?: (\d{4}))? (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?: (Z|UTC|GMT|[+-]\d{2}:?\d{2}))?/;

function num(text: string): number {
  return parseInt(text, 10);
}

function fromIso(match: RegExpExecArray, now: Date): Date | undefined {
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const offset = parseOffset(zone);
  if (offset === undefined) {
    return undefined;
  }
  const parts = {
    year: num(y),
    month: num(mo) - 1,
    day: num(d),
    hour: num(h),
    minute: num(mi),
    second: num(s),
    fraction,
    offset,
  };
  return toDate(parts, now);
}

function fromBsd(match: RegExpExecArray, now: Date): Date | undefined {
  const [, name, d, y, h, mi, s, fraction, zone] = match;
  const month = monthIndex(name);
  if (month === undefined) {
    return undefined;
  }
  const year = y === undefined ? undefined : num(y);
  const offset = parseOffset(zone);
  return toDate({ year, month, day: num(d), hour: num(h), minute: num(mi), second: num(s), fraction, offset }, now);
}

/** RFC 3339 / ISO 8601 with seconds: `2026-11-24T10:00:00.123+01:00`, zone optional (UTC). */
export function parseIsoTime(text: string, now: Date): Date | undefined {
  const match = ISO.exec(text);
  return match !== null && match[0].length === text.length ? fromIso(match, now) : undefined;
}

/**
 * A stamp at the start of a syslog line, after the PRI: ISO (`2026-11-24T10:00:00Z`, as
 * rsyslog and syslog-ng forward) or BSD (`Nov 24 10:00:00`, `Nov  4 …`, `Nov 24 2026 …` as
 * some devices send, a trailing `:` as Cisco writes). `length` is what it took; `date` is
 * undefined for a stamp of the right shape that names no real time. Undefined: no stamp.
 */
export function readSyslogTime(text: string, now: Date): { date?: Date; length: number } | undefined {
  const iso = ISO.exec(text);
  if (iso !== null) {
    return { date: fromIso(iso, now), length: iso[0].length };
  }
  const bsd = /^([A-Za-z]{3}) {1,2}(\d{1,2})(?: (\d{4}))? (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?:?(?= |$)/.exec(text);
  if (bsd !== null) {
    return { date: fromBsd(bsd, now), length: bsd[0].length };
  }
  return readJournalTime(text, now);
}

// journalctl's `-o short-full` (`Tue 2026-11-24 10:00:00 UTC`) and `-o short-unix`
// (`1764000000.123456`); `short`, `short-precise` and `short-iso` are BSD and ISO stamps.
const JOURNAL_FULL =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? (UTC|GMT|[+-]\d{2}:?\d{2})(?= |$)/;
const JOURNAL_UNIX = /^(\d{9,11})(?:\.(\d{1,9}))?(?= )/;

function readJournalTime(text: string, now: Date): { date?: Date; length: number } | undefined {
  const full = JOURNAL_FULL.exec(text);
  if (full !== null) {
    return { date: fromIso(full, now), length: full[0].length };
  }
  const unix = JOURNAL_UNIX.exec(text);
  if (unix === null) {
    return undefined;
  }
  const ms = num(unix[1]) * 1000 + num((unix[2] ?? '').padEnd(3, '0').slice(0, 3));
  return { date: new Date(ms), length: unix[0].length };
}

/**
 * A device's own time field (CEF `rt`/`end`, LEEF `devTime`): epoch milliseconds (or seconds,
 * under 1e11, as record.ts reads numbers), ISO 8601, or `MMM dd[ yyyy] HH:mm:ss[.SSS][ zone]`.
 */
export function parseDeviceTime(text: string, now: Date): Date | undefined {
  const value = text.trim();
  if (/^\d{1,15}$/.test(value)) {
    const n = parseInt(value, 10);
    return new Date(n < 1e11 ? n * 1000 : n);
  }
  const bsd = BSD.exec(value);
  if (bsd !== null) {
    return bsd[0].length === value.length ? fromBsd(bsd, now) : undefined;
  }
  return parseIsoTime(value, now);
}
