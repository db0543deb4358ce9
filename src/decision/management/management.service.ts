import { Injectable, Logger } from '@nestjs/common';
import { v7 as timeOrderedId } from 'uuid';
import { canonicalIp } from '../../common/ip';
import { AuditEntry, AuditQuery, FeedbackVerdict, StoredFeedback } from '../../memory/enforcement-records';
import { MemoryTx } from '../../memory/memory-tx';
import { MemoryService } from '../../memory/memory.service';
import { StoredDecision } from '../../memory/records';
import { covers, decisionTarget, DecisionTarget, tooWide } from './coverage';
import { parseManualDuration } from './duration';
import { ManagementError } from './management-error';
import { ManualAction } from './dto/manual-decision.dto';

export const SUPERSEDED_BY_ALLOW = 'superseded by manual allow';

export interface ManualDecisionRequest {
  action: ManualAction;
  value: string;
  duration: string;
  reason: string;
  by: string;
}

export interface Change {
  reason: string;
  by: string;
}

/**
 * A person's hand on the decisions: manual blocks and allows, revocation, approval of what the
 * reviewer proposed, feedback on actors. Every write runs inside Memory's serialised write
 * transaction, so what it checks cannot change before it writes, and its audit rows commit
 * with it.
 */
@Injectable()
export class DecisionManagementService {
  private readonly logger = new Logger(DecisionManagementService.name);

  constructor(private readonly memory: MemoryService) {}

  async create(request: ManualDecisionRequest): Promise<{ decision: StoredDecision; revoked: StoredDecision[] }> {
    const target = targetOf(request.value);
    const wide = tooWide(target);
    if (wide !== null) {
      throw new ManagementError('invalid', wide);
    }
    const seconds = invalidOnThrow(() => parseManualDuration(request.duration));
    const result = await this.memory.transact(async (tx) => {
      if (request.action === 'block') {
        await refuseIfAllowed(tx, target.value);
      }
      const decision: StoredDecision = {
        id: timeOrderedId(),
        scope: target.scope,
        value: target.value,
        status: 'active',
        createdBy: request.by,
        action: request.action,
        origin: 'manual',
        ruleId: 'manual',
        reason: request.reason,
        verdictId: null,
        createdAt: tx.now,
        expiresAt: new Date(tx.now.getTime() + seconds * 1000),
        revokedAt: null,
        revokeReason: null,
      };
      await tx.insertDecision(decision);
      const blocks = request.action === 'allow' ? await tx.currentWithAction('block') : [];
      const revoked: StoredDecision[] = [];
      for (const block of blocks.filter((b) => covers(target.value, b.value))) {
        revoked.push(await revokeIn(tx, block, { by: request.by, reason: SUPERSEDED_BY_ALLOW }));
      }
      return { decision, revoked };
    });
    this.logger.log(
      `manual ${request.action} ${target.value} for ${seconds}s by ${request.by} (revoked ${result.revoked.length})`,
    );
    return result;
  }

  async revoke(id: string, change: Change): Promise<StoredDecision> {
    const revoked = await this.memory.transact(async (tx) => {
      const decision = await existing(tx, id);
      const refusal =
        decision.revokedAt !== null
          ? `was already revoked at ${decision.revokedAt.toISOString()}`
          : decision.status === 'pending'
            ? 'is pending: reject it instead'
            : decision.status !== 'active'
              ? `is ${decision.status}, not active`
              : decision.expiresAt <= tx.now
                ? `expired at ${decision.expiresAt.toISOString()}`
                : null;
      if (refusal !== null) {
        throw new ManagementError('conflict', `decision ${id} ${refusal}`);
      }
      return revokeIn(tx, decision, change);
    });
    this.logger.log(`revoked ${revoked.action} ${revoked.value} (${id}) by ${change.by}`);
    return revoked;
  }

  /** A pending decision goes into force for the duration it was proposed with, from now. */
  async approve(id: string, change: Change): Promise<StoredDecision> {
    const approved = await this.memory.transact(async (tx) => {
      const decision = await pending(tx, id);
      if (decision.action === 'block') {
        await refuseIfAllowed(tx, decision.value);
      }
      const duration = Math.max(1000, decision.expiresAt.getTime() - decision.createdAt.getTime());
      const expiresAt = new Date(tx.now.getTime() + duration);
      await tx.updateDecision(
        id,
        { status: 'active', expiresAt },
        { who: change.by, change: 'approved', reason: change.reason },
      );
      return { ...decision, status: 'active' as const, expiresAt };
    });
    this.logger.log(`approved ${approved.action} ${approved.value} (${id}) by ${change.by}`);
    return approved;
  }

