/**
 * Go's `time.Duration.String()` for a whole number of milliseconds: `3h59m58s`, `1m0s`, `1.5s`,
 * `250ms`, `0s`, `-2s`. CrowdSec bouncers read a decision's `duration` with Go's
 * `time.ParseDuration`, so this is the format they expect.
 */
export function goDuration(ms: number): string {
  if (!Number.isFinite(ms)) {
    throw new RangeError(`${ms} is not a finite duration`);
  }
  const whole = Math.trunc(ms);
  const size = Math.abs(whole);
  if (size === 0) {
    return '0s';
  }
  const sign = whole < 0 ? '-' : '';
  if (size < 1000) {
    return `${sign}${size}ms`;
  }
  const fraction = size % 1000;
  const fractionText = fraction === 0 ? '' : `.${String(fraction).padStart(3, '0').replace(/0+$/, '')}`;
  const totalSeconds = Math.floor(size / 1000);
  const totalMinutes = Math.floor(totalSeconds / 60);
  const hours = Math.floor(totalMinutes / 60);
  let text = `${totalSeconds % 60}${fractionText}s`;
  if (totalMinutes > 0) {
    text = `${totalMinutes % 60}m${text}`;
  }
  if (hours > 0) {
    text = `${hours}h${text}`;
  }
  return sign + text;
}

/** Go's `Duration.Round(time.Second)`: to the nearest second, halves away from zero. */
export function roundToSecond(ms: number): number {
  const rounded = Math.floor((Math.abs(ms) + 500) / 1000) * 1000;
  return ms < 0 && rounded !== 0 ? -rounded : rounded;
}

/**
 * What CrowdSec's LAPI puts in `duration`: the time left until `until`, rounded to the second
 * (negative once it has passed, as on the decisions a stream lists as deleted).
 */
export function remaining(until: Date, now: Date): string {
  return goDuration(roundToSecond(until.getTime() - now.getTime()));
}
