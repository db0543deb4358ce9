import { purgeCutoffs, purgeInterval } from './retention.service';

const MINUTE = 60_000;
const DAY = 86_400_000;

describe(purgeInterval.name, () => {
  it.each([
    {
      name: 'defaults: every minute',
      periods: { events: 30 * DAY, decisions: 365 * DAY, audit: 365 * DAY },
      expected: MINUTE,
    },
    {
      name: 'a one-minute retention: every 6 s',
      periods: { events: MINUTE, decisions: 7 * DAY, audit: DAY },
      expected: 6000,
    },
    {
      name: 'never more often than every second',
      periods: { events: 5000, decisions: null, audit: null },
      expected: 1000,
    },
    {
      name: 'events off: the shortest of the others',
      periods: { events: null, decisions: 7 * DAY, audit: DAY },
      expected: MINUTE,
    },
    { name: 'everything off: never', periods: { events: null, decisions: null, audit: null }, expected: null },
  ])('$name', ({ periods, expected }) => {
    expect(purgeInterval(periods)).toBe(expected);
  });
});

describe(purgeCutoffs.name, () => {
  it('subtracts each period from now; off keeps everything (null)', () => {
    const now = new Date('2026-12-06T00:00:00Z');
    expect(purgeCutoffs({ events: 30 * DAY, decisions: null, audit: DAY }, now)).toEqual({
      now: now.getTime(),
      events: now.getTime() - 30 * DAY,
      decisions: null,
      audit: now.getTime() - DAY,
    });
  });
});
