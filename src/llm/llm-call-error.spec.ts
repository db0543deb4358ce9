import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { classifyError } from './anthropic-errors';
import { LlmCallError, retryAfterMs } from './llm-call-error';

const NOW = Date.parse('2026-11-24T10:00:00Z');

function apiError(status: number, headers: Record<string, string> = {}): APIError {
  return APIError.generate(status, { type: 'error', error: { type: 'x', message: 'x' } }, 'x', new Headers(headers));
}

describe(retryAfterMs.name, () => {
  it.each([
    { name: 'retry-after-ms wins', headers: { 'retry-after-ms': '250', 'retry-after': '9' }, expected: 250 },
    { name: 'seconds', headers: { 'retry-after': '2' }, expected: 2000 },
    { name: 'fractional seconds', headers: { 'retry-after': '0.5' }, expected: 500 },
    { name: 'an HTTP date', headers: { 'retry-after': 'Tue, 24 Nov 2026 10:00:03 GMT' }, expected: 3000 },
    { name: 'a date in the past', headers: { 'retry-after': 'Tue, 24 Nov 2026 09:00:00 GMT' }, expected: 0 },
    { name: 'garbage', headers: { 'retry-after': 'soon' }, expected: undefined },
    { name: 'nothing', headers: {}, expected: undefined },
  ] as { name: string; headers: Record<string, string>; expected: number | undefined }[])(
    '$name',
    ({ headers, expected }) => {
      expect(retryAfterMs(new Headers(headers), NOW)).toBe(expected);
    },
  );
});

describe(classifyError.name, () => {
  it.each([
    { name: '429', error: apiError(429, { 'retry-after': '1' }), kind: 'rate_limited', retryable: true, wait: 1000 },
    { name: '529', error: apiError(529), kind: 'overloaded', retryable: true, wait: undefined },
    { name: '500', error: apiError(500), kind: 'server_error', retryable: true, wait: undefined },
    { name: '503', error: apiError(503), kind: 'server_error', retryable: true, wait: undefined },
    { name: '408', error: apiError(408), kind: 'timeout', retryable: true, wait: undefined },
    { name: '400', error: apiError(400), kind: 'client_error', retryable: false, wait: undefined },
    { name: '401', error: apiError(401), kind: 'client_error', retryable: false, wait: undefined },
    {
      name: 'x-should-retry: false',
      error: apiError(500, { 'x-should-retry': 'false' }),
      kind: 'server_error',
      retryable: false,
      wait: undefined,
    },
    { name: 'a timeout', error: new APIConnectionTimeoutError(), kind: 'timeout', retryable: true, wait: undefined },
    {
      name: 'a refused connection',
      error: new APIConnectionError({ message: 'x' }),
      kind: 'network',
      retryable: true,
      wait: undefined,
    },
    { name: 'an abort', error: new APIUserAbortError(), kind: 'aborted', retryable: false, wait: undefined },
    {
      name: 'a body that is not JSON',
      error: new SyntaxError('Unexpected end'),
      kind: 'invalid_output',
      retryable: false,
      wait: undefined,
    },
    { name: 'anything else', error: new TypeError('boom'), kind: 'network', retryable: true, wait: undefined },
  ])('$name → $kind', ({ error, kind, retryable, wait }) => {
    const failure = classifyError(error, NOW);
    expect(failure).toBeInstanceOf(LlmCallError);
    expect(failure.kind).toBe(kind);
    expect(failure.retryable).toBe(retryable);
    expect(failure.details.retryAfterMs).toBe(wait);
  });
});
