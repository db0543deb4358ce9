import { Injectable, Logger } from '@nestjs/common';
import { v7 as timeOrderedId } from 'uuid';
import { canonicalIp } from '../../domain/ip';
import { AuditEntry, AuditQuery, FeedbackVerdict, StoredFeedback } from '../../memory/enforcement-records';
import { MemoryTx } from '../../memory/memory-tx';
import { MemoryService } from '../../memory/memory.service';
import { StoredDecision } from '../../domain/decision';
import { PolicyService } from '../policy.service';
import {
  Carve,
  carveOut,
  Change,
  describeAllow,
  overlappingAllows,
  revokeIn,
  SUPERSEDED_BY_ALLOW,
} from './allow-precedence';
import { decisionTarget, DecisionTarget, tooWide } from './coverage';
import { parseManualDuration } from './duration';
import { ManagementError } from './management-error';
import { ManualAction } from './dto/manual-decision.dto';

export { SUPERSEDED_BY_ALLOW };

/** Audit reason of a manual allow a forced block cut back or revoked. */
export const FORCED_OVER_ALLOW = 'overridden by forced manual block';

export interface ManualDecisionRequest {
  action: ManualAction;
  value: string;
  duration: string;
  reason: string;
  by: string;
  force?: boolean;
}

export interface ManualDecisionResult {
  decision: StoredDecision;
  /** Decisions this one ended: blocks under an allow, or allows under a forced block. */
  revoked: StoredDecision[];
  /** What replaced them on the rest of their networks. */
  created: StoredDecision[];
  /** The allow-listed networks a forced block overrode (empty otherwise). */
  forcedOver: string[];
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

  constructor(
    private readonly memory: MemoryService,
    private readonly policies: PolicyService,
  ) {}

  async create(request: ManualDecisionRequest): Promise<ManualDecisionResult> {
    const target = targetOf(request.value);
    const wide = tooWide(target);
    if (wide !== null) {
      throw new ManagementError('invalid', wide);
    }
    const seconds = invalidOnThrow(() => parseManualDuration(request.duration));
    const result = await this.memory.transact(async (tx) => {
      const change = { by: request.by, reason: '' };
      let overridden: string[] = [];
      let carve: Carve = { revoked: [], created: [] };
      if (request.action === 'block') {
        const allows = await overlappingAllows(tx, target.value);
        overridden = [...this.policies.allowlistOverlaps(target.value), ...allows.map(describeAllow)];
        if (overridden.length > 0 && request.force !== true) {
          throw new ManagementError(
            'conflict',
            `${target.value} overlaps allow-listed ${overridden.join(', ')}; ` +
              'allow-listed addresses are never blocked (send force: true with a reason to block anyway)',
          );
        }
        // A forced block wins over the manual allows it overlaps: they give way where it applies.
        change.reason = `${FORCED_OVER_ALLOW} ${target.value}`;
        carve = await carveOut(tx, allows, target.value, change);
      } else {
        change.reason = SUPERSEDED_BY_ALLOW;
        carve = await carveOut(tx, await tx.currentWithAction('block'), target.value, change);
      }
      const decision: StoredDecision = {
        id: timeOrderedId(),
        ...target,
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
      const forced = overridden.length > 0 ? ` (forced over allow-listed ${overridden.join(', ')})` : '';
      await tx.insertDecision(decision, { who: request.by, reason: `${request.reason}${forced}` });
      return { decision, ...carve, forcedOver: overridden };
    });
    this.logger.log(
      `manual ${request.action} ${target.value} for ${seconds}s by ${request.by} (revoked ${result.revoked.length}, ` +
        `split into ${result.created.length}${result.forcedOver.length > 0 ? `, FORCED over ${result.forcedOver.length} allow(s)` : ''})`,
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
        await this.refuseIfAllowed(tx, decision.value);
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

  /** A block that would touch an allow-listed address would never be published whole: refuse it. */
  private async refuseIfAllowed(tx: MemoryTx, value: string): Promise<void> {
    const overlaps = [
      ...this.policies.allowlistOverlaps(value),
      ...(await overlappingAllows(tx, value)).map(describeAllow),
    ];
    if (overlaps.length > 0) {
      throw new ManagementError(
        'conflict',
        `${value} overlaps allow-listed ${overlaps.join(', ')}; revoke the allow first`,
      );
    }
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
