import { ActorProfile } from '../domain/actor';
import { NewDecision, StoredDecision } from '../domain/decision';
import { TaggedEvent } from '../domain/event';
import { Verdict } from '../domain/verdict';
import { BlockLedger } from '../memory/triage-plan';
import { NetworkKeys } from './policy-networks';

/** What the judge says about one actor after its new events. */
export interface Evaluation {
  verdict: Verdict;
  /** A new decision to record, or null to leave what is in force. */
  decision: NewDecision | null;
  /** Further decisions to record with it (e.g. a simulated one beside the published one). */
  also?: NewDecision[];
}

/** What the planner tells the judge about one key's write besides its profile. */
export interface EvaluationContext {
  /** The earliest event time among this write's events for the key: windows ending from here on are judged. */
  since: Date;
  /** The most severe simulated decision in force for the key (never published, kept apart). */
  simulated: StoredDecision | null;
  /** Every active, unexpired manual `allow` decision (any scope), read once per write. */
  allows: readonly StoredDecision[];
  /** Published decisions on the key that expired after `since`: in force while some of this write's events happened. */
  expired?: readonly StoredDecision[];
}

/** The policy's side of triage planning (DecisionService): what the planner asks of each write. */
export interface ActorJudge {
  /** Synchronous: it runs for every actor of every write, and reads nothing but its arguments. */
  evaluate(actor: ActorProfile, inForce: StoredDecision | null, now: Date, context?: EvaluationContext): Evaluation;
  /** Before a write's actors are judged, with its events: the I/O `evaluate` needs answered synchronously (host names). */
  prepare(events: readonly TaggedEvent[]): Promise<void>;
  /** The networks `ip` also counts towards and is covered by. */
  networksOf(ip: string): NetworkKeys;
  /** Range decisions that follow from this write's new blocks (range escalation). */
  escalate(
    blocks: readonly StoredDecision[],
    ledger: BlockLedger,
    allows: readonly StoredDecision[],
  ): Promise<NewDecision[]>;
}
