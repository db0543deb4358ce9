import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Environment } from '../config/environment';
import { DecisionViewDto } from '../common/dto/decision-view.dto';
import { VerdictViewDto } from '../common/dto/verdict-view.dto';
import { TriageService } from '../decision/triage.service';
import { MemoryService } from '../memory/memory.service';
import { ActorOutcome, RecordResult } from '../memory/records';
import { IngestMetrics, IngestRoute } from '../metrics/ingest-metrics';
import { ActorDecisionDto, BatchResultDto, ItemResultDto } from './dto/ingest-result.dto';
import { NormalisedEvent, TaggedEvent } from '../domain/event';
import { classifyFailure } from './outcome/item-outcome';
import type { ParsedRecord } from './normalise';
import { tag } from './signals/detectors';

export function actorView(actor: string, outcome: ActorOutcome): ActorDecisionDto {
  return {
    actor,
    verdict: VerdictViewDto.from(outcome.verdict),
    decision: outcome.decision === null ? null : DecisionViewDto.from(outcome.decision),
  };
}

/** One item of a request as read: its parse, and the format it was read as (a metrics label). */
export interface ReadItem {
  parsed: ParsedRecord;
  format: string;
  /** 1-based line number, where the item is a line of text. */
  line?: number;
}

/** Seconds a client is asked to wait when the write queue is full. */
export const BUSY_RETRY_AFTER_SECONDS = 2;

/** 503 while the writer is saturated; the ingest routes' filters add Retry-After. */
export class WriteQueueFullException extends ServiceUnavailableException {
  readonly retryAfterSeconds = BUSY_RETRY_AFTER_SECONDS;
  constructor() {
    super('the write queue is full; retry shortly');
  }
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
    private readonly triage: TriageService,
    private readonly metrics: IngestMetrics,
    config: ConfigService<Environment, true>,
  ) {
    this.maxPending = config.get('INGEST_MAX_PENDING', { infer: true });
  }

  get busy(): boolean {
    return this.memory.pendingWrites >= this.maxPending;
  }

  /** Throws 503 (answered with Retry-After) when the writer is saturated. */
  assertNotBusy(): void {
    if (this.busy) {
      throw new WriteQueueFullException();
    }
  }

  /** `source`: the name of the ingest token the events came with (IngestSource), if any. */
  record(events: TaggedEvent[], source: string | null = null): Promise<RecordResult> {
    this.metrics.tagged(events);
    return this.triage.record(source === null ? events : events.map((event) => ({ ...event, ingestSource: source })));
  }

  /**
   * Stores the items that name an actor and answers for every item, in order. Items that
   * cannot be stored are counted (by route, format and reason kind), never a reason to fail
   * the others. Answers after the commit. `source`: the ingest token's name (IngestSource).
   */
  async storeItems(route: IngestRoute, items: ReadItem[], source: string | null = null): Promise<BatchResultDto> {
    const events: NormalisedEvent[] = [];
    for (const item of items) {
      if (item.parsed.ok) {
        events.push(arrived(item.parsed.event, route, item.format));
      }
    }
    const result = events.length > 0 ? await this.record(events.map(tag), source) : null;
    const answer: BatchResultDto = { accepted: 0, unparsed: 0, rejected: 0, errors: [], decisions: [], results: [] };
    items.forEach((item, index) => {
      const where = item.line === undefined ? { index } : { index, line: item.line };
      if (item.parsed.ok) {
        const id = (result as RecordResult).eventIds[answer.accepted];
        answer.accepted += 1;
        answer.results.push({ ...where, status: 'accepted', id, actor: item.parsed.event.sourceIp });
        return;
      }
      const failure = classifyFailure(item.parsed.reason);
      answer[failure.status] += 1;
      this.metrics.unusableItem(route, item.format, failure.kind);
      const reason = item.parsed.reason;
      answer.results.push({ ...where, status: failure.status, reason } satisfies ItemResultDto);
      answer.errors.push({ ...where, reason, status: failure.status });
    });
    this.metrics.count(route, 'accepted', answer.accepted);
    this.metrics.count(route, 'unparsed', answer.unparsed);
    this.metrics.count(route, 'rejected', answer.rejected);
    answer.decisions = result === null ? [] : decisionsOf(result);
    return answer;
  }

  /** Counts the one item of `POST /ingest-log`, whose answer is the request's own status. */
  countOne(parsed: ParsedRecord): void {
    if (parsed.ok) {
      this.metrics.count('ingest_one', 'accepted');
      return;
    }
    const failure = classifyFailure(parsed.reason);
    this.metrics.count('ingest_one', failure.status);
    this.metrics.unusableItem('ingest_one', 'json', failure.kind);
  }

  /**
   * Stores events already parsed: the syslog listener, which has no answer to give and counts
   * its unusable lines itself.
   */
  async storeBatch(events: NormalisedEvent[]): Promise<void> {
    if (events.length > 0) {
      await this.record(events.map(tag));
    }
  }
}

/** Marks how an event arrived (its route and line format), in place: the event is this request's own. */
export function arrived<E extends NormalisedEvent>(event: E, route: IngestRoute, format: string): E {
  event.receivedVia = route;
  event.lineFormat = format;
  return event;
}

function decisionsOf(result: RecordResult): ActorDecisionDto[] {
  return [...result.actors]
    .filter(([, outcome]) => outcome.decision !== null)
    .map(([actor, outcome]) => actorView(actor, outcome));
}
