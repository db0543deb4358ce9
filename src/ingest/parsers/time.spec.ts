import { inferYear, parseDeviceTime, parseIsoTime, parseOffset, readSyslogTime, TimeParts, utcMs } from './time';

interface Row<I, E> {
  name: string;
  input: I;
  expected: E;
}

const NOW = new Date('2026-11-24T12:00:00Z');
const iso = (date: Date | undefined) => date?.toISOString();

const isoRows: Row<string, string | undefined>[] = [
  { name: 'UTC with Z', input: '2026-11-24T10:00:00Z', expected: '2026-11-24T10:00:00.000Z' },
  { name: 'offset with colon', input: '2026-11-24T10:00:00.123+01:00', expected: '2026-11-24T09:00:00.123Z' },
  { name: 'offset without colon', input: '2026-11-24T10:00:00-0700', expected: '2026-11-24T17:00:00.000Z' },
  { name: 'microseconds kept to ms', input: '2003-08-24T05:14:15.000003-07:00', expected: '2003-08-24T12:14:15.000Z' },
  { name: 'nanoseconds', input: '2026-11-24T10:00:00.987654321Z', expected: '2026-11-24T10:00:00.987Z' },
  { name: 'no zone is UTC', input: '2026-11-24T10:00:00', expected: '2026-11-24T10:00:00.000Z' },
  { name: 'space instead of T', input: '2026-11-24 10:00:00', expected: '2026-11-24T10:00:00.000Z' },
  { name: 'lower-case t and z', input: '2026-11-24t10:00:00z', expected: '2026-11-24T10:00:00.000Z' },
  { name: 'Feb 29 in a leap year', input: '2028-02-29T00:00:00Z', expected: '2028-02-29T00:00:00.000Z' },
  { name: 'year 0050 is not 1950', input: '0050-01-01T00:00:00Z', expected: '0050-01-01T00:00:00.000Z' },
  { name: 'Feb 29 in a common year', input: '2026-02-29T00:00:00Z', expected: undefined },
  { name: 'Nov 31', input: '2026-11-31T00:00:00Z', expected: undefined },
  { name: 'month 13', input: '2026-13-01T00:00:00Z', expected: undefined },
  { name: 'hour 24', input: '2026-11-24T24:00:00Z', expected: undefined },
  { name: 'leap second', input: '2026-12-31T23:59:60Z', expected: undefined },
  { name: 'offset minutes 60', input: '2026-11-24T10:00:00+01:60', expected: undefined },
  { name: 'no seconds', input: '2026-11-24T10:00Z', expected: undefined },
  { name: 'trailing text', input: '2026-11-24T10:00:00Z host', expected: undefined },
  { name: 'date only', input: '2026-11-24', expected: undefined },
];

const syslogRows: Row<{ text: string; now?: string }, { date?: string; length: number } | undefined>[] = [
  { name: 'BSD', input: { text: 'Nov 24 10:00:00 host' }, expected: { date: '2026-11-24T10:00:00.000Z', length: 15 } },
  {
    name: 'BSD, padded day',
    input: { text: 'Nov  4 09:08:07 h' },
    expected: { date: '2026-11-04T09:08:07.000Z', length: 15 },
  },
  {
    name: 'BSD, unpadded day',
    input: { text: 'Nov 4 09:08:07 h' },
    expected: { date: '2026-11-04T09:08:07.000Z', length: 14 },
  },
  {
    name: 'BSD with a year',
    input: { text: 'Nov 24 2019 10:00:00 h' },
    expected: { date: '2019-11-24T10:00:00.000Z', length: 20 },
  },
  {
    name: 'BSD, ms',
    input: { text: 'Nov 24 10:00:00.250 h' },
    expected: { date: '2026-11-24T10:00:00.250Z', length: 19 },
  },
  {
    name: 'BSD, Cisco colon',
    input: { text: 'Nov 24 2026 10:00:00: %ASA' },
    expected: { date: '2026-11-24T10:00:00.000Z', length: 21 },
  },
  {
    name: 'BSD, lower-case month',
    input: { text: 'nov 24 10:00:00 h' },
    expected: { date: '2026-11-24T10:00:00.000Z', length: 15 },
  },
  {
    name: 'BSD at the end',
    input: { text: 'Nov 24 10:00:00' },
    expected: { date: '2026-11-24T10:00:00.000Z', length: 15 },
  },
  {
    name: 'ISO',
    input: { text: '2026-11-24T10:00:00.123+01:00 h' },
    expected: { date: '2026-11-24T09:00:00.123Z', length: 29 },
  },
  { name: 'BSD, Nov 31: shape but no day', input: { text: 'Nov 31 10:00:00 h' }, expected: { length: 15 } },
  { name: 'BSD, not a month', input: { text: 'Foo 24 10:00:00 h' }, expected: { length: 15 } },
  { name: 'ISO, bad month', input: { text: '2026-00-24T10:00:00Z h' }, expected: { length: 20 } },
  { name: 'BSD glued to text', input: { text: 'Nov 24 10:00:00host' }, expected: undefined },
  { name: 'no stamp', input: { text: 'sshd[1]: hello' }, expected: undefined },
  { name: 'empty', input: { text: '' }, expected: undefined },
];

