import { checkVerdictInput, RATIONALE_MAX, VERDICT_TOOL, verdictFromMessage } from './verdict-tool';

const VALID = {
  level: 'high',
  score: 85,
  categories: ['brute_force'],
  techniques: ['T1110', 'T1110.001'],
  confidence: 0.8,
  rationale: '6 authentication failures in 10 minutes.',
};

describe(checkVerdictInput.name, () => {
  it('accepts a well-formed verdict', () => {
    expect(checkVerdictInput(VALID)).toEqual({ ok: true, verdict: VALID });
  });

  it.each([
    { name: 'not an object', input: 'benign' },
    { name: 'null', input: null },
    { name: 'an array', input: [VALID] },
    { name: 'a missing property', input: { ...VALID, rationale: undefined } },
    { name: 'an extra property', input: { ...VALID, unblock: true } },
    { name: 'an unknown level', input: { ...VALID, level: 'harmless' } },
    { name: 'a score as text', input: { ...VALID, score: '85' } },
    { name: 'a fractional score', input: { ...VALID, score: 85.5 } },
    { name: 'a score over 100', input: { ...VALID, score: 101 } },
    { name: 'a negative score', input: { ...VALID, score: -1 } },
    { name: 'no category', input: { ...VALID, categories: [] } },
    { name: 'an unknown category', input: { ...VALID, categories: ['ignore_previous_instructions'] } },
    { name: 'a repeated category', input: { ...VALID, categories: ['benign', 'benign'] } },
    { name: 'a malformed technique', input: { ...VALID, techniques: ['T111'] } },
    { name: 'a technique with text around it', input: { ...VALID, techniques: ['T1110 (brute force)'] } },
    {
      name: 'too many techniques',
      input: { ...VALID, techniques: Array.from({ length: 13 }, (_, i) => `T10${10 + i}`) },
    },
    { name: 'a confidence over 1', input: { ...VALID, confidence: 1.5 } },
    { name: 'a confidence that is NaN', input: { ...VALID, confidence: Number.NaN } },
    { name: 'an empty rationale', input: { ...VALID, rationale: '   ' } },
    { name: 'an over-long rationale', input: { ...VALID, rationale: 'x'.repeat(RATIONALE_MAX + 1) } },
  ])('refuses $name', ({ input }) => {
    expect(checkVerdictInput(input).ok).toBe(false);
  });

  it('strips control and invisible characters from the rationale', () => {
    const checked = checkVerdictInput({ ...VALID, rationale: 'brute\u0000 force\u202e here\u200b' });
    expect(checked.ok && checked.verdict.rationale).toBe('brute force here');
  });
});

describe('VERDICT_TOOL', () => {
  it('is strict, requires every property and allows no other', () => {
    const schema = VERDICT_TOOL.input_schema as unknown as {
      required: string[];
      properties: object;
      additionalProperties: boolean;
    };
    expect(VERDICT_TOOL.strict).toBe(true);
    expect(schema.additionalProperties).toBe(false);
    expect([...schema.required].sort()).toEqual(Object.keys(schema.properties).sort());
    expect(schema.required.sort()).toEqual(Object.keys(VALID).sort());
  });
});

describe(verdictFromMessage.name, () => {
  const call = (input: unknown, name = 'record_verdict') => ({ type: 'tool_use' as const, id: 't', name, input });
  const message = (content: unknown[], stop: string = 'tool_use') =>
    ({
      content,
      stop_reason: stop,
      model: 'claude-haiku-5-5',
      usage: { input_tokens: 1000, output_tokens: 90, cache_read_input_tokens: 200, cache_creation_input_tokens: 0 },
    }) as never;

  it('reads the one tool call, with the model, latency and tokens', () => {
    expect(verdictFromMessage(message([call(VALID)]), 640)).toEqual({
      ok: true,
      verdict: {
        ...VALID,
        provider: 'anthropic',
        model: 'claude-haiku-5-5',
        latencyMs: 640,
        inputTokens: 1200,
        outputTokens: 90,
      },
    });
  });

  it.each([
    { name: 'a truncated answer', msg: message([call(VALID)], 'max_tokens'), reason: /truncated/ },
    { name: 'text only', msg: message([{ type: 'text', text: 'benign' }], 'end_turn'), reason: /got 0/ },
    { name: 'two calls', msg: message([call(VALID), call(VALID)]), reason: /got 2/ },
    { name: 'another tool', msg: message([call(VALID, 'unblock')]), reason: /got 0/ },
    { name: 'an invalid input', msg: message([call({ ...VALID, score: 'high' })]), reason: /score/ },
  ])('refuses $name', ({ msg, reason }) => {
    const result = verdictFromMessage(msg, 1);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });
});
