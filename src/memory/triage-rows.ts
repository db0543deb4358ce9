import { LEDGER_COLUMNS, ledgerRow, ledgerUpsert } from './block-ledger';
import { Dialect } from './dialect';
import {
  ACTOR_COLUMNS,
  actorRow,
  AUDIT_COLUMNS,
  auditRow,
  DECISION_COLUMNS,
  decisionRow,
  VERDICT_COLUMNS,
  verdictRow,
} from './event-rows';
import { PlannedWrites, StoredActor } from './planned-writes';
import { TriagePlan } from './triage-plan';

/** Rows for one table, inserted (or upserted, with `suffix`) in the write transaction. */
export interface Insert {
  table: string;
  columns: readonly string[];
  rows: unknown[][];
  suffix?: string;
}

const ACTOR_UPSERT = ` ON CONFLICT (ip) DO UPDATE SET ${ACTOR_COLUMNS.filter((column) => column !== 'ip')
  .map((column) => `${column} = excluded.${column}`)
  .join(', ')}`;

/**
 * A triage plan as rows (actors upserted, verdicts, decisions, their audit, ledger notes), and
 * as the writes a flush planned on top of this one lays over what it reads.
 */
export function triageRows(
  plan: TriagePlan,
  now: Date,
  dialect: Dialect,
  options: {
    /** False for a throwaway store that keeps actors in memory (EventWriter.useThrowawayStore). */
    actorRows?: boolean;
  } = {},
): { inserts: Insert[]; writes: PlannedWrites } {
  const actorRows: unknown[][] = [];
  const actors = new Map<string, StoredActor>();
  for (const [key, outcome] of plan.outcomes) {
    if (options.actorRows !== false) {
      actorRows.push(actorRow(outcome.actor, outcome.verdict.level, outcome.verdict.score, now));
    }
    actors.set(key, { profile: outcome.actor, lastLevel: outcome.verdict.level, lastScore: outcome.verdict.score });
  }
  return {
    inserts: [
      { table: 'actors', columns: ACTOR_COLUMNS, rows: actorRows, suffix: ACTOR_UPSERT },
      {
        table: 'verdicts',
        columns: VERDICT_COLUMNS,
        rows: plan.verdicts.map((v) => verdictRow(v.id, v.actor, v.verdict, now)),
      },
      { table: 'decisions', columns: DECISION_COLUMNS, rows: plan.decisions.map(decisionRow) },
      {
        table: 'decision_audit',
        columns: AUDIT_COLUMNS,
        rows: plan.audit.map((a) => auditRow(a.id, a.decisionId, now, a.who, 'created', a.reason)),
      },
      {
        table: 'network_blocks',
        columns: LEDGER_COLUMNS,
        rows: plan.ledger.map(ledgerRow),
        suffix: ledgerUpsert(dialect),
      },
    ],
    writes: { actors, decisions: plan.decisions, ledger: plan.ledger },
  };
}
