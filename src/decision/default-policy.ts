import { defaultPolicyPath, loadPolicyFile } from './policy-file';
import { Policy } from './policy';

/**
 * The policy in force when POLICY_FILE is unset, read from policy/default.yaml: that file is
 * the single source of the default, for the service and for the tests alike.
 */
export const DEFAULT_POLICY: Policy = loadPolicyFile(defaultPolicyPath());
