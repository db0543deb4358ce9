const UNIT_MS: Readonly<Record<string, number>> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };
const PERIOD = /^(?:\d{1,6}[dhms])+$/;
const PART = /(\d{1,6})([dhms])/g;

/** The longest retention: ten years. */
export const MAX_RETENTION_MS = 3650 * UNIT_MS.d;

/**
 * A retention period in milliseconds: `30d`, `12h`, `90m`, `1d12h` (days, hours, minutes,
 * seconds), or null for `off` (keep forever). At least `minimumMs`. Throws an Error that says
 * what is wrong, without echoing more than a few characters of the value.
 */
export function parseRetention(text: string, minimumMs: number): number | null {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'off') {
    return null;
  }
  if (!PERIOD.test(trimmed)) {
    throw new Error(`${JSON.stringify(trimmed.slice(0, 16))} is not a period like 30d, 12h, 90m or 1d12h (or off)`);
  }
  let ms = 0;
  for (const [, count, unit] of trimmed.matchAll(PART)) {
    ms += Number(count) * UNIT_MS[unit];
  }
  if (ms < minimumMs) {
    throw new Error(`must be at least ${describePeriod(minimumMs)}`);
  }
  if (ms > MAX_RETENTION_MS) {
    throw new Error('must be at most 3650d');
  }
  return ms;
}

/** `30d`, `12h`, `1m`: the largest whole unit (for messages). */
export function describePeriod(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's']) {
    if (ms % UNIT_MS[unit] === 0) {
      return `${ms / UNIT_MS[unit]}${unit}`;
    }
  }
  return `${ms}ms`;
}

/**
 * The retention settings and their floors: events and verdicts may be kept for as little as a
 * minute; decisions at least 7 days, so that a bouncer that was offline for up to the stream's
 * look-back (7 days) still hears of a ban that ended; audit rows at least a day.
 */
export const RETENTION_MINIMUMS = {
  EVENT_RETENTION: UNIT_MS.m,
  DECISION_RETENTION: 7 * UNIT_MS.d,
  AUDIT_RETENTION: UNIT_MS.d,
} as const;

export type RetentionSetting = keyof typeof RETENTION_MINIMUMS;

export interface RetentionPeriods {
  events: number | null;
  decisions: number | null;
  audit: number | null;
}

export function retentionPeriods(env: Record<RetentionSetting, string>): RetentionPeriods {
  return {
    events: parseRetention(env.EVENT_RETENTION, RETENTION_MINIMUMS.EVENT_RETENTION),
    decisions: parseRetention(env.DECISION_RETENTION, RETENTION_MINIMUMS.DECISION_RETENTION),
    audit: parseRetention(env.AUDIT_RETENTION, RETENTION_MINIMUMS.AUDIT_RETENTION),
  };
}
