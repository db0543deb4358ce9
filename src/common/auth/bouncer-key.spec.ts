import { bouncerKeyHash } from './bouncer-key';

const KEYS = ['first-bouncer-key-0001', 'second-bouncer-key-002'];

describe(bouncerKeyHash.name, () => {
  it('is a stable hex digest that does not contain the key', () => {
    expect(bouncerKeyHash(KEYS[0])).toMatch(/^[0-9a-f]{64}$/);
    expect(bouncerKeyHash(KEYS[0])).toBe(bouncerKeyHash(KEYS[0]));
    expect(bouncerKeyHash(KEYS[0])).not.toBe(bouncerKeyHash(KEYS[1]));
  });
});
