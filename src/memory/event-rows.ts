import { TaggedEvent } from '../domain/event';
import { Verdict } from '../domain/verdict';
import { ActorProfile, AuthSession } from '../domain/actor';
import { StoredDecision } from '../domain/decision';

export const EVENT_COLUMNS = [
  'id',
  'actor_ip',
  'event_time',
  'received_at',
  'event_type',
  'outcome',
  'signals',
  'host',
  'user_name',
  'message',
  'url',
  'http_method',
  'http_status',
  'user_agent',
  'source_port',
  'original',
  'ingest_source',
  'signal_matches',
  'received_via',
  'line_format',
] as const;

export function eventRow(id: string, event: TaggedEvent, receivedAt: Date): unknown[] {
  return [
    id,
    event.sourceIp,
    event.eventTime.getTime(),
    receivedAt.getTime(),
    event.eventType ?? null,
    event.outcome,
    event.signals.join(','),
    event.host ?? null,
    event.user ?? null,
    event.message ?? null,
    event.url ?? null,
    event.httpMethod ?? null,
    event.httpStatus ?? null,
    event.userAgent ?? null,
    event.sourcePort ?? null,
    event.original ?? null,
    event.ingestSource ?? null,
    event.matches !== undefined && event.matches.length > 0 ? JSON.stringify(event.matches) : null,
    event.receivedVia ?? null,
    event.lineFormat ?? null,
  ];
}

export const ACTOR_COLUMNS = [
  'ip',
  'first_seen',
  'last_seen',
  'event_count',
  'failure_count',
  'signal_counts',
  'signal_timeline',
  'user_hashes',
  'path_hashes',
  'offence_count',
  'auth_sessions',
  'signal_paths',
  'last_level',
  'last_score',
  'updated_at',
] as const;

export function actorRow(profile: ActorProfile, level: string, score: number, now: Date): unknown[] {
  return [
    profile.ip,
    profile.firstSeen.getTime(),
    profile.lastSeen.getTime(),
    profile.eventCount,
    profile.failureCount,
    JSON.stringify(profile.signalCounts),
    JSON.stringify(profile.signalTimeline),
    JSON.stringify(profile.userHashes),
    JSON.stringify(profile.pathHashes),
    profile.offenceCount,
    JSON.stringify(profile.authSessions ?? []),
    JSON.stringify(profile.signalPaths ?? {}),
    level,
    score,
    now.getTime(),
  ];
}

export const VERDICT_COLUMNS = [
  'id',
  'actor_ip',
  'created_at',
  'level',
  'score',
  'categories',
  'techniques',
  'confidence',
  'rationale',
  'provider',
  'model',
  'latency_ms',
  'input_tokens',
  'output_tokens',
] as const;

export function verdictRow(id: string, ip: string, verdict: Verdict, now: Date): unknown[] {
  return [
    id,
    ip,
    now.getTime(),
    verdict.level,
    verdict.score,
    JSON.stringify(verdict.categories),
    JSON.stringify(verdict.techniques),
    verdict.confidence,
    verdict.rationale,
    verdict.provider,
    verdict.model ?? null,
    verdict.latencyMs ?? null,
    verdict.inputTokens ?? null,
    verdict.outputTokens ?? null,
  ];
}

export const DECISION_COLUMNS = [
  'id',
  'scope',
  'value',
  'action',
  'origin',
  'rule_id',
  'reason',
  'verdict_id',
  'created_at',
  'expires_at',
  'revoked_at',
  'revoke_reason',
  'status',
  'created_by',
] as const;

export function decisionRow(decision: StoredDecision): unknown[] {
  return [
    decision.id,
    decision.scope,
    decision.value,
    decision.action,
    decision.origin,
    decision.ruleId,
    decision.reason,
    decision.verdictId,
    decision.createdAt.getTime(),
    decision.expiresAt.getTime(),
    decision.revokedAt?.getTime() ?? null,
    decision.revokeReason,
    decision.status,
    decision.createdBy,
  ];
}

export const AUDIT_COLUMNS = ['id', 'decision_id', 'at', 'who', 'change', 'reason'] as const;

export type AuditChange = 'created' | 'revoked' | 'approved' | 'rejected';

export function auditRow(
  id: string,
  decisionId: string,
  at: Date,
  who: string,
  change: AuditChange,
  reason: string,
): unknown[] {
  return [id, decisionId, at.getTime(), who, change, reason];
}

/** A raw `actors` row (as SELECT * returns it) → the profile and the last verdict it recorded. */
export function profileFromRow(row: Record<string, unknown>): {
  profile: ActorProfile;
  lastLevel: string | null;
  lastScore: number | null;
} {
  return {
    profile: {
      ip: row.ip as string,
      firstSeen: new Date(Number(row.first_seen)),
      lastSeen: new Date(Number(row.last_seen)),
      eventCount: Number(row.event_count),
      failureCount: Number(row.failure_count),
      signalCounts: JSON.parse(row.signal_counts as string) as ActorProfile['signalCounts'],
      signalTimeline: JSON.parse(row.signal_timeline as string) as ActorProfile['signalTimeline'],
      userHashes: JSON.parse(row.user_hashes as string) as string[],
      pathHashes: JSON.parse(row.path_hashes as string) as string[],
      offenceCount: Number(row.offence_count),
      authSessions: JSON.parse((row.auth_sessions as string | undefined) ?? '[]') as AuthSession[],
      signalPaths: JSON.parse((row.signal_paths as string | undefined) ?? '{}') as ActorProfile['signalPaths'],
    },
    lastLevel: (row.last_level as string | null) ?? null,
    lastScore: row.last_score === null ? null : Number(row.last_score),
  };
}

/** A raw `decisions` row → the stored decision. */
export function decisionFromRow(row: Record<string, unknown>): StoredDecision {
  return {
    id: row.id as string,
    scope: row.scope as StoredDecision['scope'],
    value: row.value as string,
    status: row.status as StoredDecision['status'],
    createdBy: row.created_by as string,
    action: row.action as StoredDecision['action'],
    origin: row.origin as StoredDecision['origin'],
    ruleId: row.rule_id as string,
    reason: row.reason as string,
    verdictId: (row.verdict_id as string | null) ?? null,
    createdAt: new Date(Number(row.created_at)),
    expiresAt: new Date(Number(row.expires_at)),
    revokedAt: row.revoked_at === null ? null : new Date(Number(row.revoked_at)),
    revokeReason: (row.revoke_reason as string | null) ?? null,
  };
}

/** `INSERT INTO t (cols) VALUES (?, …), (?, …)` for `rowCount` rows; values are always bound. */
export function multiRowInsert(table: string, columns: readonly string[], rowCount: number): string {
  const row = `(${columns.map(() => '?').join(', ')})`;
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rowCount }, () => row).join(', ')}`;
}

/** Rows per JSON-bound statement: bounds one statement's JSON text (and its memory) to a few MiB. */
export const ROWS_PER_STATEMENT = 5_000;
