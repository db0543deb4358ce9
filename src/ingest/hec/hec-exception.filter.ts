import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { BUSY_RETRY_AFTER_SECONDS } from '../event-sink';
import { HEC, HecAnswer } from '../../common/auth/hec-answers';

/** When whoever refused set no Retry-After of its own: the rate limit's window is a minute. */
const RATE_LIMIT_RETRY_AFTER_SECONDS = 60;

/**
 * On the HEC routes, "slow down" is said in HEC's own JSON (code 9, `Server is busy`) with
 * Retry-After, whoever said it: a rate limit (429, from a guard, before the controller runs)
 * or a full write queue (503). Splunk clients read `code`; an answer in another shape can make
 * them drop a batch instead of retrying it. Any other HttpException keeps its status and body
 * (the token check's are already Splunk's); errors that are not HttpExceptions go on to the
 * global filter.
 */
@Catch(HttpException)
export class HecExceptionFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const status = exception.getStatus();
    if (status === 429 || status === 503) {
      sendHec(reply, status === 429 ? HEC.rateLimited : HEC.busy);
      return;
    }
    const body = exception.getResponse();
    void reply.status(status).send(typeof body === 'string' ? { statusCode: status, message: body } : body);
  }
}

/** Status, Retry-After (for 429 and 503) and body of one HEC answer. */
export function sendHec(reply: FastifyReply, answer: HecAnswer): void {
  setRetryAfter(reply, answer.status);
  void reply.status(answer.status).send(answer.body);
}

export function setRetryAfter(reply: FastifyReply, status: number): void {
  if (status === 429 && reply.getHeader('retry-after') === undefined) {
    void reply.header('Retry-After', String(RATE_LIMIT_RETRY_AFTER_SECONDS));
  } else if (status === 503) {
    void reply.header('Retry-After', String(BUSY_RETRY_AFTER_SECONDS));
  }
}
