import { QueryRunner } from 'typeorm';
import { v7 as timeOrderedId } from 'uuid';
import { Verdict } from '../domain/verdict';
import { ActorProfile } from '../domain/actor';
import {
  AUDIT_COLUMNS,
  AuditChange,
  auditRow,
  DECISION_COLUMNS,
  decisionFromRow,
  decisionRow,
  multiRowInsert,
  profileFromRow,
  VERDICT_COLUMNS,
  verdictRow,
} from './event-rows';
import { mostSevere, StoredDecision } from '../domain/decision';
import { BouncerCursorRecord, NumberedDecision, StoredFeedback } from './enforcement-records';
import {
  activeOfAction,
  bouncerCursor,
  insertFeedback,
  NOT_BY_INDEX,
  numberBans,
  numberedBans,
  numberedBansSince,
  saveBouncerCursor,
} from './enforcement-queries';
import { purgeBatch, PurgeCutoffs, PurgeStep } from './retention-queries';
import { DecisionNotice } from './write-observer';

export interface DecisionChange {
  status?: StoredDecision['status'];
  expiresAt?: Date;
  revokedAt?: Date;
  revokeReason?: string;
}

/**
 * What a write job may do inside Memory's serialised write transaction (see
 * MemoryService.transact). Every decision change leaves an audit row.
 */
export class MemoryTx {
  /** Decisions this job created or approved: told to the write observers once it commits. */
  readonly notices: DecisionNotice[] = [];

  constructor(
    private readonly runner: QueryRunner,
    readonly now: Date,
  ) {}

  async actor(ip: string): Promise<ActorProfile | null> {
    const rows = (await this.runner.query('SELECT * FROM actors WHERE ip = ?', [ip])) as Record<string, unknown>[];
    return rows.length === 0 ? null : profileFromRow(rows[0]).profile;
  }

  async decision(id: string): Promise<StoredDecision | null> {
    const rows = (await this.runner.query('SELECT * FROM decisions WHERE id = ?', [id])) as Record<string, unknown>[];
    return rows.length === 0 ? null : decisionFromRow(rows[0]);
  }

  /** Unexpired, unrevoked decisions of a status for one value (address or CIDR). */
  async current(value: string, status: StoredDecision['status'] = 'active'): Promise<StoredDecision[]> {
    const rows = (await this.runner.query(
      `SELECT * FROM decisions WHERE value = ? AND ${NOT_BY_INDEX('status')} = ? AND revoked_at IS NULL AND expires_at > ?`,
      [value, status, this.now.getTime()],
    )) as Record<string, unknown>[];
    return rows.map(decisionFromRow);
  }

  /** Unexpired, unrevoked active decisions with one action, on any value (e.g. every manual allow). */
  async currentWithAction(action: StoredDecision['action']): Promise<StoredDecision[]> {
    const rows = (await this.runner.query(
      `SELECT * FROM decisions WHERE ${NOT_BY_INDEX('action')} = ? AND ${NOT_BY_INDEX('status')} = 'active'
       AND revoked_at IS NULL AND expires_at > ?`,
      [action, this.now.getTime()],
    )) as Record<string, unknown>[];
    return rows.map(decisionFromRow);
  }

  async inForce(value: string): Promise<StoredDecision | null> {
    return (await this.current(value)).reduce<StoredDecision | null>(
      (best, d) => mostSevere(best ?? undefined, d),
      null,
    );
  }

  /** Inserts a decision with its `created` audit row (by its author for its reason, unless `audit` says otherwise). */
  async insertDecision(decision: StoredDecision, audit?: { who: string; reason: string }): Promise<void> {
    await this.runner.query(multiRowInsert('decisions', DECISION_COLUMNS, 1), decisionRow(decision));
    await this.audit(decision.id, audit?.who ?? decision.createdBy, 'created', audit?.reason ?? decision.reason);
    this.notices.push({ change: 'created', decision });
  }

