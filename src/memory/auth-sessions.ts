import type { AuthSession } from '../domain/actor';
import type { AttemptEvidence } from '../domain/attempt';

/** Lines further apart than this (event time) are not one connection, whatever their keys. */
export const SESSION_WINDOW_MS = 10 * 60 * 1000;
/** Most connections remembered per actor; the oldest go first. */
export const SESSION_CAP = 64;

/** How many attempts a connection's lines show. */
export function attemptsOf(session: AuthSession): number {
  if (session.success) {
    // A login that succeeded: its password typos count, its PAM and key probes do not.
    return session.failed;
  }
  // pam_unix's first failure alone waits for the rest of its connection: with a stack such as
  // pam_unix then pam_sss, every directory user's login writes it just before `Accepted`.
  // Anything else the connection shows (a Failed line, a refusal, a preauth close, PAM's
  // `N more`) confirms it; a success takes it back (above).
  const confirmed = session.failed + session.key + session.companion + session.pamMore + session.pamError > 0;
  const pam = confirmed ? session.pam + session.pamMore : 0;
  return Math.max(session.failed + session.key, pam, session.pamError, session.companion > 0 ? 1 : 0);
}

function newSession(keys: string[], time: number): AuthSession {
  return {
    keys: [...keys],
    first: time,
    last: time,
    failed: 0,
    key: 0,
    pam: 0,
    pamMore: 0,
    pamError: 0,
    companion: 0,
    success: false,
    counted: [],
  };
}

function findSession(sessions: AuthSession[], evidence: AttemptEvidence, time: number): AuthSession | undefined {
  if (evidence.keys.length === 0) {
    return undefined;
  }
  return sessions.find(
    (session) =>
      time >= session.first - SESSION_WINDOW_MS &&
      time <= session.last + SESSION_WINDOW_MS &&
      session.keys.some((key) => evidence.keys.includes(key)),
  );
}

function addRole(session: AuthSession, evidence: AttemptEvidence): void {
  if (evidence.role === 'success') {
    session.success = true;
  } else {
    session[evidence.role] += evidence.count;
  }
}

/**
 * Adds one line's evidence to the connections in `sessions` (changed in place). Returns the
 * event times to add to the actor's attempt count, and those to take back (a login succeeded
 * after PAM failures).
 */
export function recordEvidence(
  sessions: AuthSession[],
  evidence: AttemptEvidence,
  time: number,
): { added: number[]; removed: number[] } {
  let session = findSession(sessions, evidence, time);
  if (session === undefined) {
    session = newSession(evidence.keys, time);
    if (evidence.keys.length > 0) {
      sessions.push(session);
    }
  }
  for (const key of evidence.keys) {
    if (!session.keys.includes(key)) {
      session.keys.push(key);
    }
  }
  session.first = Math.min(session.first, time);
  session.last = Math.max(session.last, time);
  const before = session.counted.length;
  addRole(session, evidence);
  const after = attemptsOf(session);
  if (after > before) {
    const added = new Array<number>(after - before).fill(time);
    session.counted.push(...added);
    return { added, removed: [] };
  }
  return { added: [], removed: after < before ? session.counted.splice(after) : [] };
}

/** Connections still worth remembering once `latest` (ms) has been seen. */
export function pruneSessions(sessions: AuthSession[], latest: number): AuthSession[] {
  const kept = sessions.filter((session) => session.last >= latest - SESSION_WINDOW_MS);
  return kept.length <= SESSION_CAP ? kept : kept.sort((a, b) => a.last - b.last).slice(-SESSION_CAP);
}

export function copySessions(sessions: readonly AuthSession[] | undefined): AuthSession[] {
  return (sessions ?? []).map((session) => ({ ...session, keys: [...session.keys], counted: [...session.counted] }));
}
