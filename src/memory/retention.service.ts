import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Environment } from '../config/environment';
import { RetentionPeriods, retentionPeriods } from '../config/retention-period';
import { MemoryService } from './memory.service';
import { PURGE_STEPS, PurgeCutoffs, PurgeStep } from './retention-queries';

/** Rows per purge transaction: a few milliseconds of the writer's time, so ingest never waits long. */
export const PURGE_BATCH = 5000;

/** Batches queued at once (see purgeStep): the writer's pipeline holds up to four flushes. */
export const PURGE_IN_FLIGHT = 3;

/** How often a pass runs: a tenth of the shortest retention, between 1 s and a minute. */
export function purgeInterval(periods: RetentionPeriods): number | null {
  const set = [periods.events, periods.decisions, periods.audit].filter((p): p is number => p !== null);
  return set.length === 0 ? null : Math.min(60_000, Math.max(1000, Math.min(...set) / 10));
}

export function purgeCutoffs(periods: RetentionPeriods, now: Date): PurgeCutoffs {
  const before = (period: number | null): number | null => (period === null ? null : now.getTime() - period);
  return {
    now: now.getTime(),
    events: before(periods.events),
    decisions: before(periods.decisions),
    audit: before(periods.audit),
  };
}

export type PurgeCounts = Record<PurgeStep, number>;

/**
 * Purges what is older than its retention (EVENT_RETENTION, DECISION_RETENTION,
 * AUDIT_RETENTION), every purgeInterval, in batches of PURGE_BATCH rows. Each batch is a job in
 * the writer's serialised transaction, like any write, that does not hold back the planning of
 * the flushes after it, and a few batches are queued at once, so that ingest's flushes and
 * the purge's interleave, one batch per flush, instead of ingest waiting for a long delete. SQLite puts the
 * freed pages on its free list and new rows reuse them, so the file stops growing once the
 * stream and the purge balance (bench/retention-soak.bench.ts measures it).
 * Not part of the replay, whose clock is the log's.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RetentionService.name);
  private readonly periods: RetentionPeriods;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<PurgeCounts> | null = null;
  private stopped = false;

  constructor(
    private readonly memory: MemoryService,
    config: ConfigService<Environment, true>,
  ) {
    this.periods = retentionPeriods({
      EVENT_RETENTION: config.get('EVENT_RETENTION', { infer: true }),
      DECISION_RETENTION: config.get('DECISION_RETENTION', { infer: true }),
      AUDIT_RETENTION: config.get('AUDIT_RETENTION', { infer: true }),
    });
  }

  onApplicationBootstrap(): void {
    const interval = purgeInterval(this.periods);
    if (interval !== null) {
      this.schedule(interval);
    }
  }

  /** Stops between batches, before the writer drains and the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) {
      clearTimeout(this.timer);
    }
    await this.running?.catch(() => undefined);
  }

  /** One pass now (or the one under way): every step until it has nothing older than its cutoff. */
  runOnce(now: Date = new Date()): Promise<PurgeCounts> {
    this.running ??= this.pass(now).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private schedule(interval: number): void {
    this.timer = setTimeout(() => {
      this.runOnce()
        .catch((error: unknown) =>
          this.logger.warn(`retention pass failed, retried later: ${(error as Error).message}`),
        )
        .finally(() => {
          if (!this.stopped) {
            this.schedule(interval);
          }
        });
    }, interval);
    this.timer.unref();
  }

  /**
   * Every row of one step older than its cutoff, PURGE_BATCH at a time, with PURGE_IN_FLIGHT
   * batches queued so that consecutive flushes each carry one: a purge that waited for each
   * batch to commit before queueing the next would fall behind a busy stream.
   */
  private async purgeStep(step: PurgeStep, cutoffs: PurgeCutoffs): Promise<number> {
    let purged = 0;
    let more = true;
    const worker = async (): Promise<void> => {
      while (more && !this.stopped) {
        const batch = await this.memory.purge(step, cutoffs, PURGE_BATCH);
        purged += batch;
        if (batch < PURGE_BATCH) {
          more = false;
        }
      }
    };
    await Promise.all(Array.from({ length: PURGE_IN_FLIGHT }, () => worker()));
    return purged;
  }

  private async pass(now: Date): Promise<PurgeCounts> {
    const started = Date.now();
    const cutoffs = purgeCutoffs(this.periods, now);
    const counts = Object.fromEntries(PURGE_STEPS.map((step) => [step, 0])) as PurgeCounts;
    for (const step of PURGE_STEPS) {
      counts[step] = await this.purgeStep(step, cutoffs);
    }
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    if (total > 0) {
      const parts = PURGE_STEPS.filter((step) => counts[step] > 0).map((step) => `${counts[step]} ${step}`);
      this.logger.log(`retention: purged ${parts.join(', ')} in ${Date.now() - started} ms`);
    }
    return counts;
  }
}
