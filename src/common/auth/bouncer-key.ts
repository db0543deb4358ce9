import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { createHash } from 'node:crypto';

/** CrowdSec bouncers send their key in this header (go-cs-bouncer's APIKeyTransport). */
export const BOUNCER_KEY_HEADER = 'x-api-key';

/** What a bouncer key is stored under (its stream cursor): never the key itself. */
export function bouncerKeyHash(key: string): string {
  return createHash('sha256').update(`soc-triage bouncer key\0${key}`).digest('hex');
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