  async updateDecision(
    id: string,
    change: DecisionChange,
    audit: { who: string; change: AuditChange; reason: string },
  ): Promise<void> {
    const sets: string[] = [];
    const values: unknown[] = [];
    if (change.status !== undefined) {
      sets.push('status = ?');
      values.push(change.status);
    }
    if (change.expiresAt !== undefined) {
      sets.push('expires_at = ?');
      values.push(change.expiresAt.getTime());
    }
    if (change.revokedAt !== undefined) {
      sets.push('revoked_at = ?', 'revoke_reason = ?');
      values.push(change.revokedAt.getTime(), change.revokeReason ?? null);
    }
    if (sets.length > 0) {
      await this.runner.query(`UPDATE decisions SET ${sets.join(', ')} WHERE id = ?`, [...values, id]);
    }
    await this.audit(id, audit.who, audit.change, audit.reason);
    if (audit.change === 'approved') {
      const approved = await this.decision(id);
      if (approved !== null) {
        this.notices.push({ change: 'approved', decision: approved });
      }
    }
  }

  async insertVerdict(ip: string, verdict: Verdict): Promise<string> {
    const id = timeOrderedId();
    await this.runner.query(multiRowInsert('verdicts', VERDICT_COLUMNS, 1), verdictRow(id, ip, verdict, this.now));
    return id;
  }

  async setOffenceCount(ip: string, offenceCount: number): Promise<void> {
    await this.runner.query('UPDATE actors SET offence_count = ? WHERE ip = ?', [offenceCount, ip]);
  }

  async insertFeedback(feedback: StoredFeedback): Promise<void> {
    await insertFeedback(this.query, feedback);
  }

  bouncerCursor(keyHash: string): Promise<BouncerCursorRecord | null> {
    return bouncerCursor(this.query, keyHash);
  }

  async saveBouncerCursor(keyHash: string, cursor: BouncerCursorRecord): Promise<void> {
    await saveBouncerCursor(this.query, keyHash, cursor, this.now);
  }

  /** Numbers new bans and marks newly ended ones for bouncers; the highest id and generation. */
  numberBans(endedAfter: Date): Promise<{ lastSeq: number; lastEndGen: number }> {
    return numberBans(this.query, endedAfter, this.now);
  }

  /** Numbered bans in force, and those marked ended after generation `endedGenAfter` if given (after numberBans). */
  numberedBans(endedGenAfter: number | null = null): Promise<NumberedDecision[]> {
    return numberedBans(this.query, endedGenAfter);
  }

  /** Numbered bans in force after `endedAfter` (a start-up's look-back; after numberBans). */
  numberedBansSince(endedAfter: Date): Promise<NumberedDecision[]> {
    return numberedBansSince(this.query, endedAfter);
  }

  /** Active allows in force after `endedAfter`. */
  allows(endedAfter: Date): Promise<StoredDecision[]> {
    return activeOfAction(this.query, 'allow', endedAfter);
  }

  /** One bounded batch of a retention step (see retention-queries.ts); how many rows went. */
  purge(step: PurgeStep, cutoffs: PurgeCutoffs, limit: number): Promise<number> {
    return purgeBatch(this.query, step, cutoffs, limit);
  }

  /**
   * Writes 1 MiB that must take new pages (the previous probe's row is deleted only after), so
   * that its commit shows the store can grow again. Only run while the store is unavailable.
   */
  async probeStorage(): Promise<void> {
    const rows = (await this.runner.query('SELECT COALESCE(MAX(id), 0) AS id FROM storage_probe')) as { id: number }[];
    const id = (Number(rows[0].id) % 2) + 1;
    await this.runner.query('INSERT OR REPLACE INTO storage_probe (id, at, filler) VALUES (?, ?, zeroblob(1048576))', [
      id,
      this.now.getTime(),
    ]);
    await this.runner.query('DELETE FROM storage_probe WHERE id <> ?', [id]);
  }

  private readonly query = (sql: string, parameters?: unknown[]): Promise<unknown> =>
    this.runner.query(sql, parameters);

  private async audit(decisionId: string, who: string, change: AuditChange, reason: string): Promise<void> {
    await this.runner.query(
      multiRowInsert('decision_audit', AUDIT_COLUMNS, 1),
      auditRow(timeOrderedId(), decisionId, this.now, who, change, reason),
    );
  }
}
