import { presentedToken, tokenMatches } from './token';

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
