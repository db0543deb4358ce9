import { Policy } from './policy';

const TEN_MINUTES = 600;
const ONE_HOUR = 3600;

/**
 * The policy in force when no other is configured. Thresholds follow fail2ban's sshd jail
 * defaults (maxretry 5, findtime 10m, bantime 10m) and grow bans for repeat offenders as
 * bantime.increment does. Windows are measured in event time.
 */
export const DEFAULT_POLICY: Policy = {
  version: 'default-1',
  rules: [
    {
      id: 'ssh-brute-force',
      reason: '5 or more authentication failures within 10 minutes',
      action: 'block',
      when: { signals: ['auth_failure'], atLeast: 5, withinSeconds: TEN_MINUTES },
      hardEvidence: true,
    },
    {
      id: 'log4shell-attempt',
      reason: 'Log4Shell (JNDI lookup) exploitation attempt',
      action: 'block',
      when: { signals: ['log4shell'], atLeast: 1, withinSeconds: ONE_HOUR },
      hardEvidence: true,
    },
    {
      id: 'web-attack-high',
      reason: 'High-severity web attack: SQL injection, command injection or path traversal',
      action: 'block',
      when: {
        signals: ['sql_injection', 'command_injection', 'path_traversal'],
        atLeast: 1,
        withinSeconds: TEN_MINUTES,
      },
      hardEvidence: true,
    },
    {
      id: 'sensitive-file-sweep',
      reason: '5 or more probes for sensitive files within 10 minutes',
      action: 'block',
      when: { signals: ['sensitive_file_probe'], atLeast: 5, withinSeconds: TEN_MINUTES },
      hardEvidence: true,
    },
    {
      id: 'verdict-high',
      reason: 'Verdict score of 80 or more',
      action: 'block',
      when: { scoreAtLeast: 80 },
      hardEvidence: false,
    },
    {
      id: 'web-attack-medium',
      reason: 'Cross-site scripting attempt or probe for a sensitive file',
      action: 'alert',
      when: { signals: ['xss', 'sensitive_file_probe'], atLeast: 1, withinSeconds: TEN_MINUTES },
      hardEvidence: false,
    },
    {
      id: 'auth-failures-repeated',
      reason: '3 or more authentication failures within 10 minutes',
      action: 'alert',
      when: { signals: ['auth_failure'], atLeast: 3, withinSeconds: TEN_MINUTES },
      hardEvidence: false,
    },
    {
      id: 'verdict-medium',
      reason: 'Verdict score of 50 or more',
      action: 'alert',
      when: { scoreAtLeast: 50 },
      hardEvidence: false,
    },
    {
      id: 'scanner-seen',
      reason: 'Known vulnerability-scanner user agent',
      action: 'monitor',
      when: { signals: ['scanner'], atLeast: 1, withinSeconds: ONE_HOUR },
      hardEvidence: false,
    },
    {
      id: 'auth-failure-seen',
      reason: 'Authentication failure',
      action: 'monitor',
      when: { signals: ['auth_failure'], atLeast: 1, withinSeconds: TEN_MINUTES },
      hardEvidence: false,
    },
  ],
  block: { baseSeconds: TEN_MINUTES, factor: 2, maxSeconds: 7 * 24 * ONE_HOUR },
  alertSeconds: ONE_HOUR,
  monitorSeconds: ONE_HOUR,
};
