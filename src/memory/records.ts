import { TaggedEvent } from '../ingest/event';
import { Verdict } from '../llm/verdict';
import { ActorProfile } from './actor-profile';

export type DecisionAction = 'block' | 'alert' | 'monitor';
export type DecisionOrigin = 'policy' | 'manual' | 'llm';
export type DecisionScope = 'ip' | 'range';
/** active: in force until it expires or is revoked; pending: waits for an analyst; simulated: recorded, never published. */
export type DecisionStatus = 'active' | 'pending' | 'simulated' | 'rejected';

/** A decision as stored and served. */
export interface StoredDecision {
  id: string;
  scope: DecisionScope;
  value: string;
  status: DecisionStatus;
  /** Who or what made it: "policy", "llm:<model>", or the operator named in a manual request. */
  createdBy: string;
  action: DecisionAction;
  origin: DecisionOrigin;
  ruleId: string;
  reason: string;
  verdictId: string | null;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokeReason: string | null;
}

export interface StoredVerdict extends Verdict {
  id: string;
  actorIp: string;
  createdAt: Date;
}

export interface NewDecision {
  action: DecisionAction;
  origin: DecisionOrigin;
  status: DecisionStatus;
  ruleId: string;
  reason: string;
  expiresAt: Date;
}

/** What the evaluator says about one actor after its new events, inside the write transaction. */
export interface Evaluation {
  verdict: Verdict;
  /** A new decision to record, or null to leave what is in force. */
  decision: NewDecision | null;
}

/**
 * Judges actors inside Memory's write transaction, so that events, the actor's profile and
 * the resulting decision commit together. Registered by the Decision module at start-up; Memory
 * never imports it.
 */
export abstract class ActorEvaluator {
  abstract evaluate(actor: ActorProfile, inForce: StoredDecision | null, now: Date): Promise<Evaluation>;
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
}
