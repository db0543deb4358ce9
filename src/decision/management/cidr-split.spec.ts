import { rangeOf } from './coverage';
import { cidrsOfRange, subtractNetworks, valuesOverlap } from './cidr-split';

describe(valuesOverlap.name, () => {
  it.each([
    { a: '203.0.113.0/24', b: '203.0.113.7', expected: true },
    { a: '203.0.113.7', b: '203.0.113.0/24', expected: true },
    { a: '203.0.113.0/24', b: '203.0.113.0/24', expected: true },
    { a: '203.0.113.0/25', b: '203.0.113.128/25', expected: false },
    { a: '203.0.113.0/24', b: '203.0.114.0/24', expected: false },
    { a: '10.0.0.0/8', b: '10.200.0.0/16', expected: true },
    { a: '2001:db8::/64', b: '2001:db8::7', expected: true },
    { a: '2001:db8::/64', b: '2001:db8:0:1::7', expected: false },
    { a: '::ffff:203.0.113.7', b: '203.0.113.0/24', expected: true },
    { a: '203.0.113.7', b: '::ffff:cb00:7107', expected: true },
    { a: '0.0.0.0/0', b: '::/0', expected: false },
    { a: 'not-an-ip', b: '203.0.113.7', expected: false },
  ])('$a and $b → $expected', ({ a, b, expected }) => {
    expect(valuesOverlap(a, b)).toBe(expected);
  });
});

describe(cidrsOfRange.name, () => {
  it.each([
    { from: '203.0.113.0', to: '203.0.113.255', expected: ['203.0.113.0/24'] },
    { from: '203.0.113.1', to: '203.0.113.1', expected: ['203.0.113.1'] },
    {
      from: '203.0.113.1',
      to: '203.0.113.6',
      expected: ['203.0.113.1', '203.0.113.2/31', '203.0.113.4/31', '203.0.113.6'],
    },
    { from: '0.0.0.0', to: '255.255.255.255', expected: ['0.0.0.0/0'] },
    { from: '2001:db8::', to: '2001:db8::ffff', expected: ['2001:db8::/112'] },
    { from: '2001:db8::1', to: '2001:db8::3', expected: ['2001:db8::1', '2001:db8::2/127'] },
  ])('$from - $to', ({ from, to, expected }) => {
    const a = rangeOf(from);
    const b = rangeOf(to);
    if (a === null || b === null) {
      throw new Error('bad row');
    }
    expect(cidrsOfRange({ version: a.version, start: a.start, end: b.end })).toEqual(expected);
  });
});

describe(subtractNetworks.name, () => {
  it.each([
    {
      name: 'a /32 out of a /24 leaves 8 networks that tile the rest',
      value: '203.0.113.0/24',
      holes: ['203.0.113.7'],
      expected: [
        '203.0.113.0/30',
        '203.0.113.4/31',
        '203.0.113.6',
        '203.0.113.8/29',
        '203.0.113.16/28',
        '203.0.113.32/27',
        '203.0.113.64/26',
        '203.0.113.128/25',
      ],
    },
    {
      name: 'the first address',
      value: '203.0.113.0/30',
      holes: ['203.0.113.0'],
      expected: ['203.0.113.1', '203.0.113.2/31'],
    },
    {
      name: 'the last address',
      value: '203.0.113.0/30',
      holes: ['203.0.113.3'],
      expected: ['203.0.113.0/31', '203.0.113.2'],
    },
    { name: 'a half', value: '203.0.113.0/24', holes: ['203.0.113.128/25'], expected: ['203.0.113.0/25'] },
    {
      name: 'two holes',
      value: '10.0.0.0/29',
      holes: ['10.0.0.6', '10.0.0.1'],
      expected: ['10.0.0.0', '10.0.0.2/31', '10.0.0.4/31', '10.0.0.7'],
    },
    {
      name: 'overlapping holes',
      value: '10.0.0.0/29',
      holes: ['10.0.0.0/30', '10.0.0.2/31'],
      expected: ['10.0.0.4/30'],
    },
    { name: 'a hole that covers all', value: '203.0.113.0/24', holes: ['203.0.0.0/16'], expected: [] },
    { name: 'the same network', value: '203.0.113.7', holes: ['203.0.113.7'], expected: [] },
    { name: 'no hole inside', value: '203.0.113.0/24', holes: ['198.51.100.7'], expected: ['203.0.113.0/24'] },
    { name: 'other family ignored', value: '203.0.113.0/24', holes: ['2001:db8::/32'], expected: ['203.0.113.0/24'] },
    { name: 'bad holes ignored', value: '203.0.113.7', holes: ['nope'], expected: ['203.0.113.7'] },
    {
      name: 'mapped hole counts as IPv4',
      value: '203.0.113.0/31',
      holes: ['::ffff:203.0.113.1'],
      expected: ['203.0.113.0'],
    },
    { name: 'IPv6 /64 less one /128: 64 networks', value: '2001:db8::/64', holes: ['2001:db8::7'], count: 64 },
    { name: 'IPv4 /8 less one /32: 24 networks', value: '10.0.0.0/8', holes: ['10.1.2.3'], count: 24 },
  ])('$name', ({ value, holes, expected, count }) => {
    const left = subtractNetworks(value, holes);
    if (expected !== undefined) {
      expect(left).toEqual(expected);
    }
    if (count !== undefined) {
      expect(left).toHaveLength(count);
    }
  });

  it('tiles exactly: the pieces and the holes add up to the network, none overlapping', () => {
    const left = subtractNetworks('10.0.0.0/16', ['10.0.3.7', '10.0.200.0/22', '10.0.255.255']);
    const size = (value: string): bigint => {
      const range = rangeOf(value);
      if (range === null) {
        throw new Error(value);
      }
      return range.end - range.start + 1n;
    };
    const total = left.reduce((sum, piece) => sum + size(piece), 0n);
    expect(total + 1n + 1024n + 1n).toBe(65536n);
    for (const piece of left) {
      expect(['10.0.3.7', '10.0.200.0/22', '10.0.255.255'].some((hole) => valuesOverlap(piece, hole))).toBe(false);
    }
  });

  it('refuses a value that is not an address or CIDR', () => {
    expect(() => subtractNetworks('nope', [])).toThrow(/not an IP address/);
  });
});
