import { bouncerKeyHash, matchBouncerKey } from './bouncer-key';

const KEYS = ['first-bouncer-key-0001', 'second-bouncer-key-002'];

describe(matchBouncerKey.name, () => {
  it.each([
    { name: 'the first key', presented: KEYS[0], expected: bouncerKeyHash(KEYS[0]) },
    { name: 'the second key', presented: KEYS[1], expected: bouncerKeyHash(KEYS[1]) },
    { name: 'a wrong key', presented: 'third-bouncer-key-0003', expected: null },
    { name: 'a prefix of a key', presented: 'first-bouncer', expected: null },
    { name: 'an empty key', presented: '', expected: null },
    { name: 'no key', presented: undefined, expected: null },
  ])('$name', ({ presented, expected }) => {
    expect(matchBouncerKey(presented, KEYS)).toBe(expected);
  });

  it('matches nothing when no key is configured', () => {
    expect(matchBouncerKey(KEYS[0], [])).toBeNull();
  });
});

describe(bouncerKeyHash.name, () => {
  it('is a stable hex digest that does not contain the key', () => {
    expect(bouncerKeyHash(KEYS[0])).toMatch(/^[0-9a-f]{64}$/);
    expect(bouncerKeyHash(KEYS[0])).toBe(bouncerKeyHash(KEYS[0]));
    expect(bouncerKeyHash(KEYS[0])).not.toBe(bouncerKeyHash(KEYS[1]));
  });
});
