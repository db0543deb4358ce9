import { MAX_FUTURE_SKEW_MS, resolveEventTime } from './event-time';

describe(resolveEventTime.name, () => {
  const now = new Date('2026-11-24T12:00:00Z');
  const ahead = new Date(now.getTime() + MAX_FUTURE_SKEW_MS + 1000);

  it.each([
    { name: 'no time: now', value: undefined, expected: now.toISOString() },
    { name: 'a zone-less ISO time: UTC', value: '2026-11-24T10:00:01', expected: '2026-11-24T10:00:01.000Z' },
    { name: 'a space for the T', value: '2026-11-24 10:00:01', expected: '2026-11-24T10:00:01.000Z' },
    { name: 'an offset', value: '2026-11-24T10:00:01+02:00', expected: '2026-11-24T08:00:01.000Z' },
    { name: 'epoch seconds', value: 1_764_000_000, expected: '2025-11-24T16:00:00.000Z' },
    { name: 'epoch milliseconds', value: 1_764_000_000_123, expected: '2025-11-24T16:00:00.123Z' },
    { name: 'a Date, as it is', value: new Date('2026-11-24T10:00:01.250Z'), expected: '2026-11-24T10:00:01.250Z' },
    {
      name: 'a Date before 1973, not read as seconds',
      value: new Date('1970-01-02T00:00:00Z'),
      expected: '1970-01-02T00:00:00.000Z',
    },
    { name: 'too far ahead: clamped to now', value: ahead, expected: now.toISOString() },
  ])('$name', ({ value, expected }) => {
    expect((resolveEventTime(value, now) as Date).toISOString()).toBe(expected);
  });

  it('keeps a time ahead as written when the future is not clamped (a replay)', () => {
    expect((resolveEventTime(ahead, now, false) as Date).getTime()).toBe(ahead.getTime());
  });

  it.each([new Date(Number.NaN), 'not a date', Number.NaN])('answers a reason for %p', (value) => {
    expect(resolveEventTime(value, now)).toBe('timestamp is not a valid date');
  });
});
