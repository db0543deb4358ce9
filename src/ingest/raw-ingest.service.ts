import { BadRequestException, Injectable, PayloadTooLargeException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Environment } from '../config/environment';
import { BatchResultDto, RecordErrorDto } from './dto/ingest-result.dto';
import { NormalisedEvent } from './event';
import { EventSink } from './event-sink';
import { IngestTally } from './ingest-tally';
import { isLineFormat, LineFormat } from './parsers/formats';
import { parseLine } from './parsers/line';
import { MAX_FUTURE_SKEW_MS } from './event-time';

/** One raw line and what its envelope (HEC, syslog listener) already knows about it. */
export interface LineInput {
  line: string;
  format?: LineFormat;
  /** Event time from the envelope (ms since epoch); wins over the line's own. */
  time?: number;
  host?: string;
}

export interface ParsedLines {
  events: NormalisedEvent[];
  errors: RecordErrorDto[];
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
 * Parses lines through the shared parsers; each bad one is reported with its reason. `tally`,
 * when given, counts each line by the format it was read as (for the metrics).
 */
export function parseLines(inputs: (LineInput & { number?: number })[], now: Date, tally?: IngestTally): ParsedLines {
  const events: NormalisedEvent[] = [];
  const errors: RecordErrorDto[] = [];
  const detected: { format?: LineFormat } = {};
  inputs.forEach((input, index) => {
    detected.format = undefined;
    const parsed = parseLine(input.line, { now, format: input.format, detected });
    if (!parsed.ok) {
      tally?.failed(detected.format, parsed.reason);
      errors.push({ index, line: input.number, reason: parsed.reason });
      return;
    }
    tally?.ok(detected.format ?? 'unknown');
    const event = parsed.event;
    if (input.time !== undefined) {
      event.eventTime = new Date(Math.min(input.time, now.getTime() + MAX_FUTURE_SKEW_MS));
    }
    event.original ??= input.line;
    if (event.host === undefined && input.host !== undefined) {
      event.host = input.host;
    }
    events.push(event);
  });
  return { events, errors };
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

  async ingestRaw(body: unknown, format: string | undefined): Promise<BatchResultDto> {
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
    const tally = new IngestTally('raw');
    const { events, errors } = parseLines(lines, new Date(), tally);
    this.sink.tallied(tally);
    if (events.length === 0) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: 'no line could be used',
        errors,
      });
    }
    return this.sink.storeBatch(events, errors);
  }
}
