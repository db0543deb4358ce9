import fc from 'fast-check';
import { canonicalIp, inCidrs, ipVersion, networkOf, parseCidr } from './ip';

interface Row<I, E> {
  name: string;
  input: I;
  expected: E;
}

const canonicalRows: Row<string, string | null>[] = [
  // IPv4
  { name: 'plain IPv4', input: '203.0.113.7', expected: '203.0.113.7' },
  { name: 'all zeros', input: '0.0.0.0', expected: '0.0.0.0' },
  { name: 'broadcast', input: '255.255.255.255', expected: '255.255.255.255' },
  { name: 'surrounding whitespace', input: ' \t203.0.113.7\n', expected: '203.0.113.7' },
  { name: 'leading zeros read as decimal', input: '203.000.113.007', expected: '203.0.113.7' },
  { name: 'leading zero is not octal', input: '010.0.0.010', expected: '10.0.0.10' },
  { name: 'many leading zeros', input: '0000203.0.0.1', expected: '203.0.0.1' },
  { name: 'part over 255', input: '999.1.1.1', expected: null },
  { name: '256 in the last part', input: '1.1.1.256', expected: null },
  { name: 'three parts', input: '1.2.3', expected: null },
  { name: 'two parts (inet_aton short form)', input: '127.1', expected: null },
  { name: 'five parts', input: '1.2.3.4.5', expected: null },
  { name: 'trailing dot', input: '1.2.3.4.', expected: null },
  { name: 'empty part', input: '1..3.4', expected: null },
  { name: 'hex part', input: '0x7f.0.0.1', expected: null },
  { name: 'single integer', input: '2130706433', expected: null },
  { name: 'negative part', input: '1.2.3.-4', expected: null },
  { name: 'plus sign', input: '+1.2.3.4', expected: null },
  { name: 'full-width digits', input: '１.２.３.４', expected: null },
  { name: 'inner space', input: '1.2. 3.4', expected: null },
  { name: 'with a port', input: '1.2.3.4:22', expected: null },
  { name: 'IPv4 in brackets', input: '[203.0.113.7]', expected: null },
  { name: 'IPv4 with a zone id', input: '203.0.113.7%eth0', expected: null },
  { name: 'host name', input: 'example.com', expected: null },
  { name: 'empty', input: '', expected: null },
  { name: 'whitespace only', input: '  \t ', expected: null },
  { name: 'over 64 characters', input: ' '.repeat(58) + '1.2.3.4', expected: null },
  { name: 'exactly 64 characters', input: ' '.repeat(57) + '1.2.3.4', expected: '1.2.3.4' },
  // IPv6
  { name: 'compressed IPv6', input: '2001:db8::1', expected: '2001:db8::1' },
  { name: 'upper case, full form', input: '2001:0DB8:0000:0000:0000:0000:0000:0001', expected: '2001:db8::1' },
  { name: 'longest zero run is compressed', input: '2001:db8:0:0:1:0:0:0', expected: '2001:db8:0:0:1::' },
  { name: 'first of equal runs is compressed', input: '2001:db8:0:0:1:0:0:1', expected: '2001:db8::1:0:0:1' },
  { name: 'single zero group not compressed', input: '2001:db8:0:1:1:1:1:1', expected: '2001:db8:0:1:1:1:1:1' },
  { name: 'needless compression undone', input: '2001:db8::1:1:1:1:1', expected: '2001:db8:0:1:1:1:1:1' },
  { name: ':: with eight groups besides', input: '2001:db8::1:1:1:1:1:1', expected: null },
  { name: 'unspecified', input: '::', expected: '::' },
  { name: 'loopback', input: '0:0:0:0:0:0:0:1', expected: '::1' },
  { name: 'zone id stripped', input: 'fe80::1%eth0', expected: 'fe80::1' },
  { name: 'numeric zone id stripped', input: 'FE80::1%3', expected: 'fe80::1' },
  { name: 'brackets stripped', input: '[2001:db8::1]', expected: '2001:db8::1' },
  { name: 'brackets and zone', input: '[fe80::a%en0]', expected: 'fe80::a' },
  { name: 'empty zone id', input: 'fe80::1%', expected: null },
  { name: 'bracketed with port', input: '[2001:db8::1]:22', expected: null },
  { name: 'unbalanced bracket', input: '[2001:db8::1', expected: null },
  { name: 'two double colons', input: '1::2::3', expected: null },
  { name: 'triple colon', input: '2001:db8:::1', expected: null },
  { name: 'nine groups', input: '1:2:3:4:5:6:7:8:9', expected: null },
  { name: 'seven groups, no ::', input: '1:2:3:4:5:6:7', expected: null },
  { name: 'five hex digits in a group', input: '12345::1', expected: null },
  { name: 'non-hex group', input: '2001:db8::g', expected: null },
  { name: 'leading single colon', input: ':1:2:3:4:5:6:7', expected: null },
  { name: 'trailing single colon', input: '1:2:3:4:5:6:7:', expected: null },
  // IPv4-mapped and embedded IPv4
  { name: 'mapped, dotted', input: '::ffff:203.0.113.7', expected: '203.0.113.7' },
  { name: 'mapped, hex', input: '::ffff:cb00:7107', expected: '203.0.113.7' },
  { name: 'mapped, uncompressed', input: '0:0:0:0:0:ffff:203.0.113.7', expected: '203.0.113.7' },
  { name: 'mapped, upper case', input: '::FFFF:CB00:7107', expected: '203.0.113.7' },
  { name: 'mapped, bracketed', input: '[::ffff:203.0.113.7]', expected: '203.0.113.7' },
  { name: 'mapped, leading zeros', input: '::ffff:203.000.113.007', expected: '203.0.113.7' },
  { name: 'mapped, bad IPv4', input: '::ffff:203.0.113.256', expected: null },
  { name: 'mapped, hex IPv4 part', input: '::ffff:0x7f.0.0.1', expected: null },
  { name: 'mapped, short IPv4', input: '::ffff:127.1', expected: null },
  { name: 'IPv4-compatible stays IPv6', input: '::203.0.113.7', expected: '::cb00:7107' },
  { name: 'NAT64 stays IPv6', input: '64:ff9b::203.0.113.7', expected: '64:ff9b::cb00:7107' },
  { name: 'too many groups before IPv4', input: '1:2:3:4:5:6:7:1.2.3.4', expected: null },
];

