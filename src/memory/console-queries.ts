import { decisionFromRow } from './event-rows';
import { RunQuery, NOT_BY_INDEX } from './enforcement-queries';
import { StoredFeedback } from './enforcement-records';
import { StoredDecision } from '../domain/decision';

type Row = Record<string, unknown>;

/**
 * Events received in one minute from one source: the route or listener and the line format,
 * as `hec_raw · syslog3164` (`''` for events that did not record it: older rows, replays).
 */
export interface MinuteCount {
  /** The minute's start, epoch ms. */
  minute: number;
  source: string;
  count: number;
}

/** Decisions of one action, rule and status not ended at `now`. */
export interface DecisionTally {
  action: string;
  ruleId: string;
  status: string;
  count: number;
}

function sourceOf(via: string | null, format: string | null): string {
  return via === null ? '' : `${via} · ${format ?? '?'}`;
}

/** Events received since `since`, counted per minute and source, through idx_events_received. */
export async function eventsPerMinute(query: RunQuery, since: Date): Promise<MinuteCount[]> {
  const rows = (await query(
    `SELECT (received_at / 60000) * 60000 AS minute, received_via AS via, line_format AS format, COUNT(*) AS n
     FROM events WHERE received_at >= ? GROUP BY minute, received_via, line_format ORDER BY minute`,
    [since.getTime()],
  )) as Row[];
  return rows.map((row) => ({
    minute: Number(row.minute),
    source: sourceOf(row.via as string | null, row.format as string | null),
    count: Number(row.n),
  }));
}

/**
 * Unrevoked, unexpired decisions (in force, pending or simulated) by action, rule and status,
 * read through the expiry index: only what can still be in force is counted.
 */
export async function decisionTallies(query: RunQuery, now: Date): Promise<DecisionTally[]> {
  const rows = (await query(
    `SELECT d.action AS action, d.rule_id AS rule_id, d.status AS status, COUNT(*) AS n FROM decisions d
     WHERE d.expires_at > ? AND d.revoked_at IS NULL AND ${NOT_BY_INDEX('d.status')} <> 'rejected'
     GROUP BY d.action, d.rule_id, d.status ORDER BY n DESC, d.action, d.rule_id`,
    [now.getTime()],
  )) as Row[];
  return rows.map((row) => ({
    action: String(row.action),
    ruleId: String(row.rule_id),
    status: String(row.status),
    count: Number(row.n),
  }));
}

/** Decisions that ended (expired or revoked) before `now`, newest end first, with filters. */
export async function endedDecisions(
  query: RunQuery,
  filter: {
    now: Date;
    value?: string;
    ruleId?: string;
    origin?: string;
    action?: string;
    limit: number;
    offset: number;
  },
): Promise<{ total: number; items: StoredDecision[] }> {
  const conditions = [`${NOT_BY_INDEX('d.status')} = 'active'`, '(d.revoked_at IS NOT NULL OR d.expires_at <= ?)'];
  const values: unknown[] = [filter.now.getTime()];
  const equal: [string, string | undefined][] = [
    ['d.value', filter.value],
    ['d.rule_id', filter.ruleId],
    ['d.origin', filter.origin],
    [NOT_BY_INDEX('d.action'), filter.action],
  ];
  for (const [column, value] of equal) {
    if (value !== undefined) {
      conditions.push(`${column} = ?`);
      values.push(value);
    }
  }
  const where = `FROM decisions d WHERE ${conditions.join(' AND ')}`;
  const counted = (await query(`SELECT COUNT(*) AS total ${where}`, values)) as Row[];
  const rows = (await query(`SELECT d.* ${where} ORDER BY d.created_at DESC, d.id LIMIT ? OFFSET ?`, [
    ...values,
    filter.limit,
    filter.offset,
  ])) as Row[];
  return { total: Number(counted[0].total), items: rows.map(decisionFromRow) };
}

/** An actor's feedback, newest first. */
export async function feedbackFor(query: RunQuery, ip: string, limit: number): Promise<StoredFeedback[]> {
  const rows = (await query('SELECT * FROM actor_feedback WHERE actor_ip = ? ORDER BY created_at DESC LIMIT ?', [
    ip,
    limit,
  ])) as Row[];
  return rows.map((row) => ({
    id: String(row.id),
    actorIp: String(row.actor_ip),
    verdict: row.verdict === 'false_positive' ? 'false_positive' : 'true_positive',
    note: String(row.note),
    who: String(row.who),
    createdAt: new Date(Number(row.created_at)),
    revokedDecisionIds: JSON.parse(String(row.revoked_decision_ids)) as string[],
  }));
}
