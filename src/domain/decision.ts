/** The actions a policy rule can take. */
export const ACTIONS = ['monitor', 'alert', 'block'] as const;
export type Action = (typeof ACTIONS)[number];

/** `allow`: an operator's manual exception; while in force, nothing blocks what it covers. */
export type DecisionAction = 'block' | 'alert' | 'monitor' | 'allow';
export type DecisionOrigin = 'policy' | 'manual' | 'llm';
/**
 * `hostname` and `local`: decisions on actors without an address (common/actor-key.ts). They are
 * never blocks: a block on a host name is recorded on the addresses it resolved to.
 */
export type DecisionScope = 'ip' | 'range' | 'hostname' | 'local';
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

export interface NewDecision {
  action: DecisionAction;
  origin: DecisionOrigin;
  status: DecisionStatus;
  ruleId: string;
  reason: string;
  expiresAt: Date;
  /** Default: scope `ip`, or `range` for a network key; value: the evaluated key. */
  scope?: DecisionScope;
  value?: string;
}

/**
 * The one ranking of actions: higher is more severe, and the most severe action wins (never the
 * order of declaration). An allow outranks everything: while one is in force the actor is not
 * blocked, whatever else was decided.
 */
export const ACTION_SEVERITY: Readonly<Record<DecisionAction, number>> = { monitor: 1, alert: 2, block: 3, allow: 4 };

/** How severe a decision is on the one ranking; none in force: 0, below every action. */
export function severityOf(decision: { action: DecisionAction } | null | undefined): number {
  return decision === null || decision === undefined ? 0 : ACTION_SEVERITY[decision.action];
}

/** The more severe of two decisions (an allow above all); on a tie, the one that lasts longer. */
export function mostSevere(a: StoredDecision | undefined, b: StoredDecision): StoredDecision {
  if (a === undefined) {
    return b;
  }
  const bySeverity = ACTION_SEVERITY[b.action] - ACTION_SEVERITY[a.action];
  if (bySeverity !== 0) {
    return bySeverity > 0 ? b : a;
  }
  return b.expiresAt > a.expiresAt ? b : a;
}
