import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { v7 as timeOrderedId } from 'uuid';
import { Environment } from '../../config/environment';
import { ContextService } from '../../context/context.service';
import { judgeHeuristically } from '../../llm/heuristic';
import { ResilientAnalyst } from '../../llm/resilient-analyst';
import { Verdict } from '../../domain/verdict';
import { MemoryTx } from '../../memory/memory-tx';
import { MemoryService } from '../../memory/memory.service';
import { Action, StoredDecision } from '../../domain/decision';
import { LlmMetrics, ReviewResult } from '../../metrics/llm-metrics';
import { evaluatePolicy, Policy } from '../policy';
import { PolicyService } from '../policy.service';
import { Advice, applyLlmAdvice, CurrentDecision, reviewTrigger, reviewTriggersOf } from './llm-advice';
import { liveDecision } from './review-state';
import { ReviewQueue } from './review-queue';

/** A score-band actor is not reviewed again sooner than this (a new decision always is). */
const BAND_REVIEW_INTERVAL_MS = 5 * 60_000;
const REMEMBERED_REVIEWS = 10_000;
/** The `created_by` column holds 64 characters. */
const CREATED_BY_MAX = 64;

/**
 * Claude's review of actors, after the heuristic has decided and never in its way. The write
 * path offers actors (`consider`, synchronous, never throws); workers build the context outside
 * any transaction, call the analyst (budget, breaker, retries), and apply the bounded result
 * in a Memory write job that re-reads what is in force. Without an Anthropic provider it does
 * nothing at all.
 */
