import type { FailureKind } from '../domain/llm-call';

/** Worth another attempt after a pause: the API or the path to it was busy or broken. */
export const RETRYABLE: ReadonlySet<FailureKind> = new Set([
  'timeout',
  'rate_limited',
  'overloaded',
  'server_error',
  'network',
]);

/** One failed call, classified. The message never holds the key, the prompt or raw output. */
export class LlmCallError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number; retryable?: boolean } = {},
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.details.retryable ?? RETRYABLE.has(this.kind);
  }
}

/** What the API asks us to wait: `retry-after-ms`, else `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(headers: Pick<Headers, 'get'> | undefined, now: number): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) {
    return Math.ceil(ms);
  }
  const value = headers?.get('retry-after')?.trim() ?? '';
  if (/^\d+(\.\d+)?$/.test(value)) {
    return Math.ceil(Number.parseFloat(value) * 1000);
  }
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** The failure an HTTP status means. */
export function kindOfStatus(status: number): FailureKind {
  if (status === 429) {
    return 'rate_limited';
  }
  if (status === 529) {
    return 'overloaded';
  }
  if (status === 408 || status >= 500) {
    return status === 408 ? 'timeout' : 'server_error';
  }
  return 'client_error';
}

/**
 * A failure that is not already classified: a JSON parse error is unusable output, anything
 * else a failure of the path to the API. (Each provider classifies its own client's errors:
 * `anthropic-errors.ts`.)
 */
export function asCallError(error: unknown): LlmCallError {
  if (error instanceof LlmCallError) {
    return error;
  }
  // By name: fetch's JSON parser may throw from another realm, where instanceof fails.
  if ((error as { name?: unknown } | null)?.name === 'SyntaxError') {
    return new LlmCallError('invalid_output', 'the answer was not valid JSON');
  }
  return new LlmCallError('network', `unexpected failure: ${(error as Error)?.name ?? 'unknown'}`);
}
