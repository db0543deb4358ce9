import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { FastifyReply } from 'fastify';
import { BUSY_RETRY_AFTER_SECONDS, WriteQueueFullException } from '../event-sink';
import { HEC, HecAnswer } from './hec-protocol';

/** When the throttler set no Retry-After of its own: its window is a minute. */
const RATE_LIMIT_RETRY_AFTER_SECONDS = 60;

/**
 * On the HEC routes, "slow down" is said in HEC's own JSON (code 9, `Server is busy`) with
 * Retry-After, whoever said it: the rate limit (429, from the throttler guard, before the
 * controller runs) or a full write queue (503). Splunk clients read `code`; an answer in
 * another shape can make them drop a batch instead of retrying it. Other errors keep the
 * global filter's answer.
 */
@Catch(ThrottlerException, WriteQueueFullException)
export class HecExceptionFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const limited = exception.getStatus() === 429;
    sendHec(reply, limited ? HEC.rateLimited : HEC.busy);
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
