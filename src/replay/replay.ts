import { NormalisedEvent } from '../ingest/event';
import { tag } from '../ingest/event-sink';
import { LineFormat } from '../ingest/parsers/detect';
import { parseLine } from '../ingest/parsers/line';
import { RecordResult, StoredDecision } from '../memory/records';
import { ReplayApp } from './replay-app';

export interface ReplayOptions {
  /** Forced line format; undefined = detect each line. */
  format?: LineFormat;
  /** Reference time for parsing (a syslog stamp's missing year, the future-skew bound). */
  now: Date;
  /** Most events per write transaction. */
  batchSize: number;
  /** Most event time one write may span: decisions are stamped with the latest event time of their write. */
  batchSpanSeconds: number;
}

export interface ReplayCounts {
  lines: number;
  parsed: number;
  rejected: number;
  /** Why lines were rejected, most frequent first (at most 10 reasons). */
  reasons: Map<string, number>;
  actors: Set<string>;
  firstEvent: Date | null;
  lastEvent: Date | null;
}

export interface ReplayResult {
  counts: ReplayCounts;
  decisions: StoredDecision[];
  seconds: number;
}

interface Batch {
  events: NormalisedEvent[];
  first: number;
  last: number;
}

/**
 * Feeds events to the service's own write path on event time: before each write the clock
 * moves to the latest event time seen, so windows, decision times and expiries are the log's.
 */
export class Replayer {
  private readonly decisions = new Map<string, StoredDecision>();

  constructor(private readonly app: ReplayApp) {}

  async write(events: NormalisedEvent[], latest: Date): Promise<void> {
    this.app.clock.advanceTo(latest);
    this.collect(await this.app.memory.recordEvents(events.map(tag)));
  }

  collect(result: RecordResult): void {
    for (const decision of result.made ?? []) {
      this.decisions.set(decision.id, decision);
    }
  }

  get made(): StoredDecision[] {
    return [...this.decisions.values()].sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id),
    );
  }

  /**
   * Parses lines and writes them in large batches. Parsing runs ahead of the writes (up to
   * `AHEAD` batches), so that the main thread parses while SQLite works on its own thread.
   */
  async lines(source: AsyncIterable<string>, options: ReplayOptions): Promise<ReplayResult> {
    const started = process.hrtime.bigint();
    const counts: ReplayCounts = {
      lines: 0,
      parsed: 0,
      rejected: 0,
      reasons: new Map(),
      actors: new Set(),
      firstEvent: null,
      lastEvent: null,
    };
    const writes = new WriteQueue((batch, latest) => this.write(batch.events, latest));
    let batch: Batch = { events: [], first: Infinity, last: -Infinity };
    const spanMs = options.batchSpanSeconds * 1000;
    for await (const line of source) {
      counts.lines += 1;
      const parsed = parseLine(line, { now: options.now, format: options.format });
      if (!parsed.ok) {
        counts.rejected += 1;
        counts.reasons.set(parsed.reason, (counts.reasons.get(parsed.reason) ?? 0) + 1);
        continue;
      }
      counts.parsed += 1;
      const event = parsed.event;
      const time = event.eventTime.getTime();
      if (
        batch.events.length >= options.batchSize ||
        Math.max(batch.last, time) - Math.min(batch.first, time) > spanMs
      ) {
        await writes.push(batch);
        batch = { events: [], first: Infinity, last: -Infinity };
      }
      counts.actors.add(event.sourceIp);
      batch.events.push(event);
      batch.first = Math.min(batch.first, time);
      batch.last = Math.max(batch.last, time);
    }
    if (batch.events.length > 0) {
      await writes.push(batch);
    }
    await writes.finish();
    const { first, last } = writes.range;
    counts.firstEvent = Number.isFinite(first) ? new Date(first) : null;
    counts.lastEvent = Number.isFinite(last) ? new Date(last) : null;
    counts.reasons = new Map([...counts.reasons].sort((a, b) => b[1] - a[1]).slice(0, 10));
    return { counts, decisions: this.made, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  }
}

/** Batches parsed and not yet written, at most this many. */
const AHEAD = 8;

/**
 * Writes batches one after the other, in order, while more are parsed. Before each write the
 * clock moves to the latest event time of the batches written so far and this one.
 */
class WriteQueue {
  private readonly waiting: Batch[] = [];
  private running: Promise<void> | null = null;
  /** The write under way, to wait for one batch (not the whole queue) when too many are queued. */
  private current: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  private latest = -Infinity;
  readonly range = { first: Infinity, last: -Infinity };

  constructor(private readonly write: (batch: Batch, latest: Date) => Promise<void>) {}

  /** Queues a batch; waits while too many are queued. */
  async push(batch: Batch): Promise<void> {
    this.waiting.push(batch);
    this.range.first = Math.min(this.range.first, batch.first);
    this.range.last = Math.max(this.range.last, batch.last);
    this.running ??= this.drain();
    while (this.waiting.length > AHEAD && this.running !== null) {
      await this.current.catch(() => undefined);
    }
    this.rethrow();
  }

  async finish(): Promise<void> {
    while (this.running !== null) {
      await this.running;
    }
    this.rethrow();
  }

  private rethrow(): void {
    if (this.failure !== null) {
      throw this.failure;
    }
  }

  private async drain(): Promise<void> {
    try {
      for (let next = this.waiting.shift(); next !== undefined; next = this.waiting.shift()) {
        this.latest = Math.max(this.latest, next.last);
        this.current = this.write(next, new Date(this.latest));
        await this.current;
      }
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      this.waiting.length = 0;
    } finally {
      this.running = null;
    }
  }
}
