import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Environment } from '../config/environment';
import { DecisionViewDto } from '../decision/dto/decision-view.dto';
import { VerdictViewDto } from '../llm/dto/verdict-view.dto';
import { MemoryService } from '../memory/memory.service';
import { ActorOutcome, RecordResult } from '../memory/records';
import { ActorDecisionDto, BatchResultDto, RecordErrorDto } from './dto/ingest-result.dto';
import { NormalisedEvent, TaggedEvent } from './event';
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

  /** `source`: the name of the ingest token the events came with (IngestSource), if any. */
  record(events: TaggedEvent[], source: string | null = null): Promise<RecordResult> {
    return this.memory.recordEvents(
      source === null ? events : events.map((event) => ({ ...event, ingestSource: source })),
    );
  }

  /** Stores the usable events of a batch and reports the rest. */
  async storeBatch(
    events: NormalisedEvent[],
    errors: RecordErrorDto[],
    source: string | null = null,
  ): Promise<BatchResultDto> {
    if (events.length === 0) {
      return { accepted: 0, rejected: errors.length, errors, decisions: [] };
    }
    const result = await this.record(events.map(tag), source);
    const decisions = [...result.actors]
      .filter(([, outcome]) => outcome.decision !== null)
      .map(([actor, outcome]) => actorView(actor, outcome));
    return { accepted: events.length, rejected: errors.length, errors, decisions };
  }
}
