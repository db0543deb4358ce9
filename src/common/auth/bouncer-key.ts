import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { tokenMatches } from './token';

/** CrowdSec bouncers send their key in this header (go-cs-bouncer's APIKeyTransport). */
export const BOUNCER_KEY_HEADER = 'x-api-key';

/** What a bouncer key is stored under (its stream cursor): never the key itself. */
export function bouncerKeyHash(key: string): string {
  return createHash('sha256').update(`soc-triage bouncer key\0${key}`).digest('hex');
}

/**
 * The hash of the configured key the presented one equals, or null. Every key is compared, in
 * constant time each, whatever matched first: the time taken says nothing about which key (or
 * how much of one) was right.
 */
export function matchBouncerKey(presented: string | undefined, keys: readonly string[]): string | null {
  const matches = keys.map((key) => tokenMatches(presented, key));
  const index = matches.indexOf(true);
  return index === -1 ? null : bouncerKeyHash(keys[index]);
}

/** A request the guard let through with a bouncer key. */
export interface BouncerRequest {
  headers: Record<string, string | string[] | undefined>;
  bouncerKeyHash?: string;
}

/** The hash of the bouncer key the request was accepted with (set by CredentialGuard). */
export const BouncerKeyHash = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const hash = context.switchToHttp().getRequest<BouncerRequest>().bouncerKeyHash;
  if (hash === undefined) {
    throw new Error('BouncerKeyHash used on a route without the bouncer credential');
  }
  return hash;
});
