import { BadRequestException, Injectable, PayloadTooLargeException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Environment } from '../config/environment';
import { ActorOutcome } from '../memory/records';
import { BatchResultDto, IngestAcceptedDto } from './dto/ingest-result.dto';
import { actorView, arrived, EventSink, ReadItem } from './event-sink';
import { tag } from './signals/detectors';
import { JsonTooDeepError, parseUntrustedJson } from '../common/untrusted-json';
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

  /** `source`: the ingest token's name, recorded on the events (null when the routes are open). */
  async ingestOne(body: unknown, source: string | null = null): Promise<IngestAcceptedDto> {
    const parsed = parseRecord(body, new Date());
    if (!parsed.ok) {
      this.sink.countOne(parsed);
      throw new BadRequestException(parsed.reason);
    }
    this.sink.assertNotBusy();
    const event = tag(arrived(parsed.event, 'ingest_one', 'json'));
    const result = await this.sink.record([event], source);
    this.sink.countOne(parsed);
    const outcome = result.actors.get(event.sourceIp) as ActorOutcome;
    return { id: result.eventIds[0], signals: event.signals, ...actorView(event.sourceIp, outcome) };
  }

  /**
   * A JSON array, or NDJSON text (one record per line; blank lines are skipped). Every record
   * gets a result; one that cannot be stored never fails the others, nor the request.
   */
  async ingestBatch(body: unknown, source: string | null = null): Promise<BatchResultDto> {
    const records = typeof body === 'string' ? this.splitNdjson(body) : this.arrayOf(body);
    this.sink.assertNotBusy();
    const now = new Date();
    const items: ReadItem[] = records.map((record) => ({
      parsed: 'error' in record ? { ok: false, reason: record.error } : parseRecord(record.value, now),
      format: 'json',
      line: record.line,
    }));
    return this.sink.storeItems('ingest_batch', items, source);
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
        records.push({ value: parseUntrustedJson(line), line: index + 1 });
      } catch (error) {
        const reason = error instanceof JsonTooDeepError ? error.message : 'line is not valid JSON';
        records.push({ error: reason, line: index + 1 });
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
