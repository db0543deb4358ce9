import { goDuration, remaining, roundToSecond } from './go-duration';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe(goDuration.name, () => {
  it.each([
    { name: 'zero', ms: 0, expected: '0s' },
    { name: 'one millisecond', ms: 1, expected: '1ms' },
    { name: 'under a second', ms: 250, expected: '250ms' },
    { name: 'one second', ms: SECOND, expected: '1s' },
    { name: 'a second and a half', ms: 1500, expected: '1.5s' },
    { name: 'fraction with a leading zero', ms: 1005, expected: '1.005s' },
    { name: 'fraction with trailing zeros trimmed', ms: 2050, expected: '2.05s' },
    { name: 'under a minute', ms: 59 * SECOND, expected: '59s' },
    { name: 'exactly a minute', ms: MINUTE, expected: '1m0s' },
    { name: 'a minute and a half', ms: 90 * SECOND, expected: '1m30s' },
    { name: 'exactly an hour', ms: HOUR, expected: '1h0m0s' },
    { name: 'a ban with 2 s gone', ms: 4 * HOUR - 2 * SECOND, expected: '3h59m58s' },
    { name: 'an hour and a half-second', ms: HOUR + 500, expected: '1h0m0.5s' },
    { name: 'ten minutes', ms: 10 * MINUTE, expected: '10m0s' },
    { name: 'a week', ms: 7 * 24 * HOUR, expected: '168h0m0s' },
    { name: 'a year', ms: 365 * 24 * HOUR, expected: '8760h0m0s' },
    { name: 'negative seconds', ms: -2 * SECOND, expected: '-2s' },
    { name: 'negative minutes', ms: -(MINUTE + 3 * SECOND), expected: '-1m3s' },
    { name: 'negative milliseconds', ms: -40, expected: '-40ms' },
    { name: 'a fraction of a millisecond is dropped', ms: 1000.9, expected: '1s' },
  ])('$name → $expected', ({ ms, expected }) => {
    expect(goDuration(ms)).toBe(expected);
  });

  it.each([NaN, Infinity, -Infinity])('refuses %p', (ms) => {
    expect(() => goDuration(ms)).toThrow(RangeError);
  });
});

describe(roundToSecond.name, () => {
  it.each([
    { ms: 0, expected: 0 },
    { ms: 499, expected: 0 },
    { ms: 500, expected: 1000 },
    { ms: 1499, expected: 1000 },
    { ms: 3_599_400, expected: 3_599_000 },
    { ms: -499, expected: 0 },
    { ms: -500, expected: -1000 },
    { ms: -1600, expected: -2000 },
  ])('$ms ms → $expected ms (halves away from zero, as Go)', ({ ms, expected }) => {
    expect(roundToSecond(ms)).toBe(expected);
  });
});

describe(remaining.name, () => {
  const now = new Date('2026-11-24T10:00:00.000Z');
  it.each([
    { until: '2026-11-24T14:00:00.000Z', expected: '4h0m0s' },
    { until: '2026-11-24T13:59:58.400Z', expected: '3h59m58s' },
    { until: '2026-11-24T10:10:00.600Z', expected: '10m1s' },
    { until: '2026-11-24T10:00:00.000Z', expected: '0s' },
    { until: '2026-11-24T09:59:57.000Z', expected: '-3s' },
  ])('until $until → $expected', ({ until, expected }) => {
    expect(remaining(new Date(until), now)).toBe(expected);
  });
});
