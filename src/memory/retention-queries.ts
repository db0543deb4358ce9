import { Dialect } from './dialect';

/** A query runner's `query`: bound parameters, rows back. */
type RunQuery = (sql: string, parameters?: unknown[]) => Promise<unknown>;

/** What a retention pass purges, in this order (each step in batches of its own). */
export const PURGE_STEPS = ['events', 'verdicts', 'actors', 'decisions', 'networkBlocks', 'audit', 'feedback'] as const;
export type PurgeStep = (typeof PURGE_STEPS)[number];

/** Times (ms) before which rows go; null keeps them (that retention is off). */
export interface PurgeCutoffs {
  now: number;
  events: number | null;
  decisions: number | null;
  audit: number | null;
}

/** The statements of a limited delete run in order; the last one answers how many rows went. */
async function counted(query: RunQuery, statements: string[], values: unknown[]): Promise<number> {
  let rows: unknown = [];
  for (const [index, sql] of statements.entries()) {
    rows = await query(sql, index === 0 ? values : []);
  }
  return Number((rows as { n: number }[])[0].n);
}

/**
 * One batch of one step: at most `limit` rows, answers how many went. Decisions go only when
 * they expired before the cutoff (so never one in force), with their bouncer ids. Actors go
 * when quiet since the events' cutoff and never blocked, or quiet since the decisions' cutoff:
 * a repeat offender's offence count outlives its events as long as its decisions are kept.
 */
export async function purgeBatch(
  query: RunQuery,
  dialect: Dialect,
  step: PurgeStep,
  cut: PurgeCutoffs,
  limit: number,
): Promise<number> {
  /** Deletes up to `limit` rows of `table` chosen by `where` (through the index on its time), answers how many. */
  const deleteSome = (table: string, where: string, values: unknown[], max: number): Promise<number> =>
    counted(query, dialect.limitedDelete(table, where), [...values, max]);
  switch (step) {
    case 'events':
      return cut.events === null ? 0 : deleteSome('events', 'event_time < ?', [cut.events], limit);
    case 'verdicts':
      return cut.events === null ? 0 : deleteSome('verdicts', 'created_at < ?', [cut.events], limit);
    case 'actors':
      return cut.events === null
        ? 0
        : deleteSome(
            'actors',
            'last_seen < ? AND (offence_count = 0 OR last_seen < ?)',
            [cut.events, cut.decisions ?? Number.MIN_SAFE_INTEGER],
            limit,
          );
    case 'decisions':
      return cut.decisions === null ? 0 : purgeDecisions(query, dialect, cut.decisions, limit);
    case 'networkBlocks':
      return cut.decisions === null ? 0 : deleteSome('network_blocks', 'blocked_at < ?', [cut.decisions], limit);
    case 'audit':
      // A decision still in force keeps its trail, however old.
      return cut.audit === null
        ? 0
        : deleteSome(
            'decision_audit',
            'at < ? AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.id = decision_audit.decision_id AND d.expires_at > ?)',
            [cut.audit, cut.now],
            limit,
          );
    case 'feedback':
      return cut.audit === null ? 0 : deleteSome('actor_feedback', 'created_at < ?', [cut.audit], limit);
  }
}

async function purgeDecisions(query: RunQuery, dialect: Dialect, cutoff: number, limit: number): Promise<number> {
  const rows = (await query('SELECT id FROM decisions WHERE expires_at < ? LIMIT ?', [cutoff, limit])) as {
    id: string;
  }[];
  if (rows.length === 0) {
    return 0;
  }
  const ids = JSON.stringify(rows.map((row) => row.id));
  await query(`DELETE FROM bouncer_decision_ids WHERE decision_id ${dialect.inJsonList}`, [ids]);
  return counted(query, dialect.limitedDelete('decisions', `id ${dialect.inJsonList}`), [ids, rows.length]);
}
