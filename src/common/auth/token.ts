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
