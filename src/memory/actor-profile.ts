import { Signal } from '../ingest/signals/signal';
import { Outcome } from '../ingest/event';
import type { AttemptEvidence } from '../ingest/signals/attempt';
import { AuthSession, copySessions, pruneSessions, recordEvidence } from './auth-sessions';

/** How many event times per signal an actor profile keeps for windowed counts. */
export const TIMELINE_CAP = 64;
/** How many distinct user-name and URL-path hashes an actor profile keeps. */
export const DISTINCT_CAP = 256;
/**
 * Signals whose latest occurrences are kept with the hash of their URL path (`signalPaths`), so
 * that a rule can count distinct paths in a window of event time (`distinct: paths`): a sweep of
 * many missing paths is not a client hammering one missing favicon.
 */
export const PATH_MARKED_SIGNALS: ReadonlySet<Signal> = new Set<Signal>([
  'http_not_found',
  'http_unauthorized',
  'http_bad_request',
]);
/** One occurrence: event time (ms) and the path's hash. */
export type PathMark = [number, string];

/**
 * What Memory remembers about one actor (a canonical source address). A plain value: the
 * context builder, the policy and the API read it; only Memory writes it.
 */
export interface ActorProfile {
  ip: string;
  /** Earliest and latest event time seen for this actor. */
  firstSeen: Date;
  lastSeen: Date;
  eventCount: number;
  failureCount: number;
  /** Per signal, how many; for auth_failure, how many authentication attempts (not lines). */
  signalCounts: Partial<Record<Signal, number>>;
  /** Event times (ms since epoch, ascending) of the latest occurrences of each signal. */
  signalTimeline: Partial<Record<Signal, number[]>>;
  /** Short hashes of distinct user names and URL paths seen (never the strings). */
  userHashes: string[];
  pathHashes: string[];
  /** Number of blocks this actor has earned so far. */
  offenceCount: number;
  /** Recent connections and what their auth lines showed (auth-sessions.ts). */
  authSessions?: AuthSession[];
  /** For PATH_MARKED_SIGNALS: the latest TIMELINE_CAP occurrences with a path, ascending by time. */
  signalPaths?: Partial<Record<Signal, PathMark[]>>;
}

/** The part of a stored event that updates an actor profile. */
export interface ActorObservation {
  sourceIp: string;
  eventTime: Date;
  outcome: Outcome;
  signals: Signal[];
  userHash?: string;
  pathHash?: string;
  /** What the line says about an authentication attempt; without it, one auth_failure is one attempt. */
  attempt?: AttemptEvidence;
}

export function emptyProfile(ip: string, at: Date): ActorProfile {
  return {
    ip,
    firstSeen: at,
    lastSeen: at,
    eventCount: 0,
    failureCount: 0,
    signalCounts: {},
    signalTimeline: {},
    userHashes: [],
    pathHashes: [],
    offenceCount: 0,
  };
}

/** Inserts `time` into an ascending list, in place, and keeps only the latest `cap` entries. */
function insertCapped(times: number[], time: number, cap: number): void {
  let index = times.length;
  while (index > 0 && times[index - 1] > time) {
    index -= 1;
  }
  times.splice(index, 0, time);
  if (times.length > cap) {
    times.splice(0, times.length - cap);
  }
}

/** Takes one occurrence of `time` out of an ascending list, in place, if it is still there. */
function removeOne(times: number[] | undefined, time: number): boolean {
  const index = times === undefined ? -1 : times.lastIndexOf(time);
  if (index >= 0) {
    times?.splice(index, 1);
  }
  return index >= 0;
}

/** The attempts a line adds to (or, after a login, takes from) the auth_failure counts. */
function countAttempts(profile: ActorProfile, sessions: AuthSession[], attempt: AttemptEvidence, time: number): void {
  const { added, removed } = recordEvidence(sessions, attempt, time);
  const timeline = (profile.signalTimeline.auth_failure ??= []);
  for (const at of added) {
    insertCapped(timeline, at, TIMELINE_CAP);
  }
  for (const at of removed) {
    removeOne(timeline, at);
  }
  const count = (profile.signalCounts.auth_failure ?? 0) + added.length - removed.length;
  profile.signalCounts.auth_failure = Math.max(0, count);
}

