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
   * Parses lines and writes them in large batches, one write in flight while the next batch is
   * parsed (SQLite works on its own thread meanwhile).
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
    let batch: Batch = { events: [], first: Infinity, last: -Infinity };
    let latest = -Infinity;
    let inFlight: Promise<void> | null = null;
    const submit = async (): Promise<void> => {
      if (inFlight !== null) {
        await inFlight;
      }
      latest = Math.max(latest, batch.last);
      inFlight = this.write(batch.events, new Date(latest));
      batch = { events: [], first: Infinity, last: -Infinity };
    };
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
        await submit();
      }
      counts.actors.add(event.sourceIp);
      batch.events.push(event);
      batch.first = Math.min(batch.first, time);
      batch.last = Math.max(batch.last, time);
      counts.firstEvent =
        counts.firstEvent === null || time < counts.firstEvent.getTime() ? event.eventTime : counts.firstEvent;
      counts.lastEvent =
        counts.lastEvent === null || time > counts.lastEvent.getTime() ? event.eventTime : counts.lastEvent;
    }
    if (batch.events.length > 0) {
      await submit();
    }
    if (inFlight !== null) {
      await inFlight;
    }
    counts.reasons = new Map([...counts.reasons].sort((a, b) => b[1] - a[1]).slice(0, 10));
    return { counts, decisions: this.made, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  }
}
