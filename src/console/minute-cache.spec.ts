import { MinuteCount } from '../memory/console-queries';
import { MinuteCountCache } from './minute-cache';

const MIN = 60_000;
const T0 = Date.parse('2026-11-24T10:00:00Z');

/** A store of per-minute counts; records from when each read asked. */
function store(rows: MinuteCount[]) {
  const asked: number[] = [];
  const read = (since: Date): Promise<MinuteCount[]> => {
    asked.push(since.getTime());
    return Promise.resolve(rows.filter((row) => row.minute >= since.getTime()));
  };
  return { rows, asked, read };
}

const row = (minute: number, count: number, source = 'sshd'): MinuteCount => ({
  minute: T0 + minute * MIN,
  source,
  count,
});
const total = (rows: MinuteCount[]) => rows.reduce((sum, r) => sum + r.count, 0);

describe(MinuteCountCache.name, () => {
  it('reads the whole window once, then only from the first unsettled minute', async () => {
    const s = store([row(0, 5), row(1, 7), row(9, 2)]);
    const cache = new MinuteCountCache(s.read);
    const since = new Date(T0);
    expect(total(await cache.counts(since, new Date(T0 + 10 * MIN)))).toBe(14);
    s.rows.push(row(10, 4));
    expect(total(await cache.counts(since, new Date(T0 + 10 * MIN + 30_000)))).toBe(18);
    expect(s.asked).toEqual([T0, T0 + 8 * MIN]);
  });

  it('counts a late write to a minute that has not settled', async () => {
    const s = store([row(8, 1)]);
    const cache = new MinuteCountCache(s.read);
    await cache.counts(new Date(T0), new Date(T0 + 10 * MIN));
    s.rows.push(row(9, 3)); // stamped at 10:09, committed after the read at 10:10
    expect(total(await cache.counts(new Date(T0), new Date(T0 + 11 * MIN)))).toBe(4);
  });

  it('drops minutes that leave the window, and starts over after a clock moved back', async () => {
    const s = store([row(0, 5), row(5, 1), row(20, 2)]);
    const cache = new MinuteCountCache(s.read);
    await cache.counts(new Date(T0), new Date(T0 + 10 * MIN));
    expect(total(await cache.counts(new Date(T0 + 3 * MIN), new Date(T0 + 21 * MIN)))).toBe(3);
    expect(total(await cache.counts(new Date(T0), new Date(T0 + 4 * MIN)))).toBe(5 + 1 + 2);
    expect(s.asked.at(-1)).toBe(T0);
  });

  it('counts each event once when two overviews read at the same time', async () => {
    const s = store([row(0, 5), row(1, 7)]);
    const cache = new MinuteCountCache(s.read);
    const now = new Date(T0 + 10 * MIN);
    const both = await Promise.all([cache.counts(new Date(T0), now), cache.counts(new Date(T0), now)]);
    expect(both.map(total)).toEqual([12, 12]);
    expect(total(await cache.counts(new Date(T0), new Date(T0 + 10 * MIN + 5000)))).toBe(12);
  });
});