@Injectable()
export class ReviewService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ReviewService.name);
  private readonly queue: ReviewQueue<string>;
  private readonly stop = new AbortController();
  private readonly lastReviewed = new Map<string, number>();
  /** When each waiting actor was last offered (ms): its review is not needed if one began since. */
  private readonly offeredAt = new Map<string, number>();
  /** Names this process's review claims (MemoryTx.claimReview). */
  private readonly instance = timeOrderedId();
  /** How long a claim holds: the longest a review can take (every attempt timing out), and a minute. */
  private readonly claimMs: number;
  readonly enabled: boolean;

  constructor(
    private readonly memory: MemoryService,
    private readonly context: ContextService,
    private readonly analyst: ResilientAnalyst,
    private readonly policies: PolicyService,
    private readonly metrics: LlmMetrics,
    config: ConfigService<Environment, true>,
  ) {
    const provider = analyst.provider;
    this.enabled = provider.name === 'anthropic';
    const queueMax = config.get('LLM_QUEUE_MAX', { infer: true });
    const concurrency = config.get('LLM_CONCURRENCY', { infer: true });
    this.claimMs =
      config.get('LLM_TIMEOUT_MS', { infer: true }) * (config.get('LLM_MAX_RETRIES', { infer: true }) + 1) + 60_000;
    this.queue = new ReviewQueue(queueMax, concurrency, (ip) => this.review(ip));
    metrics.watch(
      {
        queueDepth: () => this.queue.depth,
        inFlight: () => this.queue.inFlight,
        breakerState: () => analyst.breakerState(),
        budgetUsed: () => analyst.budgetUsed(),
      },
      {
        provider: provider.name,
        model: this.enabled ? config.get('ANTHROPIC_MODEL', { infer: true }) : null,
        queueMax,
        concurrency,
        callsPerMinute: config.get('LLM_MAX_CALLS_PER_MINUTE', { infer: true }),
        maxRetries: config.get('LLM_MAX_RETRIES', { infer: true }),
        timeoutMs: config.get('LLM_TIMEOUT_MS', { infer: true }),
        breakerThreshold: config.get('LLM_BREAKER_THRESHOLD', { infer: true }),
        breakerCooldownMs: config.get('LLM_BREAKER_COOLDOWN_MS', { infer: true }),
      },
    );
  }

  /**
   * Offers an actor for review if the policy's triggers call for it. Called inside the write
   * transaction: it only touches memory, answers at once and never throws.
   */
  consider(ip: string, verdict: Verdict, newAction: Action | null): void {
    if (!this.enabled || ip.includes('/')) {
      return;
    }
    const trigger = reviewTrigger(newAction, verdict.score, reviewTriggersOf(this.policies.policy));
    if (trigger === null) {
      return;
    }
    const last = this.lastReviewed.get(ip);
    if (trigger === 'score_band' && last !== undefined && Date.now() - last < BAND_REVIEW_INTERVAL_MS) {
      this.metrics.merged();
      return;
    }
    this.metrics.offered(trigger);
    switch (this.queue.offer(ip)) {
      case 'queued':
        this.offeredAt.set(ip, Date.now());
        return;
      case 'closed':
        return;
      case 'already_queued':
        this.offeredAt.set(ip, Date.now());
        this.metrics.merged();
        return;
      case 'full':
        this.metrics.dropped('queue_full');
        this.logger.warn(`review queue full: ${ip} not reviewed; the heuristic decision stands`);
        return;
    }
  }

  /** Resolves when no review waits or runs (tests, shutdown). */
  whenIdle(): Promise<void> {
    return this.queue.idle();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.queue.close();
  }

  /**
   * One actor's review, once this process holds its claim: a review of the same actor running
   * on another instance, or begun there since this offer, makes this offer a merged one.
   */
  private async review(ip: string): Promise<void> {
    this.noteReviewed(ip);
    const offeredAt = new Date(this.offeredAt.get(ip) ?? Date.now());
    this.offeredAt.delete(ip);
    let claimed: boolean;
    try {
      claimed = await this.memory.transact((tx) =>
        tx.claimReview(ip, offeredAt, new Date(tx.now.getTime() + this.claimMs), this.instance),
      );
    } catch (error) {
      this.logger.error(`review of ${ip} not claimed: ${(error as Error).message}; the heuristic decision stands`);
      return;
    }
    if (!claimed) {
      this.metrics.merged();
      return;
    }
    try {
      await this.reviewClaimed(ip);
    } finally {
      await this.memory
        .transact((tx) => tx.releaseReview(ip, this.instance))
        .catch((error: unknown) => this.logger.warn(`review claim on ${ip} not released: ${(error as Error).message}`));
    }
  }

  private async reviewClaimed(ip: string): Promise<void> {
    try {
      // Read through the writer: it runs after the write that offered the actor has committed.
      const { actor, inForce } = await this.memory.transact(async (tx) => ({
        actor: await tx.actor(ip),
        inForce: await tx.inForce(ip),
      }));
      if (actor === null) {
        this.metrics.reviewed('stale');
        return;
      }
      const context = await this.context.withHistory(actor, inForce);
      const result = await this.analyst.review(context, this.stop.signal);
      if (result.kind === 'fallback') {
        if (result.reason === 'budget') {
          this.metrics.dropped('budget');
        } else {
          this.metrics.fellBack(result.reason);
        }
        const why = result.failure === undefined ? result.reason : `${result.reason}: ${result.failure}`;
        this.logger.warn(`review of ${ip}: no LLM verdict (${why}); the heuristic decision stands`);
        return;
      }
      const outcome = await this.memory.transact((tx) => this.apply(tx, ip, result.verdict));
      this.metrics.reviewed(outcome);
    } catch (error) {
      this.logger.error(`review of ${ip} failed: ${(error as Error).message}; the heuristic decision stands`);
    }
  }

  /** Inside the write job: re-read what is in force, bound the LLM's advice, store it. */
  private async apply(tx: MemoryTx, ip: string, verdict: Verdict): Promise<ReviewResult> {
    const actor = await tx.actor(ip);
    if (actor === null) {
      return 'stale';
    }
    const policy = this.policies.policy;
    const live = liveDecision(await tx.current(ip));
    const allow = this.policies.allowed(ip, await tx.currentWithAction('allow'));
    const allowListed = allow !== null;
    const heuristicVerdict = judgeHeuristically(this.context.fromProfile(actor, live).features);
    const advice = applyLlmAdvice(
      {
        current: live === null ? null : currentOf(live, policy),
        heuristic: evaluatePolicy({ verdict: heuristicVerdict, actor, now: tx.now, allow }, policy),
        proposal: evaluatePolicy({ verdict, actor, now: tx.now, allow }, policy),
        llmVerdict: verdict,
        allowListed,
        pendingLlmBlock: (await tx.current(ip, 'pending')).some((d) => d.origin === 'llm' && d.action === 'block'),
        offenceCount: actor.offenceCount,
        now: tx.now,
      },
      policy,
    );
    const verdictId = await tx.insertVerdict(ip, verdict);
    const who = `llm:${verdict.model ?? 'unknown'}`.slice(0, CREATED_BY_MAX);
    this.logger.log(`review of ${ip}: ${describe(advice)} score=${verdict.score} model=${verdict.model ?? '?'}`);
    switch (advice.kind) {
      case 'keep':
        return advice.result;
      case 'raise':
        await tx.insertDecision({
          ...newDecision(ip, who, verdictId, tx.now),
          action: advice.action,
          status: advice.status,
          ruleId: advice.ruleId,
          reason: advice.reason,
          expiresAt: new Date(tx.now.getTime() + advice.durationSeconds * 1000),
        });
        if (advice.action === 'block' && advice.status === 'active') {
          await tx.setOffenceCount(ip, actor.offenceCount + 1);
        }
        return advice.status === 'pending' ? 'pending' : 'raised';
      case 'shorten': {
        const current = live as StoredDecision;
        await tx.updateDecision(
          current.id,
          { revokedAt: tx.now, revokeReason: advice.reason },
          { who, change: 'revoked', reason: advice.reason },
        );
        await tx.insertDecision({
          ...newDecision(ip, who, verdictId, tx.now),
          action: current.action,
          status: 'active',
          ruleId: current.ruleId,
          reason: advice.reason,
          expiresAt: advice.expiresAt,
        });
        return 'shortened';
      }
    }
  }

  private noteReviewed(ip: string): void {
    this.lastReviewed.delete(ip);
    this.lastReviewed.set(ip, Date.now());
    if (this.lastReviewed.size > REMEMBERED_REVIEWS) {
      const oldest = this.lastReviewed.keys().next().value;
      if (oldest !== undefined) {
        this.lastReviewed.delete(oldest);
      }
    }
  }
}

