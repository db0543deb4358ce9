import { createHash, randomBytes } from 'node:crypto';
import { tokenMatches } from '../common/auth/token';

/** The console's session cookie: HttpOnly, SameSite=Strict, path /console, Secure over https. */
export const SESSION_COOKIE = 'soc_console';

export interface ConsoleSession {
  /** The operator's name as given at sign-in: the `by` of every change made in this session. */
  operator: string;
  /** Sent back in every form (and the X-CSRF-Token header): a cross-site request cannot know it. */
  csrf: string;
  createdAt: number;
  lastSeenAt: number;
  /** What the last action did, shown once on the next page (never put in a URL). */
  flash?: { kind: 'ok' | 'error'; text: string };
}

export interface SessionLimits {
  /** Signed out after this long without a request. */
  idleMs: number;
  /** Signed out after this long whatever happens. */
  absoluteMs: number;
  /** Sessions kept at most (the oldest goes first): sign-ins cannot grow memory without bound. */
  max: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000, max: 1000 };

/**
 * Sessions in memory, keyed by a hash of the random cookie value (a dump of the map holds no
 * usable cookie). The admin token is checked once at sign-in and never kept in the session,
 * the cookie or the browser. A restart signs everyone out; several instances each keep their own.
 */
export class SessionStore {
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS) {}

  /** A new session and the cookie value that names it. */
  create(operator: string, now: number): { cookie: string; session: ConsoleSession } {
    this.sweep(now);
    while (this.sessions.size >= this.limits.max) {
      const oldest = this.sessions.keys().next().value as string;
      this.sessions.delete(oldest);
    }
    const cookie = randomBytes(32).toString('base64url');
    const session = { operator, csrf: randomBytes(24).toString('base64url'), createdAt: now, lastSeenAt: now };
    this.sessions.set(keyOf(cookie), session);
    return { cookie, session };
  }

  /** The live session a cookie names (its idle clock restarts), or null. */
  find(cookie: string | undefined, now: number): ConsoleSession | null {
    if (cookie === undefined || cookie === '') {
      return null;
    }
    const key = keyOf(cookie);
    const session = this.sessions.get(key);
    if (session === undefined) {
      return null;
    }
    if (this.expired(session, now)) {
      this.sessions.delete(key);
      return null;
    }
    session.lastSeenAt = now;
    return session;
  }

  destroy(cookie: string | undefined): void {
    if (cookie !== undefined) {
      this.sessions.delete(keyOf(cookie));
    }
  }

  get size(): number {
    return this.sessions.size;
  }

  private expired(session: ConsoleSession, now: number): boolean {
    return now - session.lastSeenAt > this.limits.idleMs || now - session.createdAt > this.limits.absoluteMs;
  }

  private sweep(now: number): void {
    for (const [key, session] of this.sessions) {
      if (this.expired(session, now)) {
        this.sessions.delete(key);
      }
    }
  }
}

function keyOf(cookie: string): string {
  return createHash('sha256').update(cookie).digest('hex');
}

/** Whether a form's CSRF token is the session's (constant time). */
export function csrfMatches(session: ConsoleSession, presented: unknown): boolean {
  return typeof presented === 'string' && tokenMatches(presented, session.csrf);
}

/** The Set-Cookie value for a session cookie, or for clearing it (`value` null). */
export function sessionCookie(value: string | null, secure: boolean, maxAgeSeconds: number): string {
  const parts = [
    `${SESSION_COOKIE}=${value ?? ''}`,
    'Path=/console',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${value === null ? 0 : maxAgeSeconds}`,
  ];
  if (secure) {
    parts.push('Secure');
  }
  return parts.join('; ');
}

/** The value of one cookie in a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) {
    return undefined;
  }
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) {
      return part.slice(index + 1).trim();
    }
  }
  return undefined;
}
