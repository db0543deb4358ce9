import { AdminClient } from './client';
import { decisionTable, DecisionView } from './decisions';
import { emit, Io, printable, table } from './output';

interface ActorView {
  profile: {
    ip: string;
    /** ip, range, hostname or local (common/actor-key.ts). */
    scope?: string;
    firstSeen: string;
    lastSeen: string;
    eventCount: number;
    failureCount: number;
    signalCounts: Record<string, number>;
    distinctUsers: number;
    distinctPaths: number;
    offenceCount: number;
  };
  summary: string;
  decision: DecisionView | null;
  decisions: DecisionView[];
  verdicts: { level: string; score: number; provider: string; rationale: string; createdAt?: string }[];
  recentEvents: {
    eventTime: string;
    eventType: string | null;
    outcome: string;
    signals: string[];
    message: string | null;
  }[];
}

/** How an actor that is not an address is named after its key. */
const SCOPE_NAMES: Record<string, string> = { hostname: ' (host name)', local: ' (local account)' };

export async function showActor(client: AdminClient, io: Io, address: string): Promise<void> {
  const actor = await client.request<ActorView>('GET', `/actors/${encodeURIComponent(address)}`);
  emit(io, actor, () => {
    const p = actor.profile;
    const signals = Object.entries(p.signalCounts)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ');
    const lines = [
      `${p.ip}${SCOPE_NAMES[p.scope ?? 'ip'] ?? ''}: ${p.eventCount} events (${p.failureCount} failures), seen ${p.firstSeen} to ${p.lastSeen}`,
      `signals: ${signals === '' ? 'none' : signals}; ${p.distinctUsers} user names, ${p.distinctPaths} paths, ${p.offenceCount} block(s) earned`,
      `in force: ${actor.decision === null ? 'nothing' : `${actor.decision.action} by ${actor.decision.ruleId} until ${actor.decision.expiresAt}: ${printable(actor.decision.reason)}`}`,
      '',
      printable(actor.summary),
    ];
    if (actor.verdicts.length > 0) {
      const v = actor.verdicts[0];
      lines.push('', `latest verdict: ${v.level}, score ${v.score} (${v.provider}): ${printable(v.rationale)}`);
    }
    if (actor.decisions.length > 0) {
      lines.push('', decisionTable(actor.decisions));
    }
    if (actor.recentEvents.length > 0) {
      lines.push(
        '',
        table(
          ['TIME', 'TYPE', 'OUTCOME', 'SIGNALS', 'MESSAGE'],
          actor.recentEvents
            .slice(0, 20)
            .map((e) => [
              e.eventTime,
              e.eventType ?? '',
              e.outcome,
              e.signals.join(','),
              (e.message ?? '').slice(0, 100),
            ]),
        ),
      );
    }
    return lines.join('\n');
  });
}
