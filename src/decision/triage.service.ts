import { Injectable } from '@nestjs/common';
import { TaggedEvent } from '../domain/event';
import { MemoryService } from '../memory/memory.service';
import { RecordResult } from '../memory/records';
import { TriagePlan, TriagePlanner, TriageStore } from '../memory/triage-plan';
import { DecisionService } from './decision.service';
import { keysToLock, planTriage } from './triage-planner';

/**
 * Where events enter triage: each write goes to Memory with this service as its planner, so
 * that the events, their actors' profiles, verdicts and the decisions they lead to commit
 * together (Memory plans every flush of the write path through it, then persists the plan).
 */
@Injectable()
export class TriageService implements TriagePlanner {
  constructor(
    private readonly memory: MemoryService,
    private readonly judge: DecisionService,
  ) {}

  /**
   * Stores events and their triage; resolves after the commit. `at` is the write's time when
   * it is not the clock's (a replay writes on event time).
   */
  record(events: TaggedEvent[], at?: Date): Promise<RecordResult> {
    return this.memory.recordEvents(events, this, at);
  }

  keysOf(events: readonly TaggedEvent[]): Set<string> {
    return keysToLock(this.judge, events);
  }

  plan(store: TriageStore, events: readonly TaggedEvent[], now: Date): Promise<TriagePlan> {
    return planTriage(this.judge, store, events, now);
  }
}
