import { parseCidr } from '../domain/ip';
import { allowEntries, allowMatch, cidrsOverlap, parseAllowlistVariable } from './policy-allowlist';

const LIST = allowEntries(
  ['10.0.0.0/8', '192.0.2.7/32', '198.51.100.0/24', '2001:db8:cafe::/48', '2001:db8:1::10/128'],
  'policy allowlist',
);

describe(allowMatch.name, () => {
  it.each([
    { name: 'IPv4 inside a /8', value: '10.200.3.4', allowed: '10.0.0.0/8' },
    { name: 'IPv4 at the first address of a /24', value: '198.51.100.0', allowed: '198.51.100.0/24' },
    { name: 'IPv4 at the last address of a /24', value: '198.51.100.255', allowed: '198.51.100.0/24' },
    { name: 'IPv4 just outside a /24', value: '198.51.101.0', allowed: null },
    { name: 'IPv4 /32: the address itself', value: '192.0.2.7', allowed: '192.0.2.7/32' },
    { name: 'IPv4 /32: its neighbour', value: '192.0.2.8', allowed: null },
    { name: 'IPv4-mapped IPv6 of an allowed address', value: '::ffff:192.0.2.7', allowed: '192.0.2.7/32' },
    { name: 'IPv4-mapped IPv6, hex form', value: '::ffff:c000:207', allowed: '192.0.2.7/32' },
    { name: 'IPv4 with leading zeros', value: '010.001.002.003', allowed: '10.0.0.0/8' },
    { name: 'IPv4 with leading zeros, /32', value: '192.000.002.007', allowed: '192.0.2.7/32' },
    { name: 'IPv6 inside a /48', value: '2001:db8:cafe:12::1', allowed: '2001:db8:cafe::/48' },
    {
      name: 'IPv6 in upper case and uncompressed',
      value: '2001:0DB8:CAFE:0000:0000:0000:0000:0001',
      allowed: '2001:db8:cafe::/48',
    },
    { name: 'IPv6 /128: the address itself', value: '2001:db8:1::10', allowed: '2001:db8:1::10/128' },
    { name: 'IPv6 /128: its neighbour', value: '2001:db8:1::11', allowed: null },
    { name: 'IPv6 with a zone id', value: 'fe80::1%eth0', allowed: null },
    { name: 'an IPv4 address never matches an IPv6 network', value: '32.1.13.184', allowed: null },
    { name: 'a network inside an allowed one', value: '10.1.0.0/16', allowed: '10.0.0.0/8' },
    { name: 'a network holding an allowed address', value: '2001:db8:1::/64', allowed: '2001:db8:1::10/128' },
    { name: 'a network holding an allowed /32', value: '192.0.2.0/24', allowed: '192.0.2.7/32' },
    { name: 'a network beside the allowed ones', value: '203.0.113.0/24', allowed: null },
  ])('$name', ({ value, allowed }) => {
    expect(allowMatch(value, LIST)?.description ?? null).toBe(
      allowed === null ? null : `${allowed} (policy allowlist)`,
    );
  });

  it('matches nothing with an empty list', () => {
    expect(allowMatch('10.0.0.1', [])).toBeNull();
  });
});

describe(cidrsOverlap.name, () => {
  it.each([
    { a: '10.0.0.0/8', b: '10.1.2.0/24', overlap: true },
    { a: '10.1.2.0/24', b: '10.0.0.0/8', overlap: true },
    { a: '10.0.0.0/8', b: '11.0.0.0/8', overlap: false },
    { a: '0.0.0.0/0', b: '203.0.113.9', overlap: true },
    { a: '::/0', b: '203.0.113.9', overlap: false },
    { a: '2001:db8::/32', b: '2001:db8:ffff::/48', overlap: true },
    { a: '2001:db8::/32', b: '2001:db9::/32', overlap: false },
  ])('$a and $b: $overlap', ({ a, b, overlap }) => {
    expect(cidrsOverlap(parseCidr(a), parseCidr(b))).toBe(overlap);
  });
});

describe(parseAllowlistVariable.name, () => {
  it.each([
    { value: '', cidrs: [] },
    { value: ' 10.0.0.0/8 , 2001:DB8::/32 ,', cidrs: ['10.0.0.0/8', '2001:db8::/32'] },
    { value: '::ffff:192.0.2.0/120,192.000.002.009', cidrs: ['192.0.2.0/24', '192.0.2.9/32'] },
  ])('"$value"', ({ value, cidrs }) => {
    expect(parseAllowlistVariable(value)).toEqual(cidrs);
  });

  it.each([
    { value: '10.0.0.1/8', error: /host bits set; did you mean 10\.0\.0\.0\/8/ },
    { value: '10.0.0.0/33', error: /prefix length must be 0-32/ },
    { value: 'office', error: /is not an IP address or CIDR/ },
    { value: '0x0a000001', error: /is not an IP address or CIDR/ },
  ])('refuses "$value"', ({ value, error }) => {
    expect(() => parseAllowlistVariable(value)).toThrow(error);
  });
});
