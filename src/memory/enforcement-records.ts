import { AuditChange } from './event-rows';
import { DecisionAction, DecisionOrigin, DecisionScope, DecisionStatus, StoredDecision } from '../domain/decision';

/**
 * A decision with the integer id CrowdSec bouncers know it by. The id is handed out the first
 * time the decision is published (an active ban), in that order, and never changes: a pending
 * decision gets one when it is approved.
 */
export interface NumberedDecision extends StoredDecision {
  bouncerId: number;
  /** The generation of the first pull that found it ended (revoked or expired); null while in force. */
  endedGen: number | null;
}

/** Where one bouncer key's last successful stream pull left off (stored under a hash of the key). */
export interface BouncerCursorRecord {
  lastPullAt: Date;
  /** The highest bouncer id handed out at that pull. */
  lastSeq: number;
  /** The highest ended-generation at that pull. */
  lastEndGen: number;
}

export type FeedbackVerdict = 'true_positive' | 'false_positive';

/** An analyst's verdict on what the service decided about an actor. */
export interface StoredFeedback {
  id: string;
  actorIp: string;
  verdict: FeedbackVerdict;
  note: string;
  who: string;
  createdAt: Date;
  /** The decisions the feedback revoked (a false positive revokes those in force). */
  revokedDecisionIds: string[];
}

/** One row of the audit trail, with what it is about. */
export interface AuditEntry {
  id: string;
  decisionId: string;
  at: Date;
  who: string;
  change: AuditChange;
  reason: string;
  decision: {
    scope: DecisionScope;
    value: string;
    action: DecisionAction;
    origin: DecisionOrigin;
    status: DecisionStatus;
    ruleId: string;
  } | null;
}

export interface AuditQuery {
  decisionId?: string;
  value?: string;
  who?: string;
  since?: Date;
  until?: Date;
  limit: number;
  offset: number;
}

export interface DecisionListQuery {
  now: Date;
  /** true: only unexpired, unrevoked decisions; false: every decision of the status. */
  inForceOnly: boolean;
  status: DecisionStatus;
  action?: DecisionAction;
  scope?: DecisionScope;
  origin?: DecisionOrigin;
  value?: string;
  ruleId?: string;
  limit: number;
  offset: number;
}
