import { HttpException } from '@nestjs/common';
import { tokenMatches } from '../../common/auth/token';
import { HEC, HecAnswer } from './hec-protocol';

/** A Splunk-shaped error: status and body exactly as HEC clients expect them. */
export class HecError extends HttpException {
  constructor(answer: HecAnswer) {
    super(answer.body, answer.status);
  }
}

/**
 * `Authorization: Splunk <token>` checked against SOC_INGEST_TOKEN, with Splunk's answers:
 * no header → 401 code 2, a header of another shape → 401 code 3, a wrong token → 403 code 4.
 * Returns null when the request may pass.
 */
export function checkHecAuthorization(
  authorization: string | string[] | undefined,
  token: string | undefined,
): HecAnswer | null {
  if (token === undefined) {
    return null;
  }
  if (authorization === undefined || authorization === '') {
    return HEC.tokenRequired;
  }
  const match = typeof authorization === 'string' ? /^Splunk\s+(\S+)\s*$/i.exec(authorization) : null;
  if (match === null) {
    return HEC.invalidAuthorization;
  }
  return tokenMatches(match[1], token) ? null : HEC.invalidToken;
}
