import { createHash } from 'node:crypto';
import { TaggedEvent } from '../ingest/event';
import { ActorProfile, ActorObservation } from './actor-profile';

/** Local-only hash used to count distinct user names and URL paths; never sent anywhere. */
export function localHash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}

function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

export function observationOf(event: TaggedEvent): ActorObservation {
  return {
    sourceIp: event.sourceIp,
    eventTime: event.eventTime,
    outcome: event.outcome,
    signals: event.signals,
    userHash: event.user === undefined ? undefined : localHash(event.user),
    pathHash: event.url === undefined ? undefined : localHash(pathOf(event.url)),
  };
}

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
    level,
    score,
    now.getTime(),
  ];
}

/** `INSERT INTO t (cols) VALUES (?, …), (?, …)` for `rowCount` rows; values are always bound. */
export function multiRowInsert(table: string, columns: readonly string[], rowCount: number): string {
  const row = `(${columns.map(() => '?').join(', ')})`;
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rowCount }, () => row).join(', ')}`;
}

/** Rows per multi-row statement, within SQLite's 32,766 bound parameters. */
export function rowsPerStatement(columnCount: number): number {
  return Math.floor(30_000 / columnCount);
}
