import type { AttemptEvidence, AttemptRole } from '../../domain/attempt';
import type { SshdFacts } from '../parsers/sshd';

const ROLE_OF: Partial<Record<SshdFacts['kind'], AttemptRole>> = {
  failed_password: 'failed',
  failed_other: 'failed',
  failed_publickey: 'key',
  failed_none: 'companion',
  invalid_user: 'companion',
  user_not_allowed: 'companion',
  root_refused: 'companion',
  max_auth_attempts: 'companion',
  too_many_auth_failures: 'companion',
  preauth_disconnect: 'companion',
  pam_auth_failure: 'pam',
  pam_more_failures: 'pamMore',
  pam_error: 'pamError',
  accepted: 'success',
};

/** The evidence an sshd line gives, or undefined when it says nothing about authentication. */
export function sshdAttempt(facts: SshdFacts, host: string | undefined): AttemptEvidence | undefined {
  const role = ROLE_OF[facts.kind];
  if (role === undefined) {
    return undefined;
  }
  const at = host ?? '';
  const keys: string[] = [];
  if (facts.pid !== undefined) {
    keys.push(`p${at}#${facts.pid}`);
  }
  if (facts.sourcePort !== undefined) {
    keys.push(`a${at}:${facts.sourcePort}`);
  }
  return { keys, role, count: Math.max(1, facts.repeat ?? 1) };
}
