import { LlmCallError } from '../llm-call-error';

export interface RetrySettings {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff, doubled per retry. */
  baseMs: number;
  /** The longest pause: a retry-after beyond it means "give up now", not "hold a worker". */
  maxWaitMs: number;
}

/**
 * How long to wait before retry number `retry` (1 for the first), or null to stop. Pure:
 * `random` (0 ≤ r < 1) is injected. Exponential backoff with "equal jitter" (half fixed, half
 * random), and the API's retry-after honoured when it asks for longer.
 */
export function retryDelay(
  retry: number,
  failure: LlmCallError,
  settings: RetrySettings,
  random: () => number,
): number | null {
  if (!failure.retryable || retry > settings.maxRetries) {
    return null;
  }
  const exponential = Math.min(settings.maxWaitMs, settings.baseMs * 2 ** (retry - 1));
  const backoff = Math.round(exponential / 2 + (random() * exponential) / 2);
  const asked = failure.details.retryAfterMs;
  if (asked === undefined) {
    return backoff;
  }
  return asked > settings.maxWaitMs ? null : Math.max(asked, backoff);
}
