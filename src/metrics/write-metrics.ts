import { Injectable, OnModuleInit } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MemoryService } from '../memory/memory.service';
import { DecisionNotice, FlushReport, WriteObserver } from '../memory/write-observer';
import { MetricsService } from './metrics.service';

/** Events per flush: from a lone request up to a replay's full flush (20,000). */
const FLUSH_SIZE_BUCKETS = [1, 5, 25, 100, 500, 2000, 5000, 10_000, 20_000];
const FLUSH_SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The write path seen from outside: queue depth, flush sizes and durations, events committed,
 * and decisions committed by action, rule, origin and status. Rule ids come from the policy
 * file and the LLM advice's fixed ids, so the label stays bounded.
 */
@Injectable()
export class WriteMetrics implements WriteObserver, OnModuleInit {
  private readonly flushes: Counter<'result'>;
  private readonly stored: Counter;
  private readonly flushEvents: Histogram;
  private readonly flushSeconds: Histogram<'stage'>;
  private readonly decisions: Counter<'action' | 'rule' | 'origin' | 'status'>;
  private readonly approvals: Counter<'action' | 'rule'>;

  constructor(
    metrics: MetricsService,
    private readonly memory: MemoryService,
  ) {
    const registers = [metrics.registry];
    this.flushes = new Counter({
      name: 'soc_write_flushes_total',
      help: 'Write transactions (group commits), by result.',
      labelNames: ['result'],
      registers,
    });
    this.stored = new Counter({ name: 'soc_events_stored_total', help: 'Events committed to the store.', registers });
    this.flushEvents = new Histogram({
      name: 'soc_write_flush_events',
      help: 'Events per committed write transaction.',
      buckets: FLUSH_SIZE_BUCKETS,
      registers,
    });
    this.flushSeconds = new Histogram({
      name: 'soc_write_flush_duration_seconds',
      help: 'Time per flush stage: plan (read, judge, build rows) and persist (write, commit with fsync).',
      labelNames: ['stage'],
      buckets: FLUSH_SECONDS_BUCKETS,
      registers,
    });
    this.decisions = new Counter({
      name: 'soc_decisions_total',
      help: 'Decisions committed, by action, rule, origin and status (active, pending, simulated).',
      labelNames: ['action', 'rule', 'origin', 'status'],
      registers,
    });
    this.approvals = new Counter({
      name: 'soc_decisions_approved_total',
      help: 'Pending decisions an analyst approved, by action and rule.',
      labelNames: ['action', 'rule'],
      registers,
    });
    const read = (depth: () => number) =>
      function (this: Gauge) {
        this.set(depth());
      };
    new Gauge({
      name: 'soc_write_queue_events',
      help: 'Events submitted and not yet committed (ingest answers 503 beyond INGEST_MAX_PENDING).',
      registers,
      collect: read(() => memory.pendingWrites),
    });
    new Gauge({
      name: 'soc_write_queue_waiting',
      help: 'Requests and jobs waiting to be taken into a write transaction.',
      registers,
      collect: read(() => memory.waitingWrites),
    });
    ['committed', 'rolled_back'].forEach((result) => this.flushes.inc({ result }, 0));
  }

  onModuleInit(): void {
    this.memory.observeWrites(this);
  }

  flushed(report: FlushReport): void {
    this.flushes.inc({ result: report.committed ? 'committed' : 'rolled_back' });
    this.flushSeconds.observe({ stage: 'plan' }, report.planMs / 1000);
    if (!report.committed) {
      return;
    }
    this.flushSeconds.observe({ stage: 'persist' }, report.persistMs / 1000);
    if (report.events > 0) {
      this.stored.inc(report.events);
      this.flushEvents.observe(report.events);
    }
  }

  decided(notices: readonly DecisionNotice[]): void {
    for (const { change, decision } of notices) {
      if (change === 'approved') {
        this.approvals.inc({ action: decision.action, rule: decision.ruleId });
      } else {
        this.decisions.inc({
          action: decision.action,
          rule: decision.ruleId,
          origin: decision.origin,
          status: decision.status,
        });
      }
    }
  }
}
