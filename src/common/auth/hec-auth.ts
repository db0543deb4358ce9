import { HttpException } from '@nestjs/common';
import { HEC, HecAnswer } from './hec-answers';

/** A Splunk-shaped error: status and body exactly as HEC clients expect them. */
export class HecError extends HttpException {
  constructor(answer: HecAnswer) {
    super(answer.body, answer.status);
  }
}

export type HecAuthorization = { token: string } | { refusal: HecAnswer; reason: 'missing' | 'malformed' };

/**
 * The token of `Authorization: Splunk <token>` (the scheme in any case, as HTTP schemes are),
 * or Splunk's answer when there is none: no header → 401 code 2, a header of another shape →
 * 401 code 3. A wrong token is the caller's to answer (403 code 4, HEC.invalidToken).
 */
export function hecToken(authorization: string | string[] | undefined): HecAuthorization {
  if (authorization === undefined || authorization === '') {
    return { refusal: HEC.tokenRequired, reason: 'missing' };
  }
  const match = typeof authorization === 'string' ? /^Splunk\s+(\S+)\s*$/i.exec(authorization) : null;
  if (match === null) {
    return { refusal: HEC.invalidAuthorization, reason: 'malformed' };
  }
  return { token: match[1] };
}
