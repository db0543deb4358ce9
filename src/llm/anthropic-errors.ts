import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { asCallError, kindOfStatus, LlmCallError, retryAfterMs } from './llm-call-error';

/**
 * Maps whatever the Anthropic SDK threw to a classified failure. Only the Anthropic provider
 * imports this (and so the SDK): in heuristic mode the SDK is never loaded.
 */
export function classifyError(error: unknown, now: number): LlmCallError {
  if (error instanceof LlmCallError) {
    return error;
  }
  if (error instanceof APIUserAbortError) {
    return new LlmCallError('aborted', 'the call was aborted');
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new LlmCallError('timeout', 'the call timed out');
  }
  if (error instanceof APIConnectionError) {
    return new LlmCallError('network', 'could not reach the Messages API');
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const headers = error.headers as Headers | undefined;
    const shouldRetry = headers?.get('x-should-retry');
    return new LlmCallError(kindOfStatus(error.status), `the Messages API answered ${error.status}`, {
      status: error.status,
      retryAfterMs: retryAfterMs(headers, now),
      retryable: shouldRetry === 'false' ? false : undefined,
    });
  }
  return asCallError(error);
}
