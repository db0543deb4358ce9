import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import { FastifyReply } from 'fastify';

export type ManagementErrorCode = 'invalid' | 'not_found' | 'conflict';

/**
 * A refusal of a management request, thrown by the service (often from inside a write job,
 * whose failure comes back to the caller unchanged). It carries a code, not an HTTP status.
 */
export class ManagementError extends Error {
  constructor(
    readonly code: ManagementErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function statusOf(code: ManagementErrorCode): HttpStatus {
  switch (code) {
    case 'invalid':
      return HttpStatus.BAD_REQUEST;
    case 'not_found':
      return HttpStatus.NOT_FOUND;
    case 'conflict':
      return HttpStatus.CONFLICT;
  }
}

const ERROR_NAMES: Readonly<Record<ManagementErrorCode, string>> = {
  invalid: 'Bad Request',
  not_found: 'Not Found',
  conflict: 'Conflict',
};

/** Maps a ManagementError to its status with the usual `{statusCode, error, message}` body. */
@Catch(ManagementError)
export class ManagementErrorFilter implements ExceptionFilter {
  catch(exception: ManagementError, host: ArgumentsHost): void {
    const status = statusOf(exception.code);
    void host
      .switchToHttp()
      .getResponse<FastifyReply>()
      .status(status)
      .send({ statusCode: status, error: ERROR_NAMES[exception.code], message: exception.message });
  }
}
