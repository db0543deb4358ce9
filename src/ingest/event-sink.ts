import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Environment } from '../config/environment';
import { DecisionViewDto } from '../decision/dto/decision-view.dto';
import { VerdictViewDto } from '../llm/dto/verdict-view.dto';
import { MemoryService } from '../memory/memory.service';
import { IngestMetrics } from '../metrics/ingest-metrics';
import { ActorOutcome, RecordResult } from '../memory/records';
import { ActorDecisionDto, BatchResultDto, RecordErrorDto } from './dto/ingest-result.dto';
import { NormalisedEvent, TaggedEvent } from './event';
import { IngestTally } from './ingest-tally';
import { tag } from './signals/detectors';

export function actorView(actor: string, outcome: ActorOutcome): ActorDecisionDto {
  return {
    actor,
    verdict: VerdictViewDto.from(outcome.verdict),
    decision: outcome.decision === null ? null : DecisionViewDto.from(outcome.decision),
  };
}

/**
 * Where every ingest route ends: tags events with signals, refuses new work while the write
 * queue is over INGEST_MAX_PENDING (backpressure instead of unbounded memory), and stores.
 */
@Injectable()
export class EventSink {
  private readonly maxPending: number;

  constructor(
    private readonly memory: MemoryService,
    config: ConfigService<Environment, true>,
    private readonly metrics: IngestMetrics,
  ) {
    this.maxPending = config.get('INGEST_MAX_PENDING', { infer: true });
  }

  get busy(): boolean {
    return this.memory.pendingWrites >= this.maxPending;
  }

  /** Throws 503 (with Retry-After via the filter's headers) when the writer is saturated. */
  assertNotBusy(): void {
    if (this.busy) {
      throw new ServiceUnavailableException('the write queue is full; retry shortly');
    }
  }

  record(events: TaggedEvent[]): Promise<RecordResult> {
    this.metrics.tagged(events);
    return this.memory.recordEvents(events);
  }

  /** Counts what a request brought, parsed or not (the ingest metrics). */
  tallied(tally: IngestTally): void {
    this.metrics.ingested(tally);
  }

  /** Stores the usable events of a batch and reports the rest. */
  async storeBatch(events: NormalisedEvent[], errors: RecordErrorDto[]): Promise<BatchResultDto> {
    if (events.length === 0) {
      return { accepted: 0, rejected: errors.length, errors, decisions: [] };
    }
    const result = await this.record(events.map(tag));
    const decisions = [...result.actors]
      .filter(([, outcome]) => outcome.decision !== null)
      .map(([actor, outcome]) => actorView(actor, outcome));
    return { accepted: events.length, rejected: errors.length, errors, decisions };
  }
}
