import { chooseProvider } from './provider-choice';

describe(chooseProvider.name, () => {
  it.each([
    { mode: 'auto', hasKey: false, expected: 'heuristic' },
    { mode: 'auto', hasKey: true, expected: 'anthropic' },
    { mode: 'mock', hasKey: false, expected: 'heuristic' },
    { mode: 'mock', hasKey: true, expected: 'heuristic' },
    { mode: 'anthropic', hasKey: true, expected: 'anthropic' },
  ] as const)('$mode with key=$hasKey → $expected', ({ mode, hasKey, expected }) => {
    expect(chooseProvider(mode, hasKey)).toBe(expected);
  });

  it('refuses anthropic without a key, saying what is missing', () => {
    expect(() => chooseProvider('anthropic', false)).toThrow('LLM_PROVIDER=anthropic requires ANTHROPIC_API_KEY');
  });
});
