import { TaggedEvent } from '../domain/event';
import { RecordResult } from '../memory/records';
import { StoredDecision } from '../domain/decision';
import type { Batch, BatchSource, LineCounts } from './line-batches';
import { ReplayApp } from './replay-app';
import { byText } from './report';

export interface ReplayCounts extends LineCounts {
  firstEvent: Date | null;
  lastEvent: Date | null;
}

export interface ReplayResult {
  counts: ReplayCounts;
  decisions: StoredDecision[];
  seconds: number;
}

/**
 * Feeds events to the service's own write path on event time: before each write the clock
 * moves to the latest event time seen, so windows, decision times and expiries are the log's.
 */
export class Replayer {
  private readonly decisions = new Map<string, StoredDecision>();

  constructor(private readonly app: ReplayApp) {}

  /** Writes events on event time: the write's time is `latest`, and the clock moves on to it. */
  async write(events: TaggedEvent[], latest: Date): Promise<void> {
    this.app.clock.advanceTo(latest);
    this.collect(await this.app.triage.record(events, latest));
  }

  collect(result: RecordResult): void {
    for (const decision of result.made ?? []) {
      this.decisions.set(decision.id, decision);
    }
  }

  get made(): StoredDecision[] {
    return [...this.decisions.values()].sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || byText(a.id, b.id),
    );
  }

  /**
   * Writes parsed batches in order. Up to `AHEAD` writes are in flight, so that Memory plans
   * one write while it persists the one before, and the parser keeps going meanwhile.
   */
  async batches(source: BatchSource, progress?: (linesRead: number, events: number) => void): Promise<ReplayResult> {
    const started = process.hrtime.bigint();
    const writes = new WriteQueue((batch, latest) => this.write(batch.events, latest));
    let events = 0;
    for await (const batch of source.batches) {
      await writes.push(batch);
      events += batch.events.length;
      progress?.(batch.linesRead ?? 0, events);
    }
    await writes.finish();
    const { first, last } = writes.range;
    const counts: ReplayCounts = {
      ...source.counts(),
      firstEvent: Number.isFinite(first) ? new Date(first) : null,
      lastEvent: Number.isFinite(last) ? new Date(last) : null,
    };
    return { counts, decisions: this.made, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  }
}

/** Writes submitted and not yet committed, at most this many. */
const AHEAD = 8;

/**
 * Submits batches in order without waiting for each to commit, so that Memory can plan one
 * write while it persists the one before (writes commit in the order submitted). Each write's
 * time is the latest event time of the batches submitted so far and its own.
 */
class WriteQueue {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: Error | null = null;
  readonly range = { first: Infinity, last: -Infinity };

  constructor(private readonly write: (batch: Batch, latest: Date) => Promise<void>) {}

  /** Submits a batch; waits while too many are in flight. */
  async push(batch: Batch): Promise<void> {
    this.rethrow();
    this.range.first = Math.min(this.range.first, batch.first);
    this.range.last = Math.max(this.range.last, batch.last);
    const write: Promise<void> = this.write(batch, new Date(this.range.last)).then(
      () => {
        this.inFlight.delete(write);
      },
      (error: unknown) => {
        this.inFlight.delete(write);
        this.failure ??= error instanceof Error ? error : new Error(String(error));
      },
    );
    this.inFlight.add(write);
    while (this.inFlight.size >= AHEAD) {
      await Promise.race(this.inFlight);
    }
    this.rethrow();
  }

  async finish(): Promise<void> {
    await Promise.all(this.inFlight);
    this.rethrow();
  }

  private rethrow(): void {
    if (this.failure !== null) {
      throw this.failure;
    }
  }
}
