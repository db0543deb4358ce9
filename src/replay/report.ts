import { ACTION_SEVERITY, StoredDecision } from '../domain/decision';
import { ReplayResult } from './replay';

export interface DecisionLine {
  action: string;
  status: string;
  scope: string;
  ruleId: string;
  reason: string;
  at: string;
  seconds: number;
}

export interface ActorReport {
  value: string;
  scope: string;
  /** The most severe decision made for it (the latest on a tie). */
  strongest: DecisionLine;
  decisions: DecisionLine[];
}

export interface ReplayReport {
  file: string;
  format: string;
  policy: string;
  writes?: string;
  summary: {
    lines: number;
    parsed: number;
    rejected: number;
    rejectedReasons: { reason: string; lines: number }[];
    actors: number;
    firstEvent: string | null;
    lastEvent: string | null;
    decisions: Record<string, number>;
    simulated: Record<string, number>;
    blockedValues: number;
    rangeDecisions: number;
    seconds: number;
    linesPerSecond: number;
  };
  actors: ActorReport[];
}

function line(decision: StoredDecision): DecisionLine {
  return {
    action: decision.action,
    status: decision.status,
    scope: decision.scope,
    ruleId: decision.ruleId,
    reason: decision.reason,
    at: decision.createdAt.toISOString(),
    seconds: Math.round((decision.expiresAt.getTime() - decision.createdAt.getTime()) / 1000),
  };
}

/** Code-unit order: the same on every machine, and much cheaper than a locale's collation. */
export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const weight = (d: DecisionLine): number =>
  (d.action in ACTION_SEVERITY ? ACTION_SEVERITY[d.action as keyof typeof ACTION_SEVERITY] : 0) * 2 +
  Number(d.status === 'active');

/** What was decided, per actor (or network), most severe first, and the totals. */
export function buildReport(
  result: ReplayResult,
  meta: { file: string; format: string; policy: string; writes?: string },
): ReplayReport {
  const byValue = new Map<string, StoredDecision[]>();
  for (const decision of result.decisions) {
    byValue.set(decision.value, [...(byValue.get(decision.value) ?? []), decision]);
  }
  const actors = [...byValue].map(([value, decisions]): ActorReport => {
    const lines = decisions.map(line);
    const strongest = lines.reduce((best, d) => (weight(d) >= weight(best) ? d : best));
    return { value, scope: decisions[0].scope, strongest, decisions: lines };
  });
  actors.sort((a, b) => weight(b.strongest) - weight(a.strongest) || byText(a.value, b.value));
  const tally = (status: string): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const d of result.decisions.filter((x) => x.status === status)) {
      out[d.action] = (out[d.action] ?? 0) + 1;
    }
    return out;
  };
  const { counts } = result;
  return {
    ...meta,
    summary: {
      lines: counts.lines,
      parsed: counts.parsed,
      rejected: counts.rejected,
      rejectedReasons: [...counts.reasons].map(([reason, lines]) => ({ reason, lines })),
      actors: counts.actors.size,
      firstEvent: counts.firstEvent?.toISOString() ?? null,
      lastEvent: counts.lastEvent?.toISOString() ?? null,
      decisions: tally('active'),
      simulated: tally('simulated'),
      blockedValues: actors.filter((a) => a.decisions.some((d) => d.action === 'block' && d.status === 'active'))
        .length,
      rangeDecisions: result.decisions.filter((d) => d.scope === 'range').length,
      seconds: Math.round(result.seconds * 1000) / 1000,
      linesPerSecond: Math.round(counts.lines / Math.max(result.seconds, 1e-6)),
    },
    actors,
  };
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function describeCounts(counts: Record<string, number>): string {
  const parts = Object.entries(counts).map(([action, n]) => `${action} ${n}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** The report as text: one line per actor (its strongest decision and how many), then the summary. */
export function formatReport(report: ReplayReport): string {
  const out: string[] = [
    `Replay of ${report.file} (format ${report.format}, policy ${report.policy}${report.writes === undefined ? '' : `, ${report.writes}`})`,
    '',
  ];
  const width = Math.max(15, ...report.actors.map((a) => a.value.length));
  for (const actor of report.actors) {
    const s = actor.strongest;
    const blocks = actor.decisions.filter((d) => d.action === 'block');
    const extra =
      blocks.length > 1 ? `  (${blocks.length} blocks: ${blocks.map((b) => `${b.seconds}s`).join(', ')})` : '';
    out.push(
      `${pad(actor.value, width)}  ${pad(actor.scope, 5)}  ${pad(s.status === 'simulated' ? `${s.action}*` : s.action, 8)}${pad(s.ruleId, 24)} ${s.at}  ${s.seconds}s${extra}`,
    );
  }
  const m = report.summary;
  out.push(
    '',
    `${m.lines} lines: ${m.parsed} parsed, ${m.rejected} rejected`,
    ...m.rejectedReasons.map((r) => `  ${r.lines} × ${r.reason}`),
    `${m.actors} actors, events ${m.firstEvent ?? '-'} .. ${m.lastEvent ?? '-'}`,
    `decisions: ${describeCounts(m.decisions)}; simulated (*): ${describeCounts(m.simulated)}; ${m.rangeDecisions} on ranges; ${m.blockedValues} addresses/ranges blocked`,
    `${m.seconds} s, ${m.linesPerSecond} lines/s`,
  );
  return out.join('\n');
}
