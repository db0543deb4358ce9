import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { AnalystObserver, AttemptOutcome, FAILURE_KINDS, FailureKind } from '../domain/llm-call';
import { MetricsService } from './metrics.service';

export const DROP_REASONS = ['queue_full', 'budget'] as const;
export const FALLBACK_REASONS = ['failed', 'breaker_open', 'aborted'] as const;
export const REVIEW_RESULTS = ['raised', 'pending', 'shortened', 'confirmed', 'unchanged', 'stale'] as const;
export const TRIGGERS = ['decision', 'score_band'] as const;
const BREAKER_STATES = ['closed', 'half_open', 'open'] as const;
const TOKEN_TYPES = ['input', 'output', 'cache_read', 'cache_creation'] as const;

export type DropReason = (typeof DROP_REASONS)[number];
export type FallbackReason = (typeof FALLBACK_REASONS)[number];
export type ReviewResult = (typeof REVIEW_RESULTS)[number];
type BreakerStateName = (typeof BREAKER_STATES)[number];

/** Live values read at scrape time from the review queue and the analyst. */
export interface LlmSources {
  queueDepth(): number;
  inFlight(): number;
  breakerState(): BreakerStateName;
  budgetUsed(): number;
}

/** What the service was started with (no secrets): shown by GET /llm/stats. */
export interface LlmSetup {
  provider: 'anthropic' | 'heuristic';
  model: string | null;
  queueMax: number;
  concurrency: number;
  callsPerMinute: number;
  maxRetries: number;
  timeoutMs: number;
  breakerThreshold: number;
  breakerCooldownMs: number;
}

const IDLE: LlmSources = { queueDepth: () => 0, inFlight: () => 0, breakerState: () => 'closed', budgetUsed: () => 0 };

/**
 * The LLM's cost and health counters, in the application's Prometheus registry: what
 * GET /metrics exposes and GET /llm/stats summarises.
 */
