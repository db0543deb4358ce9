import { Repository, SelectQueryBuilder } from 'typeorm';
import { DecisionEntity } from './entities/decision.entity';
import { AuditChange, decisionFromRow, multiRowInsert } from './event-rows';
import {
  AuditEntry,
  AuditQuery,
  BouncerCursorRecord,
  DecisionListQuery,
  NumberedDecision,
  StoredFeedback,
} from './enforcement-records';
import { DecisionAction, StoredDecision } from '../domain/decision';

/** A query runner's or an entity manager's `query`: bound parameters, rows back. */
export type RunQuery = (sql: string, parameters?: unknown[]) => Promise<unknown>;

type Row = Record<string, unknown>;

/**
 * A column the planner must not read decisions by. `status` and `action` have indexes, but
 * nearly every decision ever made is `active` (expired ones too), and most are of a few
 * actions: through those indexes, a lookup reads the whole history. Written as an expression,
 * the column is compared row by row instead, and the planner takes the index that bounds the
 * rows: the value's, or the expiry's (only what can still be in force).
 */
export const NOT_BY_INDEX = (column: string): string => `${column} || ''`;

/** An active ban, read through the expiry index (see NOT_BY_INDEX). */
const ON_EXPIRY_INDEX = `${NOT_BY_INDEX('d.action')} = 'block' AND ${NOT_BY_INDEX('d.status')} = 'active'`;

/** When a decision stops being in force: revoked or expired, whichever comes first. */
const ENDS_AT =
  'CASE WHEN d.revoked_at IS NOT NULL AND d.revoked_at < d.expires_at THEN d.revoked_at ELSE d.expires_at END';

/**
 * One page of decisions of one status, newest first, and their number. Listing what is in
 * force reads through the expiry index (or the value's, given one): status and action are
 * compared row by row. The whole history of a status reads through the status index.
 */
export function decisionList(
  decisions: Repository<DecisionEntity>,
  query: DecisionListQuery,
): SelectQueryBuilder<DecisionEntity> {
  const byIndex = (column: string): string => (query.inForceOnly ? NOT_BY_INDEX(column) : column);
  const builder = decisions.createQueryBuilder('d').where(`${byIndex('d.status')} = :status`, { status: query.status });
  if (query.inForceOnly) {
    builder.andWhere('d.revoked_at IS NULL').andWhere('d.expires_at > :now', { now: query.now.getTime() });
  }
  const equal = {
    action: query.action,
    scope: query.scope,
    origin: query.origin,
    value: query.value,
    rule_id: query.ruleId,
  };
  for (const [column, value] of Object.entries(equal)) {
    if (value !== undefined) {
      builder.andWhere(`${column === 'action' ? NOT_BY_INDEX('d.action') : `d.${column}`} = :${column}`, {
        [column]: value,
      });
    }
  }
  return builder.orderBy('d.created_at', 'DESC').addOrderBy('d.id', 'ASC').skip(query.offset).take(query.limit);
}

/** Active-status decisions of one action still in force after `endedAfter` (pass now for "in force"). */
export async function activeOfAction(
  query: RunQuery,
  action: DecisionAction,
  endedAfter: Date,
): Promise<StoredDecision[]> {
  const rows = (await query(
    `SELECT d.* FROM decisions d WHERE ${NOT_BY_INDEX('d.action')} = ? AND ${NOT_BY_INDEX('d.status')} = 'active'
     AND d.expires_at > ? AND ${ENDS_AT} > ?`,
    [action, endedAfter.getTime(), endedAfter.getTime()],
  )) as Row[];
  return rows.map(decisionFromRow);
}

/**
 * Hands a bouncer id to every active ban in force after `endedAfter` that has none yet, oldest
 * first, and marks every numbered ban that has ended by `now` and was not marked yet with a new
 * ended-generation. Answers the highest id and generation so far. Both come from counters that
 * only grow (AUTOINCREMENT ids, max + 1 generations), so a cursor holding them is exact.
 */
export async function numberBans(
  query: RunQuery,
  endedAfter: Date,
  now: Date,
): Promise<{ lastSeq: number; lastEndGen: number }> {
  await query(
    `INSERT INTO bouncer_decision_ids (decision_id, assigned_at)
     SELECT d.id, ? FROM decisions d
     WHERE d.expires_at > ? AND ${ON_EXPIRY_INDEX}
       AND NOT EXISTS (SELECT 1 FROM bouncer_decision_ids b WHERE b.decision_id = d.id)
     ORDER BY d.created_at, d.id`,
    [now.getTime(), endedAfter.getTime()],
  );
  const generations = (await query('SELECT COALESCE(MAX(ended_gen), 0) AS gen FROM bouncer_decision_ids')) as Row[];
  await query(
    `UPDATE bouncer_decision_ids SET ended_gen = ?
     WHERE ended_gen IS NULL
       AND EXISTS (SELECT 1 FROM decisions d WHERE d.id = bouncer_decision_ids.decision_id AND ${ENDS_AT} <= ?)`,
    [Number(generations[0].gen) + 1, now.getTime()],
  );
  const rows = (await query(
    'SELECT COALESCE(MAX(id), 0) AS seq, COALESCE(MAX(ended_gen), 0) AS gen FROM bouncer_decision_ids',
  )) as Row[];
  return { lastSeq: Number(rows[0].seq), lastEndGen: Number(rows[0].gen) };
}

const NUMBERED_COLUMNS = 'd.*, b.id AS bouncer_id, b.ended_gen AS bouncer_ended_gen';

function numberedFromRow(row: Row): NumberedDecision {
  return {
    ...decisionFromRow(row),
    bouncerId: Number(row.bouncer_id),
    endedGen: row.bouncer_ended_gen === null ? null : Number(row.bouncer_ended_gen),
  };
}

