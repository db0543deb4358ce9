import { TaggedEvent } from '../domain/event';
import { StoredDecision } from '../domain/decision';
import { Verdict } from '../domain/verdict';
import { LedgerNote, StoredActor } from './planned-writes';
import { ActorOutcome } from './records';

/**
 * What the store holds on some keys as a flush is planned: read through the flush's own
 * connection (or, while an earlier flush is still being written, the read connection), with
 * the writes of the flushes planned before it and not yet committed laid over.
 */
export interface TriageStore {
  /** The stored actors among `keys`. */
  loadActors(keys: string[]): Promise<Map<string, StoredActor>>;
  /** Decisions on `keys` and on every range that were in force at some time from `from` on. */
  loadInForce(keys: string[], now: Date, from: Date): Promise<DecisionsInForce>;
  /** The range ledger, read on demand; `made`: the decisions of the plan so far. */
  blockLedger(now: Date, made: readonly StoredDecision[]): BlockLedger;
}

export interface DecisionsInForce {
  /** Per key, the most severe published decision in force now. */
  active: Map<string, StoredDecision>;
  /** Per key, the most severe simulated decision in force now. */
  simulated: Map<string, StoredDecision>;
  /** Per key, published decisions that expired after `from`. */
  expired: Map<string, StoredDecision[]>;
  /** Every active, unexpired manual allow, whatever its value. */
  allows: StoredDecision[];
}

/**
 * What range escalation reads and notes as a flush is planned. `load` reads, in one go, what
 * the ledger holds on some networks; the other methods answer from what was loaded.
 */
export interface BlockLedger {
  readonly now: Date;
  /** The notes made so far: stored with the flush. */
  readonly notes: readonly LedgerNote[];
  /** Reads the ledger rows and the decisions in force on these networks. */
  load(networks: readonly string[]): Promise<void>;
  /** Notes that `ip`, an address of `network`, was blocked at `at`. */
  noteBlock(network: string, ip: string, at: Date, simulated: boolean): void;
  /** Distinct addresses of a loaded `network` blocked at or after `since` (simulated blocks too if asked). */
  blockedMembers(network: string, since: Date, withSimulated: boolean): number;
  /** Unexpired, unrevoked decisions on a loaded network, published and simulated. */
  decisionsOn(network: string): StoredDecision[];
}

/** A verdict to record on an actor. */
export interface PlannedVerdict {
  id: string;
  actor: string;
  verdict: Verdict;
}

/** An audit entry for a decision the flush creates. */
export interface PlannedAudit {
  id: string;
  decisionId: string;
  who: string;
  reason: string;
}

/** What a flush's events make of the actors they touch: the store persists it as it is. */
export interface TriagePlan {
  /**
   * Per key judged, in the order judged: the actor as stored after the flush (its verdict is
   * its last verdict) and the decision it answers to.
   */
  outcomes: Map<string, ActorOutcome>;
  verdicts: PlannedVerdict[];
  /** Every decision the flush makes, simulated and range ones included. */
  decisions: StoredDecision[];
  audit: PlannedAudit[];
  ledger: readonly LedgerNote[];
  /** Per address: the keys whose decisions are in force for it too. */
  networks: ReadonlyMap<string, { readonly covering: readonly string[] }>;
}

export const NOTHING_DECIDED: TriagePlan = {
  outcomes: new Map(),
  verdicts: [],
  decisions: [],
  audit: [],
  ledger: [],
  networks: new Map(),
};

/**
 * Plans a flush's triage: handed in with the events by whoever records them (the decision
 * side), as a unit of work, the way a transaction is handed its callback. Memory keeps no planner.
 */
export interface TriagePlanner {
  /** Every key these events count under or answer to: locked (PostgreSQL) before `plan` reads. */
  keysOf(events: readonly TaggedEvent[]): Set<string>;
  plan(store: TriageStore, events: readonly TaggedEvent[], now: Date): Promise<TriagePlan>;
}