describe(canonicalIp.name, () => {
  it.each(canonicalRows)('$name: $input', ({ input, expected }) => {
    expect(canonicalIp(input)).toBe(expected);
  });

  it('is idempotent on every canonical answer in the table', () => {
    for (const { expected } of canonicalRows) {
      if (expected !== null) {
        expect(canonicalIp(expected)).toBe(expected);
      }
    }
  });

  it('gives one answer for the plain, zero-padded and IPv4-mapped spellings of an IPv4 address', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(fc.tuple(octet, octet, octet, octet), (octets) => {
        const plain = octets.join('.');
        const hex = (a: number, b: number) => ((a << 8) | b).toString(16);
        const spellings = [
          octets.map((o) => String(o).padStart(3, '0')).join('.'),
          `::ffff:${plain}`,
          `::FFFF:${hex(octets[0], octets[1])}:${hex(octets[2], octets[3])}`,
          `[0:0:0:0:0:ffff:${plain}]`,
        ];
        return spellings.every((spelling) => canonicalIp(spelling) === plain);
      }),
    );
  });

  it('gives one answer for the full and the canonical spelling of an IPv6 address', () => {
    const group = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        const full = groups.map((g) => g.toString(16).padStart(4, '0').toUpperCase()).join(':');
        const canonical = canonicalIp(full);
        return canonical !== null && canonicalIp(canonical) === canonical && canonical === canonical.toLowerCase();
      }),
    );
  });
});

describe(ipVersion.name, () => {
  it.each<Row<string, 4 | 6>>([
    { name: 'IPv4', input: '203.0.113.7', expected: 4 },
    { name: 'IPv6', input: '2001:db8::1', expected: 6 },
    { name: 'IPv4-mapped is IPv4', input: '::ffff:203.0.113.7', expected: 4 },
  ])('$name', ({ input, expected }) => {
    expect(ipVersion(input)).toBe(expected);
  });

  it('throws on a non-address', () => {
    expect(() => ipVersion('bastion')).toThrow('"bastion" is not an IP address');
  });
});

describe(networkOf.name, () => {
  it.each<Row<[string, number], string>>([
    { name: 'IPv6 /64', input: ['2001:db8:1:2:3:4:5:6', 64], expected: '2001:db8:1:2::/64' },
    { name: 'IPv6 /48', input: ['2001:db8:1:2:3:4:5:6', 48], expected: '2001:db8:1::/48' },
    { name: 'IPv6 /128', input: ['2001:db8::1', 128], expected: '2001:db8::1/128' },
    { name: 'IPv6 /0', input: ['2001:db8::1', 0], expected: '::/0' },
    { name: 'IPv6 mid-group prefix', input: ['2001:db8:abcd::', 36], expected: '2001:db8:a000::/36' },
    { name: 'IPv4 /24', input: ['203.0.113.7', 24], expected: '203.0.113.0/24' },
    { name: 'IPv4 /16', input: ['203.0.113.7', 16], expected: '203.0.0.0/16' },
    { name: 'IPv4 /32', input: ['203.0.113.7', 32], expected: '203.0.113.7/32' },
    { name: 'IPv4 /0', input: ['203.0.113.7', 0], expected: '0.0.0.0/0' },
    { name: 'IPv4 mid-octet prefix', input: ['203.0.113.7', 20], expected: '203.0.112.0/20' },
    { name: 'mapped input is treated as IPv4', input: ['::ffff:203.0.113.7', 24], expected: '203.0.113.0/24' },
  ])('$name', ({ input, expected }) => {
    expect(networkOf(...input)).toBe(expected);
  });

  it.each<Row<[string, number], string>>([
    { name: 'IPv4 prefix over 32', input: ['203.0.113.7', 33], expected: 'out of range 0-32' },
    { name: 'IPv6 prefix over 128', input: ['2001:db8::1', 129], expected: 'out of range 0-128' },
    { name: 'negative prefix', input: ['203.0.113.7', -1], expected: 'out of range' },
    { name: 'fractional prefix', input: ['203.0.113.7', 24.5], expected: 'out of range' },
    { name: 'not an address', input: ['1.2.3', 24], expected: 'not an IP address' },
  ])('throws: $name', ({ input, expected }) => {
    expect(() => networkOf(...input)).toThrow(expected);
  });
});

