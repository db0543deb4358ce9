import { Signal } from './signal';

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
  /** Recent connections and what their auth lines showed (memory/auth-sessions.ts counts them). */
  authSessions?: AuthSession[];
  /** For PATH_MARKED_SIGNALS: the latest TIMELINE_CAP occurrences with a path, ascending by time. */
  signalPaths?: Partial<Record<Signal, PathMark[]>>;
}

/**
 * The recent connections of one actor, as its auth lines describe them, so that attempts are
 * counted once however many lines each writes (see attempt.ts for the roles).
 * Kept in the actor's profile: the state lives where the profile lives (the database), so
 * lines of one connection that arrive in different requests, at different instances or in a
 * replay are counted the same way.
 */
export interface AuthSession {
  keys: string[];
  first: number;
  last: number;
  failed: number;
  key: number;
  pam: number;
  pamMore: number;
  pamError: number;
  companion: number;
  success: boolean;
  /** Event times this connection put in the actor's auth_failure timeline, in order. */
  counted: number[];
}
