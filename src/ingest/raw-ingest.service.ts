import { BadRequestException, Injectable, PayloadTooLargeException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Environment } from '../config/environment';
import { BatchResultDto } from './dto/ingest-result.dto';
import { EventSink, ReadItem } from './event-sink';
import { classifyLine } from './parsers/detect';
import { isLineFormat, LineFormat } from './parsers/formats';
import { MAX_LINE_BYTES, parseLine } from './parsers/line';
import { LineStream, newLineStream } from './parsers/web-lines';
import { MAX_FUTURE_SKEW_MS } from './event-time';

/** One raw line and what its envelope (HEC, syslog listener) already knows about it. */
export interface LineInput {
  line: string;
  format?: LineFormat;
  /** Event time from the envelope (ms since epoch); wins over the line's own. */
  time?: number;
  host?: string;
}

/** Splits text into lines (LF or CRLF), dropping blank ones but keeping line numbers. */
export function splitLines(text: string): LineInput[] {
  const out: (LineInput & { number: number })[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() !== '') {
      out.push({ line, number: index + 1 });
    }
  });
  return out;
}

/**
 * Reads each line through the shared parsers, in order: its event, or why it cannot be one.
 * A failed line also gets the format it was read as (forced, or detected), for the metrics.
 * The lines are one stream (an IIS `#Fields:` directive applies to the lines after it); a
 * caller whose lines continue over several calls (a syslog connection) passes its own.
 */
export function readLines(
  inputs: (LineInput & { number?: number })[],
  now: Date,
  stream: LineStream = newLineStream(),
): ReadItem[] {
  return inputs.map((input) => {
    const parsed = parseLine(input.line, { now, format: input.format, stream });
    if (!parsed.ok) {
      return { parsed, format: input.format ?? formatOfFailed(input.line, now), line: input.number };
    }
    const event = parsed.event;
    if (input.time !== undefined) {
      event.eventTime = new Date(Math.min(input.time, now.getTime() + MAX_FUTURE_SKEW_MS));
    }
    event.original ??= input.line;
    if (event.host === undefined && input.host !== undefined) {
      event.host = input.host;
    }
    return { parsed, format: input.format ?? event.lineFormat ?? 'auto', line: input.number };
  });
}

/**
 * The format a line that could not be used was read as, for the metrics: `unknown` when it
 * has no syslog header either (detection falls back to syslog, whose parser then fails), as a
 * bare message that names no program (`New session 42 of user alice.`) has not.
 */
function formatOfFailed(line: string, now: Date): string {
  if (line.length > MAX_LINE_BYTES) {
    return 'unknown';
  }
  const { format, syslog } = classifyLine(line, now);
  const isSyslog = format === 'syslog3164' || format === 'syslog5424';
  return isSyslog && syslog?.ok !== true ? 'unknown' : format;
}

/** `POST /ingest-log/raw`: one event per line, in any supported format. */
@Injectable()
export class RawIngestService {
  private readonly maxBatch: number;

  constructor(
    private readonly sink: EventSink,
    config: ConfigService<Environment, true>,
  ) {
    this.maxBatch = config.get('INGEST_MAX_BATCH', { infer: true });
  }

  /** `format` as given in `?format=`: validated here so that a typo is a 400, not a guess. */
  checkFormat(format: string | undefined): LineFormat | undefined {
    if (format === undefined || format === '' || format === 'auto') {
      return undefined;
    }
    if (!isLineFormat(format)) {
      throw new BadRequestException(`unknown format "${format.slice(0, 32)}"`);
    }
    return format;
  }

  async ingestRaw(body: unknown, format: string | undefined, source: string | null = null): Promise<BatchResultDto> {
    if (typeof body !== 'string') {
      throw new BadRequestException('send text/plain: one event per line');
    }
    const forced = this.checkFormat(format);
    const lines = splitLines(body).map((input) => ({ ...input, format: forced }));
    if (lines.length === 0) {
      throw new BadRequestException('no lines');
    }
    if (lines.length > this.maxBatch) {
      throw new PayloadTooLargeException(
        `the body holds ${lines.length} lines; the limit is ${this.maxBatch} (INGEST_MAX_BATCH)`,
      );
    }
    this.sink.assertNotBusy();
    return this.sink.storeItems('ingest_raw', readLines(lines, new Date()), source);
  }
}
