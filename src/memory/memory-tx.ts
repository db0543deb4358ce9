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
import { Dialect, dialectFor, lockStatement } from './dialect';
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
 * MemoryService.transact). Every decision change leaves an audit row. On PostgreSQL, where
 * other instances write too, a job takes the advisory lock of each key before it reads or
 * writes by it (the lock the write path takes for the same address or network, see
 * EventWriter.persistShared), held until the transaction ends.
 */
export class MemoryTx {
  /** Decisions this job created or approved: told to the write observers once it commits. */
  readonly notices: DecisionNotice[] = [];

  private readonly locked = new Set<string>();

  constructor(
    private readonly runner: QueryRunner,
    readonly now: Date,
    private readonly dialect: Dialect = dialectFor('sqlite'),
  ) {}

  async actor(ip: string): Promise<ActorProfile | null> {
    await this.lock([ip]);
    const rows = (await this.query('SELECT * FROM actors WHERE ip = ?', [ip])) as Record<string, unknown>[];
    return rows.length === 0 ? null : profileFromRow(rows[0]).profile;
  }

  /** A decision by id, read again under its value's lock if it had to be taken. */
  async decision(id: string): Promise<StoredDecision | null> {
    const read = async (): Promise<StoredDecision | null> => {
      const rows = (await this.query('SELECT * FROM decisions WHERE id = ?', [id])) as Record<string, unknown>[];
      return rows.length === 0 ? null : decisionFromRow(rows[0]);
    };
    const found = await read();
    return found !== null && (await this.lock([found.value])) ? read() : found;
  }

  /** Unexpired, unrevoked decisions of a status for one value (address or CIDR). */
  async current(value: string, status: StoredDecision['status'] = 'active'): Promise<StoredDecision[]> {
    await this.lock([value]);
    const rows = (await this.query(
      `SELECT * FROM decisions WHERE value = ? AND ${NOT_BY_INDEX('status')} = ? AND revoked_at IS NULL AND expires_at > ?`,
      [value, status, this.now.getTime()],
    )) as Record<string, unknown>[];
    return rows.map(decisionFromRow);
  }

  /** Unexpired, unrevoked active decisions with one action, on any value (e.g. every manual allow). */
  async currentWithAction(action: StoredDecision['action']): Promise<StoredDecision[]> {
    const rows = (await this.query(
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
    await this.lock([decision.value]);
    await this.query(multiRowInsert('decisions', DECISION_COLUMNS, 1), decisionRow(decision));
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
      await this.query(`UPDATE decisions SET ${sets.join(', ')} WHERE id = ?`, [...values, id]);
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
    await this.lock([ip]);
    await this.query(multiRowInsert('verdicts', VERDICT_COLUMNS, 1), verdictRow(id, ip, verdict, this.now));
    return id;
  }

  async setOffenceCount(ip: string, offenceCount: number): Promise<void> {
    await this.lock([ip]);
    await this.query('UPDATE actors SET offence_count = ? WHERE ip = ?', [offenceCount, ip]);
  }

  async insertFeedback(feedback: StoredFeedback): Promise<void> {
    await insertFeedback(this.query, feedback);
  }

  /** A bouncer key's stream position, locked until the transaction ends (two instances may serve one key). */
  async bouncerCursor(keyHash: string): Promise<BouncerCursorRecord | null> {
    await this.lock([`bouncer:${keyHash}`]);
    return bouncerCursor(this.query, keyHash);
  }

  async saveBouncerCursor(keyHash: string, cursor: BouncerCursorRecord): Promise<void> {
    await saveBouncerCursor(this.query, keyHash, cursor, this.now);
  }

  /** Numbers new bans and marks newly ended ones for bouncers; the highest id and generation. */
  async numberBans(endedAfter: Date): Promise<{ lastSeq: number; lastEndGen: number }> {
    // One numbering at a time across instances: an id must not commit after a larger one was served.
    await this.lock(['bouncer-ids']);
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
    return purgeBatch(this.query, this.dialect, step, cutoffs, limit);
  }

  /**
   * Writes 1 MiB that must take new pages (the previous probe's row is deleted only after), so
   * that its commit shows the store can grow again. Only run while the store is unavailable.
   */
  async probeStorage(): Promise<void> {
    await this.lock(['storage-probe']);
    const rows = (await this.query('SELECT COALESCE(MAX(id), 0) AS id FROM storage_probe')) as { id: number }[];
    const id = (Number(rows[0].id) % 2) + 1;
    await this.query(this.dialect.probeInsert, [id, this.now.getTime()]);
    await this.query('DELETE FROM storage_probe WHERE id <> ?', [id]);
  }

  /**
   * Claims the review of `ip` for `by` until `until`: one LLM review of an actor across every
   * instance on the store. Not claimed (false) while another review of it runs, or when one
   * began at or after `offeredAt`: that review reads the actor after the write that offered it
   * (it waits for that write's lock), so it has seen what this one would. Claims that ended a
   * day ago go as a new one is made.
   */
  async claimReview(ip: string, offeredAt: Date, until: Date, by: string): Promise<boolean> {
    await this.lock([`review:${ip}`]);
    const now = this.now.getTime();
    const rows = (await this.query('SELECT claimed_at, claimed_until FROM review_claims WHERE actor_ip = ?', [ip])) as {
      claimed_at: number;
      claimed_until: number;
    }[];
    if (rows.length > 0 && (Number(rows[0].claimed_until) > now || Number(rows[0].claimed_at) >= offeredAt.getTime())) {
      return false;
    }
    await this.query('DELETE FROM review_claims WHERE claimed_until < ?', [now - 86_400_000]);
    await this.query(
      `INSERT INTO review_claims (actor_ip, claimed_at, claimed_until, claimed_by) VALUES (?, ?, ?, ?)
       ON CONFLICT (actor_ip) DO UPDATE SET claimed_at = excluded.claimed_at,
         claimed_until = excluded.claimed_until, claimed_by = excluded.claimed_by`,
      [ip, now, until.getTime(), by],
    );
    return true;
  }

  /** Ends `by`'s claim on the review of `ip` (another's claim is left as it is). */
  async releaseReview(ip: string, by: string): Promise<void> {
    await this.lock([`review:${ip}`]);
    await this.query('UPDATE review_claims SET claimed_until = ? WHERE actor_ip = ? AND claimed_by = ?', [
      this.now.getTime(),
      ip,
      by,
    ]);
  }

  private readonly query = (sql: string, parameters?: unknown[]): Promise<unknown> =>
    this.runner.query(this.dialect.sql(sql), parameters);

  /** Takes the keys' advisory locks not held yet (PostgreSQL); whether any had to be taken. */
  private async lock(names: string[]): Promise<boolean> {
    if (this.dialect.type !== 'postgres') {
      return false;
    }
    const statement = lockStatement(names.filter((name) => !this.locked.has(name)));
    if (statement === null) {
      return false;
    }
    await this.runner.query(statement.sql, statement.parameters);
    names.forEach((name) => this.locked.add(name));
    return true;
  }

  private async audit(decisionId: string, who: string, change: AuditChange, reason: string): Promise<void> {
    await this.query(
      multiRowInsert('decision_audit', AUDIT_COLUMNS, 1),
      auditRow(timeOrderedId(), decisionId, this.now, who, change, reason),
    );
  }
}
