import { actorKeyFrom, actorScope, hostnameKey, isAddressKey, localKey } from './actor-key';

describe('actor keys', () => {
  it.each([
    { name: 'a plain name', input: 'scanner.example.net', expected: 'scanner.example.net' },
    { name: 'upper case and a trailing dot', input: 'Scanner.Example.NET.', expected: 'scanner.example.net' },
    { name: 'a single label', input: 'localhost', expected: 'localhost' },
    { name: 'digits and dots are an address, not a name', input: '203.0.113.7', expected: null },
    { name: 'a bad dotted quad is not a name either', input: '300.1.1.1', expected: null },
    { name: 'an IPv6 address', input: '2001:db8::1', expected: null },
    { name: 'a space', input: 'bad host', expected: null },
    { name: 'a slash', input: 'a/b', expected: null },
    { name: 'an @', input: 'a@b', expected: null },
    { name: 'empty', input: '', expected: null },
    { name: 'a label over 63 characters', input: `${'a'.repeat(64)}.example`, expected: null },
    { name: 'over 253 characters', input: Array(64).fill('abc').join('.'), expected: null },
  ])('hostnameKey: $name', ({ input, expected }) => {
    expect(hostnameKey(input)).toBe(expected);
  });

  it.each([
    { name: 'user and host', user: 'alice', host: 'bastion', expected: 'alice@bastion' },
    { name: 'host upper case', user: 'alice', host: 'Bastion.Example', expected: 'alice@bastion.example' },
    { name: 'no host', user: 'alice', host: undefined, expected: 'alice@-' },
    { name: 'no user', user: undefined, host: 'bastion', expected: '-@bastion' },
    { name: 'an @ and a slash in the user', user: 'a@b/c', host: 'h', expected: 'a%40b%2Fc@h' },
    { name: 'a space and UTF-8', user: 'é x', host: 'h', expected: '%C3%A9%20x@h' },
    { name: 'an address as host', user: 'bob', host: '10.0.0.5', expected: 'bob@10.0.0.5' },
    { name: 'an IPv6 host', user: 'bob', host: 'fe80::1', expected: 'bob@fe80%3A%3A1' },
  ])('localKey: $name', ({ user, host, expected }) => {
    expect(localKey(user, host)).toBe(expected);
  });

  it.each([
    { key: '203.0.113.7', scope: 'ip' },
    { key: '2001:db8::1', scope: 'ip' },
    { key: '2001:db8::/64', scope: 'range' },
    { key: 'scanner.example.net', scope: 'hostname' },
    { key: 'localhost', scope: 'hostname' },
    { key: 'alice@bastion', scope: 'local' },
    { key: 'bob@fe80%3A%3A1', scope: 'local' },
  ])('actorScope($key) is $scope', ({ key, scope }) => {
    expect(actorScope(key)).toBe(scope);
    expect(isAddressKey(key)).toBe(scope === 'ip' || scope === 'range');
  });

  it('a long or wide user name is cut, and the key still reads back as itself', () => {
    for (const user of ['x'.repeat(500), '\u{1F600}'.repeat(100), `${'a'.repeat(95)}é`]) {
      const key = localKey(user, 'h'.repeat(63));
      expect(key.length).toBeLessThanOrEqual(96 + 1 + 63);
      expect(actorKeyFrom(key)).toBe(key);
    }
  });

  it('no user or host, however hostile, gives a key of another scope', () => {
    const hostile = ['1.2.3.4', '::1', '10.0.0.0/8', 'a/b', 'x:y', '', ' ', '@', '%', 'é'];
    for (const user of hostile) {
      for (const host of hostile) {
        expect(actorScope(localKey(user, host))).toBe('local');
      }
    }
  });

  it.each([
    { raw: '::ffff:203.0.113.7', expected: '203.0.113.7' },
    { raw: 'Scanner.Example.Net', expected: 'scanner.example.net' },
    { raw: 'alice@bastion', expected: 'alice@bastion' },
    { raw: 'a%40b%2Fc@h', expected: 'a%40b%2Fc@h' },
    { raw: 'a@b@c', expected: null },
    { raw: 'a b@c', expected: null },
    { raw: '10.0.0.0/8', expected: null },
    { raw: '<script>', expected: null },
  ])('actorKeyFrom($raw)', ({ raw, expected }) => {
    expect(actorKeyFrom(raw)).toBe(expected);
  });
});