  /**
   * A decision in force, replaced by a copy that ends `duration` from now: the old one is
   * revoked and the new one published, so bouncers (which time a ban out by the duration they
   * were given) drop the old and take the new at their next pull.
   */
  async extend(id: string, duration: string, change: Change): Promise<StoredDecision> {
    const seconds = invalidOnThrow(() => parseManualDuration(duration));
    const extended = await this.memory.transact(async (tx) => {
      const decision = await existing(tx, id);
      if (decision.status !== 'active' || decision.revokedAt !== null || decision.expiresAt <= tx.now) {
        throw new ManagementError('conflict', `decision ${id} is not in force`);
      }
      const expiresAt = new Date(tx.now.getTime() + seconds * 1000);
      if (expiresAt <= decision.expiresAt) {
        throw new ManagementError(
          'invalid',
          `${duration} from now ends before the decision does (${decision.expiresAt.toISOString()})`,
        );
      }
      const copy: StoredDecision = {
        ...decision,
        id: timeOrderedId(),
        createdBy: change.by,
        reason: `${decision.reason} (extended: ${change.reason})`,
        createdAt: tx.now,
        expiresAt,
      };
      await tx.insertDecision(copy);
      await revokeIn(tx, decision, { by: change.by, reason: `extended as ${copy.id}: ${change.reason}` });
      return copy;
    });
    this.logger.log(`extended ${extended.action} ${extended.value} (${id} → ${extended.id}) by ${change.by}`);
    return extended;
  }

  async reject(id: string, change: Change): Promise<StoredDecision> {
    const rejected = await this.memory.transact(async (tx) => {
      const decision = await pending(tx, id);
      await tx.updateDecision(
        id,
        { status: 'rejected' },
        { who: change.by, change: 'rejected', reason: change.reason },
      );
      return { ...decision, status: 'rejected' as const };
    });
    this.logger.log(`rejected ${rejected.action} ${rejected.value} (${id}) by ${change.by}`);
    return rejected;
  }

  /** Stores the verdict; a false positive revokes the actor's decisions in force (allows excepted). */
  async feedback(rawIp: string, verdict: FeedbackVerdict, note: string, by: string): Promise<StoredFeedback> {
    const ip = canonicalIp(rawIp);
    if (ip === null) {
      throw new ManagementError('invalid', 'not a valid IP address');
    }
    const feedback = await this.memory.transact(async (tx) => {
      if ((await tx.actor(ip)) === null) {
        throw new ManagementError('not_found', `no events from ${ip}`);
      }
      const revoked: string[] = [];
      if (verdict === 'false_positive') {
        for (const decision of (await tx.current(ip)).filter((d) => d.action !== 'allow')) {
          revoked.push((await revokeIn(tx, decision, { by, reason: note })).id);
        }
      }
      const stored: StoredFeedback = {
        id: timeOrderedId(),
        actorIp: ip,
        verdict,
        note,
        who: by,
        createdAt: tx.now,
        revokedDecisionIds: revoked,
      };
      await tx.insertFeedback(stored);
      return stored;
    });
    this.logger.log(`feedback ${verdict} on ${ip} by ${by} (revoked ${feedback.revokedDecisionIds.length})`);
    return feedback;
  }

  audit(query: Omit<AuditQuery, 'value'> & { value?: string }): Promise<{ total: number; items: AuditEntry[] }> {
    return this.memory.auditTrail({
      ...query,
      value: query.value === undefined ? undefined : targetOf(query.value).value,
    });
  }
}

export function targetOf(value: string): DecisionTarget {
  return invalidOnThrow(() => decisionTarget(value));
}

function invalidOnThrow<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new ManagementError('invalid', (error as Error).message);
  }
}

async function existing(tx: MemoryTx, id: string): Promise<StoredDecision> {
  const decision = await tx.decision(id);
  if (decision === null) {
    throw new ManagementError('not_found', `no decision ${id}`);
  }
  return decision;
}

async function pending(tx: MemoryTx, id: string): Promise<StoredDecision> {
  const decision = await existing(tx, id);
  if (decision.status !== 'pending' || decision.revokedAt !== null) {
    const state = decision.revokedAt !== null ? 'revoked' : decision.status;
    throw new ManagementError('conflict', `decision ${id} is ${state}, not pending`);
  }
  return decision;
}

/** A block on something an allow in force covers would never be published: refuse it. */
async function refuseIfAllowed(tx: MemoryTx, value: string): Promise<void> {
  const allow = (await tx.currentWithAction('allow')).find((a) => covers(a.value, value));
  if (allow !== undefined) {
    throw new ManagementError(
      'conflict',
      `${value} is covered by manual allow ${allow.id} (${allow.value}) until ${allow.expiresAt.toISOString()}; revoke it first`,
    );
  }
}

async function revokeIn(tx: MemoryTx, decision: StoredDecision, change: Change): Promise<StoredDecision> {
  await tx.updateDecision(
    decision.id,
    { revokedAt: tx.now, revokeReason: change.reason },
    { who: change.by, change: 'revoked', reason: change.reason },
  );
  return { ...decision, revokedAt: tx.now, revokeReason: change.reason };
}
