import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time comparison of a presented token with the configured one. Both are hashed
 * first so that neither the length nor the content leaks through timing.
 */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) {
    return false;
  }
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The token from `Authorization: Bearer …` or from the named header, if either is present. */
export function presentedToken(
  headers: Record<string, string | string[] | undefined>,
  headerName: string,
): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) {
      return match[1];
    }
  }
  const header = headers[headerName];
  return typeof header === 'string' && header !== '' ? header : undefined;
}

/**
 * The configured tokens of one role, hashed once at start-up. `match` hashes the presented
 * token once and compares it with every configured hash in constant time, whichever matches:
 * the time taken says nothing about which token (or how much of one) was right.
 */
export class TokenSet<T extends { token: string }> {
  private readonly hashes: { entry: T; hash: Buffer }[];

  constructor(entries: readonly T[]) {
    this.hashes = entries.map((entry) => ({ entry, hash: createHash('sha256').update(entry.token).digest() }));
  }

  get empty(): boolean {
    return this.hashes.length === 0;
  }

  match(presented: string | undefined): T | null {
    if (presented === undefined) {
      return null;
    }
    const hash = createHash('sha256').update(presented).digest();
    let found: T | null = null;
    for (const candidate of this.hashes) {
      if (timingSafeEqual(hash, candidate.hash) && found === null) {
        found = candidate.entry;
      }
    }
    return found;
  }
}