// Year inference: the cases around the turn of the year and Feb 29.
const yearRows: Row<{ stamp: string; now: string }, string>[] = [
  {
    name: 'same day',
    input: { stamp: 'Nov 24 10:00:00', now: '2026-11-24T12:00:00Z' },
    expected: '2026-11-24T10:00:00.000Z',
  },
  {
    name: '6 days ahead stays',
    input: { stamp: 'Nov 30 10:00:00', now: '2026-11-24T12:00:00Z' },
    expected: '2026-11-30T10:00:00.000Z',
  },
  {
    name: '8 days ahead is last year',
    input: { stamp: 'Dec  2 13:00:00', now: '2026-11-24T12:00:00Z' },
    expected: '2025-12-02T13:00:00.000Z',
  },
  {
    name: 'December line read on 2 Jan',
    input: { stamp: 'Dec 31 23:59:59', now: '2026-01-02T00:00:00Z' },
    expected: '2025-12-31T23:59:59.000Z',
  },
  {
    name: 'midnight, just before',
    input: { stamp: 'Dec 31 23:59:59', now: '2027-01-01T00:00:01Z' },
    expected: '2026-12-31T23:59:59.000Z',
  },
  {
    name: 'early sender on New Year’s Eve',
    input: { stamp: 'Jan  1 00:00:30', now: '2026-12-31T23:59:00Z' },
    expected: '2027-01-01T00:00:30.000Z',
  },
  {
    name: 'Jan 10 on Dec 31 is long ago',
    input: { stamp: 'Jan 10 00:00:00', now: '2026-12-31T23:59:00Z' },
    expected: '2026-01-10T00:00:00.000Z',
  },
  {
    name: 'Feb 29 in a leap year',
    input: { stamp: 'Feb 29 10:00:00', now: '2028-03-01T00:00:00Z' },
    expected: '2028-02-29T10:00:00.000Z',
  },
  {
    name: 'Feb 29 4 days ahead',
    input: { stamp: 'Feb 29 10:00:00', now: '2028-02-25T00:00:00Z' },
    expected: '2028-02-29T10:00:00.000Z',
  },
  {
    name: 'Feb 29 read next January',
    input: { stamp: 'Feb 29 10:00:00', now: '2029-01-02T00:00:00Z' },
    expected: '2028-02-29T10:00:00.000Z',
  },
  {
    name: 'Feb 29, two common years on',
    input: { stamp: 'Feb 29 10:00:00', now: '2026-03-05T00:00:00Z' },
    expected: '2024-02-29T10:00:00.000Z',
  },
];

const deviceRows: Row<string, string | undefined>[] = [
  { name: 'epoch ms (CEF rt)', input: '1305034099211', expected: '2011-05-10T13:28:19.211Z' },
  { name: 'epoch seconds', input: '1795514400', expected: '2026-11-24T10:00:00.000Z' },
  { name: 'MMM dd yyyy HH:mm:ss', input: 'Nov 24 2026 10:00:00', expected: '2026-11-24T10:00:00.000Z' },
  { name: 'with ms and zone', input: 'Nov 24 2026 10:00:00.500 +01:00', expected: '2026-11-24T09:00:00.500Z' },
  { name: 'with UTC', input: 'Nov 24 2026 10:00:00 UTC', expected: '2026-11-24T10:00:00.000Z' },
  { name: 'no year', input: 'Nov 24 10:00:00', expected: '2026-11-24T10:00:00.000Z' },
  { name: 'ISO', input: '2026-11-24T10:00:00Z', expected: '2026-11-24T10:00:00.000Z' },
  { name: 'surrounding space', input: ' 2026-11-24T10:00:00Z ', expected: '2026-11-24T10:00:00.000Z' },
  { name: 'named zone is ambiguous', input: 'Nov 24 2026 10:00:00 CET', expected: undefined },
  { name: 'negative epoch', input: '-1', expected: undefined },
  { name: 'words', input: 'yesterday', expected: undefined },
  { name: 'empty', input: '', expected: undefined },
];

