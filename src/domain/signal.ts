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
  'ssh_probe',
  // ---- web detection (issue 14): per-request classes, then behaviour markers counted over time
  'lfi',
  'rfi',
  'template_injection',
  'code_injection',
  'ssrf',
  'xxe',
  'exploit_probe',
  'crlf_injection',
  'http_not_found',
  'http_unauthorized',
  'http_bad_request',
  'login_post',
  'dynamic_request',
  // ---- end of web detection
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
  ssh_probe: 'low',
  // ---- web detection (issue 14)
  lfi: 'high',
  rfi: 'high',
  template_injection: 'high',
  code_injection: 'critical',
  ssrf: 'high',
  xxe: 'high',
  exploit_probe: 'high',
  crlf_injection: 'medium',
  http_not_found: 'info',
  http_unauthorized: 'info',
  http_bad_request: 'info',
  login_post: 'info',
  dynamic_request: 'info',
  // ---- end of web detection
};

/**
 * Web behaviour markers (issue 14): counted over time by the policy, never evidence on their own,
 * so they neither score nor make a write "bring something to judge" (see policy.signalSince).
 */
export const BEHAVIOUR_MARKERS: ReadonlySet<Signal> = new Set<Signal>([
  'http_not_found',
  'http_unauthorized',
  'http_bad_request',
  'login_post',
  'dynamic_request',
]);

export function isSignal(value: string): value is Signal {
  return (SIGNALS as readonly string[]).includes(value);
}

/**
 * Why a signal was raised: the rule that fired, the field it read and the text it matched.
 * `matched` is untrusted (it comes from a log line): at most 200 characters, and sanitised
 * before it is shown anywhere (console, explain, actor history); never sent to the LLM.
 */
export interface SignalMatch {
  signal: Signal;
  /** Stable id of the detection rule, e.g. `web-sqli-union`, `sshd-failed-password`. */
  ruleId: string;
  /** The event field read: `message`, `url`, `userAgent`, `user`, `referer`, a header name… */
  field: string;
  matched: string;
}
