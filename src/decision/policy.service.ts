import { Injectable } from '@nestjs/common';
import { DEFAULT_POLICY } from './default-policy';
import { Policy } from './policy';

/** The policy in force. Loading it from POLICY_FILE is its own piece of work; this serves the default. */
@Injectable()
export class PolicyService {
  readonly policy: Policy = DEFAULT_POLICY;
}
