import { BadRequestException, Injectable, PayloadTooLargeException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Environment } from '../config/environment';
import { DecisionViewDto } from '../decision/dto/decision-view.dto';
import { VerdictViewDto } from '../llm/dto/verdict-view.dto';
import { MemoryService } from '../memory/memory.service';
import { ActorOutcome } from '../memory/records';
import { ActorDecisionDto, BatchResultDto, IngestAcceptedDto, RecordErrorDto } from './dto/ingest-result.dto';
import { NormalisedEvent, TaggedEvent } from './event';
import { parseRecord } from './record';
import { detectSignals } from './signals/detectors';

function tag(event: NormalisedEvent): TaggedEvent {
  return { ...event, signals: detectSignals(event) };
}

function view(actor: string, outcome: ActorOutcome): ActorDecisionDto {
  return {
    actor,
    verdict: VerdictViewDto.from(outcome.verdict),
    decision: outcome.decision === null ? null : DecisionViewDto.from(outcome.decision),
  };
}

/** Parses, tags and stores events; answers only after Memory has committed them. */
@Injectable()
export class IngestService {
  private readonly maxBatch: number;

  constructor(
    private readonly memory: MemoryService,
    config: ConfigService<Environment, true>,
  ) {
    this.maxBatch = config.get('INGEST_MAX_BATCH', { infer: true });
  }

  async ingestOne(body: unknown): Promise<IngestAcceptedDto> {
    const parsed = parseRecord(body, new Date());
    if (!parsed.ok) {
      throw new BadRequestException(parsed.reason);
    }
    const event = tag(parsed.event);
    const result = await this.memory.recordEvents([event]);
    const outcome = result.actors.get(event.sourceIp) as ActorOutcome;
    return { id: result.eventIds[0], signals: event.signals, ...view(event.sourceIp, outcome) };
  }

  /** A JSON array, or NDJSON text (one record per line; blank lines are skipped). */
  async ingestBatch(body: unknown): Promise<BatchResultDto> {
    const records = typeof body === 'string' ? this.splitNdjson(body) : this.arrayOf(body);
    const now = new Date();
    const events: TaggedEvent[] = [];
    const errors: RecordErrorDto[] = [];
    records.forEach((record, index) => {
      if ('error' in record) {
        errors.push({ index, line: record.line, reason: record.error });
        return;
      }
      const parsed = parseRecord(record.value, now);
      if (parsed.ok) {
        events.push(tag(parsed.event));
      } else {
        errors.push({ index, line: record.line, reason: parsed.reason });
      }
    });
    if (events.length === 0) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: 'no record in the batch could be used',
        errors,
      });
    }
    const result = await this.memory.recordEvents(events);
    const decisions = [...result.actors]
      .filter(([, outcome]) => outcome.decision !== null)
      .map(([actor, outcome]) => view(actor, outcome));
    return { accepted: events.length, rejected: errors.length, errors, decisions };
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
