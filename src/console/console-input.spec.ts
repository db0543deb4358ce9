import { decisionFilter, pageParam } from './console-input';
import { consolePath } from './console-reply';

describe(decisionFilter.name, () => {
  it.each([
    { query: {}, expected: { view: 'in-force', page: 1 } },
    {
      query: { view: 'pending', value: ' 203.0.113.7 ', rule: 'ssh-brute-force', origin: 'llm', action: 'block' },
      expected: { view: 'pending', value: '203.0.113.7', ruleId: 'ssh-brute-force', origin: 'llm', action: 'block' },
    },
    {
      query: { view: 'everything', origin: 'robot', action: 'nuke' },
      expected: { view: 'in-force', origin: undefined },
    },
    { query: { value: ['a', 'b'], rule: '' }, expected: { value: undefined, ruleId: undefined } },
    { query: { value: 'x'.repeat(500) }, expected: { value: 'x'.repeat(64) } },
  ])('$query', ({ query, expected }) => {
    expect(decisionFilter(query)).toMatchObject(expected);
  });
});

describe(pageParam.name, () => {
  it.each([
    { page: '3', expected: 3 },
    { page: '0', expected: 1 },
    { page: '-2', expected: 1 },
    { page: '1.5', expected: 1 },
    { page: 'abc', expected: 1 },
    { page: undefined, expected: 1 },
  ])('$page → $expected', ({ page, expected }) => {
    expect(pageParam({ page })).toBe(expected);
  });
});

describe(consolePath.name, () => {
  it.each([
    {
      value: '/console/decisions?view=pending&rule=ssh-brute-force',
      expected: '/console/decisions?view=pending&rule=ssh-brute-force',
    },
    { value: '/console', expected: '/console' },
    { value: 'https://evil.example/', expected: '/fallback' },
    { value: '//evil.example/console', expected: '/fallback' },
    { value: '/console//evil.example', expected: '/fallback' },
    { value: '/docs', expected: '/fallback' },
    { value: '/console/actors/1"><script>', expected: '/fallback' },
    { value: 42, expected: '/fallback' },
  ])('$value → $expected', ({ value, expected }) => {
    expect(consolePath(value, '/fallback')).toBe(expected);
  });
});
