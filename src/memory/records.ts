import { TaggedEvent } from '../domain/event';
import { StoredDecision } from '../domain/decision';
import { Verdict } from '../domain/verdict';
import { ActorProfile } from '../domain/actor';

export interface ActorOutcome {
  actor: ActorProfile;
  verdict: Verdict;
  /** The most severe decision in force for the actor after this write, if any. */
  decision: StoredDecision | null;
  /** True when `decision` was made by this write. */
  isNew: boolean;
}

export interface RecordedEvent {
  id: string;
  event: TaggedEvent;
}

export interface RecordResult {
  eventIds: string[];
  /** Keyed by canonical actor address. */
  actors: Map<string, ActorOutcome>;
  /** Every decision this write made on these actors or on networks covering them (simulated ones too). */
  made?: StoredDecision[];
}
