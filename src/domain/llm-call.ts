/** How a call to the LLM went, for the analyst that makes it and the metrics that count it. */

/** Why a call failed, classified (llm/llm-call-error.ts). */
export const FAILURE_KINDS = [
  'timeout',
  'rate_limited',
  'overloaded',
  'server_error',
  'network',
  'invalid_output',
  'client_error',
  'unsafe_context',
  'aborted',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** Tokens one call used. */
export interface CallUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
}

export type AttemptOutcome =
  | { ok: true; latencyMs: number; usage?: CallUsage }
  | { ok: false; kind: FailureKind; latencyMs: number; usage?: CallUsage };

/** Told about every attempt, retry and breaker opening (the metrics listen). */
export interface AnalystObserver {
  attempt(outcome: AttemptOutcome): void;
  retry(): void;
  breakerOpened(): void;
}