describe(parseCidr.name, () => {
  it.each<Row<string, { version: 4 | 6; prefix: number; cidr: string }>>([
    { name: 'IPv4 CIDR', input: '10.0.0.0/8', expected: { version: 4, prefix: 8, cidr: '10.0.0.0/8' } },
    { name: 'bare IPv4 is /32', input: '203.0.113.7', expected: { version: 4, prefix: 32, cidr: '203.0.113.7/32' } },
    { name: 'IPv6 CIDR', input: '2001:DB8::/32', expected: { version: 6, prefix: 32, cidr: '2001:db8::/32' } },
    { name: 'bare IPv6 is /128', input: '2001:db8::1', expected: { version: 6, prefix: 128, cidr: '2001:db8::1/128' } },
    {
      name: 'mapped CIDR becomes IPv4',
      input: '::ffff:10.0.0.0/104',
      expected: { version: 4, prefix: 8, cidr: '10.0.0.0/8' },
    },
    { name: 'whitespace', input: ' 192.0.2.0/24 ', expected: { version: 4, prefix: 24, cidr: '192.0.2.0/24' } },
    { name: 'everything IPv4', input: '0.0.0.0/0', expected: { version: 4, prefix: 0, cidr: '0.0.0.0/0' } },
  ])('$name', ({ input, expected }) => {
    expect(parseCidr(input)).toMatchObject(expected);
  });

  it.each<Row<string, string>>([
    { name: 'empty', input: '', expected: '"" is not an IP address or CIDR' },
    { name: 'bad address', input: '999.0.0.0/8', expected: 'is not an IP address or CIDR' },
    { name: 'two slashes', input: '10.0.0.0/8/8', expected: 'is not an IP address or CIDR' },
    { name: 'empty prefix', input: '10.0.0.0/', expected: 'prefix length must be a number 0-32' },
    { name: 'non-numeric prefix', input: '10.0.0.0/eight', expected: 'prefix length must be a number' },
    { name: 'IPv4 prefix too long', input: '10.0.0.0/33', expected: 'must be 0-32 for IPv4' },
    { name: 'IPv6 prefix too long', input: '2001:db8::/129', expected: 'must be 0-128 for IPv6' },
    { name: 'mapped prefix too short', input: '::ffff:10.0.0.0/95', expected: 'prefix length of 96-128' },
    { name: 'host bits set', input: '10.0.0.1/8', expected: 'host bits set; did you mean 10.0.0.0/8?' },
    { name: 'IPv6 host bits set', input: '2001:db8::1/64', expected: 'did you mean 2001:db8::/64?' },
  ])('throws: $name', ({ input, expected }) => {
    expect(() => parseCidr(input)).toThrow(expected);
  });
});

describe(inCidrs.name, () => {
  const list = ['10.0.0.0/8', '192.0.2.7', '2001:db8::/32', '::ffff:198.51.100.0/120'].map(parseCidr);

  it.each<Row<string, boolean>>([
    { name: 'inside an IPv4 CIDR', input: '10.20.30.40', expected: true },
    { name: 'just outside an IPv4 CIDR', input: '11.0.0.0', expected: false },
    { name: 'equal to a bare IPv4 entry', input: '192.0.2.7', expected: true },
    { name: 'next to a bare IPv4 entry', input: '192.0.2.8', expected: false },
    { name: 'inside an IPv6 CIDR', input: '2001:db8:ffff::1', expected: true },
    { name: 'outside an IPv6 CIDR', input: '2001:db9::1', expected: false },
    { name: 'IPv4-mapped input against an IPv4 CIDR', input: '::ffff:10.1.2.3', expected: true },
    { name: 'IPv4 input against a mapped-form entry', input: '198.51.100.200', expected: true },
    { name: 'IPv4-compatible form is not the IPv4 address', input: '::10.1.2.3', expected: false },
    { name: 'IPv6 never matches an IPv4 CIDR', input: '::a01:203', expected: false },
  ])('$name', ({ input, expected }) => {
    expect(inCidrs(input, list)).toBe(expected);
  });

  it('is false for an empty list and true for the whole family', () => {
    expect(inCidrs('203.0.113.7', [])).toBe(false);
    expect(inCidrs('203.0.113.7', [parseCidr('0.0.0.0/0')])).toBe(true);
    expect(inCidrs('2001:db8::1', [parseCidr('0.0.0.0/0')])).toBe(false);
    expect(inCidrs('2001:db8::1', [parseCidr('::/0')])).toBe(true);
  });

  it('throws on a non-address instead of answering "not listed"', () => {
    expect(() => inCidrs('not-an-ip', list)).toThrow('is not an IP address');
  });
});
