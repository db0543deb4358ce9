import { LlmCallError } from '../llm-call-error';
import { retryDelay, RetrySettings } from './retry-policy';

const SETTINGS: RetrySettings = { maxRetries: 3, baseMs: 1000, maxWaitMs: 30_000 };
const failure = (kind: LlmCallError['kind'], retryAfterMs?: number, retryable?: boolean) =>
  new LlmCallError(kind, 'x', { retryAfterMs, retryable });

describe(retryDelay.name, () => {
  it.each([
    { name: 'first retry, no jitter', retry: 1, f: failure('overloaded'), random: 0, expected: 500 },
    { name: 'first retry, full jitter', retry: 1, f: failure('overloaded'), random: 0.999, expected: 1000 },
    { name: 'second retry doubles', retry: 2, f: failure('server_error'), random: 0, expected: 1000 },
    { name: 'third retry doubles again', retry: 3, f: failure('timeout'), random: 0.5, expected: 3000 },
    { name: 'past maxRetries: stop', retry: 4, f: failure('timeout'), random: 0, expected: null },
    { name: 'retry-after is honoured', retry: 1, f: failure('rate_limited', 2500), random: 0, expected: 2500 },
    {
      name: 'a short retry-after never shortens the backoff',
      retry: 3,
      f: failure('rate_limited', 10),
      random: 0,
      expected: 2000,
    },
    {
      name: 'a retry-after beyond maxWait: stop',
      retry: 1,
      f: failure('rate_limited', 60_000),
      random: 0,
      expected: null,
    },
    { name: 'invalid output is not retried', retry: 1, f: failure('invalid_output'), random: 0, expected: null },
    { name: 'a client error is not retried', retry: 1, f: failure('client_error'), random: 0, expected: null },
    {
      name: 'x-should-retry: false',
      retry: 1,
      f: failure('server_error', undefined, false),
      random: 0,
      expected: null,
    },
  ])('$name', ({ retry, f, random, expected }) => {
    expect(retryDelay(retry, f, SETTINGS, () => random)).toBe(expected);
  });

  it('never waits longer than maxWait', () => {
    const settings = { maxRetries: 10, baseMs: 20_000, maxWaitMs: 30_000 };
    const delays = [0, 0.5, 0.999].map((r) => retryDelay(5, failure('server_error'), settings, () => r) ?? 0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(30_000);
    expect(Math.min(...delays)).toBe(15_000);
  });
});