describe(parseIsoTime.name, () => {
  it.each(isoRows)('$name', ({ input, expected }) => {
    expect(iso(parseIsoTime(input, NOW))).toBe(expected);
  });
});

describe(readSyslogTime.name, () => {
  it.each(syslogRows)('$name', ({ input, expected }) => {
    const read = readSyslogTime(input.text, input.now === undefined ? NOW : new Date(input.now));
    expect(read === undefined ? undefined : { date: iso(read.date), length: read.length }).toEqual(expected);
  });

  it.each(yearRows)('year: $name', ({ input, expected }) => {
    expect(iso(readSyslogTime(input.stamp, new Date(input.now))?.date)).toBe(expected);
  });

  it('never puts a year-less stamp more than 7 days after now', () => {
    for (const { input } of yearRows) {
      const date = readSyslogTime(input.stamp, new Date(input.now))?.date;
      expect(date!.getTime()).toBeLessThanOrEqual(new Date(input.now).getTime() + 7 * 24 * 3600 * 1000);
    }
  });
});

describe(utcMs.name, () => {
  // The Date-object form, for any year: the fast path for years from 100 on must agree with it.
  const viaDate = (year: number, p: TimeParts) => {
    const date = new Date(0);
    date.setUTCFullYear(year, p.month, p.day);
    date.setUTCHours(p.hour, p.minute, p.second, parseInt((p.fraction ?? '').padEnd(3, '0').slice(0, 3)));
    return date.getTime();
  };
  it.each<[string, number, TimeParts]>([
    ['an ordinary stamp', 2026, { month: 10, day: 24, hour: 10, minute: 0, second: 1 }],
    ['one fraction digit is tenths', 2026, { month: 0, day: 1, hour: 0, minute: 0, second: 0, fraction: '5' }],
    [
      'microseconds keep their milliseconds',
      2026,
      { month: 1, day: 28, hour: 23, minute: 59, second: 59, fraction: '123456' },
    ],
    ['a leap day', 2024, { month: 1, day: 29, hour: 12, minute: 30, second: 0 }],
    ['a day past the month rolls over', 2023, { month: 1, day: 29, hour: 0, minute: 0, second: 0 }],
    ['year 100', 100, { month: 0, day: 1, hour: 0, minute: 0, second: 0 }],
    ['year 99 is not 1999', 99, { month: 11, day: 31, hour: 23, minute: 59, second: 59, fraction: '9' }],
    ['year 0', 0, { month: 5, day: 15, hour: 6, minute: 7, second: 8 }],
    ['year 9999', 9999, { month: 11, day: 31, hour: 23, minute: 59, second: 59, fraction: '999' }],
  ])('%s', (_name, year, parts) => {
    expect(utcMs(year, parts)).toBe(viaDate(year, parts));
  });
  it('puts year 99 in year 99, not 1999', () => {
    expect(new Date(utcMs(99, { month: 0, day: 1, hour: 0, minute: 0, second: 0 })).getUTCFullYear()).toBe(99);
  });
});

describe(inferYear.name, () => {
  const parts: TimeParts = { month: 11, day: 31, hour: 23, minute: 59, second: 59 };
  it.each([
    { name: 'December on 2 January', input: new Date('2026-01-02T00:00:00Z'), expected: 2025 },
    { name: 'December in December', input: new Date('2026-12-31T23:59:59Z'), expected: 2026 },
  ])('$name', ({ input, expected }) => {
    expect(inferYear(parts, input)).toBe(expected);
  });
});

describe(parseDeviceTime.name, () => {
  it.each(deviceRows)('$name', ({ input, expected }) => {
    expect(iso(parseDeviceTime(input, NOW))).toBe(expected);
  });
});

describe(parseOffset.name, () => {
  it.each([
    { name: 'none', input: undefined, expected: 0 },
    { name: 'Z', input: 'Z', expected: 0 },
    { name: 'GMT', input: 'GMT', expected: 0 },
    { name: '+05:30', input: '+05:30', expected: 330 },
    { name: '-0700', input: '-0700', expected: -420 },
    { name: 'minutes over 59', input: '+0175', expected: undefined },
    { name: 'named zone', input: 'CET', expected: undefined },
  ])('$name', ({ input, expected }) => {
    expect(parseOffset(input)).toBe(expected);
  });
});
