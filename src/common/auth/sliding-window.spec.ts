import { hit, isIdle, retryAfter, rollTo, WindowCounts } from './sliding-window';
import { SlidingWindowThrottlerStorage } from './sliding-window.storage';

const W = 60_000;
const T0 = 1_800_000_000_000 - (1_800_000_000_000 % W); // a window boundary

describe(rollTo.name, () => {
  it.each([
    { name: 'no counts yet', counts: undefined, now: T0 + 5, expected: { windowStart: T0, current: 0, previous: 0 } },
    {
      name: 'same window: unchanged',
      counts: { windowStart: T0, current: 4, previous: 2 },
      now: T0 + W - 1,
      expected: { windowStart: T0, current: 4, previous: 2 },
    },
    {
      name: 'next window: current becomes previous',
      counts: { windowStart: T0, current: 4, previous: 2 },
      now: T0 + W,
      expected: { windowStart: T0 + W, current: 0, previous: 4 },
    },
    {
      name: 'two windows later: both forgotten',
      counts: { windowStart: T0, current: 4, previous: 2 },
      now: T0 + 2 * W + 10,
      expected: { windowStart: T0 + 2 * W, current: 0, previous: 0 },
    },
  ])('$name', ({ counts, now, expected }) => {
    expect(rollTo(counts, now, W)).toEqual(expected);
  });
});

describe(hit.name, () => {
  it.each([
    { name: 'first hit', counts: undefined, now: T0, limit: 3, allowed: true, estimate: 1, current: 1 },
    {
      name: 'the last hit under the limit',
      counts: { windowStart: T0, current: 2, previous: 0 },
      now: T0 + 100,
      limit: 3,
      allowed: true,
      estimate: 3,
      current: 3,
    },
    {
      name: 'over the limit: refused and not counted',
      counts: { windowStart: T0, current: 3, previous: 0 },
      now: T0 + 100,
      limit: 3,
      allowed: false,
      estimate: 3,
      current: 3,
    },
    {
      name: 'the previous window weighs by its overlap (10 × 3/4 + 2 = 9.5, room for 0 more of 10)',
      counts: { windowStart: T0, current: 2, previous: 10 },
      now: T0 + W / 4,
      limit: 10,
      allowed: false,
      estimate: 10,
      current: 2,
    },
    {
      name: 'the previous window half gone (10 × 1/2 + 2 = 7): allowed',
      counts: { windowStart: T0, current: 2, previous: 10 },
      now: T0 + W / 2,
      limit: 10,
      allowed: true,
      estimate: 8,
      current: 3,
    },
    {
      name: 'a full window rolls into the next and still weighs at its start',
      counts: { windowStart: T0, current: 10, previous: 0 },
      now: T0 + W + 1,
      limit: 10,
      allowed: false,
      estimate: 10,
      current: 0,
    },
  ])('$name', ({ counts, now, limit, allowed, estimate, current }) => {
    const result = hit(counts, now, W, limit);
    expect(result).toMatchObject({ allowed, estimate });
    expect(result.counts.current).toBe(current);
    expect(result.retryAfterMs > 0).toBe(!allowed);
  });

  it('under a steady flood, lets through `limit` hits in the first window and never more in any later one', () => {
    let counts: WindowCounts | undefined;
    const allowedPerWindow = [0, 0, 0, 0, 0];
    for (let now = T0; now < T0 + 5 * W; now += 10) {
      const result = hit(counts, now, W, 100);
      counts = result.counts;
      allowedPerWindow[Math.floor((now - T0) / W)] += result.allowed ? 1 : 0;
    }
    expect(allowedPerWindow[0]).toBe(100);
    for (const count of allowedPerWindow.slice(1)) {
      expect(count).toBeLessThanOrEqual(100);
      expect(count).toBeGreaterThanOrEqual(50);
    }
  });
});

describe(retryAfter.name, () => {
  it.each([
    { name: 'room now', counts: { windowStart: T0, current: 1, previous: 0 }, now: T0, limit: 3, expected: 0 },
    {
      name: 'current full: the rest of this window, then until its weight drops below the limit',
      counts: { windowStart: T0, current: 10, previous: 0 },
      now: T0 + W / 2,
      limit: 10,
      expected: W / 2 + W / 10,
    },
    {
      name: 'only the previous window weighs: until its share leaves room for one',
      counts: { windowStart: T0, current: 0, previous: 10 },
      now: T0,
      limit: 10,
      expected: W / 10,
    },
    {
      name: 'limit 1 after one hit in the previous window: until it is gone',
      counts: { windowStart: T0, current: 0, previous: 1 },
      now: T0 + W / 4,
      limit: 1,
      expected: (3 * W) / 4,
    },
  ])('$name', ({ counts, now, limit, expected }) => {
    expect(retryAfter(counts, now, W, limit)).toBe(expected);
    if (expected > 0) {
      expect(hit(counts, now + expected, W, limit).allowed).toBe(true);
      expect(hit(counts, now + expected - 1, W, limit).allowed).toBe(false);
    }
  });
});

describe(isIdle.name, () => {
  it.each([
    { after: W, expected: false },
    { after: 2 * W - 1, expected: false },
    { after: 2 * W, expected: true },
  ])('$after ms after its window began → $expected', ({ after, expected }) => {
    expect(isIdle({ windowStart: T0, current: 3, previous: 1 }, T0 + after, W)).toBe(expected);
  });
});

describe(SlidingWindowThrottlerStorage.name, () => {
  it('answers what the throttler guard reads: hits, seconds to reset, block and Retry-After', async () => {
    let now = T0 + 1000;
    const storage = new SlidingWindowThrottlerStorage({ now: () => now });
    expect(await storage.increment('a', W, 2)).toEqual({
      totalHits: 1,
      timeToExpire: 59,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
    await storage.increment('a', W, 2);
    const refused = await storage.increment('a', W, 2);
    expect(refused).toMatchObject({ isBlocked: true, timeToBlockExpire: 59 + 30 });
    expect((await storage.increment('b', W, 2)).isBlocked).toBe(false);
    now += 2 * W;
    await storage.increment('b', W, 2);
    expect(storage.counter.size).toBe(1); // 'a' was idle for two windows and is forgotten
  });

  it('keeps at most maxKeys keys, forgetting the least recently hit', async () => {
    const storage = new SlidingWindowThrottlerStorage({ maxKeys: 100, now: () => T0 });
    await storage.increment('busy', W, 1);
    for (let i = 0; i < 1000; i += 1) {
      await storage.increment(`k${i}`, W, 5);
      if (i % 50 === 0) {
        await storage.increment('busy', W, 1); // refused, but a hit all the same: kept
      }
    }
    expect(storage.counter.size).toBe(100);
    expect((await storage.increment('busy', W, 1)).isBlocked).toBe(true);
    expect((await storage.increment('k0', W, 1)).isBlocked).toBe(false); // forgotten
  });
});
