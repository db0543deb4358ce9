import { ArgumentsHost, Catch, ExceptionFilter, ForbiddenException } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { SignInRequired } from './console-session.guard';

/**
 * No session: a page asked for with GET goes to the sign-in page; the API and forms get a
 * plain 401. A refused form (CSRF, origin) is a 403 with its reason. Other errors go on to the
 * global filter.
 */
@Catch(SignInRequired, ForbiddenException)
export class ConsoleErrorFilter implements ExceptionFilter {
  catch(exception: SignInRequired | ForbiddenException, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof ForbiddenException) {
      void reply.status(403).send({ statusCode: 403, error: 'Forbidden', message: exception.message });
      return;
    }
    if (
      request.method === 'GET' &&
      !request.url.startsWith('/console/api/') &&
      !request.url.startsWith('/console/assets/')
    ) {
      void reply.status(303).header('cache-control', 'no-store').header('location', '/console/login').send();
      return;
    }
    void reply.status(401).send({ statusCode: 401, error: 'Unauthorized', message: 'Sign in to the console first.' });
  }
}
