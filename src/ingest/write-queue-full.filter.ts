import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { WriteQueueFullException } from './event-sink';

/** A full write queue on the JSON ingest routes: 503 in the usual shape, with Retry-After. */
@Catch(WriteQueueFullException)
export class WriteQueueFullFilter implements ExceptionFilter {
  catch(exception: WriteQueueFullException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply
      .header('Retry-After', String(exception.retryAfterSeconds))
      .status(exception.getStatus())
      .send({ statusCode: exception.getStatus(), error: 'Service Unavailable', message: exception.message });
  }
}
