import { BadRequestException, Injectable, PayloadTooLargeException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Environment } from '../config/environment';
import { ActorOutcome } from '../memory/records';
import { BatchResultDto, IngestAcceptedDto, RecordErrorDto } from './dto/ingest-result.dto';
import { NormalisedEvent } from './event';
import { actorView, EventSink } from './event-sink';
import { IngestTally } from './ingest-tally';
import { tag } from './signals/detectors';
import { parseRecord } from './record';

/** Parses, tags and stores events; answers only after Memory has committed them. */
@Injectable()
export class IngestService {
  private readonly maxBatch: number;

  constructor(
    private readonly sink: EventSink,
    config: ConfigService<Environment, true>,
  ) {
    this.maxBatch = config.get('INGEST_MAX_BATCH', { infer: true });
  }

  async ingestOne(body: unknown): Promise<IngestAcceptedDto> {
    const parsed = parseRecord(body, new Date());
    const tally = new IngestTally('rest');
    if (!parsed.ok) {
      tally.failed('json', parsed.reason);
      this.sink.tallied(tally);
      throw new BadRequestException(parsed.reason);
    }
    tally.ok('json');
    this.sink.tallied(tally);
    this.sink.assertNotBusy();
    const event = tag(parsed.event);
    const result = await this.sink.record([event]);
    const outcome = result.actors.get(event.sourceIp) as ActorOutcome;
    return { id: result.eventIds[0], signals: event.signals, ...actorView(event.sourceIp, outcome) };
  }

  /** A JSON array, or NDJSON text (one record per line; blank lines are skipped). */
  async ingestBatch(body: unknown): Promise<BatchResultDto> {
    const records = typeof body === 'string' ? this.splitNdjson(body) : this.arrayOf(body);
    this.sink.assertNotBusy();
    const now = new Date();
    const events: NormalisedEvent[] = [];
    const errors: RecordErrorDto[] = [];
    const tally = new IngestTally('rest_batch');
    records.forEach((record, index) => {
      if ('error' in record) {
        tally.failed('json', record.error);
        errors.push({ index, line: record.line, reason: record.error });
        return;
      }
      const parsed = parseRecord(record.value, now);
      if (parsed.ok) {
        tally.ok('json');
        events.push(parsed.event);
      } else {
        tally.failed('json', parsed.reason);
        errors.push({ index, line: record.line, reason: parsed.reason });
      }
    });
    this.sink.tallied(tally);
    if (events.length === 0) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: 'no record in the batch could be used',
        errors,
      });
    }
    return this.sink.storeBatch(events, errors);
  }

  private arrayOf(body: unknown): { value: unknown; line?: number }[] {
    if (!Array.isArray(body)) {
      throw new BadRequestException(
        'a batch must be a JSON array of events, or NDJSON with Content-Type: application/x-ndjson',
      );
    }
    this.checkSize(body.length);
    return body.map((value: unknown) => ({ value }));
  }

  private splitNdjson(text: string): ({ value: unknown; line: number } | { error: string; line: number })[] {
    const lines = text.split('\n');
    const records: ({ value: unknown; line: number } | { error: string; line: number })[] = [];
    lines.forEach((raw, index) => {
      const line = raw.trim();
      if (line === '') {
        return;
      }
      try {
        records.push({ value: JSON.parse(line) as unknown, line: index + 1 });
      } catch {
        records.push({ error: 'line is not valid JSON', line: index + 1 });
      }
    });
    this.checkSize(records.length);
    return records;
  }

  private checkSize(count: number): void {
    if (count === 0) {
      throw new BadRequestException('the batch is empty');
    }
    if (count > this.maxBatch) {
      throw new PayloadTooLargeException(
        `the batch holds ${count} records; the limit is ${this.maxBatch} (INGEST_MAX_BATCH)`,
      );
    }
  }
}
