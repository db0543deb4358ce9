import { Verdict } from '../../domain/verdict';
import { durationFor, LlmBounds, Policy, ReviewTriggers } from '../policy';
import { Action, ACTION_SEVERITY, DecisionOrigin, severityOf } from '../../domain/decision';

export const DEFAULT_LLM_BOUNDS: LlmBounds = { maxAction: 'block', mayShortenSoftBlocks: true, approval: 'auto' };
export const DEFAULT_REVIEW_TRIGGERS: ReviewTriggers = { actions: ['block', 'alert'], scoreBand: [40, 79] };

/** The policy's LLM bounds, with defaults for a policy that does not say. */
export function llmBoundsOf(policy: Pick<Policy, 'llm'>): LlmBounds {
  return { ...DEFAULT_LLM_BOUNDS, ...(policy.llm as Partial<LlmBounds> | undefined) };
}

export function reviewTriggersOf(policy: Pick<Policy, 'review'>): ReviewTriggers {
  return { ...DEFAULT_REVIEW_TRIGGERS, ...(policy.review as Partial<ReviewTriggers> | undefined) };
}

export type ReviewTrigger = 'decision' | 'score_band';

/** Whether the heuristic's result for an actor calls for a review, and why. */
export function reviewTrigger(newAction: Action | null, score: number, triggers: ReviewTriggers): ReviewTrigger | null {
  if (newAction !== null && triggers.actions.includes(newAction)) {
    return 'decision';
  }
  const [min, max] = triggers.scoreBand;
  return score >= min && score <= max ? 'score_band' : null;
}

/** What the policy says (its winning rule), with the heuristic's verdict or with the LLM's. */
export interface PolicyView {
  action: Action;
  ruleId: string;
  reason: string;
  hardEvidence: boolean;
}

/** The decision in force for the actor. `hardEvidence`: its rule is hard evidence (or unknown). */
export interface CurrentDecision {
  action: Action;
  origin: DecisionOrigin;
  ruleId: string;
  hardEvidence: boolean;
  expiresAt: Date;
}

export interface AdviceInput {
  current: CurrentDecision | null;
  /** The policy's outcome on the heuristic's verdict, now. */
  heuristic: PolicyView | null;
  /** The policy's outcome had the LLM's verdict been the verdict: its proposal. */
  proposal: PolicyView | null;
  llmVerdict: Pick<Verdict, 'score' | 'level'>;
  /** The actor is in an allow-listed network: never blocked. */
  allowListed: boolean;
  /** A block the LLM proposed earlier is waiting for approval. */
  pendingLlmBlock: boolean;
  offenceCount: number;
  now: Date;
}

export type Advice =
  | { kind: 'keep'; result: 'confirmed' | 'unchanged'; why: string }
  | {
      kind: 'raise';
      action: Action;
      status: 'active' | 'pending';
      ruleId: string;
      reason: string;
      durationSeconds: number;
    }
  | { kind: 'shorten'; expiresAt: Date; reason: string };

function cap(proposal: PolicyView, bounds: LlmBounds, allowListed: boolean): { action: Action; notes: string[] } {
  let action = proposal.action;
  const notes: string[] = [];
  if (ACTION_SEVERITY[action] > ACTION_SEVERITY[bounds.maxAction]) {
    action = bounds.maxAction;
    notes.push(`capped at ${action} by the policy`);
  }
  if (action === 'block' && allowListed) {
    action = 'alert';
    notes.push('not blocked: allow-listed');
  }
  return { action, notes };
}

function shortened(input: AdviceInput, bounds: LlmBounds, policy: Pick<Policy, 'block'>): Advice {
  const { current, heuristic, now } = input;
  if (current === null) {
    return { kind: 'keep', result: 'unchanged', why: 'nothing to raise and nothing in force' };
  }
  if (current.action !== 'block') {
    return { kind: 'keep', result: 'unchanged', why: 'the LLM may not lower an alert or a monitor' };
  }
  if (
    current.origin === 'manual' ||
    current.hardEvidence ||
    (heuristic?.action === 'block' && heuristic.hardEvidence)
  ) {
    return { kind: 'keep', result: 'unchanged', why: 'hard evidence (or an analyst) made this block; it stands' };
  }
  if (!bounds.mayShortenSoftBlocks) {
    return { kind: 'keep', result: 'unchanged', why: 'the policy does not let the LLM shorten blocks' };
  }
  const expiresAt = new Date(
    Math.min(current.expiresAt.getTime(), now.getTime() + (policy.block.baseSeconds * 1000) / 2),
  );
  if (expiresAt.getTime() >= current.expiresAt.getTime()) {
    return { kind: 'keep', result: 'unchanged', why: 'the block already ends sooner than a shortened one would' };
  }
  return {
    kind: 'shorten',
    expiresAt,
    reason: `shortened after LLM review (score ${input.llmVerdict.score}, ${input.llmVerdict.level}): no hard evidence`,
  };
}

/**
 * The policy decides, the LLM advises. What to store after an LLM verdict on an actor: raise
 * monitor → alert → block (as far as the policy's outcome on the LLM's verdict, capped at
 * `llm.maxAction`, never a block for an allow-listed actor, pending when `llm.approval` says
 * so); confirm; or shorten a soft block when allowed. Never lifts or shortens a block that
 * hard evidence or an analyst made, never lowers an alert. Pure.
 */
export function applyLlmAdvice(input: AdviceInput, policy: Policy): Advice {
  const bounds = llmBoundsOf(policy);
  const { current, heuristic, proposal } = input;
  if (proposal !== null) {
    const { action, notes } = cap(proposal, bounds, input.allowListed);
    if (ACTION_SEVERITY[action] > severityOf(current) && ACTION_SEVERITY[action] > severityOf(heuristic)) {
      if (action === 'block' && bounds.approval === 'pending' && input.pendingLlmBlock) {
        return { kind: 'keep', result: 'unchanged', why: 'a block the LLM proposed is already awaiting approval' };
      }
      const suffix = notes.length > 0 ? ` (${notes.join('; ')})` : '';
      return {
        kind: 'raise',
        action,
        status: action === 'block' && bounds.approval === 'pending' ? 'pending' : 'active',
        ruleId: proposal.ruleId,
        reason: `LLM review (score ${input.llmVerdict.score}, ${input.llmVerdict.level}): ${proposal.reason}${suffix}`,
        durationSeconds: durationFor(action, input.offenceCount, policy),
      };
    }
    if (current !== null && ACTION_SEVERITY[action] >= ACTION_SEVERITY[current.action]) {
      return { kind: 'keep', result: 'confirmed', why: `the LLM's verdict supports ${current.action}` };
    }
  }
  return shortened(input, bounds, policy);
}
