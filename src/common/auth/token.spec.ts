import { presentedToken, tokenMatches, TokenSet } from './token';

describe(tokenMatches.name, () => {
  it.each([
    { name: 'the same token', presented: 'correct-horse-battery', expected: true },
    { name: 'a different token', presented: 'correct-horse-batterz', expected: false },
    { name: 'a prefix', presented: 'correct-horse', expected: false },
    { name: 'a longer token', presented: 'correct-horse-battery-staple', expected: false },
    { name: 'an empty token', presented: '', expected: false },
    { name: 'no token', presented: undefined, expected: false },
  ])('$name → $expected', ({ presented, expected }) => {
    expect(tokenMatches(presented, 'correct-horse-battery')).toBe(expected);
  });
});

describe(presentedToken.name, () => {
  it.each([
    { name: 'bearer', headers: { authorization: 'Bearer abc123' }, expected: 'abc123' },
    { name: 'bearer, any case', headers: { authorization: 'bearer abc123' }, expected: 'abc123' },
    { name: 'the named header', headers: { 'x-soc-token': 'abc123' }, expected: 'abc123' },
    { name: 'basic auth is not a bearer token', headers: { authorization: 'Basic YWJj' }, expected: undefined },
    { name: 'bearer with two words', headers: { authorization: 'Bearer a b' }, expected: undefined },
    { name: 'an empty header', headers: { 'x-soc-token': '' }, expected: undefined },
    { name: 'a repeated header', headers: { 'x-soc-token': ['a', 'b'] }, expected: undefined },
    { name: 'nothing', headers: {}, expected: undefined },
  ])('$name', ({ headers, expected }) => {
    expect(presentedToken(headers, 'x-soc-token')).toBe(expected);
  });
});

describe(TokenSet.name, () => {
  const set = new TokenSet([
    { name: 'old', token: 'old-forwarder-token-0001' },
    { name: 'new', token: 'new-forwarder-token-0002' },
  ]);

  it.each([
    { name: 'the first token', presented: 'old-forwarder-token-0001', expected: 'old' },
    { name: 'the second token (a rotation: both valid)', presented: 'new-forwarder-token-0002', expected: 'new' },
    { name: 'a prefix', presented: 'new-forwarder', expected: null },
    { name: 'a wrong token', presented: 'new-forwarder-token-0003', expected: null },
    { name: 'an empty token', presented: '', expected: null },
    { name: 'nothing', presented: undefined, expected: null },
  ])('$name → $expected', ({ presented, expected }) => {
    expect(set.match(presented)?.name ?? null).toBe(expected);
  });

  it('matches nothing when empty', () => {
    expect(new TokenSet([]).match('anything-at-all-0001')).toBeNull();
    expect(new TokenSet([]).empty).toBe(true);
  });
});
