import { hash } from 'node:crypto';
import { ActorProfile, AuthSession, DISTINCT_CAP, PATH_MARKED_SIGNALS, PathMark, TIMELINE_CAP } from '../domain/actor';
import { Signal } from '../domain/signal';
import { Outcome, TaggedEvent } from '../domain/event';
import type { AttemptEvidence } from '../domain/attempt';
import { copySessions, pruneSessions, recordEvidence } from './auth-sessions';

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

/** Local-only hash used to count distinct user names and URL paths; never sent anywhere. */
export function localHash(value: string): string {
  return hash('sha256', value, 'hex').slice(0, 16);
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
    ...(event.attempt === undefined ? {} : { attempt: event.attempt }),
  };
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
