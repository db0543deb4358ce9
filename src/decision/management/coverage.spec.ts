import { covers, decisionTarget, rangeOf, tooWide } from './coverage';

describe(decisionTarget.name, () => {
  it.each([
    { input: '203.0.113.7', scope: 'ip', value: '203.0.113.7' },
    { input: '::ffff:203.0.113.7', scope: 'ip', value: '203.0.113.7' },
    { input: '203.000.113.007', scope: 'ip', value: '203.0.113.7' },
    { input: '2001:DB8:0:0::7', scope: 'ip', value: '2001:db8::7' },
    { input: '203.0.113.7/32', scope: 'ip', value: '203.0.113.7' },
    { input: '2001:db8::7/128', scope: 'ip', value: '2001:db8::7' },
    { input: '203.0.113.0/24', scope: 'range', value: '203.0.113.0/24' },
    { input: '2001:DB8::/48', scope: 'range', value: '2001:db8::/48' },
    { input: '::ffff:10.0.0.0/104', scope: 'range', value: '10.0.0.0/8' },
  ])('$input → $scope $value', ({ input, scope, value }) => {
    expect(decisionTarget(input)).toEqual({ scope, value });
  });

  it.each([
    { input: 'not-an-ip', message: /not an IP address/ },
    { input: '999.1.1.1', message: /not an IP address/ },
    { input: '203.0.113.7/24', message: /host bits set/ },
    { input: '203.0.113.0/33', message: /prefix length/ },
    { input: '203.0.113.0/x', message: /prefix length/ },
    { input: '', message: /not an IP address/ },
  ])('refuses $input', ({ input, message }) => {
    expect(() => decisionTarget(input)).toThrow(message);
  });
});

describe(rangeOf.name, () => {
  it.each([
    { input: '10.0.0.1', start: 0x0a000001n, end: 0x0a000001n },
    { input: '10.0.0.0/8', start: 0x0a000000n, end: 0x0affffffn },
    { input: '10.1.2.3/8', start: 0x0a000000n, end: 0x0affffffn },
    { input: '0.0.0.0/0', start: 0n, end: 0xffffffffn },
    { input: '::ffff:10.0.0.0/104', start: 0x0a000000n, end: 0x0affffffn },
    { input: '2001:db8::/127', start: 0x20010db8000000000000000000000000n, end: 0x20010db8000000000000000000000001n },
  ])('$input', ({ input, start, end }) => {
    expect(rangeOf(input)).toMatchObject({ start, end });
  });

  it.each(['x', '10.0.0.0/33', '10.0.0.0/8/8', '2001:db8::/129', '10.0.0.0/-1'])('refuses %p', (input) => {
    expect(rangeOf(input)).toBeNull();
  });
});

describe(covers.name, () => {
  it.each([
    { outer: '203.0.113.7', inner: '203.0.113.7', expected: true },
    { outer: '203.0.113.0/24', inner: '203.0.113.7', expected: true },
    { outer: '203.0.113.0/24', inner: '203.0.113.128/25', expected: true },
    { outer: '203.0.113.0/25', inner: '203.0.113.0/24', expected: false },
    { outer: '203.0.113.7', inner: '203.0.113.0/24', expected: false },
    { outer: '203.0.113.0/24', inner: '203.0.114.1', expected: false },
    { outer: '2001:db8::/32', inner: '2001:db8:1::7', expected: true },
    { outer: '::/0', inner: '203.0.113.7', expected: false },
    { outer: 'junk', inner: '203.0.113.7', expected: false },
  ])('$outer covers $inner: $expected', ({ outer, inner, expected }) => {
    expect(covers(outer, inner)).toBe(expected);
  });
});

describe(tooWide.name, () => {
  it.each([
    { value: '203.0.113.7', scope: 'ip' as const, wide: false },
    { value: '10.0.0.0/8', scope: 'range' as const, wide: false },
    { value: '10.0.0.0/7', scope: 'range' as const, wide: true },
    { value: '0.0.0.0/0', scope: 'range' as const, wide: true },
    { value: '2001:db8::/32', scope: 'range' as const, wide: false },
    { value: '2000::/3', scope: 'range' as const, wide: true },
  ])('$value too wide: $wide', ({ value, scope, wide }) => {
    expect(tooWide({ scope, value }) !== null).toBe(wide);
  });
});
