import { TaggedEvent } from '../domain/event';
import { NewDecision, StoredDecision } from '../domain/decision';
import { Verdict } from '../domain/verdict';
import { ActorProfile } from '../domain/actor';

/** What the evaluator says about one actor after its new events, inside the write transaction. */
export interface Evaluation {
  verdict: Verdict;
  /** A new decision to record, or null to leave what is in force. */
  decision: NewDecision | null;
  /** Further decisions to record with it (e.g. a simulated one beside the published one). */
  also?: NewDecision[];
}

/** What the writer tells the evaluator about one key's write besides its profile. */
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

/** Networks (CIDR text) an address belongs to for the evaluator. */
export interface NetworkKeys {
  /** Each gets its own aggregate profile, which also counts this address's events. */
  counted: string[];
  /**
   * Decisions on these cover the address (it is in force for it too). For a host-name actor:
   * the addresses it resolves to (a block on them is in force for the name).
   */
  covering: string[];
}

/**
 * What range escalation reads and notes as a write is worked out. `load` reads, in one go, what
 * the ledger holds on some networks; the other methods answer from what was loaded.
 */
export interface BlockLedger {
  readonly now: Date;
  /** Reads the ledger rows and the decisions in force on these networks. */
  load(networks: readonly string[]): Promise<void>;
  /** Notes that `ip`, an address of `network`, was blocked at `at`. */
  noteBlock(network: string, ip: string, at: Date, simulated: boolean): void;
  /** Distinct addresses of a loaded `network` blocked at or after `since` (simulated blocks too if asked). */
  blockedMembers(network: string, since: Date, withSimulated: boolean): number;
  /** Unexpired, unrevoked decisions on a loaded network, published and simulated. */
  decisionsOn(network: string): StoredDecision[];
}

/**
 * Judges actors inside Memory's write transaction, so that events, the actor's profile and
 * the resulting decision commit together. Registered by the Decision module at start-up; Memory
 * never imports it.
 */
export abstract class ActorEvaluator {
  /** Synchronous: it runs for every actor of every write, and reads nothing but its arguments. */
  abstract evaluate(
    actor: ActorProfile,
    inForce: StoredDecision | null,
    now: Date,
    context?: EvaluationContext,
  ): Evaluation;

  /**
   * Called before a write's actors are planned, outside any transaction, with its events: the
   * place for I/O `evaluate` needs answered synchronously (host-name resolution); nothing by default.
   */
  prepare(_events: readonly TaggedEvent[]): Promise<void> {
    return Promise.resolve();
  }

  /** The networks `ip` also counts towards and is covered by; none by default. */
  networksOf(_ip: string): NetworkKeys {
    return { counted: [], covering: [] };
  }

  /** Range decisions that follow from this write's new blocks (range escalation); none by default. */
  escalate(
    _blocks: readonly StoredDecision[],
    _ledger: BlockLedger,
    _allows: readonly StoredDecision[],
  ): Promise<NewDecision[]> {
    return Promise.resolve([]);
  }
}

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
