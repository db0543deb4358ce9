import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerRequest } from '@nestjs/throttler';
import { AuthenticatedRequest } from './ingest-source';
import { RATE_LIMIT_STORE_RETRY_AFTER_SECONDS, RateLimitStoreUnavailable } from './redis-throttler.storage';

function credentialOf(context: ExecutionContext): AuthenticatedRequest['ingestCredential'] {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().ingestCredential;
}

/** The per-address limit of a request: its ingest token's own, or INGEST_RATE_LIMIT. */
export function ingestLimit(fallback: number): (context: ExecutionContext) => number {
  return (context) => credentialOf(context)?.limit ?? fallback;
}

/**
 * One budget per client address and ingest token across every throttled route (the stock
 * guard keeps one per route): a forwarder with its own token and limit is not slowed by
 * another behind the same address. The address is fastify's `request.ip`: the socket's,
 * unless TRUST_PROXY names the proxy it came through. Runs after CredentialGuard, which
 * names the token. With REDIS_URL the counts are shared by every instance; while Redis does
 * not answer, the request gets 503 with Retry-After.
 */
@Injectable()
export class ClientThrottlerGuard extends ThrottlerGuard {
  protected override generateKey(context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${credentialOf(context)?.name ?? '-'}:${tracker}`;
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    try {
      return await super.handleRequest(request);
    } catch (error) {
      if (error instanceof RateLimitStoreUnavailable) {
        const { res } = this.getRequestResponse(request.context);
        this.setResponseHeader(res, 'Retry-After', RATE_LIMIT_STORE_RETRY_AFTER_SECONDS);
      }
      throw error;
    }
  }
}
