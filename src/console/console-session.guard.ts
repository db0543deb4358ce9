import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { ConsoleSessions } from './console-sessions';
import { ConsoleSession, cookieValue, csrfMatches, SESSION_COOKIE } from './session';

/** Thrown when a console route is asked for without a live session: a page redirects, the API says 401. */
export class SignInRequired extends Error {}

export type ConsoleRequest = FastifyRequest & { consoleSession?: ConsoleSession; consoleCookie?: string };

/**
 * Every console route but sign-in passes here: a live session cookie, and on anything that
 * changes state (POST) the session's CSRF token in the form (or X-CSRF-Token) and, when the
 * browser says where the request came from, the same origin. SameSite=Strict already keeps the
 * cookie off cross-site requests; the token holds even where a browser does not honour it.
 */
@Injectable()
export class ConsoleSessionGuard implements CanActivate {
  constructor(private readonly sessions: ConsoleSessions) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<ConsoleRequest>();
    const cookie = cookieValue(request.headers.cookie, SESSION_COOKIE);
    const session = this.sessions.find(cookie);
    if (session === null) {
      throw new SignInRequired();
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const body = request.body as Record<string, unknown> | undefined;
      const presented = body?._csrf ?? request.headers['x-csrf-token'];
      if (!csrfMatches(session, presented) || !sameOrigin(request)) {
        throw new ForbiddenException('This form has expired or did not come from the console; reload the page.');
      }
    }
    request.consoleSession = session;
    request.consoleCookie = cookie;
    return true;
  }
}

/** False only when the browser names an origin that is not this host. */
export function sameOrigin(request: Pick<FastifyRequest, 'headers' | 'protocol'>): boolean {
  const origin = request.headers.origin;
  if (origin === undefined || origin === '') {
    return true;
  }
  return origin === `${request.protocol}://${request.headers.host ?? ''}`;
}