function currentOf(decision: StoredDecision, policy: Policy): CurrentDecision {
  const rule = policy.rules.find((r) => r.id === decision.ruleId);
  return {
    action: decision.action as Action,
    origin: decision.origin,
    ruleId: decision.ruleId,
    // A rule the policy no longer knows cannot be shown to be soft: treat it as hard.
    hardEvidence: rule === undefined || rule.hardEvidence,
    expiresAt: decision.expiresAt,
  };
}

type DecisionBase = Omit<StoredDecision, 'action' | 'status' | 'ruleId' | 'reason' | 'expiresAt'>;

function newDecision(ip: string, who: string, verdictId: string, now: Date): DecisionBase {
  return {
    id: timeOrderedId(),
    scope: 'ip',
    value: ip,
    origin: 'llm',
    createdBy: who,
    verdictId,
    createdAt: now,
    revokedAt: null,
    revokeReason: null,
  };
}

function describe(advice: Advice): string {
  switch (advice.kind) {
    case 'keep':
      return `${advice.result} (${advice.why})`;
    case 'raise':
      return `${advice.status === 'pending' ? 'proposed' : 'raised to'} ${advice.action} rule=${advice.ruleId}`;
    case 'shorten':
      return `soft block shortened to ${advice.expiresAt.toISOString()}`;
  }
}
