/**
 * The signals a detector can tag an event with. A signal is an observation about one event,
 * not a judgement about the actor: the policy and the LLM weigh them.
 */
export const SIGNALS = [
  'auth_failure',
  'auth_success',
  'sql_injection',
  'xss',
  'path_traversal',
  'command_injection',
  'log4shell',
  'scanner',
  'sensitive_file_probe',
] as const;

export type Signal = (typeof SIGNALS)[number];

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

/** How bad one occurrence of each signal is on its own. */
export const SIGNAL_SEVERITY: Readonly<Record<Signal, Severity>> = {
  auth_failure: 'low',
  auth_success: 'info',
  sql_injection: 'high',
  xss: 'medium',
  path_traversal: 'high',
  command_injection: 'high',
  log4shell: 'critical',
  scanner: 'low',
  sensitive_file_probe: 'medium',
};

export function isSignal(value: string): value is Signal {
  return (SIGNALS as readonly string[]).includes(value);
}
