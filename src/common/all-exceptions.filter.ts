import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { FastifyReply, FastifyRequest } from 'fastify';
import { STORAGE_RETRY_AFTER_SECONDS, storageAnswer, StorageUnavailableError } from './storage-fault';

interface StatusError {
  statusCode?: number;
  message?: string;
}

/**
 * One place where errors become HTTP answers. HttpExceptions and fastify's own 4xx errors
 * (malformed JSON, body too large, unsupported media type) keep their status and reason.
 * Storage that cannot take writes (disk full, read-only) is 507 Insufficient Storage with the
 * cause, and HEC's 503 form on the HEC routes, both with Retry-After: nothing was stored.
 * Anything else is a 500 with a generic message and a correlation id that points to the log:
 * never a stack, a query, a token or a raw log line in the answer.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      void reply
        .status(exception.getStatus())
        .send(typeof body === 'string' ? { statusCode: exception.getStatus(), message: body } : body);
      return;
    }
    if (exception instanceof StorageUnavailableError) {
      const { status, body } = storageAnswer(exception, host.switchToHttp().getRequest<FastifyRequest>().url);
      void reply.status(status).header('Retry-After', String(STORAGE_RETRY_AFTER_SECONDS)).send(body);
      return;
    }
    const status = (exception as StatusError)?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      void reply.status(status).send({
        statusCode: status,
        error: HttpStatus[status] ?? 'Bad Request',
        message: (exception as StatusError).message,
      });
      return;
    }
    // The request's id (also in the request log and the X-Request-Id header), so the answer points to the log.
    const correlationId = host.switchToHttp().getRequest<FastifyRequest | undefined>()?.id ?? randomUUID();
    this.logger.error(`unhandled error ${correlationId}: ${(exception as Error)?.stack ?? String(exception)}`);
    void reply
      .status(500)
      .send({ statusCode: 500, error: 'Internal Server Error', message: 'internal error', correlationId });
  }
}
