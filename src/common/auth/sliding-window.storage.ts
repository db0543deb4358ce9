import { ThrottlerStorage } from '@nestjs/throttler';
import { hit, HitResult, isIdle, rollTo, WindowCounts } from './sliding-window';

/** What the throttler guard reads back (the package does not export the type by name). */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Entry extends WindowCounts {
  windowMs: number;
}

export interface SlidingWindowOptions {
  /** Keys kept at most; past it the oldest are forgotten (an address flood cannot grow memory). */
  maxKeys?: number;
  /** The clock, for tests. */
  now?: () => number;
}

/**
 * Sliding-window counts per key in memory (see sliding-window.ts): O(1) per hit, two numbers
 * per key. Idle keys (no hit for two windows) are swept at most once per window, so the
 * sweep costs O(1) per hit amortised; `maxKeys` bounds memory whatever the number of keys.
 */
export class SlidingWindowCounter {
  private readonly entries = new Map<string, Entry>();
  private readonly maxKeys: number;
  readonly now: () => number;
  private nextSweep = 0;

  constructor(options: SlidingWindowOptions = {}) {
    this.maxKeys = options.maxKeys ?? 200_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  hit(key: string, windowMs: number, limit: number): HitResult {
    const now = this.now();
    this.sweep(now, windowMs);
    const stored = this.entries.get(key);
    const result = hit(stored?.windowMs === windowMs ? stored : undefined, now, windowMs, limit);
    if (stored === undefined) {
      this.makeRoom();
    } else {
      // Re-inserted, so that the Map's order is least recently hit first (what makeRoom drops).
      this.entries.delete(key);
    }
    this.entries.set(key, { ...result.counts, windowMs });
    return result;
  }

  /** The counts of `key` as of now, without a hit. */
  peek(key: string, windowMs: number): WindowCounts {
    const stored = this.entries.get(key);
    return rollTo(stored?.windowMs === windowMs ? stored : undefined, this.now(), windowMs);
  }

  /** Forgets every key whose counts can no longer matter; at most once per window. */
  private sweep(now: number, windowMs: number): void {
    if (now < this.nextSweep) {
      return;
    }
    this.nextSweep = now + windowMs;
    for (const [key, entry] of this.entries) {
      if (isIdle(entry, now, entry.windowMs)) {
        this.entries.delete(key);
      }
    }
  }

  /** Drops the least recently hit key when full: forgetting a key lets it through sooner, never later. */
  private makeRoom(): void {
    if (this.entries.size < this.maxKeys) {
      return;
    }
    const oldest = this.entries.keys().next();
    if (oldest.done !== true) {
      this.entries.delete(oldest.value);
    }
  }
}

/**
 * @nestjs/throttler's storage as a sliding-window counter, in place of the stock one, which
 * kept a timestamp per hit and scanned them all on every request. It implements only
 * ThrottlerStorage, so a shared store (Redis, when several instances run) replaces it in
 * ThrottlerModule's options without touching the guards.
 *
 * `blockDuration` is not used: a refused client waits until the window has room again, which
 * is what `timeToBlockExpire` (Retry-After) says.
 */
export class SlidingWindowThrottlerStorage implements ThrottlerStorage {
  readonly counter: SlidingWindowCounter;

  constructor(options: SlidingWindowOptions = {}) {
    this.counter = new SlidingWindowCounter(options);
  }

  increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const result = this.counter.hit(key, ttl, limit);
    return Promise.resolve({
      totalHits: result.estimate,
      timeToExpire: Math.ceil(result.windowEndsInMs / 1000),
      isBlocked: !result.allowed,
      timeToBlockExpire: result.allowed ? 0 : Math.max(1, Math.ceil(result.retryAfterMs / 1000)),
    });
  }
}
