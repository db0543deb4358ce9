import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';

/**
 * One budget per client address across every throttled route (the stock guard keeps one per
 * route). The address is fastify's `request.ip`: the socket's, unless TRUST_PROXY names the
 * proxy it came through.
 */
@Injectable()
export class ClientThrottlerGuard extends ThrottlerGuard {
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }
}
