import { setTimeout as sleepFor } from 'node:timers/promises';
import { TriageContext } from '../context/triage-context';
import { asCallError, LlmCallError } from './llm-call-error';
import { AnalystObserver, CallUsage, FailureKind } from '../domain/llm-call';
import { LlmProvider } from './llm-provider';
import { CallBudget } from './resilience/call-budget';
import { BreakerSettings, BreakerState, CircuitBreaker } from './resilience/circuit-breaker';
import { retryDelay, RetrySettings } from './resilience/retry-policy';
import { Verdict } from '../domain/verdict';

export type FallbackReason = 'failed' | 'breaker_open' | 'budget' | 'aborted';

export type AnalystResult =
  | { kind: 'verdict'; verdict: Verdict; attempts: number }
  | { kind: 'fallback'; reason: FallbackReason; failure?: FailureKind; attempts: number };

export interface AnalystSettings extends RetrySettings, BreakerSettings {
  callsPerMinute: number;
}

export interface AnalystClock {
  now(): number;
  random(): number;
  /** Resolves after `ms`, rejects when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const SYSTEM_CLOCK: AnalystClock = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: async (ms, signal) => {
    await sleepFor(ms, undefined, { signal });
  },
};

/**
 * The provider behind a budget, a circuit breaker and bounded retries with backoff. It never
 * throws: a review either gets a verdict or a fallback reason, and then the heuristic's
 * decision stands.
 */
export class ResilientAnalyst {
  private readonly breaker: CircuitBreaker;
  private readonly budget: CallBudget;

  constructor(
    readonly provider: LlmProvider,
    private readonly settings: AnalystSettings,
    private readonly observer: AnalystObserver,
    private readonly clock: AnalystClock = SYSTEM_CLOCK,
  ) {
    this.breaker = new CircuitBreaker(settings);
    this.budget = new CallBudget(settings.callsPerMinute);
  }

  async review(context: TriageContext, signal?: AbortSignal): Promise<AnalystResult> {
    for (let attempt = 1; ; attempt++) {
      const fallback = (reason: FallbackReason, failure?: FailureKind): AnalystResult => ({
        kind: 'fallback',
        reason,
        failure,
        attempts: attempt - 1,
      });
      if (signal?.aborted) {
        return fallback('aborted');
      }
      if (!this.breaker.tryAcquire(this.clock.now())) {
        return fallback('breaker_open');
      }
      if (!this.budget.tryTake(this.clock.now())) {
        this.breaker.onNeutral();
        return fallback('budget');
      }
      const failure = await this.attempt(context, signal);
      if (!(failure instanceof LlmCallError)) {
        return { kind: 'verdict', verdict: failure, attempts: attempt };
      }
      if (failure.kind === 'aborted' || failure.kind === 'unsafe_context') {
        this.breaker.onNeutral();
        return { ...fallback(failure.kind === 'aborted' ? 'aborted' : 'failed', failure.kind), attempts: attempt };
      }
      if (this.breaker.onFailure(this.clock.now())) {
        this.observer.breakerOpened();
      }
      const delay = retryDelay(attempt, failure, this.settings, () => this.clock.random());
      if (delay === null) {
        return { ...fallback('failed', failure.kind), attempts: attempt };
      }
      this.observer.retry();
      try {
        await this.clock.sleep(delay, signal);
      } catch {
        return { ...fallback('aborted'), attempts: attempt };
      }
    }
  }

  breakerState(): BreakerState {
    return this.breaker.state(this.clock.now());
  }

  get consecutiveFailures(): number {
    return this.breaker.consecutiveFailures;
  }

  budgetUsed(): number {
    return this.budget.used(this.clock.now());
  }

  /** One call; resolves to the verdict or to the classified failure. */
  private async attempt(context: TriageContext, signal?: AbortSignal): Promise<Verdict | LlmCallError> {
    const started = this.clock.now();
    let usage: CallUsage | undefined;
    const onUsage = (spent: CallUsage): void => {
      usage = spent;
    };
    try {
      const verdict = await this.provider.judge(context, { signal, onUsage });
      this.breaker.onSuccess();
      this.observer.attempt({ ok: true, latencyMs: verdict.latencyMs ?? this.clock.now() - started, usage });
      return verdict;
    } catch (error) {
      const failure = asCallError(error);
      if (failure.kind !== 'aborted') {
        this.observer.attempt({ ok: false, kind: failure.kind, latencyMs: this.clock.now() - started, usage });
      }
      return failure;
    }
  }
}
