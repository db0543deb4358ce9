import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Environment } from '../../config/environment';
import { NormalisedEvent } from '../event';
import { EventSink } from '../event-sink';
import { IngestTally } from '../ingest-tally';
import { isLineFormat } from '../parsers/formats';
import { parseRecord } from '../record';
import { LineInput, parseLines, splitLines } from '../raw-ingest.service';
import {
  HEC,
  HecAnswer,
  invalidDataFormat,
  readEnvelope,
  splitConcatenatedJson,
  formatForSourcetype,
} from './hec-protocol';

/**
 * Splunk HEC semantics: events are read in order; at the first one that cannot be used the
 * answer names it (`invalid-event-number`) and the events before it are stored, as Splunk
 * does, so that a forwarder's retry of the rest does not duplicate them.
 */
@Injectable()
export class HecService {
  private readonly maxBatch: number;

  constructor(
    private readonly sink: EventSink,
    config: ConfigService<Environment, true>,
  ) {
    this.maxBatch = config.get('INGEST_MAX_BATCH', { infer: true });
  }

  health(): HecAnswer {
    return this.sink.busy ? HEC.busy : HEC.healthy;
  }

  async ingestEvents(body: unknown): Promise<HecAnswer> {
    const text = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
    if (text.trim() === '') {
      return HEC.noData;
    }
    if (this.sink.busy) {
      return HEC.busy;
    }
    const split = splitConcatenatedJson(text);
    const envelopes = split.values;
    const limit = Math.min(envelopes.length, this.maxBatch);
    const now = new Date();
    const events: NormalisedEvent[] = [];
    const tally = new IngestTally('hec_event');
    let failure: HecAnswer | null = null;
    for (let index = 0; index < limit && failure === null; index += 1) {
      const item = readEnvelope(envelopes[index], index);
      if (item.kind === 'error') {
        tally.failed('json', undefined);
        failure = item.answer;
      } else if (item.kind === 'record') {
        const parsed = parseRecord(item.record, now);
        if (parsed.ok) {
          tally.ok('json');
          events.push(parsed.event);
        } else {
          tally.failed('json', parsed.reason);
          failure = invalidDataFormat(index, parsed.reason);
        }
      } else {
        const format = item.format !== undefined && isLineFormat(item.format) ? item.format : undefined;
        const parsed = parseLines([{ line: item.line, format, time: item.time, host: item.host }], now, tally);
        if (parsed.events.length === 1) {
          events.push(parsed.events[0]);
        } else {
          failure = invalidDataFormat(index, parsed.errors[0]?.reason);
        }
      }
    }
    if (failure === null && split.invalidAt !== undefined) {
      tally.failed('json', 'not valid JSON');
      failure = invalidDataFormat(split.invalidAt, 'not valid JSON');
    }
    this.sink.tallied(tally);
    if (failure === null && envelopes.length > this.maxBatch) {
      failure = invalidDataFormat(this.maxBatch, `more than ${this.maxBatch} events in one request (INGEST_MAX_BATCH)`);
    }
    if (events.length > 0) {
      await this.sink.storeBatch(events, []);
    }
    return failure ?? HEC.success;
  }

  /** `/services/collector/raw`: one event per line; `sourcetype` may name the format. */
  async ingestRaw(body: unknown, sourcetype: string | undefined): Promise<HecAnswer> {
    const text = typeof body === 'string' ? body : '';
    const lines: LineInput[] = splitLines(text);
    if (lines.length === 0) {
      return HEC.noData;
    }
    if (this.sink.busy) {
      return HEC.busy;
    }
    if (lines.length > this.maxBatch) {
      return invalidDataFormat(this.maxBatch, `more than ${this.maxBatch} lines in one request (INGEST_MAX_BATCH)`);
    }
    const known = formatForSourcetype(sourcetype);
    const format = known !== undefined && isLineFormat(known) ? known : undefined;
    const tally = new IngestTally('hec_raw');
    const { events, errors } = parseLines(
      lines.map((input) => ({ ...input, format })),
      new Date(),
      tally,
    );
    this.sink.tallied(tally);
    const firstBad = errors[0];
    const usable = firstBad === undefined ? events : events.slice(0, firstBad.index);
    if (usable.length > 0) {
      await this.sink.storeBatch(usable, []);
    }
    return firstBad === undefined ? HEC.success : invalidDataFormat(firstBad.index, firstBad.reason);
  }
}
