import { TaggedEvent } from '../domain/event';
import { tag } from '../ingest/signals/detectors';
import { LineFormat } from '../ingest/parsers/formats';
import { parseLine } from '../ingest/parsers/line';
import { logEnd } from './log-end';
import { readLines } from './line-reader';
import { newLineStream } from '../ingest/parsers/web-lines';

export interface BatchOptions {
  /** Forced line format; undefined = detect each line. */
  format?: LineFormat;
  /** Reference time for parsing (a syslog stamp's missing year); event times are never clamped to it. */
  now: Date;
  /** `now` is the wall clock, not given: take the log's own end instead (log-end.ts). */
  nowFromLog?: boolean;
  /** Most events per write transaction. */
  batchSize: number;
  /** Most event time one write may span: decisions are stamped with the latest event time of their write. */
  batchSpanSeconds: number;
}

/** Events for one write, with the earliest and latest event time among them (ms). */
export interface Batch {
  events: TaggedEvent[];
  first: number;
  last: number;
  /** Lines read up to the end of this batch (its events' lines and the rejected ones before them). */
  linesRead?: number;
}

export interface LineCounts {
  lines: number;
  parsed: number;
  rejected: number;
  /** Why lines were rejected, most frequent first (at most 10 reasons once finished). */
  reasons: Map<string, number>;
  actors: Set<string>;
}

const emptyBatch = (): Batch => ({ events: [], first: Infinity, last: -Infinity });

/**
 * Parses lines one at a time (the ingest parsers, then signal detection) into write batches: a
 * batch closes when it is full or when the next event would make it span more event time than
 * allowed. Counts what it reads.
 */
export class LineBatcher {
  readonly counts: LineCounts = { lines: 0, parsed: 0, rejected: 0, reasons: new Map(), actors: new Set() };
  private batch = emptyBatch();
  private readonly spanMs: number;
  /** The file is one stream: an IIS #Fields: directive holds for the lines after it. */
  private readonly stream = newLineStream();

  constructor(private readonly options: BatchOptions) {
    this.spanMs = options.batchSpanSeconds * 1000;
  }

  /** Takes a line; returns the batch it closed, if it closed one. */
  push(line: string): Batch | null {
    const counts = this.counts;
    counts.lines += 1;
    const parsed = parseLine(line, {
      now: this.options.now,
      format: this.options.format,
      clampFuture: false,
      stream: this.stream,
    });
    if (!parsed.ok) {
      counts.rejected += 1;
      counts.reasons.set(parsed.reason, (counts.reasons.get(parsed.reason) ?? 0) + 1);
      return null;
    }
    counts.parsed += 1;
    const event = tag(parsed.event);
    const time = event.eventTime.getTime();
    let closed: Batch | null = null;
    const batch = this.batch;
    if (
      batch.events.length >= this.options.batchSize ||
      Math.max(batch.last, time) - Math.min(batch.first, time) > this.spanMs
    ) {
      closed = batch;
      closed.linesRead = counts.lines - 1;
      this.batch = emptyBatch();
    }
    counts.actors.add(event.sourceIp);
    this.batch.events.push(event);
    this.batch.first = Math.min(this.batch.first, time);
    this.batch.last = Math.max(this.batch.last, time);
    return closed;
  }

  /** The last batch, if it has events; the reasons are cut to the ten most frequent. */
  finish(): Batch | null {
    this.counts.reasons = new Map([...this.counts.reasons].sort((a, b) => b[1] - a[1]).slice(0, 10));
    const last = this.batch;
    last.linesRead = this.counts.lines;
    this.batch = emptyBatch();
    return last.events.length > 0 ? last : null;
  }
}

/** Write batches, and what was read once they have all been taken. */
export interface BatchSource {
  batches: AsyncIterable<Batch>;
  /** The counts; only once `batches` is exhausted. */
  counts(): LineCounts;
}

/**
 * Batches of lines parsed on this thread. Lines that come synchronously (readLines) are parsed
 * from one batch to the next without waiting, and the source yields at each batch.
 */
export function batchLines(lines: Iterable<string> | AsyncIterable<string>, options: BatchOptions): BatchSource {
  const batcher = new LineBatcher(options);
  let finished = false;
  async function* batches(): AsyncGenerator<Batch> {
    if (Symbol.asyncIterator in lines) {
      for await (const line of lines) {
        const closed = batcher.push(line);
        if (closed !== null) {
          yield closed;
        }
      }
    } else {
      for (const line of lines) {
        const closed = batcher.push(line);
        if (closed !== null) {
          yield closed;
        }
      }
    }
    const last = batcher.finish();
    finished = true;
    if (last !== null) {
      yield last;
    }
  }
  return {
    batches: batches(),
    counts: () => {
      if (!finished) {
        throw new Error('counts asked for before the last line was read');
      }
      return batcher.counts;
    },
  };
}

/** A source that reads a file, and can be stopped before its end. */
export type FileBatchSource = BatchSource & { close(): Promise<void> };

/**
 * Batches of a log file parsed on this thread, read synchronously (readLines), which opens the
 * file when the first batch is asked for and closes it at its end, or at `close`.
 */
export function batchFile(file: string, options: BatchOptions): FileBatchSource {
  const now = options.nowFromLog === true ? logEnd(file, options.format, options.now) : options.now;
  const lines = readLines(file);
  return {
    ...batchLines(lines, { ...options, now }),
    close: () => {
      lines.return();
      return Promise.resolve();
    },
  };
}
