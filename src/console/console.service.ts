import { actorKeyFrom } from '../common/actor-key';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ContextService } from '../context/context.service';
import { decisionTarget } from '../decision/management/coverage';
import { ActorProfile } from '../domain/actor';
import { AuditEntry, StoredFeedback } from '../memory/enforcement-records';
import { MemoryService, StoredEvent } from '../memory/memory.service';
import { StoredVerdict } from '../domain/verdict';
import { DecisionAction, DecisionOrigin, StoredDecision } from '../domain/decision';
import { LlmMetrics } from '../metrics/llm-metrics';
import { MetricsService } from '../metrics/metrics.service';
import { MinuteCountCache } from './minute-cache';
import { ingestCounters, minuteSeries, Overview } from './overview';

export const DECISION_VIEWS = ['in-force', 'pending', 'simulated', 'ended'] as const;
export type DecisionView = (typeof DECISION_VIEWS)[number];

export interface DecisionFilter {
  view: DecisionView;
  value?: string;
  ruleId?: string;
  origin?: DecisionOrigin;
  action?: DecisionAction;
  page: number;
}

export const PAGE_SIZE = 50;
const OVERVIEW_MINUTES = 60;

export interface ActorPage {
  profile: ActorProfile;
  summary: string;
  inForce: StoredDecision | null;
  events: StoredEvent[];
  verdicts: StoredVerdict[];
  decisions: StoredDecision[];
  audit: AuditEntry[];
  feedback: StoredFeedback[];
}

/** A filter the console refuses, with the reason to show. */
export class ConsoleInputError extends Error {}

/** What the console's pages show, read through Memory, the context builder and the metrics registry. */
@Injectable()
export class ConsoleService implements OnApplicationBootstrap {
  private readonly minutes: MinuteCountCache;

  constructor(
    private readonly memory: MemoryService,
    private readonly context: ContextService,
    private readonly llm: LlmMetrics,
    private readonly metrics: MetricsService,
  ) {
    this.minutes = new MinuteCountCache((since) => this.memory.eventsPerMinute(since));
  }

  /**
   * Counts the last hour's events once at start-up, in the background: with a million of them
   * that takes seconds, which the first overview would otherwise wait for.
   */
  onApplicationBootstrap(): void {
    const now = new Date();
    this.minutes.counts(windowStart(now), now).catch((error: unknown) => {
      new Logger(ConsoleService.name).warn(`events per minute not counted ahead: ${(error as Error).message}`);
    });
  }

  async overview(now = new Date()): Promise<Overview> {
    const since = windowStart(now);
    const [rows, decisions, pending, stats, registry] = await Promise.all([
      this.minutes.counts(since, now),
      this.memory.decisionTallies(now),
      this.memory.listDecisions({ now, inForceOnly: false, status: 'pending', limit: 1, offset: 0 }),
      this.llm.snapshot(),
      this.metrics.registry.getMetricsAsJSON(),
    ]);
    return {
      now: now.toISOString(),
      eventsPerMinute: minuteSeries(rows, now, OVERVIEW_MINUTES),
      // prom-client types `type` as a numeric enum; at run time it is the name ("counter").
      ingestCounters: ingestCounters(registry.map((m) => ({ ...m, type: String(m.type) }))),
      decisions,
      pendingCount: pending.total,
      llm: {
        provider: stats.setup?.provider ?? 'heuristic',
        model: stats.setup?.model ?? null,
        breaker: stats.breaker.state,
        queueDepth: stats.queue.depth,
        inFlight: stats.queue.inFlight,
        budgetUsedLastMinute: stats.budget.usedLastMinute,
        calls: stats.calls,
        fallbacks: Object.values(stats.fallbacks).reduce((a, b) => a + b, 0),
      },
    };
  }

  /** The newest decisions in force and the pending ones, for the overview's lists. */
  async latest(now = new Date()): Promise<{ inForce: StoredDecision[]; pending: StoredDecision[] }> {
    const [inForce, pending] = await Promise.all([
      this.memory.listDecisions({ now, inForceOnly: true, status: 'active', limit: 10, offset: 0 }),
      this.memory.listDecisions({ now, inForceOnly: false, status: 'pending', limit: 10, offset: 0 }),
    ]);
    return { inForce: inForce.items, pending: pending.items };
  }

  async decisions(filter: DecisionFilter, now = new Date()): Promise<{ total: number; items: StoredDecision[] }> {
    const value = filter.value === undefined ? undefined : canonicalValue(filter.value);
    const page = { limit: PAGE_SIZE, offset: (filter.page - 1) * PAGE_SIZE };
    const common = { value, ruleId: filter.ruleId, origin: filter.origin, action: filter.action, ...page };
    switch (filter.view) {
      case 'in-force':
        return this.memory.listDecisions({ now, inForceOnly: true, status: 'active', ...common });
      case 'pending':
        return this.memory.listDecisions({ now, inForceOnly: false, status: 'pending', ...common });
      case 'simulated':
        return this.memory.listDecisions({ now, inForceOnly: true, status: 'simulated', ...common });
      case 'ended':
        return this.memory.endedDecisions({ now, ...common });
    }
  }

  /** Everything known about an address, or null when it was never seen. */
  async actor(raw: string, now = new Date()): Promise<ActorPage | null> {
    const ip = actorKeyFrom(raw);
    if (ip === null) {
      throw new ConsoleInputError('not a valid IP address, host name or local actor (user@host)');
    }
    const profile = await this.memory.getActor(ip);
    if (profile === null) {
      return null;
    }
    const [events, verdicts, decisions, audit, feedback] = await Promise.all([
      this.memory.recentEvents(ip, 100),
      this.memory.verdictsFor(ip, 20),
      this.memory.decisionsFor(ip, 50),
      this.memory.auditTrail({ value: ip, limit: 100, offset: 0 }),
      this.memory.feedbackFor(ip, 20),
    ]);
    const inForce = this.memory.inForce(decisions, now);
    const context = await this.context.withHistory(profile, inForce);
    return { profile, summary: context.summary, inForce, events, verdicts, decisions, audit: audit.items, feedback };
  }

  audit(filter: { value?: string; who?: string; page: number }): Promise<{ total: number; items: AuditEntry[] }> {
    return this.memory.auditTrail({
      value: filter.value === undefined ? undefined : canonicalValue(filter.value),
      who: filter.who,
      limit: PAGE_SIZE,
      offset: (filter.page - 1) * PAGE_SIZE,
    });
  }
}

/** The first minute the overview shows. */
function windowStart(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000 - (OVERVIEW_MINUTES - 1) * 60_000);
}

function canonicalValue(text: string): string {
  try {
    return decisionTarget(text.trim()).value;
  } catch (error) {
    throw new ConsoleInputError((error as Error).message);
  }
}
