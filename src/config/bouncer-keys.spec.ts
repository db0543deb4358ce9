import { parseBouncerKeys, parseNamedBouncerKeys } from './bouncer-keys';

const A = 'bouncer-key-aaaaaaaa';
const B = 'bouncer-key-bbbbbbbb';

describe(parseBouncerKeys.name, () => {
  it.each([
    { name: 'one key', value: A, keys: [A] },
    { name: 'two keys', value: `${A},${B}`, keys: [A, B] },
    { name: 'spaces around commas', value: ` ${A} , ${B} `, keys: [A, B] },
  ])('$name', ({ value, keys }) => {
    expect(parseBouncerKeys(value)).toEqual(keys);
  });

  it.each([
    { name: 'a short key', value: `${A},short`, message: 'key 2 of 2 must be at least 16 characters' },
    { name: 'an empty entry', value: `${A},`, message: 'key 2 of 2 must be at least 16 characters' },
    { name: 'a key with a space', value: 'bouncer key aaaaaaaa', message: 'key 1 of 1 must be printable ASCII' },
    { name: 'a repeated key', value: `${A},${A}`, message: 'key 2 of 2 repeats key 1' },
    { name: 'a huge key', value: 'k'.repeat(513), message: 'at most 512 characters' },
    { name: 'too many keys', value: Array.from({ length: 65 }, (_, i) => `${A}${i}`).join(','), message: 'at most 64' },
  ])('refuses $name without echoing it', ({ value, message }) => {
    expect(() => parseBouncerKeys(value)).toThrow(message);
    try {
      parseBouncerKeys(value);
    } catch (error) {
      expect((error as Error).message).not.toContain('bouncer-key');
    }
  });
});

describe(parseNamedBouncerKeys.name, () => {
  it.each([
    {
      name: 'unnamed keys by position',
      value: `${A},${B}`,
      keys: [
        { name: 'key1', key: A },
        { name: 'key2', key: B },
      ],
    },
    {
      name: 'named and unnamed mixed',
      value: `firewall:${A}, ${B}`,
      keys: [
        { name: 'firewall', key: A },
        { name: 'key2', key: B },
      ],
    },
    { name: 'a name with dots and dashes', value: `nginx-edge.1:${A}`, keys: [{ name: 'nginx-edge.1', key: A }] },
    {
      name: 'a colon after a non-name prefix stays in the key',
      value: `-x:${A}`,
      keys: [{ name: 'key1', key: `-x:${A}` }],
    },
  ])('$name', ({ value, keys }) => {
    expect(parseNamedBouncerKeys(value)).toEqual(keys);
    expect(parseBouncerKeys(value)).toEqual(keys.map((entry) => entry.key));
  });

  it.each([
    { name: 'a repeated name', value: `fw:${A},fw:${B}`, message: 'key 2 of 2 has the name of key 1' },
    { name: 'a name with a short key', value: 'fw:short', message: 'key 1 of 1 must be at least 16 characters' },
    { name: 'the same key under two names', value: `a:${A},b:${A}`, message: 'key 2 of 2 repeats key 1' },
  ])('refuses $name without echoing it', ({ value, message }) => {
    expect(() => parseNamedBouncerKeys(value)).toThrow(message);
    try {
      parseNamedBouncerKeys(value);
    } catch (error) {
      expect((error as Error).message).not.toContain('bouncer-key');
    }
  });
});