/** Inserts a mark into an ascending list, in place, keeping only the latest `cap`. */
function insertMark(marks: PathMark[], mark: PathMark, cap: number): void {
  let index = marks.length;
  while (index > 0 && marks[index - 1][0] > mark[0]) {
    index -= 1;
  }
  marks.splice(index, 0, mark);
  if (marks.length > cap) {
    marks.splice(0, marks.length - cap);
  }
}

function markPaths(paths: Partial<Record<Signal, PathMark[]>>, observation: ActorObservation, time: number): void {
  const { pathHash } = observation;
  if (pathHash === undefined) {
    return;
  }
  for (const signal of observation.signals) {
    if (PATH_MARKED_SIGNALS.has(signal)) {
      insertMark((paths[signal] ??= []), [time, pathHash], TIMELINE_CAP);
    }
  }
}

function addDistinct(hashes: string[], hash: string | undefined): void {
  if (hash !== undefined && hashes.length < DISTINCT_CAP && !hashes.includes(hash)) {
    hashes.push(hash);
  }
}

/**
 * The profile after some new events. Pure: the caller loads the old profile and stores the
 * new one in the same transaction; `existing` is not changed. Events may arrive out of order;
 * windows use event time.
 */
export function applyObservations(
  existing: ActorProfile | undefined,
  ip: string,
  observations: ActorObservation[],
): ActorProfile {
  const base = existing ?? emptyProfile(ip, observations[0].eventTime);
  // Copies of the lists this call changes, made once: the old profile is left as it was.
  const timeline: Partial<Record<Signal, number[]>> = {};
  for (const [signal, times] of Object.entries(base.signalTimeline) as [Signal, number[]][]) {
    timeline[signal] = [...times];
  }
  const profile: ActorProfile = {
    ...base,
    signalCounts: { ...base.signalCounts },
    signalTimeline: timeline,
    userHashes: [...base.userHashes],
    pathHashes: [...base.pathHashes],
  };
  const sessions = copySessions(base.authSessions);
  const paths: Partial<Record<Signal, PathMark[]>> = {};
  for (const [signal, marks] of Object.entries(base.signalPaths ?? {}) as [Signal, PathMark[]][]) {
    paths[signal] = [...marks];
  }
  for (const observation of observations) {
    const time = observation.eventTime.getTime();
    if (profile.eventCount === 0 || time < profile.firstSeen.getTime()) {
      profile.firstSeen = observation.eventTime;
    }
    if (profile.eventCount === 0 || time > profile.lastSeen.getTime()) {
      profile.lastSeen = observation.eventTime;
    }
    profile.eventCount += 1;
    if (observation.outcome === 'failure' || observation.signals.includes('auth_failure')) {
      profile.failureCount += 1;
    }
    for (const signal of observation.signals) {
      if (signal === 'auth_failure' && observation.attempt !== undefined) {
        continue;
      }
      profile.signalCounts[signal] = (profile.signalCounts[signal] ?? 0) + 1;
      insertCapped((timeline[signal] ??= []), time, TIMELINE_CAP);
    }
    if (observation.attempt !== undefined) {
      countAttempts(profile, sessions, observation.attempt, time);
    }
    markPaths(paths, observation, time);
    addDistinct(profile.userHashes, observation.userHash);
    addDistinct(profile.pathHashes, observation.pathHash);
  }
  if (Object.keys(paths).length > 0) {
    profile.signalPaths = paths;
  }
  if (sessions.length > 0 || base.authSessions !== undefined) {
    profile.authSessions = pruneSessions(sessions, profile.lastSeen.getTime());
  }
  if (profile.signalTimeline.auth_failure?.length === 0 && !profile.signalCounts.auth_failure) {
    delete profile.signalTimeline.auth_failure;
    delete profile.signalCounts.auth_failure;
  }
  return profile;
}