function byBouncerId(rows: Row[]): NumberedDecision[] {
  return rows.map(numberedFromRow).sort((a, b) => a.bouncerId - b.bouncerId);
}

/**
 * Numbered bans in force (not marked ended) and, if `endedGenAfter` is given, those marked
 * ended after that generation, in id order. Run after numberBans in the same transaction.
 * Both halves are read through the ended-generation index, whatever the history's size.
 */
export async function numberedBans(query: RunQuery, endedGenAfter: number | null): Promise<NumberedDecision[]> {
  const half = (condition: string): string =>
    `SELECT ${NUMBERED_COLUMNS} FROM bouncer_decision_ids b CROSS JOIN decisions d
     WHERE d.id = b.decision_id AND ${condition} AND d.action = 'block' AND d.status = 'active'`;
  const rows = (await query(
    endedGenAfter === null
      ? half('b.ended_gen IS NULL')
      : `${half('b.ended_gen IS NULL')} UNION ALL ${half('b.ended_gen > ?')}`,
    endedGenAfter === null ? [] : [endedGenAfter],
  )) as Row[];
  return byBouncerId(rows);
}

/** Numbered bans in force after `endedAfter` (a start-up's look-back), in id order. */
export async function numberedBansSince(query: RunQuery, endedAfter: Date): Promise<NumberedDecision[]> {
  const rows = (await query(
    `SELECT ${NUMBERED_COLUMNS} FROM decisions d CROSS JOIN bouncer_decision_ids b
     WHERE b.decision_id = d.id AND d.expires_at > ? AND ${ON_EXPIRY_INDEX} AND ${ENDS_AT} > ?`,
    [endedAfter.getTime(), endedAfter.getTime()],
  )) as Row[];
  return byBouncerId(rows);
}

export async function bouncerCursor(query: RunQuery, keyHash: string): Promise<BouncerCursorRecord | null> {
  const rows = (await query('SELECT * FROM bouncer_cursors WHERE key_hash = ?', [keyHash])) as Row[];
  return rows.length === 0
    ? null
    : {
        lastPullAt: new Date(Number(rows[0].last_pull_at)),
        lastSeq: Number(rows[0].last_seq),
        lastEndGen: Number(rows[0].last_end_gen),
      };
}

export async function saveBouncerCursor(
  query: RunQuery,
  keyHash: string,
  cursor: BouncerCursorRecord,
  now: Date,
): Promise<void> {
  await query(
    `INSERT INTO bouncer_cursors (key_hash, last_pull_at, last_seq, last_end_gen, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (key_hash) DO UPDATE SET last_pull_at = excluded.last_pull_at, last_seq = excluded.last_seq,
       last_end_gen = excluded.last_end_gen, updated_at = excluded.updated_at`,
    [keyHash, cursor.lastPullAt.getTime(), cursor.lastSeq, cursor.lastEndGen, now.getTime()],
  );
}

const FEEDBACK_COLUMNS = ['id', 'actor_ip', 'verdict', 'note', 'who', 'created_at', 'revoked_decision_ids'];

export async function insertFeedback(query: RunQuery, feedback: StoredFeedback): Promise<void> {
  await query(multiRowInsert('actor_feedback', FEEDBACK_COLUMNS, 1), [
    feedback.id,
    feedback.actorIp,
    feedback.verdict,
    feedback.note,
    feedback.who,
    feedback.createdAt.getTime(),
    JSON.stringify(feedback.revokedDecisionIds),
  ]);
}

function auditFromRow(row: Row): AuditEntry {
  return {
    id: row.id as string,
    decisionId: row.decision_id as string,
    at: new Date(Number(row.at)),
    who: row.who as string,
    change: row.change as AuditChange,
    reason: row.reason as string,
    decision:
      row.d_value === null
        ? null
        : {
            scope: row.d_scope as NonNullable<AuditEntry['decision']>['scope'],
            value: row.d_value as string,
            action: row.d_action as DecisionAction,
            origin: row.d_origin as NonNullable<AuditEntry['decision']>['origin'],
            status: row.d_status as NonNullable<AuditEntry['decision']>['status'],
            ruleId: row.d_rule_id as string,
          },
  };
}

/** The audit trail with what each row is about, newest first. */
export async function auditTrail(query: RunQuery, filter: AuditQuery): Promise<{ total: number; items: AuditEntry[] }> {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (condition: string, value: unknown): void => {
    where.push(condition);
    values.push(value);
  };
  if (filter.decisionId !== undefined) {
    add('a.decision_id = ?', filter.decisionId);
  }
  if (filter.value !== undefined) {
    add('d.value = ?', filter.value);
  }
  if (filter.who !== undefined) {
    add('a.who = ?', filter.who);
  }
  if (filter.since !== undefined) {
    add('a.at >= ?', filter.since.getTime());
  }
  if (filter.until !== undefined) {
    add('a.at < ?', filter.until.getTime());
  }
  const from = `FROM decision_audit a LEFT JOIN decisions d ON d.id = a.decision_id${
    where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''
  }`;
  const counted = (await query(`SELECT COUNT(*) AS total ${from}`, values)) as Row[];
  const rows = (await query(
    `SELECT a.*, d.scope AS d_scope, d.value AS d_value, d.action AS d_action, d.origin AS d_origin,
            d.status AS d_status, d.rule_id AS d_rule_id
     ${from} ORDER BY a.at DESC, a.id DESC LIMIT ? OFFSET ?`,
    [...values, filter.limit, filter.offset],
  )) as Row[];
  return { total: Number(counted[0].total), items: rows.map(auditFromRow) };
}
