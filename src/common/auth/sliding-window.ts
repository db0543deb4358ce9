/**
 * A sliding-window counter (two fixed windows, the previous one weighted by how much of it
 * still overlaps the sliding window). O(1) time and two numbers per key, whatever the rate:
 * the stock throttler storage kept one timestamp per hit and scanned them on every request.
 *
 * The estimate assumes the previous window's hits were spread evenly; it never lets through
 * more than `limit` hits in any aligned window, and at most about twice `limit` in the worst
 * unaligned one (a burst at the end of a window then at the start of the next, the classic
 * fixed-window flaw, is damped by the weight).
 */
export interface WindowCounts {
  /** Start of the current fixed window (ms since epoch, a multiple of the window length). */
  windowStart: number;
  /** Hits counted in the current window. */
  current: number;
  /** Hits counted in the window just before it. */
  previous: number;
}

export interface HitResult {
  counts: WindowCounts;
  /** The hit was counted (under the limit); a refused hit is not counted. */
  allowed: boolean;
  /** Weighted hits in the sliding window after this one (rounded up). */
  estimate: number;
  /** When refused: ms until a hit would be allowed again; 0 when allowed. */
  retryAfterMs: number;
  /** ms until the current fixed window ends. */
  windowEndsInMs: number;
}

/** The counts as seen at `now`: rolled forward into the window that holds `now`. */
export function rollTo(counts: WindowCounts | undefined, now: number, windowMs: number): WindowCounts {
  const windowStart = now - (now % windowMs);
  if (counts === undefined || counts.windowStart + 2 * windowMs <= windowStart) {
    return { windowStart, current: 0, previous: 0 };
  }
  if (counts.windowStart + windowMs <= windowStart) {
    return { windowStart, current: 0, previous: counts.current };
  }
  return counts;
}

function weighted(counts: WindowCounts, now: number, windowMs: number): number {
  const overlap = (windowMs - (now - counts.windowStart)) / windowMs;
  return counts.previous * overlap + counts.current;
}

/**
 * ms from `now` until the weighted count leaves room for one more hit (weighted + 1 <= limit).
 * Within the current window only the previous window's share decays; if the current window
 * alone is full, it has to become the previous one and decay in turn.
 */
export function retryAfter(counts: WindowCounts, now: number, windowMs: number, limit: number): number {
  const room = limit - 1;
  const elapsed = now - counts.windowStart;
  if (counts.current <= room) {
    if (counts.previous === 0) {
      return 0;
    }
    // previous * (1 - t/W) + current <= room  ⇔  t >= W * (1 - (room - current) / previous)
    const at = windowMs * (1 - (room - counts.current) / counts.previous);
    return Math.max(0, Math.ceil(at - elapsed));
  }
  // In the next window: current * (1 - t'/W) <= room  ⇔  t' >= W * (1 - room / current)
  const next = windowMs * (1 - room / counts.current);
  return Math.ceil(windowMs - elapsed + next);
}

/** One hit at `now` against `limit` per `windowMs`. Pure: the caller keeps the counts. */
export function hit(counts: WindowCounts | undefined, now: number, windowMs: number, limit: number): HitResult {
  const rolled = rollTo(counts, now, windowMs);
  const windowEndsInMs = rolled.windowStart + windowMs - now;
  const before = weighted(rolled, now, windowMs);
  if (before + 1 > limit) {
    return {
      counts: rolled,
      allowed: false,
      estimate: Math.ceil(before),
      retryAfterMs: Math.max(1, retryAfter(rolled, now, windowMs, limit)),
      windowEndsInMs,
    };
  }
  const after = { ...rolled, current: rolled.current + 1 };
  return { counts: after, allowed: true, estimate: Math.ceil(before + 1), retryAfterMs: 0, windowEndsInMs };
}

/** True when the counts can no longer weigh on any future hit: the key may be forgotten. */
export function isIdle(counts: WindowCounts, now: number, windowMs: number): boolean {
  return counts.windowStart + 2 * windowMs <= now;
}