@Injectable()
export class LlmMetrics implements AnalystObserver {
  private sources: LlmSources = IDLE;
  private setup: LlmSetup | null = null;
  private readonly calls: Counter<'outcome'>;
  private readonly failures: Counter<'kind'>;
  private readonly retries: Counter;
  private readonly fallbacks: Counter<'reason'>;
  private readonly drops: Counter<'reason'>;
  private readonly tokens: Counter<'type'>;
  private readonly offers: Counter<'trigger'>;
  private readonly coalesced: Counter;
  private readonly reviews: Counter<'result'>;
  private readonly opens: Counter;
  private readonly latency: Histogram<'outcome'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    const counter = <L extends string>(name: string, help: string, labelNames: L[] = []): Counter<L> =>
      new Counter({ name: `soc_llm_${name}`, help, labelNames, registers });
    this.calls = counter('calls_total', 'Messages API attempts, retries included.', ['outcome']);
    this.failures = counter('failures_total', 'Failed Messages API attempts by kind.', ['kind']);
    this.retries = counter('retries_total', 'Attempts retried after a retryable failure.');
    this.fallbacks = counter('fallbacks_total', 'Reviews that got no LLM verdict; the heuristic stood.', ['reason']);
    this.drops = counter('dropped_total', 'Reviews not done for lack of capacity; the heuristic stood.', ['reason']);
    this.tokens = counter('tokens_total', 'Tokens billed, by type.', ['type']);
    this.offers = counter('reviews_offered_total', 'Actors offered for review, by trigger.', ['trigger']);
    this.coalesced = counter(
      'reviews_coalesced_total',
      'Offers merged into a review already waiting or running (on any instance on the store).',
    );
    this.reviews = counter('reviews_total', 'Reviews with an LLM verdict, by what was stored.', ['result']);
    this.opens = counter('breaker_opened_total', 'Times the circuit breaker opened.');
    this.latency = new Histogram({
      name: 'soc_llm_call_duration_seconds',
      help: 'Messages API attempt latency.',
      labelNames: ['outcome'],
      buckets: [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64],
      registers,
    });
    const sources = (): LlmSources => this.sources;
    const gauge = (name: string, help: string, read: () => number): void => {
      new Gauge({
        name: `soc_llm_${name}`,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    };
    gauge('queue_depth', 'Actors waiting for review.', () => sources().queueDepth());
    gauge('in_flight', 'Reviews running now.', () => sources().inFlight());
    gauge('budget_used', 'API attempts in the last 60 seconds.', () => sources().budgetUsed());
    gauge('breaker_state', 'Circuit breaker: 0 closed, 1 half-open, 2 open.', () =>
      BREAKER_STATES.indexOf(sources().breakerState()),
    );
    FAILURE_KINDS.forEach((kind) => this.failures.inc({ kind }, 0));
    DROP_REASONS.forEach((reason) => this.drops.inc({ reason }, 0));
    FALLBACK_REASONS.forEach((reason) => this.fallbacks.inc({ reason }, 0));
    TOKEN_TYPES.forEach((type) => this.tokens.inc({ type }, 0));
    REVIEW_RESULTS.forEach((result) => this.reviews.inc({ result }, 0));
    ['success', 'failure'].forEach((outcome) => this.calls.inc({ outcome }, 0));
  }

  watch(sources: LlmSources, setup: LlmSetup): void {
    this.sources = sources;
    this.setup = setup;
  }

  attempt(outcome: AttemptOutcome): void {
    const label = outcome.ok ? 'success' : 'failure';
    this.calls.inc({ outcome: label });
    this.latency.observe({ outcome: label }, outcome.latencyMs / 1000);
    if (!outcome.ok) {
      this.failures.inc({ kind: outcome.kind });
    }
    const usage = outcome.usage;
    if (usage !== undefined) {
      this.tokens.inc({ type: 'input' }, usage.inputTokens);
      this.tokens.inc({ type: 'output' }, usage.outputTokens);
      this.tokens.inc({ type: 'cache_read' }, usage.cacheReadTokens);
      this.tokens.inc({ type: 'cache_creation' }, usage.cacheCreationTokens);
    }
  }

  retry(): void {
    this.retries.inc();
  }

  breakerOpened(): void {
    this.opens.inc();
  }

  offered(trigger: (typeof TRIGGERS)[number]): void {
    this.offers.inc({ trigger });
  }

  merged(): void {
    this.coalesced.inc();
  }

  dropped(reason: DropReason): void {
    this.drops.inc({ reason });
  }

  fellBack(reason: FallbackReason): void {
    this.fallbacks.inc({ reason });
  }

  reviewed(result: ReviewResult): void {
    this.reviews.inc({ result });
  }

  /** The same numbers as /metrics, as one JSON document. */
  async snapshot(): Promise<LlmStats> {
    const [calls, failures, fallbacks, drops, tokens, reviews, offers, latency] = await Promise.all([
      byLabel(this.calls, 'outcome'),
      byLabel(this.failures, 'kind'),
      byLabel(this.fallbacks, 'reason'),
      byLabel(this.drops, 'reason'),
      byLabel(this.tokens, 'type'),
      byLabel(this.reviews, 'result'),
      byLabel(this.offers, 'trigger'),
      this.latency.get(),
    ]);
    const sum = (suffix: string): number =>
      latency.values
        .filter((v) => v.metricName === `soc_llm_call_duration_seconds_${suffix}`)
        .reduce((a, v) => a + v.value, 0);
    const count = sum('count');
    return {
      setup: this.setup,
      calls: { success: calls.success ?? 0, failure: calls.failure ?? 0 },
      failures: failures,
      retries: await total(this.retries),
      fallbacks,
      dropped: drops,
      tokens: {
        input: tokens.input ?? 0,
        output: tokens.output ?? 0,
        cacheRead: tokens.cache_read ?? 0,
        cacheCreation: tokens.cache_creation ?? 0,
      },
      queue: { depth: this.sources.queueDepth(), inFlight: this.sources.inFlight() },
      budget: { usedLastMinute: this.sources.budgetUsed() },
      breaker: { state: this.sources.breakerState(), opened: await total(this.opens) },
      latency: { count, meanMs: count === 0 ? 0 : Math.round((sum('sum') / count) * 1000) },
      reviews: {
        offered: offers,
        coalesced: await total(this.coalesced),
        results: reviews,
      },
    };
  }
}

export interface LlmStats {
  setup: LlmSetup | null;
  calls: { success: number; failure: number };
  failures: Record<FailureKind, number>;
  retries: number;
  fallbacks: Record<FallbackReason, number>;
  dropped: Record<DropReason, number>;
  tokens: { input: number; output: number; cacheRead: number; cacheCreation: number };
  queue: { depth: number; inFlight: number };
  budget: { usedLastMinute: number };
  breaker: { state: BreakerStateName; opened: number };
  latency: { count: number; meanMs: number };
  reviews: { offered: Record<string, number>; coalesced: number; results: Record<ReviewResult, number> };
}

async function byLabel(metric: Counter<string>, label: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const value of (await metric.get()).values) {
    out[String(value.labels[label])] = value.value;
  }
  return out;
}

async function total(metric: Counter): Promise<number> {
  return (await metric.get()).values.reduce((sum, v) => sum + v.value, 0);
}
